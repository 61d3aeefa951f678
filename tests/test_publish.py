"""Releases: complete, verifiable, deterministic, immutable, with metadata other tools accept."""

import gzip
import io as stdio
import json
import logging
import shutil
import subprocess
import warnings
from pathlib import Path

import polars as pl
import pytest
import yaml

import schemas
from pipeline import io
from pipeline.release import publish
from pipeline.cli import main
from pipeline.release.download import verify
from pipeline.orchestration.flows import build_dataset
from tests.conftest import ROOT, SEEDS

# Invented articles (not the seeds): a council budget story from two sites, one with a
# formula-like file name, plus an empty file whose name a spreadsheet would run.
ARTICLE_A = """Council approves harbour budget

The Lakeside city council approved a budget of 40 million dollars for the harbour on Tuesday.
Mayor Ana Ruiz said the work would start in March and last two years.
The opposition voted against the plan, saying the costs were too high.

Read more: Lakeside mayor opens new library
Share this article on social media
"""
ARTICLE_B = """Lakeside harbour plan gets green light

Councillors in Lakeside backed the harbour budget on Tuesday by nine votes to four.
Mayor Ana Ruiz told reporters the money would repair the old piers first.
Local fishermen welcomed the decision after years of delays.

Copyright 2024 Lakeside Tribune. All rights reserved.
"""
ARTICLE_C = """Rain expected across the region

Forecasters expect heavy rain across the valley on Friday, with up to 50 millimetres in places.
Drivers are advised to take care on mountain roads.
"""


def _inputs(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def builds(prefect_harness, tmp_path_factory):
    """Two builds of invented inputs: `full` (3 articles, 1 reject) and `smaller` (2 articles)."""
    base = tmp_path_factory.mktemp("pub")
    full = _inputs(base / "in-full", {"+harbour.txt": ARTICLE_A, "b-harbour.txt": ARTICLE_B, "rain.txt": ARTICLE_C, "=cmd.txt": ""})
    smaller = _inputs(base / "in-small", {"+harbour.txt": ARTICLE_A, "b-harbour.txt": ARTICLE_B})
    for name, inp in (("full", full), ("smaller", smaller)):
        build_dataset(input=str(inp), out=str(base / name))
    return base


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): io.file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def released(builds, tmp_path_factory):
    out = tmp_path_factory.mktemp("releases")
    return publish.release(builds / "full", out, gzip_over_bytes=0)


def test_release_has_every_table_and_verifies_with_sha256sum(released, builds):
    root = released.path
    assert released.created and released.version == "0.1.0" and root.name == "0.1.0"
    for name in schemas.TABLES:
        for fmt in ("parquet", "csv", "csv.gz"):
            assert (root / "data" / f"{name}.{fmt}").is_file()
    for meta in ("manifest.json", "SHA256SUMS", "datapackage.json", "croissant.json", "README.md", "CHANGELOG.md", "index.html"):
        assert (root / meta).is_file()
    result = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = set(result.stdout.replace(": OK", "").split())
    assert listed == set(_tree(root)) - {"SHA256SUMS"}
    assert verify(root) == len(listed)
    # Parquet is the build's file, byte for byte; the files are read-only.
    assert io.file_sha256(root / "data/articles.parquet") == io.file_sha256(builds / "full" / "articles.parquet")
    assert not (root / "data/articles.parquet").stat().st_mode & 0o222


def test_manifest_lists_every_file_with_rows_and_provenance(released, builds):
    manifest = json.loads((released.path / "manifest.json").read_text())
    on_disk = _tree(released.path)
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {k: v for k, v in on_disk.items() if k not in ("manifest.json", "SHA256SUMS")}
    for f in manifest["files"]:
        assert f["bytes"] == (released.path / f["path"]).stat().st_size
        if "table" in f:
            assert f["rows"] == pl.read_parquet(released.path / "data" / f"{f['table']}.parquet").height
    build = json.loads((builds / "full" / "manifest.json").read_text())
    assert manifest["inputs"] == build["inputs"] and manifest["schema_version"] == build["schema_version"] == schemas.SCHEMA_VERSION
    assert manifest["pipeline_version"] == build["pipeline_version"] and manifest["tables"]["articles"] == 3
    assert manifest["tables"]["rejects"] == 1


