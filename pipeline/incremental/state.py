"""The state folder of incremental builds: cached item results and the record of the last build.

Layout (never inside the output, which is swapped atomically):

    <state>/index.json             the last build: code version, options, inputs with hashes
    <state>/ingest/<segment>/      cached ingest results: one Parquet file per table, plus
    <state>/analysis/<segment>/    keys.parquet and reports.parquet
    <state>/claims/<segment>/      cached claims of articles, before grouping

A segment holds the results of one finished shard; it is written to a temporary name and
renamed, so a crashed run leaves whole segments only, and the next run reuses them. After each
build, segments are pruned to the items still in use and merged when they grow many.

Each segment's `sums.json` holds the sha256 of its files: a segment that does not match (a
truncated or edited file) is dropped with a warning and its items are computed again. The build
removes only what it wrote: segment folders (named by their hash) and the files in them it
names; anything else a user keeps in the state folder stays.
"""

import functools
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterable
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
SUMS = "sums.json"
_SEGMENT_NAME = re.compile(r"\.?[0-9a-f]{24}(?:\.tmp)?")
_log = logging.getLogger(__name__)


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


def state_dir(out: str, state: str | None = None) -> Path:
    """The state folder of a build of `out`: `state` when given (`--state`), else the default one."""
    return Path(state) if state else default_state_dir(out)


def file_digest(path: str | None) -> str | None:
    """SHA-256 of an option's file (a user gazetteer), so editing it invalidates the cache."""
    return io.file_sha256(Path(path)) if path else None


def load_index(state: Path, warn: Callable[[str], None] = _log.warning) -> dict:
    """The last build's record, or an empty one (first build, a state folder from another format,
    or a damaged index: then with a warning, and every input is read again)."""
    path = state / "index.json"
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"inputs": {}}
    except (OSError, ValueError) as err:
        warn(f"the build cache's {path} is damaged ({type(err).__name__}); ignoring it, every input is read again")
        return {"inputs": {}}
    if not isinstance(index, dict) or index.get("format") != INDEX_FORMAT:
        return {"inputs": {}}
    inputs = index.get("inputs")
    if not isinstance(inputs, dict) or not all(isinstance(e, dict) for e in inputs.values()):
        warn(f"the build cache's {path} is damaged (no record of the inputs); ignoring it, every input is read again")
        return {"inputs": {}}
    return index


def index_problem(state: Path) -> str | None:
    """Why the state folder's index.json is not the tool's to replace, None when it is (or there is
    none): a JSON file without the index's fields, or junk in a folder that holds no cache of ours
    (junk beside the cache is a damaged index of ours, replaced with a warning)."""
    path = state / "index.json"
    if not os.path.lexists(path):
        return None
    refusal = f"refusing to use {state} as the state folder: its index.json was not written by newsclean; give a new or empty folder as --state"
    if path.is_symlink() or not path.is_file():
        return refusal
    try:
        index = json.loads(path.read_bytes())
    except ValueError:
        return None if any((state / store).is_dir() for store in STORES) else refusal
    except OSError:
        return None  # unreadable: the build's own write then fails with a clear error
    return None if isinstance(index, dict) and "format" in index and "inputs" in index else refusal


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


def _remove_segment(folder: Path) -> None:
    """Remove a segment folder: the Parquet files and sums it holds, then the folder if that
    emptied it. A segment name the tool did not make, and any other file, is left alone."""
    if not _SEGMENT_NAME.fullmatch(folder.name) or folder.is_symlink() or not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and (entry.name.endswith(".parquet") or entry.name == SUMS):
            os.unlink(entry.path)
    try:
        folder.rmdir()
    except OSError:
        pass


def clear(state: Path) -> None:
    """Forget the cache and the last build: the segments and index the tool wrote (the lock, any
    Dask scratch space and anything else in the folder stay)."""
    for store in STORES:
        folder = state / store
        if folder.is_dir() and not folder.is_symlink():
            for entry in os.scandir(folder):
                _remove_segment(Path(entry.path))
            try:
                folder.rmdir()
            except OSError:
                pass
    (state / "index.json").unlink(missing_ok=True)


def _sums_match(segment: Path) -> bool:
    """Every file of the segment is there with the sha256 its sums.json records."""
    try:
        sums = json.loads((segment / SUMS).read_text(encoding="utf-8"))
        present = {p.name for p in segment.glob("*.parquet")}
        return isinstance(sums, dict) and set(sums) == present and "keys.parquet" in present and all(
            io.file_sha256(segment / name) == digest for name, digest in sums.items())
    except (OSError, ValueError):
        return False


class ResultStore:
    """Cached item results (see `pipeline.incremental.Batch`) in segments under one folder."""

    def __init__(self, directory: Path, warn: Callable[[str], None] = _log.warning):
        self.directory = Path(directory)
        self.warn = warn
        self._keys: dict[str, frozenset[str]] | None = None

    def _segments(self) -> dict[str, frozenset[str]]:
        """{segment name: its keys} of the segments that verify; a damaged one is dropped with a warning."""
        if self._keys is None:
            found = sorted(p for p in self.directory.glob("*") if p.is_dir() and not p.is_symlink() and _SEGMENT_NAME.fullmatch(p.name) and not p.name.startswith("."))
            self._keys = {}
            for segment in found:
                keys = None
                if _sums_match(segment):
                    try:
                        keys = frozenset(pl.read_parquet(segment / "keys.parquet")[KEY].to_list())
                    except (OSError, pl.exceptions.PolarsError):
                        keys = None
                if keys is None:
                    self.warn(f"the build cache's {segment} is damaged (a file is missing or does not match its checksum); dropping it, its results are computed again")
                    _remove_segment(segment)
                    continue
                self._keys[segment.name] = keys
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
            _remove_segment(tmp)
            tmp.mkdir(parents=True)
            frames = {"keys": pl.DataFrame({KEY: items.keys}, schema={KEY: pl.Utf8}), "reports": items.reports} | items.tables
            for table, frame in frames.items():
                _write_parquet(frame, tmp / f"{table}.parquet")
            sums = {f"{table}.parquet": io.file_sha256(tmp / f"{table}.parquet") for table in frames}
            (tmp / SUMS).write_text(json.dumps(sums, sort_keys=True), encoding="utf-8")
            if final.exists():
                _remove_segment(tmp)
            else:
                os.rename(tmp, final)
        except OSError as err:
            _remove_segment(tmp)
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
                _remove_segment(self.directory / name)
                del segments[name]
