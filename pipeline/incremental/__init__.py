"""Incremental builds: results per item, keyed by everything they depend on.

An item is one input file (ingest), one unique document (analysis, with its sentences'
duplicate-detection signatures) or one article's claims (with its story features). Its
key hashes what its result is a pure function of: for ingest the file's path and bytes; for
analysis also the template lines present in the document (template lines are found across the
whole corpus, so a new file can change how an old one is cleaned) and the build options; for
claims the article's analysis key and its resolved mentions and their entities (resolution is
global, so a new article can change an old one's entities); for all, the code version. Items
whose key is cached are not recomputed; the steps across articles (deduplication, template
lines, entity resolution, claim grouping, and stories and duplicates from the cached features)
rerun over every item each time, so an incremental build gives the same tables as a full rebuild
by construction.

Pure functions; `pipeline.incremental.state` stores the results, `pipeline.orchestration.flows` schedules the work.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipeline.build import ShardResult, StageReport

KEY = "_key"  # the item a cached row belongs to
ROW = "_row"  # the row's position among its item's rows
REPORT_SCHEMA = {KEY: pl.Utf8, "_order": pl.Int32, "stage": pl.Utf8, "rows_in": pl.Int64, "rows_out": pl.Int64, "removed": pl.Utf8, "unit": pl.Utf8, "counted": pl.Utf8}


def cache_key(*parts: object) -> str:
    """A 256-bit hex key: unlike dataset ids, cache keys must never collide across millions of items."""
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8", "surrogateescape")).hexdigest()


def ingest_key(source_file: str, raw_sha256: str, code: str) -> str:
    return cache_key("ingest", code, source_file, raw_sha256)


def analysis_keys(documents: pl.DataFrame, lines: pl.DataFrame, templates: frozenset[str], setting: str, code: str) -> list[str]:
    """The analysis key of each document, in the documents' row order.

    The key covers the template lines present in the document (from `lines`, the ingest stage's
    line keys per file), not the whole template set: a template line found in new files re-cleans
    only the documents that contain it.
    """
    present = (
        lines.join(documents.select("source_file"), on="source_file", how="semi")
        .explode("line_keys")
        .filter(pl.col("line_keys").is_in(pl.Series(sorted(templates), dtype=pl.Utf8).implode()))
        .group_by("source_file")
        .agg(pl.col("line_keys").sort())
    )
    joined = documents.select("source_file", "raw_sha256").join(present, on="source_file", how="left", maintain_order="left")
    return [
        cache_key("analysis", code, setting, path, sha, "\x1f".join(keys or ()))
        for path, sha, keys in joined.iter_rows()
    ]


@dataclass
class Batch:
    """Results of some items: each table has `_key` and `_row` columns; `reports` one row per item and stage."""

    tables: dict[str, pl.DataFrame]
    reports: pl.DataFrame
    keys: list[str] = field(default_factory=list)


def batch(items: Sequence[tuple[str, ShardResult]]) -> Batch:
    """One batch from the results of single items (each computed alone, so it splits exactly)."""
    keys = [k for k, _ in items]
    names = list(dict.fromkeys(name for _, r in items for name in r.tables))
    tables = {}
    for name in names:
        frames = [r.tables[name] for _, r in items if name in r.tables]
        owners = [k for k, r in items if name in r.tables]
        heights = [f.height for f in frames]
        merged = pl.concat(frames, how="vertical_relaxed")
        tables[name] = merged.with_columns(
            pl.Series(KEY, np.repeat(np.array(owners, dtype=object), heights), dtype=pl.Utf8),
            pl.Series(ROW, np.concatenate([np.arange(h, dtype=np.int32) for h in heights]), dtype=pl.Int32),
        )
    return Batch(tables, _report_frame((key, result.reports) for key, result in items), keys)


def _report_frame(items: Iterable[tuple[str, Sequence[StageReport]]]) -> pl.DataFrame:
    rows = [
        (key, order, r.stage, r.rows_in, r.rows_out, json.dumps(dict(sorted(r.removed.items()))), r.unit, json.dumps(dict(sorted(r.counted.items()))))
        for key, reports in items
        for order, r in enumerate(reports)
    ]
    return pl.DataFrame(rows, schema=REPORT_SCHEMA, orient="row")


def _tagged(frame: pl.DataFrame, owners: pl.DataFrame, on: str) -> pl.DataFrame:
    """`frame` with the `_key` of its rows' owners (`owners`: `on` -> `_key`) and their `_row` within it."""
    return frame.join(owners, on=on, how="left", maintain_order="left").with_columns(
        pl.int_range(pl.len(), dtype=pl.Int32).over(KEY).alias(ROW)
    )


