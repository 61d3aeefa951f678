"""The Prefect edge: flows, schedules and the console; the only modules that import Prefect.

Prefect reads its settings when first imported: they are set here, before any module of this
package can import it (defaults only: the environment wins).
"""

import os

# Offline and quiet.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
# The temporary API server can take longer than its default 20 s to start on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# Our own phase lines, progress bars and summaries say what happens; Prefect's per-task log
# lines would bury them (PREFECT_LOGGING_LEVEL=INFO brings them back).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
