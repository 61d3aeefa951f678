"""The Prefect flow end to end on the seeds: validated tables, determinism, committed data current."""

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

import schemas
from pipeline import io
from pipeline.orchestration.flows import build_dataset
from tests.conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def seed_build(prefect_harness, tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "data"
    summary = build_dataset(input=str(SEEDS), out=str(out), shard_size=2)
    return out, summary


def _hashes(directory: Path) -> dict[str, str]:
    return {p.name: io.file_sha256(p) for p in sorted(directory.iterdir())}


def test_seed_build_writes_every_table_in_both_formats(seed_build):
    out, summary = seed_build
    manifest = json.loads((out / "manifest.json").read_text())
    assert summary["articles"] == 5 and summary["rejected"] == 0
    for name in schemas.TABLES:
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
    listed = {f["path"]: f for f in manifest["files"]}
    for path, entry in listed.items():
        assert entry["sha256"] == io.file_sha256(out / path) and entry["bytes"] == (out / path).stat().st_size
    assert manifest["schema_version"] == schemas.SCHEMA_VERSION
    assert sorted(i["path"] for i in manifest["inputs"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert {s["stage"] for s in manifest["stages"]} >= {"ingest", "clean", "sentences"}


def test_written_tables_validate_and_rebuild_the_raw_text(seed_build):
    out, _ = seed_build
    tables = io.read_dataset(out, list(schemas.TABLES))
    schemas.validated(tables, schemas.TABLES)
    from pipeline.stages.boilerplate import Removal, rebuilt_raw
    from pipeline.stages.decode import decoded

    for art in tables["articles"].iter_rows(named=True):
        spans = tables["boilerplate"].filter(pl.col("article_id") == art["article_id"]).sort("start")
        removals = [Removal(r["start"], r["end"], r["reason"], r["text"]) for r in spans.iter_rows(named=True)]
        raw = decoded((SEEDS / art["source_file"]).read_bytes()).text
        assert rebuilt_raw(art["text"], removals) == raw


def test_seed_boilerplate_and_metadata(seed_build):
    out, _ = seed_build
    arts = pl.read_parquet(out / "articles.parquet")
    dated = arts.filter(pl.col("published_date").is_not_null())
    assert dated["source_file"].to_list() == ["004_e5011a8559ff2dc7.txt"] and str(dated["published_date"][0]) == "2021-07-27"
    assert "Baaghi TV" in arts["source_name"].to_list()
    body = "\n".join(arts["text"])
    for gone in ("Read more:", "Stay tuned", "Post a Comment", "Originally published at", "Imran Khan"):
        assert gone not in body


def test_two_builds_are_byte_identical_whatever_the_sharding(seed_build, tmp_path):
    out, _ = seed_build
    build_dataset(input=str(SEEDS), out=str(tmp_path / "again"), shard_size=1000)
    assert _hashes(tmp_path / "again") == _hashes(out)


def test_committed_dataset_is_current(seed_build):
    """CI fails when data/ was not rebuilt after a change: run `make dataset` and commit."""
    out, _ = seed_build
    committed = ROOT / "data"
    assert (committed / "manifest.json").exists(), "data/ is missing: run `make dataset`"
    assert _hashes(committed) == _hashes(out), "data/ is stale: run `make dataset` and commit it"


def test_bad_files_are_rejects_and_the_run_goes_on(prefect_harness, tmp_path):
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    (inp / "empty.txt").write_bytes(b"")
    (inp / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    shutil.copy(SEEDS / "000_f497f5fc9ee5aba9.txt", inp / "copy.txt")
    summary = build_dataset(input=str(inp), out=str(tmp_path / "data"))
    rejects = pl.read_parquet(tmp_path / "data" / "rejects.parquet")
    assert dict(zip(rejects["source_file"], rejects["reason"])) == {"copy.txt": "duplicate", "empty.txt": "empty", "scan.txt": "binary"}
    assert summary["articles"] == 5


def test_busy_output_is_refused_when_not_waiting(prefect_harness, tmp_path):
    with io.dataset_lock(tmp_path / "data"):
        with pytest.raises(io.OutputBusy):
            build_dataset(input=str(SEEDS), out=str(tmp_path / "data"), wait=False)
