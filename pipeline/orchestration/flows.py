"""The Prefect layer: wires the pure stages of `pipeline.build` into tasks, one per shard.

Builds are incremental: the results of each input file (ingest), each unique document
(analysis) and each article's claims are cached in a state folder under keys that cover
everything they depend on (see `pipeline.incremental`), so a build reads and computes only what
is new or changed, and the steps across articles rerun over all of it (stories and duplicate
sentences from per-article features cached with the claims and analyses). Each finished shard is saved as it completes, so a
crashed run resumes without redoing it.
"""

import hashlib
import itertools
import os
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture

import schemas
from pipeline import __version__, build, incremental, io
from pipeline.orchestration import progress, server
from pipeline.core import stage
from pipeline.incremental import state as state_store
from pipeline.stages import order
from pipeline.build import BuildOptions, ShardResult
from pipeline.incremental import Batch, cache_key, ingest_key
from pipeline.stages.ingest import InputFile
from pipeline.stages.rules import rules_digest

DEFAULT_SHARD_SIZE = 1000
READ_RETRIES = 3
READ_RETRY_DELAYS = [1, 4, 16]  # seconds before each retry of a shard whose reads failed transiently
# Shards submitted at once: about the cores, so that memory holds a few shards' inputs and results,
# not the corpus's (every shard at once ran the 100,000-file build out of memory maps, issue 17).
SHARDS_IN_FLIGHT = max(2, len(os.sched_getaffinity(0)))




@dataclass
class IngestedShard:
    """What a shard's files gave: decoded results to cache, unreadable ones, and every file's hash."""

    fresh: Batch
    unread: Batch  # not cached: an unreadable or too large file is tried again next build
    hashes: dict[str, str]


def _read_all(root: str, files: list[str]) -> list[InputFile]:
    """Read a shard's files; a transient error fails the attempt (Prefect retries it), except on the last one."""
    ctx = TaskRunContext.get()
    last_attempt = ctx is None or ctx.task_run.run_count > (ctx.task.retries or 0)
    return [io.read_any(root, f, raise_transient=not last_attempt) for f in files]


@task(name="ingest-shard", cache_policy=NO_CACHE, retries=READ_RETRIES, retry_delay_seconds=READ_RETRY_DELAYS)
def ingest_shard(root: str, files: list[str], known: dict[str, str], code: str, options: BuildOptions) -> IngestedShard:
    """Read the files; decode each one whose bytes are not the `known` (already cached) ones."""
    fresh, unread, hashes = [], [], {}
    for item in _read_all(root, files):
        if item.data is None:
            unread.append((cache_key("unread", item.source_file), build.ingested([item], options)))
            continue
        sha = hashlib.sha256(item.data).hexdigest()
        hashes[item.source_file] = sha
        if known.get(item.source_file) != sha:
            result = build.ingested([item], options)
            fresh.append((ingest_key(item.source_file, sha, code), result))
    return IngestedShard(incremental.batch(fresh), incremental.batch(unread), hashes)


@task(name="analyse-shard", cache_policy=NO_CACHE)
def analyse_shard(documents: pl.DataFrame, keys: list[str], templates: frozenset[str], options: BuildOptions) -> Batch:
    """Analyse a shard's documents as one batch (the shard stages of `pipeline.stages.order`),
    split by document so that each one's rows and reports are cached on their own."""
    tables, reports = build.analysed_each(documents, templates, options)
    return incremental.per_document(tables, reports, documents["source_file"].to_list(), keys)


# The corpus stages whose rows are per article once entities are resolved: cached per article.
PER_ARTICLE = stage.making(order.CORPUS, "extracted_claims", "story_features")
RESOLVED = ("mentions", "entities")


@task(name="extract-claims", cache_policy=NO_CACHE)
def extract_claims(owners: dict[str, str], tables: dict[str, pl.DataFrame], options: BuildOptions) -> Batch:
    """The `PER_ARTICLE` tables (claims before their cap and grouping, story features) of a shard
    of articles, split by article (`owners`: article_id -> claims key) to be cached: they depend on
    the articles' analysis and resolved mentions only (and the options' gazetteer, parsed here)."""
    found = Batch({}, pl.DataFrame(schema=incremental.REPORT_SCHEMA), list(owners.values()))
    inputs = tables | {"gazetteer": build.gazetteer(options)}
    for step in PER_ARTICLE:
        for name, frame in step.call(inputs, options.rules).tables.items():
            found.tables |= incremental.split(frame, name, owners).tables
    return found


