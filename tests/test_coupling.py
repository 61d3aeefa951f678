"""The layout's contracts: schemas/ at the bottom, dtypes written once (in the models)."""

import ast
import re
import sys
from pathlib import Path

import pandera.polars as pa
import polars as pl
import pytest

import schemas
from schemas import polars_schema

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            found.add(base)
            # `from pipeline.orchestration import flows` imports the module pipeline.orchestration.flows
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_imported_modules_sees_lazy_and_relative_imports(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text("import os\nfrom . import sibling\n\ndef f():\n    from pipeline.cli import main\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert {"os", "pkg.sibling", "pipeline.cli", "pipeline.cli.main"} <= imported_modules(pkg / "m.py")


def test_schemas_import_no_pipeline_module():
    """The contract is at the bottom: it owns its vocabularies and constrains the stages, never the reverse."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m == "pipeline" or m.startswith("pipeline."))
        for path in sorted((ROOT / "schemas").rglob("*.py"))
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


@pytest.mark.parametrize("name", sorted(schemas.TABLES))
def test_an_empty_frame_with_the_derived_schema_is_valid(name):
    model = schemas.TABLES[name]
    schema = polars_schema(model)
    assert list(schema) == list(model.to_schema().columns)
    model.validate(pl.DataFrame(schema=schema))


class _Variant(pa.DataFrameModel):
    key: str = pa.Field()
    small: pl.Int16 = pa.Field(nullable=True)
    tags: pl.List(pl.Int32) = pa.Field()
    day: pl.Date = pa.Field()


def test_polars_schema_reads_each_annotation_and_selects_columns():
    assert polars_schema(_Variant) == pl.Schema({"key": pl.String, "small": pl.Int16, "tags": pl.List(pl.Int32), "day": pl.Date})
    assert polars_schema(_Variant, ("day", "key")) == pl.Schema({"day": pl.Date, "key": pl.String})
    assert list(polars_schema(_Variant, without=("small", "tags"))) == ["key", "day"]
    with pytest.raises(KeyError):
        polars_schema(_Variant, ("missing",))


def test_stage_frames_carry_the_model_dtypes():
    """Empty shard outputs have exactly the dataset's dtypes (an empty frame is where hand-copied dtypes drift)."""
    from pipeline.stages import clean, dates, ingest, quantities, sentences

    docs, rejects = ingest.documents([])
    articles, boilerplate, clean_rejects = clean.articles(docs, frozenset())
    assert rejects.schema == clean_rejects.schema == polars_schema(schemas.Rejects)
    assert articles.schema == polars_schema(schemas.Articles, without=("story_id",))
    assert boilerplate.schema == polars_schema(schemas.Boilerplate)
    sents = sentences.sentences(articles)
    assert sents.schema == polars_schema(schemas.Sentences, without=("duplicate_of",))
    assert dates.dates(articles, sents).schema == polars_schema(schemas.Dates)
    assert quantities.quantities(articles, sents).schema == polars_schema(schemas.Quantities)


def test_month_names_are_written_only_in_the_lexicon():
    """Months are defined once (pipeline/core/lexicons.py); stages derive their lists and patterns from it."""
    writers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "pipeline").rglob("*.py"))
        if any(isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"(?i)\bseptember\b", node.value)
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    ]
    assert writers == ["pipeline/core/lexicons.py"]


def test_month_numbers_cover_names_and_abbreviations():
    from pipeline.core.lexicons import MONTH_NUMBERS

    assert MONTH_NUMBERS["january"] == MONTH_NUMBERS["jan"] == 1
    assert MONTH_NUMBERS["may"] == 5 and MONTH_NUMBERS["sept"] == MONTH_NUMBERS["sep"] == 9
    assert sorted(set(MONTH_NUMBERS.values())) == list(range(1, 13)) and len(MONTH_NUMBERS) == 12 + 11 + 1


def test_stop_lists_extend_the_shared_ones():
    """Each stage's stop list is the shared list plus its own named additions, never a rewritten copy."""
    from pipeline.core.lexicons import COMMON_WORDS, STOP_WORDS
    from pipeline.core import words
    from pipeline.stages import boilerplate, quantities

    assert COMMON_WORDS < STOP_WORDS
    assert STOP_WORDS < words.STOP_WORDS and STOP_WORDS < quantities._STOP
    assert COMMON_WORDS < boilerplate._STOP
    assert words.content_word("the") is None and words.content_word("against") is None and words.content_word("troops") == "troop"


