"""`python -m pipeline serve`: a local Prefect server is started, the deployment runs when triggered, all stops cleanly."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

from pipeline.orchestration import serve
from tests.conftest import ROOT, SEEDS


def _wait_for_line(proc: subprocess.Popen, needle: str, seconds: float, seen: list[str]) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if needle in line:
            return line
    raise AssertionError(f"{needle!r} not printed in {seconds} s; output:\n{''.join(seen)}")


def test_served_deployment_runs_when_triggered_and_stops_with_its_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")} | {
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PYTHONPATH": str(ROOT),
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    out = tmp_path / "data"
    port = serve.free_port()
    cmd = [sys.executable, "-m", "pipeline", "serve", "--cron", "0 0 1 1 *", "--input", str(SEEDS), "--out", str(out), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen: list[str] = []
    try:
        line = _wait_for_line(proc, "serving deployment", 90, seen)
        api = f"http://127.0.0.1:{port}/api"
        assert api in line and "0 0 1 1 *" in line
        # `serve` registers the deployment just after printing that line: wait until it exists.
        trigger = (
            "import time\n"
            "from prefect import get_client\n"
            "from prefect.deployments import run_deployment\n"
            "from prefect.exceptions import ObjectNotFound\n"
            "with get_client(sync_client=True) as client:\n"
            "    for _ in range(60):\n"
            "        try:\n"
            "            client.read_deployment_by_name('scheduled-build/newsclean')\n"
            "            break\n"
            "        except ObjectNotFound:\n"
            "            time.sleep(1)\n"
            "run = run_deployment('scheduled-build/newsclean', timeout=60, poll_interval=1)\n"
            "print(run.state.type.value)\n"
        )
        done = subprocess.run([sys.executable, "-c", trigger], env=env | {"PREFECT_API_URL": api}, capture_output=True, text=True, timeout=90)
        assert done.stdout.strip().endswith("COMPLETED"), done.stdout + done.stderr
        assert (out / "manifest.json").exists() and (tmp_path / ".data.state" / "prefect" / "prefect.db").exists()
    finally:
        # SIGTERM (what service managers send) stops it as Ctrl-C does.
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    # Start-up, the scheduled run's summary table and the shutdown are told; no Prefect warning.
    for said in ("starting a local Prefect server", "local Prefect server ready", "Scheduled run of", "articles", "local Prefect server stopped"):
        assert said in rest or said in "".join(seen), said
    assert "never awaited" not in rest and "RuntimeWarning" not in rest
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
        raise AssertionError("the local Prefect server still answers after serve exited")
    except OSError:
        pass


def test_prefect_yaml_deploys_the_scheduled_flow_with_its_real_parameters():
    import inspect

    import yaml

    from pipeline.orchestration import flows

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    accepted = set(inspect.signature(flows.scheduled_build.fn).parameters)
    assert spec["deployments"]
    for deployment in spec["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        assert (ROOT / path).exists() and getattr(flows, name) is flows.scheduled_build
        assert set(deployment["parameters"]) <= accepted
        assert deployment["concurrency_limit"] == 1 and all(s["cron"].count(" ") == 4 for s in deployment["schedules"])


def test_sigterm_during_start_up_stops_without_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")} | {"PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline", "serve", "--cron", "0 0 1 1 *", "--input", str(SEEDS), "--out", str(tmp_path / "data"), "--port", str(serve.free_port())]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait_for_line(proc, "starting a local Prefect server", 60, [])
    time.sleep(1)  # the server process has been started, it is not up yet
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in out, out
    # The server (in its own session) is stopped, not left behind.
    assert "interrupted before the deployment was served" in out and "local Prefect server stopped" in out
