"""All file-system I/O of the pipeline: listing and reading inputs, writing the dataset.

Writes are atomic: tables are written into a temporary sibling directory on the same file system,
then swapped with the previous dataset in one `renameat2(RENAME_EXCHANGE)` call where the kernel
offers it (two renames otherwise, recovered at the next start). A lock file next to the output
keeps two builds from interleaving.
"""

import contextlib
import ctypes
import errno
import fcntl
import glob
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl

from pipeline.ingest import MAX_FILE_BYTES, InputFile

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
# Cells starting with these run as formulas in spreadsheets; CSV exports prefix them with "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(RuntimeError):
    """The dataset could not be written; the previous dataset is untouched."""


# --- inputs -------------------------------------------------------------------------------


def _is_glob(spec: str) -> bool:
    return any(ch in spec for ch in "*?[")


def input_files(spec: str | Path) -> tuple[Path, list[str]]:
    """(root, sorted paths relative to root) of the input files a directory or glob names.

    A directory yields every file with a text or HTML suffix below it; symbolic links to
    directories are not followed (no loops), links to files are listed and read as files.
    """
    spec = str(spec)
    if _is_glob(spec):
        root = Path(spec.split("*")[0].split("?")[0].split("[")[0] or ".")
        root = root if spec.endswith(os.sep) or root.is_dir() else root.parent
        found = [Path(p) for p in glob.glob(spec, recursive=True) if not os.path.isdir(p)]
        return root, sorted(p.relative_to(root).as_posix() for p in found)
    root = Path(spec)
    if root.is_file():
        return root.parent, [root.name]
    if not root.is_dir():
        raise FileNotFoundError(f"input {spec!r} is neither a directory, a file nor a glob that matches")
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in filenames:
            if name.lower().endswith(INPUT_SUFFIXES):
                found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return root, sorted(found)


def read_input(root: Path, source_file: str) -> InputFile:
    """The file's bytes, or an `unreadable`/`too_large` marker: reading never raises."""
    path = root / source_file
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return InputFile(source_file, None, size, "too_large", f"{size} bytes is over the {MAX_FILE_BYTES}-byte limit per file")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        reason = os.strerror(err.errno) if err.errno else str(err)
        return InputFile(source_file, None, None, "unreadable", f"cannot read the file: {reason}")
    if len(data) > MAX_FILE_BYTES:
        return InputFile(source_file, None, len(data), "too_large", f"over the {MAX_FILE_BYTES}-byte limit per file")
    return InputFile(source_file, data, len(data))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- outputs ------------------------------------------------------------------------------


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as CSV cells: lists as JSON arrays, formula-like strings prefixed with "'"."""
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List):
            col = col.map_elements(lambda v: json.dumps(list(v), ensure_ascii=False), return_dtype=pl.Utf8, skip_nulls=True)
        elif dtype == pl.Utf8:
            risky = pl.any_horizontal([col.str.starts_with(p) for p in FORMULA_PREFIXES])
            col = pl.when(risky).then(pl.lit("'") + col).otherwise(col)
        out.append(col.alias(name))
    return frame.select(out)


def _write_table(frame: pl.DataFrame, directory: Path, name: str) -> list[dict]:
    parquet, csv = directory / f"{name}.parquet", directory / f"{name}.csv"
    frame.write_parquet(parquet, compression="zstd", statistics=True)
    csv_safe(frame).write_csv(csv)
    return [
        {"path": p.name, "table": name, "format": p.suffix[1:], "rows": frame.height, "bytes": p.stat().st_size, "sha256": file_sha256(p)}
        for p in (parquet, csv)
    ]


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the kernel or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _sibling(out: Path, tag: str) -> Path:
    return out.parent / f".{out.name}.{tag}"


def recover_output(out: Path) -> None:
    """Finish or undo a swap that a killed build left half done, and drop its temporary files."""
    old = _sibling(out, "old")
    if old.exists() and not out.exists():
        old.rename(out)
    for leftover in (old, _sibling(out, "tmp")):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


def write_dataset(tables: Mapping[str, pl.DataFrame], out: Path, manifest: dict) -> dict:
    """Write every table as Parquet and CSV plus manifest.json, replacing `out` atomically.

    Returns the manifest written. On any error the previous dataset stays as it was.
    """
    out = Path(out)
    tmp = _sibling(out, "tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover_output(out)
        tmp.mkdir()
        files = [entry for name in tables for entry in _write_table(tables[name], tmp, name)]
        manifest = manifest | {"files": files}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _fsync_dir(tmp)
        if not out.exists():
            tmp.rename(out)
        elif not _exchange(tmp, out):
            old = _sibling(out, "old")
            out.rename(old)
            tmp.rename(out)
        shutil.rmtree(tmp, ignore_errors=True)
        recover_output(out)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        hint = "the disk is full" if err.errno == errno.ENOSPC else "the output directory is not writable" if err.errno in (errno.EACCES, errno.EROFS, errno.EPERM) else err.strerror
        raise OutputError(f"could not write the dataset to {out}: {hint} ({err}); the previous dataset is unchanged") from err
    return manifest


def _fsync_dir(directory: Path) -> None:
    for path in directory.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


@contextlib.contextmanager
def dataset_lock(out: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on `out`; yields False (without the lock) when busy and not waiting."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(_sibling(out, "lock"), "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_dataset(directory: Path, names: list[str]) -> dict[str, pl.DataFrame]:
    """The Parquet tables of a written dataset (those present)."""
    directory = Path(directory)
    return {n: pl.read_parquet(directory / f"{n}.parquet") for n in names if (directory / f"{n}.parquet").exists()}