@dataclass
class CachedClaims:
    """The `PER_ARTICLE` tables of every article, from the cache or extracted now (`tables`), the
    claims keys they are cached under, and how many articles were extracted now."""

    tables: dict[str, pl.DataFrame]
    keys: list[str]
    extracted: int


def cached_claims(tables: dict[str, pl.DataFrame], options: BuildOptions, store: state_store.ResultStore, analysis_of: dict[str, str], code: str, shard_size: int) -> CachedClaims:
    """Extract, on the task runner, the `PER_ARTICLE` tables of the articles whose claims key is not
    cached, cache them, and read every article's from the cache: one step giving both tables, so
    no later call depends on an earlier one. `tables`: the corpus stages' inputs and `RESOLVED`."""
    ids = tables["articles"]["article_id"].to_list()
    if not ids:
        return CachedClaims({}, [], 0)
    keys = incremental.claim_keys(ids, tables["mentions"], tables["entities"], analysis_of, code)
    cached = store.keys()
    todo = [(a, k) for a, k in zip(ids, keys) if k not in cached]
    if todo:
        progress.phase(f"extracting the claims of {len(todo)} article(s)")
    needs = {n for step in PER_ARTICLE for n in step.needs}

    def submit(shard: list[tuple[str, str]]) -> PrefectFuture:
        some = [a for a, _ in shard]
        own = {n: incremental.of_articles(tables[n], some) for n in needs if n not in ("entities", "gazetteer")}
        # Only the entities the shard's mentions point to: extraction reads no others.
        own["entities"] = tables["entities"].join(own["mentions"].select("entity_id").unique(), on="entity_id", how="semi")
        return extract_claims.submit(dict(shard), own, options)

    for batch in _completed([partial(submit, shard) for shard in _chunks(todo, shard_size)], "claims"):
        store.put(batch)
    found = incremental.results(store.get(keys), keys)[0]
    # The cache keeps each article's rows in order; across articles, claims are in the stage's order.
    found["extracted_claims"] = found["extracted_claims"].sort("article_id", "start", "end", "claim_id")
    return CachedClaims(found, keys, len(todo))


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _completed(submits: list[Callable[[], PrefectFuture]], what: str, window: int = SHARDS_IN_FLIGHT):
    """Results as shards finish (not in submission order), with a progress bar and log lines.

    `submits` submit one shard each; at most `window` shards are in flight at once, the next one
    submitted as one finishes, so that only those shards' inputs and results are alive (the caller
    caches each result as it is yielded and drops it).

    A failed shard does not stop the others: they are all yielded (and so cached) before the
    first failure is raised, and the next run redoes only the failed shards.
    """
    logger = get_run_logger()
    failure = None
    finished: queue.SimpleQueue[PrefectFuture] = queue.SimpleQueue()
    waiting = iter(submits)
    in_flight = 0
    with progress.shards(what, len(submits)) as advance:
        for i in range(1, len(submits) + 1):
            for submit in itertools.islice(waiting, window - in_flight):
                submit().add_done_callback(finished.put)
                in_flight += 1
            future = finished.get()
            in_flight -= 1
            advance()
            try:
                result = future.result()
            except Exception as err:
                failure = failure or err
                continue
            finally:
                del future
            yield result
            del result
            if len(submits) > 1:
                logger.info("%s: shard %d/%d done", what, i, len(submits))
    if failure is not None:
        raise failure


def _manifest(inputs: pl.DataFrame, reports: list[build.StageReport], tables: dict[str, pl.DataFrame]) -> dict:
    return {
        "dataset": "newsclean",
        "schema_version": schemas.SCHEMA_VERSION,
        "pipeline_version": __version__,
        "tables": {name: frame.height for name, frame in tables.items()},
        "stages": [r.as_dict() for r in reports],
        "inputs": inputs.sort("path").to_dicts(),
    }


