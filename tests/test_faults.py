"""Faults: builds killed at chosen and random points, full and read-only disks, concurrent builds.

After every fault the previous dataset is whole and valid (or, killed after the swap, the new one
is), and the next run completes with the tables a clean build gives. Builds run as
`python -m pipeline build` in their own process group, so a kill takes Prefect's server with it.
The kill points are set by a few lines of test code that wrap pipeline functions in the child
process; the pipeline has no fault hooks of its own.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

import schemas
from pipeline import io
from tests.conftest import ROOT, SEEDS
from tests.hostile import article

# Wraps `module.name` in the child so that its n-th call kills the whole process group,
# before or after the call runs; `log_lock` records when the output's lock is held.
HOOKS = r"""
import contextlib, importlib, os, signal, sys, time

def die():
    os.killpg(0, signal.SIGKILL)

def kill_at(module, name, n, when):
    mod = importlib.import_module(module)
    original, calls = getattr(mod, name), [0]
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n and when == "before":
            die()
        result = original(*args, **kwargs)
        if calls[0] == n and when == "after":
            die()
        return result
    setattr(mod, name, wrapper)

def log_lock(path):
    import pipeline.io as io
    original = io.dataset_lock
    @contextlib.contextmanager
    def logged(*args, **kwargs):
        with original(*args, **kwargs) as locked:
            with open(path, "a") as fh:
                fh.write(f"{os.getpid()} in {time.time()}\n")
            try:
                yield locked
            finally:
                with open(path, "a") as fh:
                    fh.write(f"{os.getpid()} out {time.time()}\n")
    io.dataset_lock = logged
"""


def _env(prefect_home: Path, api_url: str | None) -> dict[str, str]:
    env = dict(os.environ, PREFECT_HOME=str(prefect_home), PYTHONPATH=str(ROOT), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env["PREFECT_LOGGING_TO_API_ENABLED"] = "false"
    if api_url:
        # The test session's Prefect server: a child that starts its own spends seconds on it.
        env["PREFECT_API_URL"] = api_url
    return env


def _child(code: str, args: list[str], prefect_home: Path, api_url: str | None = None) -> subprocess.Popen:
    """A Python child in its own process group, running HOOKS, then `code`."""
    return subprocess.Popen(
        [sys.executable, "-c", HOOKS + code, *args],
        cwd=ROOT,
        env=_env(prefect_home, api_url),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _build_code(hook: str = "") -> str:
    return hook + "\nfrom pipeline.cli import main\nsys.exit(main(['build', *sys.argv[1:]]))\n"


def _finish(proc: subprocess.Popen, timeout: float = 180) -> tuple[int, str]:
    try:
        out, _ = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return proc.returncode, out


def _snapshot(out: Path) -> dict[str, str]:
    return {p.name: io.file_sha256(p) for p in sorted(out.iterdir())} if out.exists() else {}


def _assert_whole(out: Path) -> dict[str, pl.DataFrame]:
    """The dataset matches its manifest file by file, and every table validates."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed == {k: v for k, v in _snapshot(out).items() if k != "manifest.json"}, "files and manifest disagree"
    return schemas.validated(io.read_dataset(out, list(schemas.TABLES)), schemas.TABLES)


def _no_leftovers(out: Path) -> None:
    left = [p.name for p in out.parent.iterdir() if p.name in (f".{out.name}.tmp", f".{out.name}.old")]
    assert not left, f"temporary directories left behind: {left}"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    """(old, new): the seeds, and the seeds plus 30 more articles (several shards)."""
    base = tmp_path_factory.mktemp("inputs")
    old, new = base / "old", base / "new"
    shutil.copytree(SEEDS, old)
    shutil.copytree(SEEDS, new)
    for i in range(30):
        (new / f"extra_{i:02d}.txt").write_text(article(100 + i), encoding="utf-8")
    return old, new


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("prefect")


@pytest.fixture(scope="module")
def api_url(prefect_harness) -> str:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


# --- killed during the write (no Prefect: one process per kill point) -------------------------

WRITE_KILLS = [
    ("_write_table", 1, "before"),  # nothing written yet
    ("_write_table", 3, "after"),  # some tables written, not all
    ("_fsync_dir", 1, "before"),  # all written, not yet flushed
    ("_exchange", 1, "before"),  # about to swap
    ("_exchange", 1, "after"),  # swapped, old copy not yet removed
]

_WRITE_CODE = """
from pathlib import Path
import polars as pl
from pipeline import io
out = Path(sys.argv[1])
tables = io.read_dataset(out, sys.argv[2].split(","))
tables["articles"] = tables["articles"].with_columns(pl.col("title").fill_null("changed"))
io.write_dataset(tables, out, {"version": 2})
"""