def test_a_place_known_only_to_the_user_gazetteer_becomes_a_claim_place(tmp_path):
    """`--gazetteer` reaches the claims stage through the build: its places are those claims are about."""
    import datetime as dt

    from pipeline import build

    extra = tmp_path / "extra.csv"
    extra.write_text("name,type,aliases,demonyms,roles,wikidata_id\nZembla,GPE,,Zemblan|Zemblans,,\n", encoding="utf-8")
    articles = pl.DataFrame(
        {"article_id": ["a" * 16], "text": ["Zemblan officials said 800 soldiers crossed the river on Monday."], "published_date": [dt.date(2024, 5, 6)]},
        schema=polars_schema(schemas.Articles, ("article_id", "text", "published_date")),
    )

    def places(options: build.BuildOptions) -> set[str]:
        seen: list[pl.DataFrame] = []

        def around(stage, call):
            out = call()
            if stage.name == "extracted_claims":
                seen.append(out.tables["extracted_claims"])
            return out

        found, _ = build.annotated(articles, options)
        build.linked(found, options, around=around)
        (raw,) = seen
        assert raw.filter(pl.col("kind") == "quantity").height == 1
        return {p for joined in raw["_places"] for p in joined.split("|") if p}

    assert "Zembla" not in places(build.BuildOptions())
    assert "Zembla" in places(build.BuildOptions(gazetteer=str(extra)))


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: str = "pipeline") -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports (anywhere in it: lazy imports close circles too)."""
    modules = {_module_of(path): path for path in sorted((ROOT / package).rglob("*.py"))}
    return {name: {m for m in imported_modules(path) if m in modules and m != name} for name, path in modules.items()}


def cycles_through(graph: dict[str, set[str]], nodes: set[str]) -> list[list[str]]:
    """Each import cycle (as a path back to its start) through one of `nodes`."""
    found = []
    for start in sorted(nodes):
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    found.append(path + [start])
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    return found


def test_cycles_through_finds_a_lazy_circle():
    graph = {"cli": {"flows"}, "flows": {"build", "serve"}, "serve": {"cli"}, "build": set()}
    assert cycles_through(graph, {"cli"}) == [["cli", "flows", "serve", "cli"]]
    graph["serve"] = set()
    assert cycles_through(graph, {"cli", "flows", "serve"}) == []


def test_no_import_cycle_among_the_cli_orchestration_and_release():
    """Prefect stays at the edge: the command line calls the flows, the flows call the release
    code, and nothing calls back up (the scheduled flow once published through the CLI)."""
    graph = import_graph()
    edge = {m for m in graph if m == "pipeline.cli" or m.startswith(("pipeline.orchestration", "pipeline.release"))}
    assert {"pipeline.cli", "pipeline.orchestration.flows", "pipeline.orchestration.serve", "pipeline.release.publish"} <= edge
    assert "pipeline.release.publish" in graph["pipeline.orchestration.flows"]
    assert cycles_through(graph, edge) == []


def test_no_import_cycle_among_the_stages():
    """A stage package's modules import its shared word lists (`lexicon`), never each other in a
    circle nor the package's front door: the entities tagger once imported the extractor's private
    word lists while the extractor imported the tagger."""
    graph = import_graph()
    stages = {m for m in graph if m.startswith("pipeline.stages")}
    assert {"pipeline.stages.entities.tagger", "pipeline.stages.entities.lexicon"} <= stages
    assert cycles_through(graph, stages) == []


def test_the_cli_knows_its_expected_errors_without_prefect():
    """`OutputBusy` lives with the lock in pipeline.io: the command line's error list (read for
    every command) must not import the flows, and with them Prefect."""
    import subprocess

    code = "import sys, pipeline.cli as c; c._expected_errors(); print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect' or m.startswith('pipeline.orchestration.flows')))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_a_scheduled_run_that_changed_the_dataset_publishes_it(prefect_harness, tmp_path, capsys):
    """The flow releases through pipeline.release (no command line in between), once per change."""
    from pipeline.orchestration import flows
    from tests.conftest import SEEDS

    out, releases = tmp_path / "data", tmp_path / "releases"
    flows.scheduled_build.fn(input=str(SEEDS), out=str(out), publish=True, releases=str(releases))
    assert f"Released 0.1.0 in {releases / '0.1.0'}" in capsys.readouterr().out
    assert (releases / "0.1.0" / "SHA256SUMS").is_file()
    flows.scheduled_build.fn(input=str(SEEDS), out=str(out), publish=True, releases=str(releases))
    assert "Released" not in capsys.readouterr().out
    assert [p.name for p in releases.iterdir() if p.is_dir()] == ["0.1.0"]