def _summary(tables: dict[str, pl.DataFrame], n_inputs: int, out: str) -> dict:
    return {
        "input_files": n_inputs,
        "articles": tables["articles"].height,
        "rejected": tables["rejects"].height,
        "rejects_by_reason": dict(sorted(tables["rejects"]["reason"].value_counts().iter_rows())),
        "boilerplate_by_reason": dict(sorted(tables["boilerplate"]["reason"].value_counts().iter_rows())),
        "sentences": tables["sentences"].height,
        "tables": {name: frame.height for name, frame in tables.items()},
        "out": str(out),
    }


def _record(hashes: dict[str, str | None], fingerprints: dict[str, str | None]) -> dict[str, dict]:
    return {p: {"sha256": sha, "fingerprint": fingerprints.get(p)} for p, sha in hashes.items()}


def _ingested(listing: io.InputListing, plan: incremental.Plan, store: state_store.ResultStore, code: str, options: BuildOptions, shard_size: int, state: Path, index: dict) -> tuple[dict[str, str | None], list[Batch], int]:
    """Read and decode the files the plan names, caching each shard as it finishes.

    After each shard the files' hashes are recorded (with no output, so the next run cannot
    take the dataset as current): a crashed run's next attempt neither reads nor decodes them again.
    Returns the sha256 of every input (None when unreadable), the unread rejects, and how many files were decoded.
    """
    shards = _chunks(plan.to_read, shard_size)
    if shards:
        progress.phase(f"reading and decoding {len(plan.to_read)} file(s) in {len(shards)} shard(s)")
    reader = ingest_shard.with_options(retry_delay_seconds=READ_RETRY_DELAYS)
    submits = [partial(reader.submit, listing.root, s, {f: plan.known[f] for f in s if f in plan.known}, code, options) for s in shards]
    hashes: dict[str, str | None] = dict(plan.unchanged) | plan.kept | {f: None for f in plan.to_read}
    unread, decoded = [], 0
    for shard in _completed(submits, "ingest"):
        store.put(shard.fresh)
        unread.append(shard.unread)
        hashes.update(shard.hashes)
        decoded += len(shard.fresh.keys)
        recorded = index["inputs"] | _record(shard.hashes, listing.fingerprints)
        index = index | {"inputs": recorded, "output": None}
        state_store.save_index(state, index)
    return hashes, unread, decoded


def _analysed(unique: pl.DataFrame, keys: list[str], templates: frozenset[str], options: BuildOptions, store: state_store.ResultStore, shard_size: int) -> int:
    """Analyse the documents whose key is not cached, caching each shard as it finishes; returns how many."""
    cached = store.keys()
    todo = [i for i, k in enumerate(keys) if k not in cached]
    shards = _chunks(todo, shard_size)
    if shards:
        progress.phase(f"analysing {len(todo)} of {len(keys)} document(s) in {len(shards)} shard(s)")

    def submit(shard: list[int]) -> PrefectFuture:  # a shard's documents are copied out only when it starts
        return analyse_shard.submit(unique[shard], [keys[i] for i in shard], templates, options)

    for batch in _completed([partial(submit, s) for s in shards], "analyse"):
        store.put(batch)
    return len(todo)


def _output_intact(out: str, logger) -> bool:
    """The output's files are those its manifest lists, byte for byte; else it is rebuilt."""
    problem = io.dataset_problem(out)
    if problem:
        logger.warning("the dataset in %s was changed since it was built (%s); building it again", out, problem)
    return problem is None