def per_document(tables: Mapping[str, pl.DataFrame], reports: Sequence[Sequence[StageReport]], source_files: Sequence[str], keys: Sequence[str]) -> Batch:
    """A batch of documents analysed together (`build.analysed_each`), split by document:
    `keys[i]` is the key of `source_files[i]`, whose reports are `reports[i]`. A table's rows belong
    to the document of their article, or (rejects) to their own source file. Rows keep their order
    within a document: the same rows, in the same order, as the document analysed alone."""
    by_file = pl.DataFrame({"source_file": list(source_files), KEY: list(keys)}, schema={"source_file": pl.Utf8, KEY: pl.Utf8})
    by_article = tables["articles"].select("article_id", "source_file").join(by_file, on="source_file").drop("source_file")
    found = {
        name: _tagged(frame, by_article, "article_id") if "article_id" in frame.columns else _tagged(frame, by_file, "source_file")
        for name, frame in tables.items()
    }
    return Batch(found, _report_frame(zip(keys, reports)), list(keys))


def empty_batch() -> Batch:
    return Batch({}, pl.DataFrame(schema=REPORT_SCHEMA), [])


def concatenated(batches: Sequence[Batch]) -> Batch:
    names = list(dict.fromkeys(n for b in batches for n in b.tables))
    return Batch(
        {n: pl.concat([b.tables[n] for b in batches if n in b.tables], how="vertical_relaxed") for n in names},
        pl.concat([b.reports for b in batches], how="vertical"),
        [k for b in batches for k in b.keys],
    )


def results(source: Batch, keys: Sequence[str]) -> tuple[dict[str, pl.DataFrame], list[StageReport]]:
    """The tables and merged stage reports of `keys`' items, in the order of `keys`.

    Rows keep their order within an item; bookkeeping columns are dropped. Every key must be in
    `source` (a missing one is a bug in the caller's planning, not a cache miss).
    """
    missing = set(keys) - set(source.keys)
    if missing:
        raise KeyError(f"{len(missing)} item(s) have no result, e.g. {sorted(missing)[0]}")
    rank = pl.DataFrame({KEY: list(keys), "_rank": np.arange(len(keys), dtype=np.int64)}, schema={KEY: pl.Utf8, "_rank": pl.Int64})
    tables = {
        name: frame.join(rank, on=KEY, how="inner").sort("_rank", ROW).drop(KEY, ROW, "_rank")
        for name, frame in source.tables.items()
    }
    # Summed in Polars, stage by stage in first-seen order: a report object per item and stage was
    # most of the cost of an incremental build's bookkeeping.
    stages = (
        source.reports.join(rank, on=KEY, how="inner").sort("_rank", "_order")
        .group_by("stage", maintain_order=True)
        .agg(pl.col("rows_in").sum(), pl.col("rows_out").sum(), *(pl.col(c).filter(pl.col(c) != "{}") for c in ("removed", "counted")), pl.col("unit").first())
    )
    reports = []
    for stage, rows_in, rows_out, removed, counted, unit in stages.iter_rows():
        reports.append(StageReport(stage, rows_in, rows_out, _summed(removed), unit, _summed(counted)))
    return tables, reports


def _summed(items: Iterable[str]) -> Counter:
    counts = Counter()
    for item in items:
        counts.update(json.loads(item))
    return counts


def item_of(source: Batch, table: str, column: str) -> dict[str, str]:
    """{value of `column`: key of the item whose `table` rows hold it}, e.g. article_id -> analysis key."""
    frame = source.tables.get(table)
    return {} if frame is None else dict(frame.select(column, KEY).iter_rows())