@pytest.fixture(scope="module")
def previous(tmp_path_factory, inputs) -> tuple[Path, dict[str, str], dict[str, str]]:
    """(dataset, its files' hashes, the hashes of the changed dataset `_WRITE_CODE` writes)."""
    from tests.test_hostile import pure_build

    _, tables, _ = pure_build(inputs[0])
    base = tmp_path_factory.mktemp("previous")
    io.write_dataset(tables, base / "data", {"version": 1})
    changed = dict(tables, articles=tables["articles"].with_columns(pl.col("title").fill_null("changed")))
    io.write_dataset(changed, base / "changed", {"version": 2})
    return base / "data", _snapshot(base / "data"), _snapshot(base / "changed")


@pytest.mark.parametrize("name, n, when", WRITE_KILLS)
def test_a_write_killed_midway_leaves_a_whole_dataset(previous, prefect_home, tmp_path, name, n, when):
    source, before, after = previous
    out = tmp_path / "data"
    shutil.copytree(source, out)
    code = f"kill_at('pipeline.io', {name!r}, {n}, {when!r})\n" + _WRITE_CODE
    rc, log = _finish(_child(code, [str(out), ",".join(schemas.TABLES)], prefect_home))
    assert rc == -signal.SIGKILL, f"the kill point was never reached:\n{log}"
    assert _snapshot(out) == (after if (name, when) == ("_exchange", "after") else before)
    _assert_whole(out)
    io.write_dataset(io.read_dataset(out, list(schemas.TABLES)), out, {"version": 3})
    _assert_whole(out)
    _no_leftovers(out)


def test_killed_between_the_two_renames_of_the_fallback_swap_is_recovered(previous, prefect_home, tmp_path):
    """Where the kernel cannot exchange two paths, the old dataset waits beside `out` until the next run."""
    source, before, _ = previous
    out = tmp_path / "data"
    shutil.copytree(source, out)
    code = (
        "import pipeline.io, pathlib\n"
        "pipeline.io._exchange = lambda a, b: False\n"
        "original = pathlib.Path.rename\n"
        "def rename(self, target):\n"
        "    result = original(self, target)\n"
        "    if self.name == sys.argv[1].rsplit('/', 1)[-1]:\n"
        "        die()\n"
        "    return result\n"
        "pathlib.Path.rename = rename\n"
    ) + _WRITE_CODE
    rc, log = _finish(_child(code, [str(out), ",".join(schemas.TABLES)], prefect_home))
    assert rc == -signal.SIGKILL, log
    assert not out.exists() and _snapshot(tmp_path / ".data.old") == before, "killed with the old dataset set aside"
    io.recover_output(out)
    assert _snapshot(out) == before
    _assert_whole(out)
    _no_leftovers(out)


# --- killed during a whole build (Prefect, subprocess) ---------------------------------------


def _clean_build(prefect_harness, inp: Path, out: Path) -> dict[str, str]:
    from pipeline.orchestration.flows import build_dataset

    build_dataset(input=str(inp), out=str(out), shard_size=8)
    return _snapshot(out)


@pytest.mark.slow
def test_builds_killed_at_chosen_and_random_points_never_break_the_dataset(prefect_harness, prefect_home, api_url, inputs, tmp_path):
    from pipeline.orchestration.flows import build_dataset

    old, new = inputs
    out = tmp_path / "data"
    build_dataset(input=str(old), out=str(out), shard_size=4)
    before = _snapshot(out)
    args = ["--input", str(new), "--out", str(out), "--shard-size", "4"]
    seen = []
    for hook in ("kill_at('pipeline.build', 'analysed_each', 3, 'before')", "kill_at('pipeline.io', '_write_table', 3, 'after')"):
        started = time.perf_counter()
        rc, log = _finish(_child(_build_code(hook), args, prefect_home, api_url))
        assert rc == -signal.SIGKILL, f"{hook}: the kill point was never reached:\n{log[-3000:]}"
        assert _snapshot(out) == before, f"{hook}: killed before the swap, the old dataset must stay"
        _assert_whole(out)
        seen.append(hook)
    # Then at a random moment of a run, whatever it is doing (the write kill took about a run).
    seed = time.time_ns()
    delay = random.Random(seed).uniform(0.2, 1.1) * (time.perf_counter() - started)
    proc = _child(_build_code(), args, prefect_home, api_url)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    _finish(proc)
    at_random = _snapshot(out)
    _assert_whole(out)

    build_dataset(input=str(new), out=str(out), shard_size=4)
    final = _snapshot(out)
    _no_leftovers(out)
    assert at_random in (before, final), f"killed after {delay:.2f} s (seed {seed}): neither the old nor the new dataset"
    assert final == _clean_build(prefect_harness, new, tmp_path / "clean"), "the run after the kills differs from a clean build"


