"""`python -m pipeline serve`: the build as a Prefect deployment that runs on a cron schedule.

Prefect's temporary in-process API cannot schedule, so with no `PREFECT_API_URL` set this
starts a local Prefect server (SQLite, 127.0.0.1, its home under the output's state folder),
watches it, and stops it on exit; with `PREFECT_API_URL` set it registers with that server.
Prefect is imported only after the API URL and home are settled: it reads them at import.
"""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from pipeline.incremental.state import state_dir
from pipeline.orchestration import progress
from pipeline.orchestration.server import free_port, healthy, stop

SERVER_START_SECONDS = 120
DEPLOYMENT = "newsclean"


@contextlib.contextmanager
def local_server(home: Path, port: int | None = None) -> Iterator[str]:
    """Run `prefect server start` on 127.0.0.1 with its SQLite database in `home`; yields the API URL.

    The server's output goes to `home/server.log`. If the server dies while in use, this process
    gets SIGINT so that serving stops instead of failing on every poll.
    """
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "PREFECT_HOME": str(home.resolve()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    progress.phase(f"starting a local Prefect server on 127.0.0.1:{port} (log: {home / 'server.log'})… this takes 10-40 s")
    logfile = open(home / "server.log", "ab")
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--analytics-off"]
    proc = None
    stopping = threading.Event()
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not healthy(api):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not start (exit code {proc.poll()}); see {home / 'server.log'}")
            time.sleep(0.5)
        progress.phase(f"local Prefect server ready at {api} (UI http://127.0.0.1:{port})")

        def watch() -> None:
            while not stopping.wait(2):
                if proc.poll() is not None:
                    progress.phase(f"the local Prefect server exited (code {proc.returncode}); stopping; see {home / 'server.log'}")
                    os.kill(os.getpid(), signal.SIGINT)
                    return

        threading.Thread(target=watch, name="prefect-server-watch", daemon=True).start()
        yield api
    finally:
        stopping.set()
        # Also when interrupted while it starts: the server is in its own session and would outlive us.
        if proc is not None:
            progress.phase("stopping the local Prefect server")
            stop(proc)
            progress.phase("local Prefect server stopped")
        logfile.close()


def _sigterm_as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _run(flow, name: str, cron: str, parameters: dict, api: str) -> None:
    """`flow.serve(...)`, except that SIGTERM stops it the way Ctrl-C does.

    Prefect's runner answers SIGTERM with a handler that calls its async `stop()` from a running
    event loop, which only creates the coroutine ("coroutine 'Runner.astop' was never awaited")
    and exits without pausing the deployment; as a KeyboardInterrupt it shuts down cleanly.
    """
    from prefect.deployments.runner import EntrypointType
    from prefect.runner import Runner

    runner = Runner(name=name, limit=1)
    runner.handle_sigterm = _sigterm_as_interrupt
    runner.add_flow(flow, name=name, cron=cron, parameters=parameters, entrypoint_type=EntrypointType.MODULE_PATH)
    print(f"serving deployment {flow.name}/{name} on {cron!r} via {api}; Ctrl-C stops", flush=True)
    asyncio.run(runner.start())


def serve(cron: str, parameters: dict, name: str = DEPLOYMENT, port: int | None = None) -> None:
    """Serve `scheduled_build` with `parameters` on `cron` until interrupted (Ctrl-C or SIGTERM);
    a local server keeps its database in the build's state folder."""
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    try:
        _serve(cron, parameters, state_dir(parameters["out"], parameters.get("state")), name, port)
    except KeyboardInterrupt:
        progress.phase("interrupted before the deployment was served")  # during start-up: no traceback


def _serve(cron: str, parameters: dict, state: Path, name: str, port: int | None) -> None:
    own_server = not os.environ.get("PREFECT_API_URL")
    with local_server(state / "prefect", port) if own_server else contextlib.nullcontext(os.environ["PREFECT_API_URL"]) as api:
        os.environ["PREFECT_API_URL"] = api
        if own_server:
            os.environ["PREFECT_HOME"] = str((state / "prefect").resolve())
        progress.phase("loading the flow and registering the deployment")
        from pipeline.orchestration.flows import scheduled_build

        try:
            _run(scheduled_build, name, cron, parameters, api)
        except KeyboardInterrupt:
            progress.phase("interrupted: the deployment is paused")
        finally:
            if own_server:
                os.environ.pop("PREFECT_API_URL", None)
