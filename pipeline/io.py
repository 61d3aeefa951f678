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
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.ingest import MAX_FILE_BYTES, InputFile

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
# Cells starting with these run as formulas in spreadsheets; CSV exports prefix them with "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Read errors worth retrying: the file or the remote store may answer on the next attempt.
TRANSIENT_ERRNOS = frozenset({errno.EAGAIN, errno.EIO, errno.EINTR, errno.ETIMEDOUT, errno.EBUSY, errno.ESTALE, errno.ECONNRESET, errno.ENOLCK})
# A file changed within this many seconds of being listed may change again within the same
# mtime tick; its size+mtime fingerprint is not trusted to mean "unchanged" next time.
RACY_SECONDS = 2.0


class OutputError(RuntimeError):
    """The dataset could not be written; the previous dataset is untouched."""


def output_error(out: Path | str, err: OSError, what: str = "the dataset") -> OutputError:
    """An OutputError saying in words why writing `what` at `out` failed."""
    if err.errno == errno.ENOSPC:
        hint = "the disk is full"
    elif err.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        hint = "the output directory is not writable"
    else:
        hint = err.strerror or str(err)
    return OutputError(f"could not write {what} to {out}: {hint} ({err}); the previous dataset is unchanged")


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


def is_transient(err: BaseException) -> bool:
    """A read error that may go away on retry (I/O hiccup, busy file, timeout, dropped connection)."""
    if isinstance(err, (TimeoutError, ConnectionError)):
        return True
    return isinstance(err, OSError) and err.errno in TRANSIENT_ERRNOS


def read_input(root: Path, source_file: str, raise_transient: bool = False) -> InputFile:
    """The file's bytes, or an `unreadable`/`too_large` marker.

    Reading never raises, except a transient error when `raise_transient` (so a caller can retry).
    """
    path = root / source_file
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # Opening a named pipe or a device would block or never end.
            return InputFile(source_file, None, None, "unreadable", "not a regular file (a named pipe, device or socket)")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            return InputFile(source_file, None, size, "too_large", f"{size} bytes is over the {MAX_FILE_BYTES}-byte limit per file")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        if raise_transient and is_transient(err):
            raise
        reason = os.strerror(err.errno) if err.errno else str(err)
        return InputFile(source_file, None, None, "unreadable", f"cannot read the file: {reason}")
    if len(data) > MAX_FILE_BYTES:
        return InputFile(source_file, None, len(data), "too_large", f"over the {MAX_FILE_BYTES}-byte limit per file")
    return InputFile(source_file, data, len(data))


# --- fsspec URLs (s3://, gs://, file://, memory://...) ------------------------------------


def is_url(spec: str | Path) -> bool:
    """A remote fsspec URL; `file://` URLs are local paths (see `local_path`)."""
    return "://" in str(spec) and not str(spec).startswith("file://")


def local_path(spec: str | Path) -> Path:
    return Path(str(spec).removeprefix("file://"))


def _fs(url: str):
    # fsspec is imported lazily: only URL inputs and outputs need it. Credentials come from the
    # environment (AWS_*, GOOGLE_APPLICATION_CREDENTIALS...) through the backend's own lookup.
    import fsspec

    return fsspec.core.url_to_fs(url)


@dataclass(frozen=True)
class InputListing:
    """The input files: `root` (a path or URL), sorted relative paths, and a fingerprint per file.

    A fingerprint (size and modification time, or the store's ETag) that is unchanged since the
    last build lets an incremental build skip reading the file; None means "read it to know".
    """

    root: str
    files: list[str]
    fingerprints: dict[str, str | None]


def _remote_listing(spec: str) -> InputListing:
    fs, path = _fs(spec)
    if _is_glob(path):
        base = path.split("*")[0].split("?")[0].split("[")[0].rstrip("/")
        base = base if fs.isdir(base) else base.rsplit("/", 1)[0]
        infos = {p: fs.info(p) for p in fs.glob(path)}
    elif fs.isfile(path):
        base, infos = path.rsplit("/", 1)[0], {path: fs.info(path)}
    elif fs.isdir(path):
        base = path.rstrip("/")
        infos = {p: i for p, i in fs.find(path, detail=True).items() if p.lower().endswith(INPUT_SUFFIXES)}
    else:
        raise FileNotFoundError(f"input {spec!r} is neither a directory, a file nor a glob that matches")
    protocol = spec.split("://", 1)[0]
    prints: dict[str, str | None] = {}
    for p, info in infos.items():
        if info.get("type") == "directory":
            continue
        rel = p[len(base) :].lstrip("/") if p.startswith(base) else p
        version = info.get("ETag") or info.get("etag") or info.get("md5Hash") or info.get("mtime") or info.get("LastModified") or info.get("updated")
        prints[rel] = f"{info.get('size')}:{version}" if version is not None else None
    return InputListing(f"{protocol}://{base}", sorted(prints), prints)


