"""Tables past a size are written in parts that one glob reads, through the build and the release."""

import glob
import json
import logging
import warnings

import duckdb
import pandas as pd
import polars as pl
import pytest

import schemas
from pipeline import io
from pipeline.release import publish
from pipeline.release.download import verify
from tests.conftest import ROOT

# Small enough that the seeds' tables come in several parts (articles by text, the rest by rows).
PART_ROWS = 100
PART_TEXT_BYTES = 8_000


def test_parts_are_consecutive_near_equal_and_within_both_sizes():
    frame = pl.DataFrame({"n": range(10), "text": ["x" * 30] * 10})
    assert io.table_parts(frame) == [frame]
    by_rows = io.table_parts(frame, part_rows=4)
    assert [p.height for p in by_rows] == [4, 4, 2] and pl.concat(by_rows).equals(frame)
    by_text = io.table_parts(frame, part_text_bytes=100)  # 300 bytes of text: 3 parts
    assert [p.height for p in by_text] == [4, 4, 2]
    assert io.table_parts(frame.clear(), part_rows=1)[0].is_empty()
    assert io.part_path("claims", 0, 1, ".csv") == "claims.csv"
    assert io.part_path("claims", 2, 12, ".parquet") == "claims-00002-of-00012.parquet"


def _parts(tables: dict[str, pl.DataFrame], name: str) -> list[pl.DataFrame]:
    return io.table_parts(tables[name], PART_TEXT_BYTES, PART_ROWS)


@pytest.fixture(scope="module")
def seeds():
    """The committed seeds dataset: its tables and its build manifest."""
    manifest = json.loads((ROOT / "data" / "manifest.json").read_text(encoding="utf-8"))
    return io.read_dataset(ROOT / "data", list(schemas.TABLES)), manifest


@pytest.fixture(scope="module")
def parted(seeds, tmp_path_factory):
    tables, manifest = seeds
    out = tmp_path_factory.mktemp("parted") / "data"
    keep = {k: v for k, v in manifest.items() if k not in ("dataset", "files")}
    io.write_dataset(tables, out, keep, part_text_bytes=PART_TEXT_BYTES, part_rows=PART_ROWS)
    return out


def test_a_table_in_parts_reads_back_whole_with_one_glob_in_every_reader(seeds, parted):
    tables, _ = seeds
    names = sorted(p.name for p in parted.iterdir())
    assert "articles.parquet" not in names and "articles-00000-of-00003.parquet" in names
    # Claims (hundreds of rows, tens of kB of text) by text; sentences (133 rows) by rows; entities stay whole.
    claims = _parts(tables, "claims")
    assert len(claims) > 3 and io.part_path("claims", len(claims) - 1, len(claims), ".csv") in names
    assert "sentences-00002-of-00003.parquet" in names and "entities.parquet" in names
    for name, frame in tables.items():
        pattern = str(parted / f"{name}*.parquet")
        assert pl.read_parquet(pattern).equals(frame), name
        assert len(pd.read_parquet(sorted(glob.glob(pattern)))) == frame.height
        assert duckdb.sql(f"SELECT count(*) FROM '{pattern}'").fetchall()[0][0] == frame.height
    assert io.read_dataset(parted, list(schemas.TABLES)).keys() == tables.keys()
    assert all(io.read_dataset(parted, [n])[n].equals(f) for n, f in tables.items())
    assert io.dataset_problem(parted) is None


def test_parts_are_the_same_bytes_every_time_and_a_rewrite_leaves_no_stale_part(seeds, parted, tmp_path):
    tables, manifest = seeds
    keep = {k: v for k, v in manifest.items() if k not in ("dataset", "files")}
    again = tmp_path / "data"
    io.write_dataset(tables, again, keep, part_text_bytes=PART_TEXT_BYTES, part_rows=PART_ROWS)
    assert (again / "manifest.json").read_bytes() == (parted / "manifest.json").read_bytes()
    # The same output rewritten whole: the parts are the old dataset's files and go with it.
    io.write_dataset(tables, again, keep)
    assert not list(again.glob("*-of-*")) and (again / "claims.parquet").exists()
    assert io.read_dataset(again, ["claims"])["claims"].equals(tables["claims"])


@pytest.fixture(scope="module")
def released(parted, tmp_path_factory):
    return publish.release(parted, tmp_path_factory.mktemp("releases"), gzip_over_bytes=0)


def test_a_release_of_parts_copies_them_and_describes_them_for_every_tool(released, parted, seeds, caplog, monkeypatch):
    tables, _ = seeds
    root = released.path
    for part in sorted(parted.glob("*.parquet")):
        assert (root / "data" / part.name).read_bytes() == part.read_bytes()
    claims = _parts(tables, "claims")
    n = len(claims)
    assert pl.read_csv(root / "data" / io.part_path("claims", 1, n, ".csv"), infer_schema=False).height == claims[1].height
    assert (root / "data" / io.part_path("claims", n - 1, n, ".csv.gz")).exists()
    verify(root)  # raises on any file that does not match SHA256SUMS

    from frictionless import validate

    report = validate(root / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "type", "note"])[:10]
    package = {r["name"]: r for r in json.loads((root / "datapackage.json").read_text())["resources"]}
    assert package["claims"]["path"] == [f"data/{io.part_path('claims', i, n, '.csv')}" for i in range(n)] and "hash" not in package["claims"]
    assert package["entities"]["path"] == "data/entities.csv" and package["entities"]["hash"].startswith("sha256:")
    # Frictionless reads one file of a multipart Parquet resource: a table in parts has none, and
    # keys into it point at its CSV resource.
    assert "claims-parquet" not in package and "entities-parquet" in package
    keys = {fk["reference"]["resource"] for fk in package["boilerplate-parquet"]["schema"]["foreignKeys"]}
    assert keys == {"articles"}

    import mlcroissant as mlc

    with caplog.at_level(logging.WARNING):
        dataset = mlc.Dataset(jsonld=root / "croissant.json")
    assert not dataset.metadata.issues.errors, dataset.metadata.issues.report()
    assert len(list(dataset.records("claims"))) == tables["claims"].height

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(root.parent / "hf-home"))
    import datasets

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("claims", "entities"):
            loaded = datasets.load_dataset(str(root), name, split="train", cache_dir=str(root.parent / "hf-cache"))
            assert loaded.num_rows == tables[name].height


def test_a_file_named_like_a_part_that_the_manifest_does_not_list_is_never_replaced(seeds, parted, tmp_path):
    """Only the parts a manifest lists are the tool's: a user's file that merely looks like one
    (or a symlink to one of theirs) stops the rewrite, and everything stays as it was."""
    import shutil

    tables, manifest = seeds
    keep = {k: v for k, v in manifest.items() if k not in ("dataset", "files")}
    out = tmp_path / "data"
    shutil.copytree(parted, out)
    theirs = tmp_path / "theirs.parquet"
    theirs.write_bytes(b"a user's own file")
    (out / "claims-00099-of-00100.parquet").write_bytes(b"looks like a part")
    (out / "sentences-00099-of-00100.parquet").symlink_to(theirs)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(io.NotOurs, match="did not write"):
        io.write_dataset(tables, out, keep)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert theirs.read_bytes() == b"a user's own file"