def _build(input: str, out: str, state: Path, shard_size: int, keep_removed: bool, full: bool, options: BuildOptions) -> dict:
    logger = get_run_logger()
    code = state_store.code_version()
    setting = cache_key(options.ner, state_store.file_digest(options.gazetteer), rules_digest(options.rules))
    # Ingest results are cached by code version and file alone: the ingest rules join the version.
    ingest_code = cache_key(code, rules_digest(options.rules.ingest))
    problem = state_store.index_problem(state)
    if problem:
        raise io.NotOurs(problem)
    if full:
        state_store.clear(state)
    index = state_store.load_index(state, logger.warning)
    ingest_store, analysis_store, claims_store = (state_store.ResultStore(state / name, logger.warning) for name in state_store.STORES)
    progress.phase(f"listing the input files under {input}")
    listing = io.input_listing(input)
    plan = incremental.plan(listing.files, listing.fingerprints, index["inputs"], ingest_store.keys(), ingest_code, keep_removed)
    logger.info(
        "%d input file(s) under %s: %d to read, %d unchanged, %d removed%s",
        len(listing.files), listing.root, len(plan.to_read), len(plan.unchanged), len(plan.removed),
        f" ({len(plan.kept)} kept)" if keep_removed else "",
    )
    before = {p: e.get("sha256") for p, e in index["inputs"].items()}
    hashes, unread, decoded = _ingested(listing, plan, ingest_store, ingest_code, options, shard_size, state, index)
    record = _record(hashes, listing.fingerprints)
    for p in plan.kept:
        record[p]["kept"] = True
    if not full and hashes == before and (index.get("code"), index.get("setting")) == (code, setting) and index.get("output") and index["output"] == io.manifest_digest(out) and _output_intact(out, logger):
        logger.info("nothing to do: the %d input file(s), options and code are those of the last build of %s", len(hashes), out)
        state_store.save_index(state, index | {"inputs": record})
        return index["summary"] | {"nothing_to_do": True, "incremental": {"files_read": len(plan.to_read), "files_decoded": 0, "documents_analysed": 0, "claims_extracted": 0, "removed": len(plan.removed), "kept": len(plan.kept)}}

    ordered = sorted([(p, ingest_key(p, sha, ingest_code)) for p, sha in hashes.items() if sha] + [(k, k) for b in unread for k in b.keys])
    ingest_items = incremental.concatenated([ingest_store.get(k for _, k in ordered), *unread])
    ingested, ingest_reports = incremental.results(ingest_items, [k for _, k in ordered])
    # No input, or none that decoded: the tables are empty, with their columns.
    ingested = build.ingested([]).tables | ingested
    unique, duplicates, templates, dedupe_report = build.deduplicated(ingested, options)
    keys = incremental.analysis_keys(unique, ingested["lines"], templates, setting, code)
    analysed_now = _analysed(unique, keys, templates, options, analysis_store, shard_size)
    per_doc_items = analysis_store.get(keys)
    per_doc, analysis_reports = incremental.results(per_doc_items, keys)
    if unique.is_empty():
        per_doc = build.analysed(unique, frozenset(), options).tables | per_doc
    progress.phase(f"linking entities, claims, stories and duplicate sentences across {len(keys)} document(s)")
    shards = [ShardResult(per_doc, analysis_reports)]
    corpus = build.corpus_tables(shards)
    resolved = build.run(stage.upto(order.CORPUS, *RESOLVED), corpus, options)[0]
    corpus |= {n: resolved[n] for n in RESOLVED}
    claims = cached_claims(corpus, options, claims_store, incremental.item_of(per_doc_items, "articles", "article_id"), code, shard_size)
    tables, global_reports = build.dataset(shards, [ingested["rejects"], duplicates], options, given=corpus | claims.tables)
    progress.phase("validating every table")
    schemas.validated(tables, schemas.TABLES)
    reports = build.merged_reports([ingest_reports, [dedupe_report], analysis_reports, global_reports])
    inputs = pl.concat(
        [f.select(pl.col("source_file").alias("path"), pl.col("raw_sha256").alias("sha256"), pl.col("n_bytes").alias("bytes")) for f in (ingested["documents"], ingested["rejects"])]
    )
    progress.phase(f"writing the dataset to {out}")
    io.write_dataset_to(tables, out, _manifest(inputs, reports, tables))
    summary = _summary(tables, len(hashes), out)
    state_store.save_index(state, {"code": code, "setting": setting, "inputs": record, "output": io.manifest_digest(out), "summary": summary})
    ingest_store.retain(k for _, k in ordered)
    analysis_store.retain(keys)
    claims_store.retain(claims.keys)
    stats = {"files_read": len(plan.to_read), "files_decoded": decoded, "documents_analysed": analysed_now, "claims_extracted": claims.extracted, "removed": len(plan.removed), "kept": len(plan.kept)}
    logger.info("read %d file(s), decoded %d, analysed %d of %d document(s), extracted the claims of %d", len(plan.to_read), decoded, analysed_now, len(keys), claims.extracted)
    return summary | {"nothing_to_do": False, "incremental": stats}