# What claim extraction reads of the entity rows; their counts and aliases change with every
# new article and must not invalidate the claims of old ones.
CLAIM_ENTITY_FIELDS = ("entity_id", "name", "type", "wikidata_id")


def claim_keys(article_ids: Sequence[str], mentions: pl.DataFrame, entities: pl.DataFrame, analysis_of: Mapping[str, str], code: str) -> list[str]:
    """The claims key of each article: its analysis key (text, sentences, quantities, dates), its
    resolved mentions and the entity rows they point to, and the code version.

    Entity resolution is global, so a new article can change the entity of an old article's
    mention ("Biden" once "Joe Biden" is seen): only then does the old article's key change.
    """
    fields = [pl.col(c).cast(pl.Utf8).fill_null("\x00") for c in CLAIM_ENTITY_FIELDS]
    rows = entities.select("entity_id", pl.concat_str(fields, separator="\x1f").alias("_entity"))
    own = [pl.col(c).cast(pl.Utf8).fill_null("\x00") for c in mentions.columns if c != "article_id"]
    digests = (
        mentions.join(rows, on="entity_id", how="left")
        .sort("article_id", "start", "end", "mention_id")
        .group_by("article_id", maintain_order=True)
        .agg(pl.concat_str([*own, pl.col("_entity").fill_null("\x00")], separator="\x1f").str.join("\x1e").alias("_mentions"))
    )
    joined = pl.DataFrame({"article_id": list(article_ids)}, schema={"article_id": pl.Utf8}).join(digests, on="article_id", how="left", maintain_order="left")
    return [cache_key("claims", code, analysis_of[a], text) for a, text in joined.iter_rows()]


def of_articles(frame: pl.DataFrame, article_ids: Sequence[str]) -> pl.DataFrame:
    """The rows of `frame` that belong to those articles, in their order."""
    return frame.join(pl.DataFrame({"article_id": list(article_ids)}, schema={"article_id": pl.Utf8}), on="article_id", how="semi", maintain_order="left")


def split(frame: pl.DataFrame, table: str, owners: Mapping[str, str]) -> Batch:
    """A batch of one table computed over several items at once, split by article: `owners`
    maps each article_id to its item's key (an item with no rows is cached as having none)."""
    owner = pl.DataFrame({"article_id": list(owners), KEY: list(owners.values())}, schema={"article_id": pl.Utf8, KEY: pl.Utf8})
    return Batch({table: _tagged(frame, owner, "article_id")}, pl.DataFrame(schema=REPORT_SCHEMA), list(owners.values()))


@dataclass(frozen=True)
class Plan:
    """Which input files to read, given the last build's record of them."""

    unchanged: dict[str, str]  # path -> sha256: same fingerprint and cached, not read again
    to_read: list[str]
    known: dict[str, str]  # path -> last sha256 with a cached ingest result: read, decoded only if changed
    removed: list[str]
    kept: dict[str, str]  # removed files kept in the dataset (keep_removed): path -> sha256


def plan(files: Sequence[str], fingerprints: Mapping[str, str | None], previous: Mapping[str, dict], cached: set[str], code: str, keep_removed: bool) -> Plan:
    """Sort the input files into unchanged, to read, removed and kept.

    `previous` is the last build's {path: {"sha256", "fingerprint"}}; `cached` the ingest keys
    in the cache. A file is trusted unchanged only when its fingerprint is the recorded one and
    its result is cached under the current code version.
    """
    unchanged, to_read, known = {}, [], {}
    for path in files:
        last = previous.get(path)
        sha = last and last.get("sha256")
        is_cached = bool(sha) and ingest_key(path, sha, code) in cached
        if is_cached and fingerprints.get(path) is not None and fingerprints.get(path) == last.get("fingerprint"):
            unchanged[path] = sha
            continue
        to_read.append(path)
        if is_cached:
            known[path] = sha
    listed = set(files)
    removed = sorted(p for p in previous if p not in listed)
    kept = {}
    if keep_removed:
        kept = {p: previous[p]["sha256"] for p in removed if previous[p].get("sha256") and ingest_key(p, previous[p]["sha256"], code) in cached}
    return Plan(unchanged, to_read, known, removed, kept)