@pytest.mark.slow
def test_two_concurrent_builds_into_one_output_never_interleave(prefect_home, api_url, inputs, tmp_path):
    old, new = inputs
    out, log = tmp_path / "data", tmp_path / "lock.log"
    hook = f"log_lock({str(log)!r})"
    procs = [_child(_build_code(hook), ["--input", str(inp), "--out", str(out), "--shard-size", "8"], prefect_home, api_url) for inp in (old, new)]
    results = [_finish(p) for p in procs]
    assert all(rc == 0 for rc, _ in results), "\n".join(text[-2000:] for _, text in results)
    events = [line.split() for line in log.read_text().splitlines()]
    assert [e[1] for e in events] == ["in", "out", "in", "out"] and events[0][0] == events[1][0], f"lock sections overlap: {events}"
    tables = _assert_whole(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs_listed = sorted(i["path"] for i in manifest["inputs"])
    assert inputs_listed in (sorted(p.name for p in old.iterdir()), sorted(p.name for p in new.iterdir()))
    assert sorted(tables["articles"]["source_file"].to_list() + tables["rejects"]["source_file"].to_list()) == inputs_listed
    _no_leftovers(out)


# --- full and read-only disks -------------------------------------------------------------------


def test_a_full_disk_during_the_write_is_a_clear_error_and_the_next_run_completes(prefect_harness, inputs, tmp_path, monkeypatch):
    from pipeline.orchestration.flows import build_dataset

    old, new = inputs
    out = tmp_path / "data"
    build_dataset(input=str(old), out=str(out))
    before = _snapshot(out)
    original = io._write_table

    def disk_fills(frame, directory, name):
        if name == "sentences":
            (directory / f"{name}.parquet").write_bytes(b"PAR1 half")
            raise OSError(28, "No space left on device", str(directory / f"{name}.parquet"))
        return original(frame, directory, name)

    monkeypatch.setattr(io, "_write_table", disk_fills)
    with pytest.raises(io.OutputError, match="disk is full.*previous dataset is unchanged"):
        build_dataset(input=str(new), out=str(out))
    assert _snapshot(out) == before
    _no_leftovers(out)
    monkeypatch.setattr(io, "_write_table", original)
    build_dataset(input=str(new), out=str(out))
    assert _snapshot(out) == _clean_build(prefect_harness, new, tmp_path / "clean")


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


# Runs in a private mount namespace: the tmpfs exists only for this script and goes with it.
_DISK_SCRIPT = r"""
set -u
mount -t tmpfs -o size=8m tmpfs "$DISK"
cp -a "$PREVIOUS" "$DISK/data"
if [ "$CASE" = full ]; then head -c 64m /dev/zero > "$DISK/filler" 2>/dev/null; else mount -o remount,ro "$DISK"; fi
"$PY" -m pipeline build --input "$INPUT" --out "$DISK/data" > "$LOG/$CASE.out" 2>&1; echo $? > "$LOG/$CASE.rc"
(cd "$DISK/data" && sha256sum *) > "$LOG/$CASE.sha"
"""


@pytest.mark.slow
@pytest.mark.skipif(not _namespaces_work(), reason="needs unshare and mount (root in a Linux container) for a real tmpfs")
def test_a_real_full_disk_and_a_read_only_disk_fail_clearly_and_keep_the_dataset(previous, prefect_home, api_url, inputs, tmp_path):
    source, before, _ = previous
    log = tmp_path / "log"
    log.mkdir()
    runs = []
    for case in ("full", "ro"):
        disk = tmp_path / case
        disk.mkdir()
        env = _env(prefect_home, api_url) | {"CASE": case, "DISK": str(disk), "PREVIOUS": str(source), "INPUT": str(inputs[1]), "LOG": str(log), "PY": sys.executable}
        runs.append(subprocess.Popen(["unshare", "-m", "bash", "-c", _DISK_SCRIPT], cwd=ROOT, env=env))
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    expected = sorted(f"{digest}  {name}" for name, digest in before.items())
    wrong = []
    for case, message in (("full", "disk is full"), ("ro", "not writable")):
        output = (log / f"{case}.out").read_text()
        if sorted((log / f"{case}.sha").read_text().splitlines()) != expected:
            wrong.append(f"{case}: the previous dataset changed")
        if int((log / f"{case}.rc").read_text()) == 0 or message not in output or "previous dataset is unchanged" not in output:
            wrong.append(f"{case}: no clear message:\n{output[-1500:]}")
    assert not wrong, "\n".join(wrong)
