import os
import tempfile

# Prefect must stay offline and keep no state between test runs: a private home, no telemetry.
_PREFECT_HOME = tempfile.mkdtemp(prefix="newsclean-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
# The temporary API server can take longer than its default 20 s to start on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow test (entering one costs seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
