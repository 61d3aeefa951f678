"""What a person sees while a build runs: phase lines, progress bars on a terminal, a summary table."""

import io
import os
import subprocess
import sys

from rich.console import Console

from pipeline.orchestration import progress
from tests.conftest import ROOT, SEEDS


def test_a_build_says_what_it_does_on_stderr_and_ends_with_a_summary(tmp_path):
    """Not a terminal: phase lines and the summary only, no Prefect log, nothing on stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {"PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect")}
    cmd = [sys.executable, "-m", "pipeline", "build", "--input", str(SEEDS), "--out", str(tmp_path / "data"), "--shard-size", "2"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    err = done.stderr
    order = ["starting Prefect's temporary server", "listing the input files", "reading and decoding 5 file(s) in 3 shard(s)", "analysing 5 of 5 document(s)",
             "extracting the claims of 5 article(s)", "validating every table", "writing the dataset to", f"Built {tmp_path / 'data'}"]
    positions = [err.find(line) for line in order]
    assert -1 not in positions and positions == sorted(positions), err
    assert "articles       5" in err and "Finished in state" not in err and "\x1b[" not in err  # no Prefect INFO lines, no colour codes
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "Nothing to do" in again.stderr and "reading and decoding" not in again.stderr


def test_progress_bar_on_a_terminal_only(monkeypatch):
    terminal = io.StringIO()
    monkeypatch.setattr(progress, "_CONSOLE", Console(file=terminal, force_terminal=True, width=100))
    with progress.shards("analyse", 3) as advance:
        for _ in range(3):
            advance()
    assert "analyse" in terminal.getvalue() and "3/3" in terminal.getvalue()
    plain = io.StringIO()
    monkeypatch.setattr(progress, "_CONSOLE", Console(file=plain, force_terminal=False, width=100))
    with progress.shards("analyse", 3) as advance:
        advance()
    progress.summary("Built [out]", [("output", "data/[x]")])
    assert plain.getvalue().splitlines()[0] == "Built [out]" and "data/[x]" in plain.getvalue()  # text, not markup


def test_summary_rows_of_a_skipped_and_an_up_to_date_run():
    assert progress.build_rows({"skipped": True, "out": "data"}) == [("skipped", "another build was writing data")]
    rows = dict(progress.build_rows({"out": "data", "seconds": 1.25, "input_files": 4, "nothing_to_do": True}))
    assert rows["changes"].startswith("none") and rows["seconds"] == "1.2" and "articles" not in rows