def test_csv_cells_that_could_run_as_formulas_are_neutralised(released):
    """Release CSV and CSV.gz come from io.csv_safe: risky cells get a leading "'", Parquet keeps the text."""
    root = released.path
    prefixed = 0
    for name in schemas.TABLES:
        exact = pl.read_parquet(root / "data" / f"{name}.parquet")
        raw_csv = (root / "data" / f"{name}.csv").read_bytes()
        assert gzip.decompress((root / "data" / f"{name}.csv.gz").read_bytes()) == raw_csv
        cells = pl.read_csv(stdio.BytesIO(raw_csv), infer_schema=False)
        for col, dtype in exact.schema.items():
            if dtype != pl.String:
                continue
            for value, cell in zip(exact[col], cells[col]):
                if value is not None and value.startswith(io.FORMULA_PREFIXES):
                    assert cell == "'" + value
                    prefixed += 1
                elif value:
                    assert cell == value
    assert prefixed >= 2  # "+harbour.txt" in articles, "=cmd.txt" in rejects at least
    rejects = pl.read_parquet(root / "data/rejects.parquet")
    assert "=cmd.txt" in rejects["source_file"].to_list()
    assert b"'=cmd.txt" in (root / "data/rejects.csv").read_bytes()


def test_gzip_is_deterministic(released):
    header = (released.path / "data/articles.csv.gz").read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0"  # mtime 0
    assert not header[3] & 0x08  # no file name stored


def test_datapackage_passes_frictionless_validate(released):
    from frictionless import validate

    report = validate(released.path / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "type", "note"])[:10]
    assert not report.warnings and not any(task.warnings for task in report.tasks)
    package = json.loads((released.path / "datapackage.json").read_text())
    assert "licenses" not in package and publish.NO_LICENSE_STATED in package["description"]
    names = [r["name"] for r in package["resources"]]
    assert names == list(schemas.TABLES) + [f"{n}-parquet" for n in schemas.TABLES]
    articles = package["resources"][0]
    types = {f["name"]: f["type"] for f in articles["schema"]["fields"]}
    assert types["warnings"] == "array" and types["published_date"] == "date" and types["n_chars_raw"] == "integer"
    assert articles["schema"]["primaryKey"] == ["article_id"] and articles["hash"].startswith("sha256:")
    boilerplate = package["resources"][names.index("boilerplate")]
    assert {"fields": ["article_id"], "reference": {"resource": "articles", "fields": ["article_id"]}} in boilerplate["schema"]["foreignKeys"]


def test_datapackage_catches_a_broken_foreign_key(released, tmp_path):
    """The keys are real constraints: an orphan boilerplate row fails validation."""
    from frictionless import validate

    copy = tmp_path / "copy"
    shutil.copytree(released.path, copy)
    package = json.loads((copy / "datapackage.json").read_text())
    package["resources"] = [r for r in package["resources"] if r["format"] == "csv"]
    for r in package["resources"]:
        r.pop("hash"), r.pop("bytes")
    (copy / "datapackage.json").chmod(0o644)
    (copy / "datapackage.json").write_text(json.dumps(package))
    csv = copy / "data/boilerplate.csv"
    csv.chmod(0o644)
    rows = pl.read_csv(csv, infer_schema=False)
    orphan = rows.head(1).with_columns(pl.lit("ffffffffffffffff").alias("boilerplate_id"), pl.lit("0000000000000000").alias("article_id"))
    pl.concat([rows, orphan]).write_csv(csv)
    report = validate(copy / "datapackage.json")
    assert not report.valid and ["foreign-key"] in report.flatten(["type"])


def test_croissant_validates_and_loads_records(released, caplog):
    import mlcroissant as mlc

    with caplog.at_level(logging.WARNING):
        dataset = mlc.Dataset(jsonld=released.path / "croissant.json")
    assert not dataset.metadata.issues.errors and not dataset.metadata.issues.warnings
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    doc = json.loads((released.path / "croissant.json").read_text())
    # cr:isArray (list columns) is Croissant 1.1: the document says 1.1.
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1" and '"cr:isArray": true' in (released.path / "croissant.json").read_text()
    assert doc["datePublished"] == json.loads((released.path / "manifest.json").read_text())["date_published"]
    assert doc["url"] == "index.html" and (released.path / doc["url"]).is_file()
    assert doc["license"]["description"] == publish.NO_LICENSE_STATED
    records = list(dataset.records("articles"))
    assert len(records) == 3
    assert {r["articles/article_id"].decode() for r in records} == set(pl.read_parquet(released.path / "data/articles.parquet")["article_id"])


