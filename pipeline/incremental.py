"""Incremental builds: results per item, keyed by everything they depend on.

An item is one input file (ingest) or one unique document (analysis). Its key hashes what its
result is a pure function of: for ingest the file's path and bytes; for analysis also the
template lines present in the document (template lines are found across the whole corpus, so a
new file can change how an old one is cleaned), the build options and, for both, the code
version. Items whose key is cached are not recomputed; the steps across articles (deduplication,
template lines, `build.dataset`) rerun over every item each time, so an incremental build gives
the same tables as a full rebuild by construction.

Pure functions; `pipeline.state` stores the results, `pipeline.flows` schedules the work.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipeline.boilerplate import line_key
from pipeline.build import ShardResult, StageReport, merged_reports

KEY = "_key"  # the item a cached row belongs to
ROW = "_row"  # the row's position among its item's rows
REPORT_SCHEMA = {KEY: pl.Utf8, "_order": pl.Int32, "stage": pl.Utf8, "rows_in": pl.Int64, "rows_out": pl.Int64, "removed": pl.Utf8}
LINES_SCHEMA = {"source_file": pl.Utf8, "line_hashes": pl.List(pl.UInt64)}


def cache_key(*parts: object) -> str:
    """A 256-bit hex key: unlike dataset ids, cache keys must never collide across millions of items."""
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8", "surrogateescape")).hexdigest()


def ingest_key(source_file: str, raw_sha256: str, code: str) -> str:
    return cache_key("ingest", code, source_file, raw_sha256)


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def line_hashes(raw_text: str) -> list[int]:
    """Hashes of the document's line keys: the lines `template_line_keys` counts across documents."""
    keys = {line_key(s) for s in raw_text.split("\n") if s.strip()}
    keys.discard("")
    return sorted(_hash64(k) for k in keys)


def document_lines(documents: pl.DataFrame) -> pl.DataFrame:
    """(source_file, line_hashes) of each document, kept in the ingest cache."""
    return pl.DataFrame(
        {"source_file": documents["source_file"], "line_hashes": [line_hashes(t) for t in documents["raw_text"]]}, schema=LINES_SCHEMA
    )


def analysis_keys(documents: pl.DataFrame, lines: pl.DataFrame, templates: frozenset[str], setting: str, code: str) -> list[str]:
    """The analysis key of each document, in the documents' row order.

    The key covers the template lines present in the document, not the whole template set:
    a template line found in new files re-cleans only the documents that contain it.
    """
    template_hashes = pl.Series("t", sorted(_hash64(k) for k in templates), dtype=pl.UInt64)
    present = (
        lines.join(documents.select("source_file"), on="source_file", how="semi")
        .explode("line_hashes")
        .filter(pl.col("line_hashes").is_in(template_hashes.implode()))
        .group_by("source_file")
        .agg(pl.col("line_hashes").sort())
    )
    joined = documents.select("source_file", "raw_sha256").join(present, on="source_file", how="left", maintain_order="left")
    return [
        cache_key("analysis", code, setting, path, sha, ",".join(map(str, hashes or ())))
        for path, sha, hashes in joined.iter_rows()
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
    reports = [
        (key, order, r.stage, r.rows_in, r.rows_out, json.dumps(dict(sorted(r.removed.items()))))
        for key, result in items
        for order, r in enumerate(result.reports)
    ]
    return Batch(tables, pl.DataFrame(reports, schema=REPORT_SCHEMA, orient="row"), keys)


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
    rows = source.reports.join(rank, on=KEY, how="inner").sort("_rank", "_order")
    groups: dict[str, list[StageReport]] = {}
    for key, stage, rows_in, rows_out, removed in rows.select(KEY, "stage", "rows_in", "rows_out", "removed").iter_rows():
        groups.setdefault(key, []).append(StageReport(stage, rows_in, rows_out, Counter(json.loads(removed))))
    return tables, merged_reports(list(groups.values()))


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
