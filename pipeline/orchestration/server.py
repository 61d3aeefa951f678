"""The Prefect API servers a build starts: the temporary one of `temporary_server`, and the
helpers `serve`'s local server shares. Prefect is imported only when one is started."""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.orchestration import progress

_PR_SET_PDEATHSIG = 1
_PORT_TAKEN = 3  # uvicorn's exit status when it cannot bind its port


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(api: str, timeout: float = 2) -> bool:
    """The Prefect API at `api` answers its health check."""
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


def stop(proc: subprocess.Popen, grace: float = 20.0) -> None:
    """Terminate `proc`, killing it if it has not exited after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _die_with(parent: int) -> None:
    """In the forked child, before exec: ask the kernel for SIGTERM when the parent dies."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _popen_dying_with_us(*args, **kwargs) -> subprocess.Popen:
    # The death signal follows the thread that forked: only the main thread lives as long as the process.
    if threading.current_thread() is threading.main_thread() and "preexec_fn" not in kwargs:
        parent = os.getpid()
        kwargs["preexec_fn"] = lambda: _die_with(parent)
    return subprocess.Popen(*args, **kwargs)


@contextlib.contextmanager
def temporary_server() -> Iterator[Callable[[], None]]:
    """Without PREFECT_API_URL: start Prefect's temporary API server now, in the background, and
    point this process and the processes it starts at it; yields `ready()`, which waits until it
    answers. Stopped on leaving; killed with us (even by SIGKILL, `_popen_dying_with_us`).

    Prefect's client would start the same server (`prefect.server.api.server.SubprocessASGIServer`:
    the same command and settings) at the first flow call and wait for it there, after importing a
    module of ~1 CPU-s and 80 MB that this process never needs. Started here, its seconds of
    start-up overlap the caller's own (imports, checks, the task runner, a Dask cluster); and
    one server serves the whole build, Dask workers included: each otherwise starts its own (issue 17).
    Flow-run heartbeats are off with it: they tell a server that a run crashed, and this one
    lives no longer than the run (the sync flow call waits up to 1 s on the heartbeat thread)."""
    import prefect
    from prefect.logging import get_logger
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, PREFECT_SERVER_EPHEMERAL_ENABLED, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, get_current_settings, temporary_settings

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():  # a server of the user's, or none allowed (Prefect says so)
        yield lambda: None
        return
    progress.phase("starting Prefect's temporary server… (set PREFECT_API_URL to use a running one)")
    env = os.environ | get_current_settings().to_environment_variables(exclude_unset=True) | {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}

    def launch() -> tuple[subprocess.Popen, str]:
        port = free_port()
        get_logger("temporary-server").info("Starting temporary server on http://127.0.0.1:%d", port)
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__file__).parent.parent), "--factory", "prefect.server.api.server:create_app",
                   "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]
        return _popen_dying_with_us(command, env=env, stdin=subprocess.DEVNULL), f"http://127.0.0.1:{port}/api"

    server, api = launch()
    before = os.environ.get("PREFECT_API_URL")
    settings = contextlib.ExitStack()

    def point_at(url: str) -> None:
        os.environ["PREFECT_API_URL"] = url  # inherited by the Dask worker processes, started in the flow call
        settings.enter_context(temporary_settings(updates={PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}))

    def ready() -> None:
        nonlocal server, api
        deadline = time.monotonic() + PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
        while not healthy(api, timeout=1):
            if server.poll() == _PORT_TAKEN:  # another process took the free port first: another one, and its URL
                server, api = launch()
                point_at(api)
            elif server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Prefect's temporary server did not start (exit code {server.poll()}); set PREFECT_API_URL to use a running one")
            time.sleep(0.05)

    try:
        with settings:
            point_at(api)
            yield ready
    finally:
        stop(server, grace=5)
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before
