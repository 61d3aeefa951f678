"""Incremental builds: planning, cache keys, the result store, and incremental == full rebuild."""

import errno
import os
import random
import shutil
import threading
import time
from functools import partial
from pathlib import Path

import polars as pl
import pytest

import schemas
from pipeline import build, incremental, io
from pipeline.stages import entities, order
from pipeline.orchestration import flows
from pipeline.stages import claims as claim_stage
from pipeline.annotate import annotation_articles
from pipeline.stages.boilerplate import cleaned, line_key, template_line_keys
from pipeline.build import ShardResult, StageReport
from pipeline.stages.ingest import InputFile
from pipeline.incremental.state import ResultStore, code_version, default_state_dir, load_index
from tests.conftest import SEEDS

FOOTER = "Prairie Ledger regional desk bulletin for subscribers"
_WORDS = (
    "council farmers river budget harvest bridge mayor school storm election tariff grain rail "
    "clinic teachers drought festival museum court union factory wind solar transit housing"
).split()


def _article(n: int, footer: bool) -> str:
    rng = random.Random(n)
    title = f"{rng.choice(_WORDS).title()} plan number {n} divides {rng.choice(_WORDS)} officials"
    paragraphs = [
        " ".join(f"The {rng.choice(_WORDS)} {rng.choice(_WORDS)} in district {n} said {rng.choice(_WORDS)} costs rose by {rng.randint(2, 90)} percent." for _ in range(4))
        for _ in range(3)
    ]
    return "\n\n".join([title, *paragraphs, *([FOOTER] if footer else [])]) + "\n"


# An old article names a person by surname only; a new one gives the full name, which the
# surname then resolves to (entity resolution is global).
SURNAME_ONLY = "Farm board weighs grain tariff\n\nThe grain board met on Tuesday in Lviv. The tariff would rise by 40 percent in 2027, Mr. Kovalenko said.\n"
FULL_NAME = "Minister visits ports\n\nAgriculture minister Marta Kovalenko visited the ports of Odesa on Monday. Marta Kovalenko said exports grew by 12 percent in May.\n"


def _age(directory: Path) -> None:
    """Files written seconds ago are 'racy' (their mtime could repeat); age them as a real folder would be."""
    for p in directory.rglob("*"):
        os.utime(p, (1_600_000_000, 1_600_000_000))


def _hashes(directory: Path) -> dict[str, str]:
    return {p.name: io.file_sha256(p) for p in sorted(directory.iterdir())}


def _inputs(path: Path, n_synthetic: int, footer_from: int = 0) -> Path:
    shutil.copytree(SEEDS, path)
    for n in range(n_synthetic):
        (path / f"site-{n:02d}.txt").write_text(_article(n, footer=n >= footer_from), encoding="utf-8")
    _age(path)
    return path


# --- pure logic -----------------------------------------------------------------------


def test_plan_reads_only_new_changed_and_untrusted_files():
    code = "c1"
    previous = {
        "same.txt": {"sha256": "a", "fingerprint": "10:1"},
        "touched.txt": {"sha256": "b", "fingerprint": "10:1"},
        "gone.txt": {"sha256": "c", "fingerprint": "10:1"},
        "racy.txt": {"sha256": "d", "fingerprint": None},
    }
    cached = {incremental.ingest_key(p, e["sha256"], code) for p, e in previous.items()}
    prints = {"same.txt": "10:1", "touched.txt": "10:2", "racy.txt": None, "new.txt": "5:5"}
    plan = incremental.plan(sorted(prints), prints, previous, cached, code, keep_removed=False)
    assert plan.unchanged == {"same.txt": "a"}
    assert plan.to_read == ["new.txt", "racy.txt", "touched.txt"]
    assert plan.known == {"touched.txt": "b", "racy.txt": "d"}
    assert plan.removed == ["gone.txt"] and plan.kept == {}
    kept = incremental.plan(sorted(prints), prints, previous, cached, code, keep_removed=True)
    assert kept.kept == {"gone.txt": "c"}
    # Another code version: nothing cached is valid, everything is read again.
    other = incremental.plan(sorted(prints), prints, previous, cached, "c2", keep_removed=True)
    assert other.unchanged == {} and other.known == {} and other.kept == {}