def test_dataset_card_has_a_header_tools_read_and_the_schema(released):
    card = (released.path / "README.md").read_text()
    _, header, body = card.split("---\n", 2)
    meta = yaml.safe_load(header)
    assert meta["license"] == "other" and meta["language"] == ["en"] and meta["size_categories"] == ["n<1K"]
    assert meta["license_name"] == "no-license-stated" and meta["license_link"] == "README.md#license"
    assert "## License\n\n" + publish.NO_LICENSE_STATED in body
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert list(configs) == list(schemas.TABLES) and configs["articles"].get("default") is True
    for c in configs.values():
        assert (released.path / c["data_files"][0]["path"]).is_file()
    for name, model in schemas.TABLES.items():
        assert f"### {name} (" in body
        for col in model.to_schema().columns:
            assert f"| `{col}` |" in body
    for section in ("## How it was made", "## Known limitations", "## Citation", "## Loading", "sha256sum -c SHA256SUMS"):
        assert section in body
    assert "### articles (3 rows)" in body and "@misc{newsclean_0_1_0" in body


def test_same_build_gives_the_same_bytes_and_is_not_released_twice(released, builds, tmp_path):
    again = publish.release(builds / "full", tmp_path, gzip_over_bytes=0)
    assert again.created and _tree(again.path) == _tree(released.path)
    before = _tree(tmp_path)
    same = publish.release(builds / "full", tmp_path, gzip_over_bytes=0)
    assert not same.created and same.version == "0.1.0"
    explicit = publish.release(builds / "full", tmp_path, "0.1.0", gzip_over_bytes=0)
    assert not explicit.created and _tree(tmp_path) == before


def test_a_version_is_never_overwritten(builds, tmp_path):
    publish.release(builds / "full", tmp_path, "1.2.3")
    before = _tree(tmp_path)
    with pytest.raises(publish.PublishError, match="already exists.*never overwritten"):
        publish.release(builds / "smaller", tmp_path, "1.2.3")
    with pytest.raises(publish.PublishError, match="older than the latest"):
        publish.release(builds / "smaller", tmp_path, "1.2.0")
    with pytest.raises(ValueError, match="X.Y.Z"):
        publish.release(builds / "smaller", tmp_path, "v1.3")
    assert _tree(tmp_path) == before and not list(tmp_path.glob(".*"))


