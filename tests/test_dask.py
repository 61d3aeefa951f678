"""The same flow on a local Dask cluster of 2 worker processes gives byte-identical tables."""

import os
import shutil
import subprocess
import sys

import pytest

from pipeline.orchestration import flows
from pipeline import io
from tests.conftest import ROOT, SEEDS
from tests.test_incremental import _article


def _hashes(directory):
    return {p.name: io.file_sha256(p) for p in sorted(directory.iterdir())}


def test_two_dask_workers_build_the_same_dataset_as_one_process(prefect_harness, tmp_path, monkeypatch):
    pytest.importorskip("prefect_dask")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    for n in range(7):
        (inp / f"site-{n}.txt").write_text(_article(n, footer=True), encoding="utf-8")
    single = flows.run_build(input=str(inp), out=str(tmp_path / "single" / "data"), shard_size=3)
    dask = flows.run_build(executor="dask", workers=2, input=str(inp), out=str(tmp_path / "dask" / "data"), shard_size=3)
    assert dask["incremental"]["documents_analysed"] == single["incremental"]["documents_analysed"] == 12
    assert dask["incremental"]["claims_extracted"] == single["incremental"]["claims_extracted"] == 12
    assert _hashes(tmp_path / "dask" / "data") == _hashes(tmp_path / "single" / "data")
    assert (tmp_path / "dask" / ".data.state" / "dask").is_dir()  # spill space in the state folder, not /tmp


def test_unknown_executor_is_refused():
    with pytest.raises(ValueError, match="unknown executor"):
        flows.task_runner("ray")


@pytest.mark.slow
def test_a_dask_build_without_an_api_starts_one_temporary_server(tmp_path):
    """The driver's temporary server serves the workers too: before, each worker started its own."""
    pytest.importorskip("prefect_dask")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
    }
    cmd = [sys.executable, "-m", "pipeline", "build", "--input", str(SEEDS), "--out", str(tmp_path / "data"), "--executor", "dask", "--workers", "2"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    # Prefect's client and this pipeline both log this line (at INFO) as they start a temporary server.
    assert done.stderr.count("Starting temporary server on") == 1, done.stderr[-3000:]
    assert _hashes(tmp_path / "data") == _hashes(ROOT / "data")


@pytest.mark.slow
def test_a_temporary_server_whose_port_was_taken_starts_again_and_the_build_follows_it(tmp_path):
    """uvicorn exits with status 3 when another process took the port between our check and its
    bind: the server starts again on another port, and this process and its children are pointed
    at the new one (a stale URL would send the flow to nobody)."""
    script = """
import os, socket
from pipeline.orchestration import server
from prefect.settings import PREFECT_API_URL

taken = socket.socket(); taken.bind(("127.0.0.1", 0)); taken.listen()
ports = iter([taken.getsockname()[1]])
real = server.free_port
server.free_port = lambda: next(ports, None) or real()
with server.temporary_server() as ready:
    ready()
    api = os.environ["PREFECT_API_URL"]
    assert PREFECT_API_URL.value() == api and str(taken.getsockname()[1]) not in api, api
    assert server.healthy(api), api
print("followed", api)
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
    }
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "followed http://127.0.0.1:" in done.stdout, done.stderr[-3000:]
    assert "address already in use" in done.stderr  # the first server did meet the taken port
