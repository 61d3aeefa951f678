"""Robustness: the build never destroys what is not its own, answers instead of crashing, recovers
from a damaged cache or output, and keeps the cost of one pathological input bounded.

Each test reproduces a failure of issue 11 (they all failed before it was fixed). Refusals are
checked to leave every file as it was (`_tree`), byte for byte.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import polars as pl
import pytest

from pipeline import build, io
from pipeline.incremental import state as state_store
from pipeline.cli import main
from pipeline.stages.decode import decoded
from pipeline.stages.ingest import InputFile, documents, looks_like_html
from pipeline.stages.rules import CapRules
from tests.conftest import ROOT
from tests.hostile import article
from tests.test_faults import _assert_whole, _env, _snapshot


def _tree(root: Path) -> dict[str, bytes | str]:
    """Every path under root (links as their target), with file contents."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else (path.read_bytes() if path.is_file() else "dir")
    return found


def _tables(n: int = 2) -> dict[str, pl.DataFrame]:
    return {"things": pl.DataFrame({"id": [f"t{i}" for i in range(n)]})}


def _refused(args: list[str], capsys) -> str:
    """Run `build` and return its one error line; it must exit 1 before Prefect starts."""
    assert main(["build", *args]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    return err


@pytest.fixture
def inputs(tmp_path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for i in range(3):
        (root / f"a{i}.txt").write_text(article(i), encoding="utf-8")
    return root


# --- 1. --out is replaced only when the tool owns it ----------------------------------------


def test_an_output_folder_holding_other_files_is_refused_and_untouched(inputs, tmp_path, capsys):
    out = tmp_path / "u"
    (out / "sub").mkdir(parents=True)
    (out / "thesis.docx").write_bytes(b"PK\x03\x04 years of work")
    (out / "sub" / "notes.txt").write_text("notes")
    before = _tree(tmp_path)
    err = _refused(["--input", str(inputs), "--out", str(out)], capsys)
    assert "thesis.docx" in err and "no newsclean dataset" in err
    assert _tree(tmp_path) == before, "nothing may be touched, not even a lock file"


@pytest.mark.parametrize("case", ["same", "inside", "contains"])
def test_an_output_that_is_inside_or_contains_the_input_is_refused(tmp_path, capsys, case):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text(article(1), encoding="utf-8")
    inp, out = {"same": (raw, raw), "inside": (raw, raw / "out"), "contains": (raw, tmp_path / "data")}[case]
    before = _tree(tmp_path)
    err = _refused(["--input", str(inp), "--out", str(out)], capsys)
    assert {"same": "it is the input", "inside": "lies inside the input", "contains": "contains the input"}[case] in err
    assert _tree(tmp_path) == before


def test_the_home_folder_the_root_and_a_mount_point_are_refused(tmp_path, monkeypatch, capsys, inputs):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("export X=1\n")
    monkeypatch.setenv("HOME", str(home))
    before = _tree(home)
    assert "your home folder" in _refused(["--input", str(inputs), "--out", str(home)], capsys)
    assert _tree(home) == before
    assert "the root folder" in io.output_problem("/", inputs)
    mounts = [p for p in ("/proc", "/sys", "/dev") if os.path.ismount(p)]
    if mounts:
        assert "mount point" in io.output_problem(mounts[0], inputs)


def test_an_existing_file_as_output_is_refused_and_not_hidden(inputs, tmp_path, capsys):
    out = tmp_path / "notes.txt"
    out.write_text("my notes\n")
    before = _tree(tmp_path)
    assert "is a file, not a folder" in _refused(["--input", str(inputs), "--out", str(out)], capsys)
    assert _tree(tmp_path) == before
    with pytest.raises(io.NotOurs):
        io.write_dataset(_tables(), out, {})
    assert _tree(tmp_path) == before, "no .notes.txt.tmp"


def test_a_dataset_with_a_file_added_is_refused_and_keeps_the_file(tmp_path):
    out = tmp_path / "data"
    io.write_dataset(_tables(), out, {})
    (out / "my analysis.ipynb").write_text("{}")
    before = _tree(tmp_path)
    with pytest.raises(io.NotOurs, match="my analysis.ipynb"):
        io.write_dataset(_tables(3), out, {})
    assert _tree(tmp_path) == before


def test_the_swap_removes_only_files_the_old_manifest_lists(tmp_path, monkeypatch):
    """A file dropped into the output while the build writes survives, beside the dataset."""
    out = tmp_path / "data"
    io.write_dataset(_tables(), out, {})
    original = io._write_table

    def late_file(frame, directory, name):
        (out / "late.txt").write_text("dropped in during the build")
        return original(frame, directory, name)

    monkeypatch.setattr(io, "_write_table", late_file)
    io.write_dataset(_tables(3), out, {})
    assert pl.read_parquet(out / "things.parquet").height == 3
    kept = [p for p in tmp_path.rglob("late.txt")]
    assert [p.read_text() for p in kept] == ["dropped in during the build"]
    monkeypatch.setattr(io, "_write_table", original)
    with pytest.raises(io.NotOurs, match="newsclean did not write"):
        io.write_dataset(_tables(), out, {})
    assert [p.read_text() for p in tmp_path.rglob("late.txt")] == ["dropped in during the build"]


def test_a_foreign_leftover_beside_the_output_is_not_deleted(tmp_path):
    out = tmp_path / "data"
    io.write_dataset(_tables(), out, {})
    (tmp_path / ".data.tmp").mkdir()
    (tmp_path / ".data.tmp" / "mine.txt").write_text("not the tool's")
    with pytest.raises(io.NotOurs, match=r"\.data\.tmp"):
        io.write_dataset(_tables(3), out, {})
    assert (tmp_path / ".data.tmp" / "mine.txt").read_text() == "not the tool's"


def test_a_symlinked_output_writes_where_it_points_and_stays_a_link(tmp_path):
    target, link = tmp_path / "real", tmp_path / "link"
    target.mkdir()
    link.symlink_to(target)
    for n in (2, 3):
        io.write_dataset(_tables(n), link, {})
        assert link.is_symlink() and os.readlink(link) == str(target)
        assert pl.read_parquet(target / "things.parquet").height == n
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"], "no .link.tmp beside the link"
    with io.dataset_lock(link):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == [".real.lock", "link", "real"], "the lock is the target's"


def test_bad_options_are_one_line(inputs, tmp_path, capsys):
    assert "--shard-size must be at least 1" in _refused(["--input", str(inputs), "--out", str(tmp_path / "o"), "--shard-size", "0"], capsys)
    assert "--workers must be at least 1" in _refused(["--input", str(inputs), "--out", str(tmp_path / "o"), "--workers", "0"], capsys)
    assert not (tmp_path / "o").exists()


def test_an_unwritable_output_folder_is_one_line_before_anything_starts(inputs, tmp_path, capsys, monkeypatch):
    # Tests run as root, which may write anywhere: the folder's refusal is simulated.
    monkeypatch.setattr(io.os, "access", lambda path, mode: Path(path) != tmp_path)
    err = _refused(["--input", str(inputs), "--out", str(tmp_path / "o")], capsys)
    assert "not writable" in err and "previous dataset is unchanged" in err
    assert not (tmp_path / "o").exists()


def test_a_state_folder_inside_the_output_is_refused(inputs, tmp_path, capsys):
    assert "lies inside the output" in _refused(["--input", str(inputs), "--out", str(tmp_path / "o"), "--state", str(tmp_path / "o" / "cache")], capsys)
    assert not (tmp_path / "o").exists()


# --- 2. the state folder: only what the tool wrote is removed --------------------------------


def _batch(tag: str):
    from pipeline import incremental

    return incremental.batch([(tag, build.ShardResult({"t": pl.DataFrame({"x": [tag]})}, [build.StageReport("s", 1, 1)]))])


def test_clearing_the_state_keeps_the_users_files(tmp_path):
    state = tmp_path / "state"
    store = state_store.ResultStore(state / "analysis")
    store.put(_batch("a"))
    (state / "analysis" / "chapter1.tex").write_text("\\chapter{One}")
    (state / "analysis" / "drafts").mkdir()
    (state / "analysis" / "drafts" / "d.txt").write_text("draft")
    (state / "notes.md").write_text("mine")
    state_store.save_index(state, {"inputs": {}})
    state_store.clear(state)
    assert not (state / "index.json").exists()
    assert sorted(p.relative_to(state).as_posix() for p in state.rglob("*")) == ["analysis", "analysis/chapter1.tex", "analysis/drafts", "analysis/drafts/d.txt", "notes.md"]


def test_a_state_folder_with_someone_elses_index_json_is_refused(inputs, tmp_path, capsys):
    state = tmp_path / "site"
    state.mkdir()
    (state / "index.json").write_text('{"title": "my site"}')
    before = _tree(tmp_path)
    for extra in ([], ["--full"]):
        assert "its index.json was not written by newsclean" in _refused(["--input", str(inputs), "--out", str(tmp_path / "o"), "--state", str(state), *extra], capsys)
    assert _tree(tmp_path) == before


def test_a_full_build_with_a_user_state_folder_keeps_its_other_files(prefect_harness, inputs, tmp_path, capsys):
    state = tmp_path / "DIR"
    (state / "analysis").mkdir(parents=True)
    (state / "analysis" / "chapter1.tex").write_text("\\chapter{One}")
    for _ in range(2):
        assert main(["build", "--input", str(inputs), "--out", str(tmp_path / "out"), "--state", str(state), "--full"]) == 0
    assert (state / "analysis" / "chapter1.tex").read_text() == "\\chapter{One}"


# --- 6. answers, not crashes -------------------------------------------------------------------


def test_a_missing_input_is_one_line_before_prefect_is_imported(tmp_path):
    code = "import sys\nfrom pipeline.cli import main\nrc = main(sys.argv[1:])\nprint('prefect' in sys.modules)\nsys.exit(rc)\n"
    done = subprocess.run([sys.executable, "-c", code, "build", "--input", str(tmp_path / "nope"), "--out", str(tmp_path / "o")],
                          cwd=ROOT, env=_env(tmp_path / "ph", None), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout.strip() == "False"
    assert done.stderr.strip() == f"error: input {tmp_path / 'nope'} does not exist: give a folder, a file or a glob of .txt/.html files"
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("case", ["empty folder", "glob matching nothing", "only empty files"])
def test_empty_and_all_rejected_inputs_build_an_empty_valid_dataset(prefect_harness, tmp_path, case):
    from pipeline.orchestration.flows import build_dataset

    root = tmp_path / "in"
    root.mkdir()
    if case == "only empty files":
        (root / "a.txt").write_bytes(b"")
        (root / "b.txt").write_bytes(b"  \n\n")
    spec = str(root / "*.nothing") if case == "glob matching nothing" else str(root)
    summary = build_dataset(input=spec, out=str(tmp_path / "out"))
    tables = _assert_whole(tmp_path / "out")
    assert tables["articles"].height == 0 and summary["articles"] == 0
    assert sorted(tables["rejects"]["source_file"]) == (["a.txt", "b.txt"] if case == "only empty files" else [])


def test_a_tree_a_thousand_levels_deep_is_walked(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    deep = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(1000):  # relative to a descriptor: the full path would pass PATH_MAX
            os.mkdir("d", dir_fd=deep)
            inner = os.open("d", os.O_RDONLY, dir_fd=deep)
            os.close(deep)
            deep = inner
        fd = os.open("x.txt", os.O_WRONLY | os.O_CREAT, dir_fd=deep)
        os.close(fd)
    finally:
        os.close(deep)
    (folder / "top.txt").write_text("x")
    try:
        root, files = io.input_files(folder)
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=True)  # shutil.rmtree recurses too
    assert len(files) == 2 and files[1] == "top.txt" and files[0].count("/") == 1000


def test_file_names_that_print_the_same_are_kept_apart(tmp_path):
    from tests.test_hostile import pure_build

    root = tmp_path / "in"
    root.mkdir()
    with open(os.fsencode(root) + b"/\xff.txt", "wb") as fh:
        fh.write(article(1).encode())
    (root / "\\xff.txt").write_text(article(2), encoding="utf-8")
    _, tables, _ = pure_build(root)
    assert sorted(tables["articles"]["source_file"]) == ["\\\\xff.txt", "\\xff.txt"]


# --- 7. a damaged cache or output -------------------------------------------------------------


def test_a_damaged_cache_is_dropped_with_a_warning_and_recomputed(prefect_harness, inputs, tmp_path, caplog):
    from pipeline.orchestration.flows import build_dataset

    out = tmp_path / "out"
    build_dataset(input=str(inputs), out=str(out))
    clean = _snapshot(out)
    state = state_store.default_state_dir(str(out))
    victim = sorted((state / "analysis").glob("*/articles.parquet"))[0]
    victim.write_bytes(victim.read_bytes()[:100])
    (state / "index.json").write_bytes(b"\xff\xfe garbage")
    (inputs / "a0.txt").write_text(article(0) + "\nOne more line of news.\n", encoding="utf-8")
    build_dataset(input=str(inputs), out=str(out))
    assert "damaged" in caplog.text and "computed again" in caplog.text
    _assert_whole(out)
    fresh = tmp_path / "fresh"
    build_dataset(input=str(inputs), out=str(fresh))
    assert _snapshot(out) == _snapshot(fresh)
    assert clean != _snapshot(out)


def test_a_changed_output_is_rebuilt_not_reported_current(prefect_harness, inputs, tmp_path):
    from pipeline.orchestration.flows import build_dataset

    out = tmp_path / "out"
    build_dataset(input=str(inputs), out=str(out))
    clean = _snapshot(out)
    assert build_dataset(input=str(inputs), out=str(out))["nothing_to_do"]
    (out / "articles.parquet").write_bytes(b"junk")
    (out / "claims.csv").unlink()
    assert not build_dataset(input=str(inputs), out=str(out))["nothing_to_do"]
    assert _snapshot(out) == clean


# --- 4. bounded cost ----------------------------------------------------------------------------


def test_one_sentence_of_thousands_of_numbers_is_capped_and_counted():
    text = "The counts were " + ", ".join(str(i) for i in range(1, 3001)) + " troops."
    data = text.encode()
    tables, reports = build.built([InputFile("long.txt", data, len(data))])
    stages = {r.stage: r for r in reports}
    caps = CapRules()
    assert tables["quantities"].height == caps.max_quantities_per_sentence
    assert stages["quantities"].removed["quantities_over_sentence_cap"] > 2000
    claims = tables["claims"]
    assert 0 < claims.height <= caps.max_claims_per_sentence
    from pipeline.stages.claims import ClaimRules

    assert claims["text"].str.len_chars().max() <= ClaimRules().max_claim_chars, "a quantity claim must not copy the whole clause"


def test_caps_are_named_in_the_manifest(prefect_harness, tmp_path):
    from pipeline.orchestration.flows import build_dataset

    root = tmp_path / "in"
    root.mkdir()
    (root / "long.txt").write_text("The counts were " + ", ".join(str(i) for i in range(1, 400)) + " troops.", encoding="utf-8")
    build_dataset(input=str(root), out=str(tmp_path / "out"))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    removed = {s["stage"]: s["removed"] for s in manifest["stages"]}
    assert removed["quantities"]["quantities_over_sentence_cap"] == 399 - CapRules().max_quantities_per_sentence


# --- 8. smaller items ---------------------------------------------------------------------------


def test_a_file_of_utf8_and_cp1252_paragraphs_is_decoded_per_line_with_a_warning():
    data = "Café au lait in Zürich, the mayor said.\n\n".encode() + "Crème brûlée à la française, señor.\n\n".encode("cp1252") * 3
    got = decoded(data)
    assert "Café au lait in Zürich" in got.text and got.text.count("Crème brûlée à la française, señor.") == 3
    assert "Ã" not in got.text and any("mixed encodings" in w for w in got.warnings)


def test_a_txt_article_quoting_a_few_tags_stays_text():
    text = ("Editors said the <p> and <div> tags in the template broke after the update. A stray <script> tag, "
            "a <span> and two <br> tags hid the story, and the <a> links to <img> files failed. The <table> and <td> "
            "markup was fixed on Tuesday, the newspaper said.\n")
    assert not looks_like_html("cms.txt", text)
    docs, rejects = documents([InputFile("cms.txt", text.encode(), len(text))])
    assert rejects.height == 0 and docs["encoding"][0] == "utf-8" and "<script>" in docs["raw_text"][0]


def test_csv_guard_sees_formulas_behind_white_space_and_fullwidth_signs():
    cells = [" =1+1", "\u00a0=1+1", "\u3000=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20x", "  -3", "plain", "a=b"]
    got = io.csv_safe(pl.DataFrame({"c": cells}))["c"].to_list()
    assert got == ["'" + c for c in cells[:8]] + ["plain", "a=b"]


def _port_open(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
        return True
    except OSError:
        return False


@pytest.mark.slow
def test_kill_9_of_a_build_takes_the_temporary_prefect_server_with_it(inputs, tmp_path):
    hook = "import time, pipeline.build\npipeline.build.ingested = lambda *a, **k: time.sleep(600)\n"
    code = hook + "from pipeline.cli import main\nsys.exit(main(['build', *sys.argv[1:]]))\n"
    # The INFO line naming the temporary server's port (pipeline.orchestration.server; the CLI shows warnings only by default).
    env = {k: v for k, v in _env(tmp_path / "ph", None).items() if k != "PREFECT_API_URL"} | {"PREFECT_LOGGING_LEVEL": "INFO"}
    proc = subprocess.Popen([sys.executable, "-c", "import sys\n" + code, "--input", str(inputs), "--out", str(tmp_path / "o")],
                            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # A build that never says what is asked for must fail the test, not hang it on a silent pipe.
    watchdog = threading.Timer(180, proc.kill)
    watchdog.start()
    try:
        port, started = None, time.monotonic()
        for line in proc.stdout:
            if "Starting temporary server on http://127.0.0.1:" in line:
                port = int(line.rsplit(":", 1)[1].strip())
            if port and "input file(s)" in line:
                break
            assert time.monotonic() - started < 180, "the build did not start"
        assert port and _port_open(port)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _port_open(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _port_open(port), "the temporary Prefect server outlived the build"
    finally:
        watchdog.cancel()
        os.killpg(proc.pid, signal.SIGKILL) if _group_alive(proc.pid) else None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except OSError:
        return False