def test_changelog_compares_row_counts_with_the_previous_release(builds, tmp_path):
    publish.release(builds / "full", tmp_path)
    second = publish.release(builds / "smaller", tmp_path)
    assert second.version == "0.1.1"
    changelog = (second.path / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n\n## 0.1.1\n\nCompared with 0.1.0.")
    assert "| articles | 2 | -1 |" in changelog and "| rejects | 0 | -1 |" in changelog
    assert changelog.index("## 0.1.1") < changelog.index("## 0.1.0") and "First release." in changelog
    assert json.loads((second.path / "manifest.json").read_text())["previous_version"] == "0.1.0"


def test_next_version_follows_the_schema_version():
    assert publish.next_version(None, None, "1.0.0") == "0.1.0"
    assert publish.next_version("0.1.0", "1.0.0", "1.0.0") == "0.1.1"
    assert publish.next_version("0.1.4", "1.0.0", "1.1.0") == "0.2.0"
    assert publish.next_version("0.2.1", "1.1.0", "2.0.0") == "1.0.0"
    assert publish.released_versions(Path("/nonexistent")) == []


def test_released_versions_sort_numerically(tmp_path):
    for v in ("0.10.0", "0.9.1", "0.9.0", "notes", ".0.11.0.tmp"):
        (tmp_path / v).mkdir()
    assert publish.released_versions(tmp_path) == ["0.9.0", "0.9.1", "0.10.0"]


def test_changed_or_missing_build_is_refused(builds, tmp_path):
    with pytest.raises(publish.PublishError, match="no build"):
        publish.release(tmp_path / "nothing", tmp_path / "out")
    data = tmp_path / "data"
    shutil.copytree(builds / "full", data)
    with (data / "articles.csv").open("a") as fh:
        fh.write("tampered\n")
    with pytest.raises(publish.PublishError, match="articles.csv does not match"):
        publish.release(data, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_hugging_face_datasets_loads_every_table(released, monkeypatch):
    """`datasets` reads the card's configs offline, each table with its row count, without warnings."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(released.path.parent / "hf-home"))
    import datasets
    from huggingface_hub import DatasetCard

    manifest = json.loads((released.path / "manifest.json").read_text())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        card = DatasetCard.load(released.path / "README.md")
        for name in schemas.TABLES:
            table = datasets.load_dataset(str(released.path), name, split="train", cache_dir=str(released.path.parent / "hf-cache"))
            assert table.num_rows == manifest["tables"][name] and set(table.column_names) == set(schemas.TABLES[name].to_schema().columns)
    assert card.data.license == "other" and card.data.license_name == "no-license-stated"


def test_licenses_are_spdx_ids():
    assert publish.spdx_license("cc-by-4.0") == "CC-BY-4.0" and publish.spdx_license("mit") == "MIT"
    assert publish.spdx_license("0bsd") == "0BSD"
    for bad in ("other", "CC-BY-4", "MIT OR Apache-2.0", "LicenseRef-mine", ""):
        with pytest.raises(ValueError, match="not an SPDX licence id"):
            publish.spdx_license(bad)
    with pytest.raises(ValueError, match="did you mean CC-BY-4.0"):
        publish.spdx_license("CC-BY-40")
    assert publish._card_license("CC-BY-4.0") == {"license": "cc-by-4.0", "license_link": "https://spdx.org/licenses/CC-BY-4.0.html"}
    # The Hub knows no 0BSD: `other`, with the SPDX id's name and link.
    assert publish._card_license("0BSD") == {"license": "other", "license_name": "0bsd", "license_link": "https://spdx.org/licenses/0BSD.html"}


def test_a_licence_reaches_every_metadata_file(builds, tmp_path):
    made = publish.release(builds / "smaller", tmp_path, license="cc-by-sa-4.0", url="https://example.org/newsclean/", published="2026-03-04")
    package = json.loads((made.path / "datapackage.json").read_text())
    assert package["licenses"] == [{"name": "CC-BY-SA-4.0", "path": "https://spdx.org/licenses/CC-BY-SA-4.0.html", "title": "CC-BY-SA-4.0"}]
    doc = json.loads((made.path / "croissant.json").read_text())
    assert doc["license"] == "https://spdx.org/licenses/CC-BY-SA-4.0.html" and doc["url"] == "https://example.org/newsclean/" and doc["datePublished"] == "2026-03-04"
    card = (made.path / "README.md").read_text()
    assert "license: cc-by-sa-4.0\n" in card and "published under CC-BY-SA-4.0 (https://spdx.org/licenses/CC-BY-SA-4.0.html)" in card
    # Published again without a date, the version keeps its own: same bytes, nothing written.
    assert not publish.release(builds / "smaller", tmp_path, made.version, license="CC-BY-SA-4.0", url="https://example.org/newsclean/").created
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        publish.release(builds / "smaller", tmp_path, published="4 March")


def test_cli_publish(builds, tmp_path, capsys):
    args = ["publish", "--data", str(builds / "smaller"), "--out", str(tmp_path), "--license", "cc-by-4.0"]
    assert main(args) == 0 and "Released 0.1.0" in capsys.readouterr().out
    assert main(args) == 0 and "nothing written" in capsys.readouterr().out
    assert "license: cc-by-4.0" in (tmp_path / "0.1.0" / "README.md").read_text()
    with pytest.raises(SystemExit, match="publish: license 'cc-by' is not an SPDX licence id"):
        main(["publish", "--data", str(builds / "smaller"), "--out", str(tmp_path / "other"), "--license", "cc-by"])
    assert main(["publish", "--data", str(builds / "smaller"), "--out", str(tmp_path / "unlicensed")]) == 0
    assert "warning: no --license given" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="publish: .*never overwritten"):
        main(args + ["--version", "0.1.0", "--url", "https://example.org/newsclean/0.1.0/"])


def test_committed_release_verifies_and_matches_a_fresh_build(prefect_harness, tmp_path):
    """CI: releases/<latest> is intact and is exactly what publishing a fresh seed build gives.

    When this fails after a pipeline change, publish a new version (`python -m pipeline publish`)
    and commit it; released versions are never edited.
    """
    versions = publish.released_versions(ROOT / "releases")
    assert versions, "no release committed under releases/: run `python -m pipeline publish` and commit it"
    latest = ROOT / "releases" / versions[-1]
    result = subprocess.run(["sha256sum", "--strict", "--quiet", "-c", "SHA256SUMS"], cwd=latest, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    committed = json.loads((latest / "manifest.json").read_text())
    build_dataset(input=str(SEEDS), out=str(tmp_path / "data"))
    out = tmp_path / "releases"
    out.mkdir()
    for older in versions[:-1]:
        (out / older).symlink_to(ROOT / "releases" / older)
    fresh = publish.release(tmp_path / "data", out, versions[-1], license=committed["license"], url=committed["url"], published=committed.get("date_published"))
    assert _tree(fresh.path) == _tree(latest), f"releases/{versions[-1]} does not match a fresh build of seeds/: publish a new version"