def test_analysis_key_changes_only_for_documents_holding_a_new_template_line():
    docs = pl.DataFrame({"source_file": ["a.txt", "b.txt"], "raw_sha256": ["1", "2"], "raw_text": [f"Story A\n{FOOTER}\n", "Story B\nNo footer here\n"]})
    lines = _lines(docs)
    before = incremental.analysis_keys(docs, lines, frozenset({"unrelated line"}), "s", "c")
    after = incremental.analysis_keys(docs, lines, frozenset({"unrelated line", line_key(FOOTER.upper() + "  ")}), "s", "c")
    assert before[0] != after[0] and before[1] == after[1]
    assert incremental.analysis_keys(docs, lines, frozenset(), "other options", "c")[1] != before[1]


def test_cleaning_depends_only_on_the_template_lines_a_document_holds():
    """The contract the analysis key relies on; fails if boilerplate starts using templates otherwise."""
    texts = [_article(n, footer=True) for n in range(6)] + [(SEEDS / p).read_text() for p in sorted(os.listdir(SEEDS))]
    templates = template_line_keys(texts) | {"some other sites template line"}
    assert line_key(FOOTER) in templates
    for raw in texts:
        own = {line_key(s) for s in raw.split("\n") if s.strip()} & templates
        assert cleaned(raw, templates) == cleaned(raw, frozenset(own))
        assert set(_lines(_docs([raw]))["line_keys"][0]) >= own


def _docs(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"source_file": [f"d{i:05d}.txt" for i in range(len(texts))], "raw_sha256": [str(i) for i in range(len(texts))], "raw_text": texts})


def _lines(docs: pl.DataFrame) -> pl.DataFrame:
    """The ingest stage's per-file line keys, which the ingest cache keeps."""
    return order.lines(docs).tables["lines"]


