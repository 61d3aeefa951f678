"""The state folder of incremental builds: cached item results and the record of the last build.

Layout (never inside the output, which is swapped atomically):

    <state>/index.json             the last build: code version, options, inputs with hashes
    <state>/ingest/<segment>/      cached ingest results: one Parquet file per table, plus
    <state>/analysis/<segment>/    keys.parquet and reports.parquet
    <state>/claims/<segment>/      cached claims of articles, before grouping

A segment holds the results of one finished shard; it is written to a temporary name and
renamed, so a crashed run leaves whole segments only, and the next run reuses them. After each
build, segments are pruned to the items still in use and merged when they grow many.
"""

import functools
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

import polars as pl

import pipeline
import schemas
from pipeline import io
from pipeline.incremental import KEY, Batch, cache_key, concatenated, empty_batch

MAX_SEGMENTS = 16
STORES = ("ingest", "analysis", "claims")
INDEX_FORMAT = 1


@functools.cache
def code_version() -> str:
    """Hash of the pipeline's and schemas' source files and shipped data: a code change invalidates caches."""
    digest = hashlib.sha256()
    for package in (pipeline, schemas):
        base = Path(package.__file__).parent
        for path in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".json", ".txt", ".npz") and "__pycache__" not in p.parts):
            digest.update(path.relative_to(base.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def default_state_dir(out: str) -> Path:
    """`.<out name>.state` beside a local output; for an object-store output a local folder named after its URL."""
    if io.is_url(out):
        return Path(".newsclean-state") / cache_key(out)[:16]
    out_path = io.local_path(out)
    return out_path.parent / f".{out_path.name}.state"


def file_digest(path: str | None) -> str | None:
    """SHA-256 of an option's file (a user gazetteer), so editing it invalidates the cache."""
    return io.file_sha256(Path(path)) if path else None


def load_index(state: Path) -> dict:
    """The last build's record, or an empty one (first build, or a state folder from another format)."""
    try:
        index = json.loads((state / "index.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"inputs": {}}
    return index if index.get("format") == INDEX_FORMAT else {"inputs": {}}


def save_index(state: Path, index: dict) -> None:
    try:
        state.mkdir(parents=True, exist_ok=True)
        tmp = state / "index.json.tmp"
        tmp.write_text(json.dumps(index | {"format": INDEX_FORMAT}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, state / "index.json")
    except OSError as err:
        raise io.output_error(state, err, "the build cache") from err


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """Write through Python's file API so a full disk raises OSError with its errno (Polars' own
    writer reports it as a generic ComputeError)."""
    buffer = BytesIO()
    frame.write_parquet(buffer)
    path.write_bytes(buffer.getvalue())


def clear(state: Path) -> None:
    """Forget the cache and the last build (the lock and any Dask scratch space stay)."""
    for store in STORES:
        shutil.rmtree(state / store, ignore_errors=True)
    (state / "index.json").unlink(missing_ok=True)


class ResultStore:
    """Cached item results (see `pipeline.incremental.Batch`) in segments under one folder."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._keys: dict[str, frozenset[str]] | None = None

    def _segments(self) -> dict[str, frozenset[str]]:
        if self._keys is None:
            found = sorted(p for p in self.directory.glob("*") if p.is_dir() and not p.name.startswith("."))
            self._keys = {p.name: frozenset(pl.read_parquet(p / "keys.parquet")[KEY].to_list()) for p in found if (p / "keys.parquet").exists()}
        return self._keys

    def keys(self) -> set[str]:
        return set().union(*self._segments().values())

    def put(self, items: Batch) -> None:
        """Store a batch as one segment, atomically; an identical segment already there is kept."""
        if not items.keys:
            return
        name = cache_key(*sorted(items.keys))[:24]
        final, tmp = self.directory / name, self.directory / f".{name}.tmp"
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            _write_parquet(pl.DataFrame({KEY: items.keys}, schema={KEY: pl.Utf8}), tmp / "keys.parquet")
            _write_parquet(items.reports, tmp / "reports.parquet")
            for table, frame in items.tables.items():
                _write_parquet(frame, tmp / f"{table}.parquet")
            if final.exists():
                shutil.rmtree(tmp)
            else:
                os.rename(tmp, final)
        except OSError as err:
            shutil.rmtree(tmp, ignore_errors=True)
            raise io.output_error(self.directory, err, "the build cache") from err
        self._segments()[name] = frozenset(items.keys)

    def get(self, keys: Iterable[str]) -> Batch:
        """The cached results of those of `keys` that are stored (each from one segment)."""
        wanted = set(keys)
        parts = []
        for name, stored in self._segments().items():
            mine = sorted(stored & wanted)
            if not mine:
                continue
            wanted -= stored
            key_filter = pl.col(KEY).is_in(pl.Series(mine, dtype=pl.Utf8).implode())
            segment = self.directory / name
            tables = {p.stem: pl.scan_parquet(p).filter(key_filter).collect() for p in sorted(segment.glob("*.parquet")) if p.stem not in ("keys", "reports")}
            parts.append(Batch(tables, pl.scan_parquet(segment / "reports.parquet").filter(key_filter).collect(), mine))
        return concatenated(parts) if parts else empty_batch()

    def retain(self, keys: Iterable[str]) -> None:
        """Drop every item not in `keys`; merge the segments into one when they are many or mostly dead."""
        live = set(keys)
        segments = self._segments()
        total = sum(len(s) for s in segments.values())
        used = sum(len(s & live) for s in segments.values())
        if len(segments) > MAX_SEGMENTS or (total and used < total / 2):
            merged = self.get(live)
            self.put(merged)
            keep = {cache_key(*sorted(merged.keys))[:24]} if merged.keys else set()
        else:
            keep = {name for name, stored in segments.items() if stored & live}
        for name in list(segments):
            if name not in keep:
                shutil.rmtree(self.directory / name, ignore_errors=True)
                del segments[name]
