"""Reading inputs and writing the dataset: atomic swaps, locks, CSV safety, determinism."""

import json
import threading
import time

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import io


def _tables(n: int = 3) -> dict[str, pl.DataFrame]:
    return {"things": pl.DataFrame({"id": [f"t{i}" for i in range(n)], "tags": [["a", "b"]] * n, "note": ["=SUM(A1)", "-3", "plain"][:n]})}


def test_input_files_walks_directories_without_following_link_loops(tmp_path):
    (tmp_path / "sub dir").mkdir()
    (tmp_path / "sub dir" / "b é.txt").write_text("x")
    (tmp_path / "-a.txt").write_text("x")
    (tmp_path / "notes.md").write_text("not an input")
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    root, files = io.input_files(tmp_path)
    assert root == tmp_path
    assert files == ["-a.txt", "self.txt", "sub dir/b é.txt"]
    assert io.read_input(root, "self.txt").error_reason == "unreadable"


def test_input_glob_is_relative_to_its_fixed_prefix(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "1.txt").write_text("a")
    (tmp_path / "x" / "2.html").write_text("a")
    root, files = io.input_files(str(tmp_path / "x" / "*.txt"))
    assert root == tmp_path / "x" and files == ["1.txt"]


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="neither a directory"):
        io.input_files(tmp_path / "nope")


def test_oversized_file_is_rejected_without_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 10)
    (tmp_path / "big.txt").write_bytes(b"x" * 11)
    item = io.read_input(tmp_path, "big.txt")
    assert item.error_reason == "too_large" and item.data is None


class _Growing:
    """A file object over `data` that records the sizes each read asks for."""

    def __init__(self, data: bytes):
        self.data, self.at, self.asked = data, 0, []

    def read(self, n: int) -> bytes:
        self.asked.append(n)
        block = self.data[self.at : self.at + n]
        self.at += len(block)
        return block


@pytest.mark.parametrize("size", [0, 1, 5, 100, 70_000, 200_000])
def test_files_are_read_into_buffers_of_their_size_up_to_the_limit(size, tmp_path):
    data = bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    (tmp_path / "f.txt").write_bytes(data)
    item = io.read_input(tmp_path, "f.txt")
    assert item.data == data and item.n_bytes == size
    # The first read asks for the stat'ed size alone, not the 16 MiB limit.
    fh = _Growing(data)
    assert io.read_bounded(fh, size, 1 << 24) == data and fh.asked[0] == (size or io.READ_BLOCK)
    assert max(fh.asked) <= max(size, io.READ_BLOCK)
    # Grown since the stat: what it grew by is read too, up to one byte past the limit.
    grown = _Growing(data + b"tail" * 50_000)
    assert io.read_bounded(grown, size, 1 << 24) == data + b"tail" * 50_000
    over = _Growing(data + b"x" * 300_000)
    assert len(io.read_bounded(over, size, size + 1000)) == size + 1001


def test_csv_neutralises_formulas_and_writes_lists_as_json():
    out = io.csv_safe(_tables()["things"])
    assert out["note"].to_list() == ["'=SUM(A1)", "'-3", "plain"]
    assert json.loads(out["tags"][0]) == ["a", "b"]


def test_write_dataset_replaces_atomically_and_is_deterministic(tmp_path):
    out = tmp_path / "data"
    first = io.write_dataset(_tables(), out, {"v": 1})
    snapshot = {p.name: p.read_bytes() for p in out.iterdir()}
    io.write_dataset(_tables(), out, {"v": 1})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == snapshot
    assert {f["path"] for f in first["files"]} == {"things.parquet", "things.csv"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"], "no temporary directories are left behind"


def test_failed_write_leaves_previous_dataset(tmp_path, monkeypatch):
    out = tmp_path / "data"
    io.write_dataset(_tables(), out, {})
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(frame, directory, name):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(io, "_write_table", broken)
    with pytest.raises(io.OutputError, match="disk is full.*previous dataset is unchanged"):
        io.write_dataset(_tables(2), out, {})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_read_only_output_is_a_clear_error(tmp_path, monkeypatch):
    out = tmp_path / "data"
    io.write_dataset(_tables(), out, {})

    def read_only(path, *args, **kwargs):
        raise OSError(30, "Read-only file system", str(path))

    # Tests run as root, which ignores permission bits: simulate the file system's refusal.
    monkeypatch.setattr(io.Path, "mkdir", read_only)
    with pytest.raises(io.OutputError, match="not writable"):
        io.write_dataset(_tables(2), out, {})
    assert pl.read_parquet(out / "things.parquet").height == 3


def test_half_done_swap_is_recovered(tmp_path):
    out = tmp_path / "data"
    io.write_dataset(_tables(), out, {})
    out.rename(tmp_path / ".data.old")
    io.recover_output(out)
    assert (out / "manifest.json").exists()


def test_lock_excludes_a_second_writer(tmp_path):
    out = tmp_path / "data"
    with io.dataset_lock(out) as first:
        assert first
        with io.dataset_lock(out, wait=False) as second:
            assert second is False
    events = []

    def holder():
        with io.dataset_lock(out):
            events.append("first in")
            time.sleep(0.3)
            events.append("first out")

    t = threading.Thread(target=holder)
    t.start()
    time.sleep(0.1)
    with io.dataset_lock(out):
        events.append("second in")
    t.join()
    assert events == ["first in", "first out", "second in"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.one_of(st.none(), st.text()), max_size=5)), min_size=1, max_size=8))
def test_csv_lists_of_strings_are_exactly_json_dumps(rows):
    frame = pl.DataFrame({"xs": rows}, schema={"xs": pl.List(pl.Utf8)})
    expected = [None if r is None else json.dumps(r, ensure_ascii=False) for r in rows]
    got = io.csv_safe(frame)["xs"].to_list()
    # Formula-like JSON is impossible: a JSON array always starts with "[".
    assert got == expected