@flow(name="build-dataset")
def build_dataset(
    input: str = "seeds",
    out: str = "data",
    shard_size: int = DEFAULT_SHARD_SIZE,
    wait: bool = True,
    state: str | None = None,
    keep_removed: bool = False,
    full: bool = False,
    skip_if_busy: bool = False,
    ner: str = "learned",
    gazetteer: str | None = None,
) -> dict:
    """Build (or bring up to date) the dataset from the input files into `out`; returns a summary of the run.

    `state` is the cache folder (default `.<out>.state` beside `out`); `keep_removed` keeps the
    articles of input files that disappeared; `full` discards the cache first. When the output
    is busy: wait, or with `wait=False` raise `io.OutputBusy`, or with `skip_if_busy` log and return.
    """
    started = time.perf_counter()
    state_dir = state_store.state_dir(out, state)
    if not io.is_url(out):
        problem = io.output_problem(out, input, state_dir)
        if problem:
            raise io.NotOurs(problem)
    with io.dataset_lock(io.local_path(out) if not io.is_url(out) else state_dir / "output", wait=wait and not skip_if_busy) as locked:
        if not locked:
            if skip_if_busy:
                get_run_logger().warning("skipped: another build is still writing %s", out)
                return {"skipped": True, "out": str(out), "seconds": round(time.perf_counter() - started, 2)}
            raise io.OutputBusy(f"another build is writing {out}; not starting a second one")
        summary = _build(input, out, state_dir, shard_size, keep_removed, full, BuildOptions(ner, gazetteer))
    return summary | {"seconds": round(time.perf_counter() - started, 2)}


def task_runner(executor: str = "local", address: str | None = None, workers: int | None = None, scratch: Path | None = None):
    """The task runner for an executor: None (Prefect's threads in this process) or Dask.

    Dask connects to the scheduler at `address`, or starts a local cluster of `workers` processes
    (one thread each, bound to 127.0.0.1, no dashboard, spill files under `scratch`).
    """
    if executor == "local":
        return None
    if executor != "dask":
        raise ValueError(f"unknown executor {executor!r}: use 'local' or 'dask'")
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    cluster = {"n_workers": workers or 2, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1", "dashboard_address": None}
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
        cluster["local_directory"] = str(scratch)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=cluster)


def run_build(executor: str = "local", address: str | None = None, workers: int | None = None, **params) -> dict:
    """`build_dataset(**params)` on the executor's task runner, with one temporary server when no API is set."""
    state = state_store.state_dir(params.get("out", "data"), params.get("state"))
    with server.temporary_server() as ready:
        runner = task_runner(executor, address, workers, state / "dask")
        ready()
        return (build_dataset if runner is None else build_dataset.with_options(task_runner=runner))(**params)


@flow(name="scheduled-build")
def scheduled_build(
    input: str = "seeds",
    out: str = "data",
    state: str | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    keep_removed: bool = False,
    executor: str = "local",
    address: str | None = None,
    workers: int | None = None,
    publish: bool = False,
    releases: str | None = None,
    ner: str = "learned",
    gazetteer: str | None = None,
) -> dict:
    """One scheduled run: bring the dataset up to date, skipping (with a log line) while another build writes it.

    With `publish`, a run that changed the dataset is then released (as `python -m pipeline publish` does).
    """
    summary = run_build(executor, address, workers, input=input, out=out, state=state, shard_size=shard_size, keep_removed=keep_removed, wait=False, skip_if_busy=True, ner=ner, gazetteer=gazetteer)
    progress.summary(f"Scheduled run of {input} → {out}", progress.build_rows(summary))
    if publish and not summary.get("skipped") and not summary.get("nothing_to_do"):
        from pipeline.release.publish import publish as publish_release

        publish_release(Path(out), *([Path(releases)] if releases else []))
    return summary