@pytest.mark.parametrize("corpus", ["mixed", "large"])
def test_template_keys_from_cached_lines_equal_template_line_keys(corpus):
    """The cached line keys give exactly the template lines boilerplate finds from the raw texts."""
    if corpus == "mixed":
        texts = [_article(n, footer=n % 3 > 0) for n in range(12)] + [(SEEDS / p).read_text() for p in sorted(os.listdir(SEEDS))]
        texts += [_article(40, footer=False)] * 6 + ["", "\n\n", "Only one line, twice\nOnly one line, twice\n"]  # syndicated copies count once
    else:  # past 2,500 documents the share floor (0.2 %) takes over from the 5-document floor
        letters = ["".join(chr(97 + n // 26**i % 26) for i in range(3)) for n in range(3001)]  # digits would all read "0"
        texts = [f"Story {w} from the wire\n" + "".join(f"Recurring line {r}\n" for i, r in enumerate(("five", "six", "seven"), 5) if n < i) for n, w in enumerate(letters)]
    docs = _docs(texts)
    expected = template_line_keys(texts)
    assert order.templates(docs, _lines(docs)).tables["templates"] == expected
    assert (line_key(FOOTER) in expected) == (corpus == "mixed")
    assert corpus == "mixed" or expected == {"recurring line seven"}  # 5 and 6 documents are under 0.2 % of 3,001


def _resolved(texts: list[str]) -> dict[str, pl.DataFrame]:
    articles = annotation_articles([{"id": f"a{i:02d}", "text": t, "published_date": "2021-07-27"} for i, t in enumerate(texts)])
    found, _ = build.annotated(articles)
    mentions, ents = entities.resolved_entities(found["candidates"], entities.load_gazetteer())
    return {"articles": articles, "sentences": found["sentences"], "mentions": mentions, "entities": ents, "quantities": found["quantities"], "dates": found["dates"]}


def _claims(tables: dict[str, pl.DataFrame], ids: list[str] | None = None, entity_rows: pl.DataFrame | None = None) -> pl.DataFrame:
    if ids is None:
        ids = tables["articles"]["article_id"].to_list()
    some = {n: incremental.of_articles(f, ids) for n, f in tables.items() if n != "entities"}
    ents = tables["entities"] if entity_rows is None else entity_rows
    return claim_stage.claims(some["articles"], some["sentences"], some["mentions"], ents, some["quantities"], some["dates"], entities.load_gazetteer())


def test_claims_are_per_article_and_read_only_the_keyed_entity_fields():
    """The contract the claims cache relies on; fails if extraction starts reading across articles,
    or entity columns that `claim_keys` leaves out."""
    texts = [(SEEDS / p).read_text() for p in sorted(os.listdir(SEEDS))] + [_article(n, footer=False) for n in range(3)] + [SURNAME_ONLY, FULL_NAME]
    tables = _resolved(texts)
    whole = _claims(tables)
    assert whole.height > 20 and whole["speaker_entity_id"].is_not_null().any()
    ids = tables["articles"]["article_id"].to_list()
    pieces = pl.concat([_claims(tables, ids[i : i + 3]) for i in range(0, len(ids), 3)], how="vertical_relaxed")
    assert pieces.equals(whole)
    scrambled = tables["entities"].with_columns(
        pl.col("n_mentions").reverse(), pl.col("n_articles") + 7, pl.col("aliases").list.reverse()
    ).vstack(tables["entities"].head(1).with_columns(pl.lit("0000000000000000").alias("entity_id"), pl.lit("Unrelated Entity").alias("name")))
    assert _claims(tables, entity_rows=scrambled).equals(whole)


def test_claim_keys_change_only_for_articles_whose_entities_change():
    old = _resolved([SURNAME_ONLY, _article(1, footer=False)])
    new = _resolved([SURNAME_ONLY, _article(1, footer=False), FULL_NAME])
    analysis = {"a00": "k0", "a01": "k1", "a02": "k2"}
    before = incremental.claim_keys(["a00", "a01"], old["mentions"], old["entities"], analysis, "c")
    after = incremental.claim_keys(["a00", "a01", "a02"], new["mentions"], new["entities"], analysis, "c")
    assert before[1] == after[1] and before[0] != after[0]  # "Mr. Kovalenko" is now Marta Kovalenko
    assert incremental.claim_keys(["a01"], old["mentions"], old["entities"], analysis, "c2") != [before[1]]
    recounted = new["entities"].with_columns(pl.col("n_mentions") + 1)
    assert incremental.claim_keys(["a00", "a01", "a02"], new["mentions"], recounted, analysis, "c") == after


def _item(n_rows: int, tag: str) -> ShardResult:
    frame = pl.DataFrame({"article_id": [tag] * n_rows, "i": list(range(n_rows))}, schema={"article_id": pl.Utf8, "i": pl.Int64})
    return ShardResult({"things": frame}, [StageReport("count", 1, n_rows, {"dropped": 1} if n_rows == 0 else {})])


def test_batches_split_exactly_and_come_back_in_key_order():
    items = incremental.batch([("k1", _item(2, "x")), ("k2", _item(0, "y")), ("k3", _item(3, "z"))])
    tables, reports = incremental.results(items, ["k3", "k1"])
    assert tables["things"]["article_id"].to_list() == ["z", "z", "z", "x", "x"]
    assert tables["things"]["i"].to_list() == [0, 1, 2, 0, 1]
    assert [r.as_dict() for r in reports] == [{"stage": "count", "rows_in": 2, "rows_out": 5, "removed": {}, "unit": "rows", "counted": {}}]
    with pytest.raises(KeyError):
        incremental.results(items, ["k4"])


def test_a_shard_analysed_at_once_splits_into_what_each_document_gives_alone():
    """The batched analysis of a shard caches, per document, the rows and reports of that document
    analysed alone; fails if a stage starts depending on the other documents of its batch."""
    numbers = "The counts were " + ", ".join(str(i) for i in range(1, 400)) + " troops.\n"  # over the quantities cap
    texts = [(SEEDS / p).read_text() for p in sorted(os.listdir(SEEDS))] + [_article(n, footer=n % 2 == 0) for n in range(6)]
    texts += ["", "   \n\n", numbers, SURNAME_ONLY, FULL_NAME, FOOTER + "\n"]
    inputs = [InputFile(f"d{i:02d}.txt", t.encode(), len(t.encode())) for i, t in enumerate(texts)]
    docs, _, templates, _ = build.deduplicated(build.ingested(inputs).tables)
    keys = [f"k{i}" for i in range(docs.height)]
    numbered = keys[docs["source_file"].to_list().index(f"d{texts.index(numbers):02d}.txt")]
    tables, reports = build.analysed_each(docs, templates)
    at_once = incremental.per_document(tables, reports, docs["source_file"].to_list(), keys)
    alone = incremental.batch([(k, build.analysed(docs.slice(i, 1), templates)) for i, k in enumerate(keys)])
    assert tables["rejects"].height >= 1 and tables["boilerplate"].height > 0
    for some in (keys, keys[::-1], [numbered, keys[0]]):
        (got, got_reports), (want, want_reports) = incremental.results(at_once, some), incremental.results(alone, some)
        assert sorted(got) == sorted(want)
        for name in want:
            assert got[name].equals(want[name]), name
        assert [r.as_dict() for r in got_reports] == [r.as_dict() for r in want_reports]
    capped = {r.stage: r for r in incremental.results(at_once, [numbered])[1]}
    assert capped["quantities"].removed["quantities_over_sentence_cap"] > 100


def test_store_keeps_whole_segments_prunes_and_compacts(tmp_path, monkeypatch):
    store = ResultStore(tmp_path / "s")
    store.put(incremental.batch([("k1", _item(1, "a")), ("k2", _item(2, "b"))]))
    store.put(incremental.batch([("k3", _item(1, "c"))]))
    (tmp_path / "s" / ".half-written.tmp").mkdir()  # a crashed write: ignored
    reopened = ResultStore(tmp_path / "s")
    assert reopened.keys() == {"k1", "k2", "k3"}
    got = reopened.get(["k2", "k3", "missing"])
    assert sorted(got.keys) == ["k2", "k3"] and got.tables["things"].height == 3
    reopened.retain({"k1", "k2"})
    assert len(list((tmp_path / "s").glob("[!.]*"))) == 1
    monkeypatch.setattr("pipeline.incremental.state.MAX_SEGMENTS", 1)
    reopened.put(incremental.batch([("k4", _item(1, "d"))]))
    reopened.retain({"k2", "k4"})
    again = ResultStore(tmp_path / "s")
    assert again.keys() == {"k2", "k4"} and len(list((tmp_path / "s").glob("[!.]*"))) == 1
    assert again.get(["k2"]).tables["things"]["article_id"].to_list() == ["b", "b"]


def test_code_version_is_stable_and_state_lives_beside_the_output(tmp_path):
    assert code_version() == code_version() and len(code_version()) == 16
    assert default_state_dir(str(tmp_path / "data")) == tmp_path / ".data.state"
    assert not default_state_dir("s3://bucket/data").is_relative_to(tmp_path)


# --- the flow -------------------------------------------------------------------------


def test_incremental_build_equals_a_full_rebuild(prefect_harness, tmp_path):
    inp = _inputs(tmp_path / "in", n_synthetic=5, footer_from=1)  # the footer is in 4 documents: not yet a template
    out = tmp_path / "inc" / "data"
    first = flows.build_dataset(input=str(inp), out=str(out), shard_size=3)
    assert first["incremental"]["documents_analysed"] == first["articles"] + first["rejected"] == 10

    same = flows.build_dataset(input=str(inp), out=str(out), shard_size=3)
    assert same["nothing_to_do"] and same["incremental"]["files_read"] == 0 and same["articles"] == first["articles"]

    (inp / "site-05.txt").write_text(_article(5, footer=True), encoding="utf-8")  # 5th footer: now a template line
    (inp / "site-06.txt").write_text(_article(6, footer=False), encoding="utf-8")
    (inp / "000_f497f5fc9ee5aba9.txt").write_text((SEEDS / "000_f497f5fc9ee5aba9.txt").read_text() + "\nA late correction was added.\n")
    (inp / "site-00.txt").unlink()
    _age(inp)
    second = flows.build_dataset(input=str(inp), out=str(out), shard_size=3)
    # 2 new + 1 changed decoded; those 3 plus the 4 older documents holding the new template line re-analysed.
    assert second["incremental"] | {"kept": 0, "claims_extracted": 0} == {"files_read": 3, "files_decoded": 3, "documents_analysed": 7, "claims_extracted": 0, "removed": 1, "kept": 0}

    full = flows.build_dataset(input=str(inp), out=str(tmp_path / "full" / "data"), shard_size=1000)
    assert _hashes(out) == _hashes(tmp_path / "full" / "data")
    arts = pl.read_parquet(out / "articles.parquet")
    assert "site-00.txt" not in arts["source_file"].to_list() and full["articles"] == second["articles"]
    assert not any(FOOTER in t for t in arts["text"])
    assert load_index(default_state_dir(str(out)))["inputs"].keys() == {p.name for p in inp.iterdir()}
    # The per-item inputs of duplicate sentences and stories are cached with the analyses and claims.
    analysis, claims = (ResultStore(default_state_dir(str(out)) / name) for name in ("analysis", "claims"))
    # (whole segments are kept while any of their items is live, so the stores may hold more)
    assert set(pl.read_parquet(out / "sentences.parquet")["sentence_id"]) <= set(analysis.get(analysis.keys()).tables["sentence_signatures"]["sentence_id"])
    assert set(arts["article_id"]) <= set(claims.get(claims.keys()).tables["story_features"]["article_id"])


def test_a_new_article_that_changes_an_old_ones_entities_re_extracts_its_claims(prefect_harness, tmp_path):
    inp = _inputs(tmp_path / "in", n_synthetic=2)
    (inp / "kovalenko-1.txt").write_text(SURNAME_ONLY, encoding="utf-8")
    _age(inp)
    out = tmp_path / "inc" / "data"
    first = flows.build_dataset(input=str(inp), out=str(out))
    assert first["incremental"]["claims_extracted"] == first["articles"] == 8
    (inp / "kovalenko-2.txt").write_text(FULL_NAME, encoding="utf-8")
    _age(inp)
    second = flows.build_dataset(input=str(inp), out=str(out))
    # The new article, and the old one whose "Mr. Kovalenko" now resolves to Marta Kovalenko.
    assert second["incremental"]["documents_analysed"] == 1 and second["incremental"]["claims_extracted"] == 2
    ents = pl.read_parquet(out / "entities.parquet")
    marta = ents.filter(pl.col("name") == "Marta Kovalenko")["entity_id"].to_list()
    arts = pl.read_parquet(out / "articles.parquet").filter(pl.col("source_file") == "kovalenko-1.txt")["article_id"].to_list()
    old_claims = pl.read_parquet(out / "claims.parquet").filter(pl.col("article_id").is_in(arts))
    assert marta and old_claims["speaker_entity_id"].to_list().count(marta[0]) >= 1
    flows.build_dataset(input=str(inp), out=str(tmp_path / "full" / "data"))
    assert _hashes(out) == _hashes(tmp_path / "full" / "data")


def test_removed_files_stay_with_keep_removed_and_touching_reads_without_work(prefect_harness, tmp_path):
    inp = _inputs(tmp_path / "in", n_synthetic=2)
    out = tmp_path / "data"
    flows.build_dataset(input=str(inp), out=str(out), keep_removed=True)
    (inp / "site-01.txt").unlink()
    kept = flows.build_dataset(input=str(inp), out=str(out), keep_removed=True)
    assert kept["incremental"]["kept"] == 1 and kept["articles"] == 7
    assert "site-01.txt" in pl.read_parquet(out / "articles.parquet")["source_file"].to_list()
    dropped = flows.build_dataset(input=str(inp), out=str(out))
    assert dropped["articles"] == 6 and not dropped["nothing_to_do"]
    os.utime(inp / "site-00.txt", (1_700_000_000, 1_700_000_000))  # touched, same bytes: read, not decoded
    touched = flows.build_dataset(input=str(inp), out=str(out))
    assert touched["nothing_to_do"] and touched["incremental"]["files_read"] == 1
    shutil.rmtree(out)  # a missing output is rebuilt from the cache
    rebuilt = flows.build_dataset(input=str(inp), out=str(out))
    assert not rebuilt["nothing_to_do"] and rebuilt["incremental"]["files_decoded"] == 0 and rebuilt["incremental"]["documents_analysed"] == 0


def test_a_crashed_run_resumes_without_redoing_finished_shards(prefect_harness, tmp_path, monkeypatch):
    inp = _inputs(tmp_path / "in", n_synthetic=3)
    real = build.analysed_each

    def fails_on_one(docs, templates, options=build.BuildOptions()):
        if "site-02.txt" in docs["source_file"].to_list():
            raise RuntimeError("worker lost")
        return real(docs, templates, options)

    monkeypatch.setattr(build, "analysed_each", fails_on_one)
    with pytest.raises(RuntimeError, match="worker lost"):
        flows.build_dataset(input=str(inp), out=str(tmp_path / "data"), shard_size=2)
    monkeypatch.setattr(build, "analysed_each", real)
    resumed = flows.build_dataset(input=str(inp), out=str(tmp_path / "data"), shard_size=2)
    # Documents in path order, 2 per shard: only the shard holding site-01 and site-02 is redone.
    assert resumed["incremental"]["files_read"] == resumed["incremental"]["files_decoded"] == 0
    assert resumed["incremental"]["documents_analysed"] == 2 and resumed["articles"] == 8


def test_transient_read_errors_are_retried_and_permanent_ones_become_rejects(prefect_harness, tmp_path, monkeypatch):
    inp = _inputs(tmp_path / "in", n_synthetic=2)
    monkeypatch.setattr(flows, "READ_RETRY_DELAYS", [0, 0, 0])
    real = io.read_input
    failures = {"site-00.txt": 1, "site-01.txt": 99}

    def flaky(root, source_file, raise_transient=False):
        if failures.get(source_file, 0) > 0:
            failures[source_file] -= 1
            err = OSError(errno.EIO, os.strerror(errno.EIO))
            if raise_transient:
                raise err
            return io.InputFile(source_file, None, None, "unreadable", f"cannot read the file: {err.strerror}")
        return real(root, source_file, raise_transient)

    monkeypatch.setattr(io, "read_input", flaky)
    summary = flows.build_dataset(input=str(inp), out=str(tmp_path / "data"))
    rejects = pl.read_parquet(tmp_path / "data" / "rejects.parquet")
    assert dict(zip(rejects["source_file"], rejects["reason"])) == {"site-01.txt": "unreadable"}
    assert summary["articles"] == 6 and failures == {"site-00.txt": 0, "site-01.txt": 96}  # 3 transient failures retried, the 4th attempt records it


def test_concurrent_builds_take_turns_or_skip_and_never_mix(prefect_harness, tmp_path):
    inp = _inputs(tmp_path / "in", n_synthetic=2)
    out = tmp_path / "data"
    results, errors = [], []

    def run():
        try:
            results.append(flows.build_dataset(input=str(inp), out=str(out)))
        except Exception as err:  # surfaced by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 2 and sorted(r["nothing_to_do"] for r in results) == [False, True]
    schemas.validated(io.read_dataset(out, list(schemas.TABLES)), schemas.TABLES)
    with io.dataset_lock(out):
        skipped = flows.build_dataset(input=str(inp), out=str(out), skip_if_busy=True)
    assert skipped["skipped"]


def test_fsspec_urls_for_input_and_output(prefect_harness, tmp_path):
    import fsspec

    fs = fsspec.filesystem("memory")
    for p in sorted(SEEDS.iterdir()):
        fs.pipe(f"/news-in/{p.name}", p.read_bytes())
    summary = flows.build_dataset(input="memory://news-in", out="memory://news-out", state=str(tmp_path / "state"))
    local = flows.build_dataset(input=str(SEEDS), out=str(tmp_path / "data"))
    assert summary["articles"] == local["articles"] == 5
    assert fs.cat("/news-out/articles.parquet") == (tmp_path / "data" / "articles.parquet").read_bytes()
    assert flows.build_dataset(input="memory://news-in", out="memory://news-out", state=str(tmp_path / "state"))["nothing_to_do"]


def test_at_most_a_window_of_shards_is_in_flight_and_every_result_comes_back(prefect_harness):
    """Shards are submitted as others finish, never all at once; a failed one is raised after the rest."""
    from prefect import flow, task

    lock, running, peak = threading.Lock(), [0], [0]

    @task
    def shard(n: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        if n == 3:
            raise ValueError("shard 3 failed")
        return n

    @flow
    def several() -> list[int]:
        got = []
        with pytest.raises(ValueError, match="shard 3"):
            for n in flows._completed([partial(shard.submit, n) for n in range(9)], "test", window=2):
                got.append(n)
        return got

    assert sorted(several()) == [0, 1, 2, 4, 5, 6, 7, 8]
    assert peak[0] == 2