def input_listing(spec: str | Path) -> InputListing:
    """The input files of a directory, glob or fsspec URL, with their fingerprints."""
    if is_url(spec):
        return _remote_listing(str(spec))
    root, files = input_files(str(spec).removeprefix("file://"))
    now = time.time()
    prints: dict[str, str | None] = {}
    for rel in files:
        try:
            st = (root / rel).stat()
        except OSError:
            prints[rel] = None
            continue
        prints[rel] = f"{st.st_size}:{st.st_mtime_ns}" if now - st.st_mtime > RACY_SECONDS else None
    return InputListing(str(root), files, prints)


def read_any(root: str, source_file: str, raise_transient: bool = False) -> InputFile:
    """`read_input` for a local root or an fsspec URL root."""
    if not is_url(root):
        return read_input(local_path(root), source_file, raise_transient)
    url = f"{root.rstrip('/')}/{source_file}"
    try:
        fs, path = _fs(url)
        size = fs.size(path)
        if size is not None and size > MAX_FILE_BYTES:
            return InputFile(source_file, None, size, "too_large", f"{size} bytes is over the {MAX_FILE_BYTES}-byte limit per file")
        with fs.open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except (OSError, TimeoutError, ConnectionError) as err:
        if raise_transient and is_transient(err):
            raise
        return InputFile(source_file, None, None, "unreadable", f"cannot read the file: {err}")
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


_JSON_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_JSON_ESCAPES = _JSON_SHORT_ESCAPES | {chr(c): f"\\u{c:04x}" for c in range(0x20) if chr(c) not in _JSON_SHORT_ESCAPES}


def _json_string_array(col: pl.Expr) -> pl.Expr:
    """A list of strings as the JSON text `json.dumps(list, ensure_ascii=False)` gives, in Polars
    (a per-row Python call cost seconds on large claim tables)."""
    item = pl.when(pl.element().is_null()).then(pl.lit("null")).otherwise(pl.lit('"') + pl.element().str.replace_many(_JSON_ESCAPES) + pl.lit('"'))
    return pl.lit("[") + col.list.eval(item).list.join(", ") + pl.lit("]")


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as CSV cells: lists as JSON arrays, formula-like strings prefixed with "'"."""
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.List(pl.Utf8):
            col = _json_string_array(col)
        elif isinstance(dtype, pl.List):
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
        raise output_error(out, err) from err
    return manifest


def _fsync_dir(directory: Path) -> None:
    for path in directory.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


@contextlib.contextmanager
def dataset_lock(out: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on `out`; yields False (without the lock) when busy and not waiting."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fh = open(_sibling(out, "lock"), "a+")
    except OSError as err:
        raise output_error(out, err) from err
    with fh:
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


def write_dataset_to(tables: Mapping[str, pl.DataFrame], out: str | Path, manifest: dict) -> dict:
    """`write_dataset` for a local path or an fsspec URL; returns the manifest written.

    Object stores have no atomic rename: the tables are written locally, then uploaded one by one
    with manifest.json last, whose hashes tell a reader whether it caught a mix of two versions.
    """
    if not is_url(out):
        return write_dataset(tables, local_path(out), manifest)
    with tempfile.TemporaryDirectory(prefix="newsclean-upload-") as tmp:
        written = write_dataset(tables, Path(tmp) / "data", manifest)
        try:
            fs, path = _fs(str(out))
            fs.makedirs(path, exist_ok=True)
            for name in [f["path"] for f in written["files"]] + ["manifest.json"]:
                fs.put_file(str(Path(tmp) / "data" / name), f"{path.rstrip('/')}/{name}")
        except (OSError, TimeoutError, ConnectionError) as err:
            raise OutputError(f"could not upload the dataset to {out}: {err}") from err
    return written


def manifest_digest(out: str | Path) -> str | None:
    """SHA-256 of the output's manifest.json, None when there is none (no dataset yet)."""
    try:
        if is_url(out):
            fs, path = _fs(str(out))
            with fs.open(f"{path.rstrip('/')}/manifest.json", "rb") as fh:
                return hashlib.sha256(fh.read()).hexdigest()
        return file_sha256(local_path(out) / "manifest.json")
    except (FileNotFoundError, NotADirectoryError):
        return None
