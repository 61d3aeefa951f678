"""All file-system I/O of the pipeline: listing and reading inputs, writing the dataset.

Writes are atomic: tables are written into a temporary sibling directory on the same file system,
then swapped with the previous dataset in one `renameat2(RENAME_EXCHANGE)` call where the kernel
offers it (two renames otherwise, recovered at the next start). A lock file next to the output
keeps two builds from interleaving.

The output folder is replaced only when the tool owns it (`ownership_problem`): it is new, empty,
or a newsclean dataset holding nothing but its manifest.json and the files that manifest lists.
The swapped-out copy is then removed file by file, only the names the tool wrote, so a file
dropped in meanwhile survives. A symbolic link as the output is followed: the dataset is written
(and swapped) where the link points, and the link stays.
"""

import contextlib
import ctypes
import errno
import fcntl
import glob
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.stages.ingest import MAX_FILE_BYTES, InputFile

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
# Cells starting with these run as formulas in spreadsheets; CSV exports prefix them with "'".
# Spreadsheets skip leading white space (NBSP and U+3000 too) and read fullwidth signs as ASCII.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
MANIFEST = "manifest.json"
DATASET_NAME = "newsclean"
# A manifest bigger than this is not one the tool wrote (it lists a few dozen files).
MAX_MANIFEST_BYTES = 16 << 20
# Marks a temporary output folder as the tool's while its manifest is not written yet.
TMP_MARK = ".newsclean-tmp"
_WRITTEN_SUFFIXES = (".parquet", ".csv", ".json")
# A table is one Parquet and one CSV file until it outgrows a part; then it is cut, in its row order,
# into parts named as Hugging Face names shards (`sentences-00000-of-00004.parquet`), so the glob
# `<table>*.parquet` reads either layout in Polars, DuckDB, pandas (a `glob.glob` list) and `datasets`,
# and a reader that opens `<table>.parquet` keeps working for every table below the size.
PART_TEXT_BYTES = 256 << 20  # bytes of text (all string columns) per part: a few hundred MB of Parquet at most
PART_ROWS = 4_000_000  # rows per part, for tables of short rows (mentions, sentences)
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


class NotOurs(OutputError):
    """The output or state folder holds files the tool did not write: nothing was touched."""


# --- inputs -------------------------------------------------------------------------------


def is_glob(spec: str) -> bool:
    return any(ch in spec for ch in "*?[")


def _glob_root(spec: str) -> Path:
    """The folder a glob's fixed prefix names: what its matches are relative to."""
    root = Path(spec.split("*")[0].split("?")[0].split("[")[0] or ".")
    return root if spec.endswith(os.sep) or root.is_dir() else root.parent


def input_files(spec: str | Path) -> tuple[Path, list[str]]:
    """(root, sorted paths relative to root) of the input files a directory or glob names.

    A directory yields every file with a text or HTML suffix below it; symbolic links to
    directories are not followed (no loops), links to files are listed and read as files.
    """
    spec = str(spec)
    if is_glob(spec):
        root = _glob_root(spec)
        found = [Path(p) for p in glob.glob(spec, recursive=True) if not os.path.isdir(p)]
        return root, sorted(p.relative_to(root).as_posix() for p in found)
    root = Path(spec)
    if root.is_file():
        return root.parent, [root.name]
    if not root.is_dir():
        raise FileNotFoundError(f"input {spec!r} is neither a directory, a file nor a glob that matches")
    return root, sorted(_walk(root))


def _walk(root: Path) -> list[str]:
    """Relative paths of the input files below `root`, walked with a stack (a tree thousands of
    levels deep is no recursion); links to directories are not entered, unreadable folders skipped."""
    found, stack = [], [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(e.name, e.path, e.is_dir(follow_symlinks=False), e.is_symlink()) for e in entries]
        except OSError:
            continue
        for name, path, is_dir, is_link in listed:
            if is_dir:
                stack.append((path, f"{prefix}{name}/"))
            elif name.lower().endswith(INPUT_SUFFIXES) and not (is_link and os.path.isdir(path)):
                found.append(prefix + name)
    return found


def is_transient(err: BaseException) -> bool:
    """A read error that may go away on retry (I/O hiccup, busy file, timeout, dropped connection)."""
    if isinstance(err, (TimeoutError, ConnectionError)):
        return True
    return isinstance(err, OSError) and err.errno in TRANSIENT_ERRNOS


READ_BLOCK = 64 * 1024  # under glibc's mmap threshold: a block lives on the heap, not in a map of its own


def read_bounded(fh, size: int | None, limit: int) -> bytes:
    """The file's bytes, up to `limit` + 1 (more means too large), into a buffer of their size.

    `fh.read(limit + 1)` allocates the whole limit (16 MiB) and shrinks it: glibc keeps each such
    buffer as a memory map of its own, and a 100,000-file build ran out of the kernel's 65,530 maps
    (issue 17). So the `size` the file was stat'ed at is read first, into a buffer of that size,
    then whatever it grew by, in blocks.
    """
    parts = []
    total = 0
    want = (min(size, limit) if size is not None else 0) or READ_BLOCK
    while total <= limit:
        block = fh.read(min(want, limit + 1 - total))
        if not block:
            break
        parts.append(block)
        total += len(block)
        want = READ_BLOCK
    return parts[0] if len(parts) == 1 else b"".join(parts)


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
        with open(path, "rb", buffering=0) as fh:
            data = read_bounded(fh, size, MAX_FILE_BYTES)
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
    if is_glob(path):
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
            data = read_bounded(fh, size, MAX_FILE_BYTES)
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
            stripped = col.str.strip_chars_start()
            risky = pl.any_horizontal([col.str.starts_with(p) for p in FORMULA_PREFIXES] + [stripped.str.starts_with(p) for p in FORMULA_SIGNS])
            col = pl.when(risky).then(pl.lit("'") + col).otherwise(col)
        out.append(col.alias(name))
    return frame.select(out)


def table_parts(frame: pl.DataFrame, part_text_bytes: int = PART_TEXT_BYTES, part_rows: int = PART_ROWS) -> list[pl.DataFrame]:
    """The table cut into consecutive, near-equal parts within both sizes (one part when it fits).

    Sizes are counted in the content (rows, bytes of string columns), not in memory, so the same
    table always gives the same parts, whatever the shards it was built from."""
    strings = [name for name, dtype in frame.schema.items() if dtype == pl.Utf8]
    text = frame.select(pl.sum_horizontal(pl.col(c).str.len_bytes().sum() for c in strings)).item() if strings and frame.height else 0
    wanted = max(1, -(-frame.height // part_rows), -(-text // part_text_bytes))
    if wanted == 1:
        return [frame]
    rows = -(-frame.height // wanted)
    return [frame.slice(start, rows) for start in range(0, frame.height, rows)]


def part_path(table: str, index: int, count: int, suffix: str) -> str:
    """The file name of part `index` of `count` of a table (`<table><suffix>` when it is whole)."""
    return f"{table}{suffix}" if count == 1 else f"{table}-{index:05d}-of-{count:05d}{suffix}"


def _write_table(parts: list[pl.DataFrame], directory: Path, name: str) -> list[dict]:
    """Write a table's parts (`table_parts`) as Parquet and CSV; their manifest entries."""
    entries = []
    for fmt in ("parquet", "csv"):
        for i, part in enumerate(parts):
            path = directory / part_path(name, i, len(parts), f".{fmt}")
            if fmt == "parquet":
                part.write_parquet(path, compression="zstd", statistics=True)
            else:
                csv_safe(part).write_csv(path)
            entries.append({"path": path.name, "table": name, "format": fmt, "rows": part.height, "bytes": path.stat().st_size, "sha256": file_sha256(path)})
    return entries


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


def resolved(out: Path | str) -> Path:
    """The folder a local output names, symbolic links followed (the link itself is never replaced)."""
    return Path(os.path.realpath(out))


def _listed_files(folder: Path) -> set[str] | None:
    """manifest.json and the names its `files` list, when `folder` holds a newsclean dataset; else None."""
    try:
        fd = os.open(folder / MANIFEST, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
        manifest = json.loads(raw)
        names = {f["path"] for f in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if len(raw) > MAX_MANIFEST_BYTES or manifest.get("dataset") != DATASET_NAME or not all(isinstance(n, str) and "/" not in n for n in names):
        return None
    return names | {MANIFEST}


def _sample(names: list[str]) -> str:
    return ", ".join(map(repr, names[:5])) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def ownership_problem(out: Path) -> str | None:
    """Why the tool may not replace the folder `out` (links already resolved), or None when it may:
    it does not exist, is empty, or holds a newsclean dataset and nothing else."""
    if not os.path.lexists(out):
        return None
    if not out.is_dir():
        return f"{out} is a file, not a folder; give a new or empty folder as the output"
    try:
        with os.scandir(out) as entries:
            present = [(e.name, e.is_file(follow_symlinks=False)) for e in entries]
    except OSError as err:
        return f"{out} cannot be listed ({err.strerror}); give a new or empty folder as the output"
    if not present:
        return None
    listed = _listed_files(out)
    if listed is None:
        return (f"{out} is not empty and holds no newsclean dataset (no manifest.json written by this tool): "
                f"it holds {_sample(sorted(n for n, _ in present))}; give a new or empty folder as the output")
    foreign = sorted(n for n, is_file in present if n not in listed or not is_file)
    if foreign:
        return (f"{out} holds files newsclean did not write: {_sample(foreign)}; move them out of it, "
                f"or give a new or empty folder as the output")
    return None


def _inside(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b)


def _nearest_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def output_problem(out: str | Path, input_spec: str | Path | None = None, state: str | Path | None = None) -> str | None:
    """Why a build may not write the local output `out` (with these input and state folders), or None.

    Refused: the home folder, `/`, a mount point, a folder that is, contains or lies inside the
    input, a state folder inside the output, an output the tool does not own, and an output
    whose folder cannot be written. Checked before anything is written.
    """
    real = resolved(out)
    home = resolved(Path.home())
    if real == Path("/") or real == home:
        return f"refusing to write the dataset to {out}: it is {'the root folder' if real == Path('/') else 'your home folder'}; give a folder of its own, e.g. {out}/newsclean-data"
    if os.path.isdir(real) and os.path.ismount(real):
        return f"refusing to write the dataset to {out}: it is a mount point (the swap would replace the whole file system's root); give a folder inside it"
    if input_spec is not None and not is_url(input_spec):
        spec = str(local_path(input_spec))
        root = _glob_root(spec) if is_glob(spec) else Path(spec)
        if os.path.lexists(root):
            inp = resolved(root)
            if _inside(real, inp) or inp.is_relative_to(real):
                how = "is" if real == inp else ("lies inside" if real.is_relative_to(inp) else "contains")
                return f"refusing to write the dataset to {out}: it {how} the input {input_spec}; give an output folder outside the input"
    if state is not None:
        st = resolved(state)
        if _inside(st, real):
            return f"refusing to use the state folder {state}: it lies inside the output {out}, which is replaced by each build; put it beside the output"
    problem = ownership_problem(real)
    if problem:
        return f"refusing to write the dataset to {out}: {problem}"
    writable = _nearest_existing(real.parent)
    if not os.access(writable, os.W_OK | os.X_OK):
        return f"could not write the dataset to {out}: the output directory is not writable ({writable}); the previous dataset is unchanged"
    return None


def _remove_ours(folder: Path) -> bool:
    """Remove a dataset folder the tool wrote (listed in its manifest, or a marked temporary one),
    file by file, only the names it wrote; True when the folder is gone. Anything else stays."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    listed = _listed_files(folder) or set()
    marked = (folder / TMP_MARK).is_file()
    with os.scandir(folder) as entries:
        for entry in list(entries):
            ours = entry.name in listed or (marked and (entry.name == TMP_MARK or entry.name.endswith(_WRITTEN_SUFFIXES)))
            if ours and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
    try:
        folder.rmdir()
    except OSError:
        return False
    return True


def recover_output(out: Path) -> None:
    """Finish or undo a swap that a killed build left half done, and drop its temporary files.

    A leftover folder holding anything the tool did not write is left where it is, and the write
    is refused (NotOurs) until it is moved away.
    """
    old = _sibling(out, "old")
    if old.exists() and not out.exists():
        old.rename(out)
    for leftover in (old, _sibling(out, "tmp")):
        if os.path.lexists(leftover) and not _remove_ours(leftover):
            raise NotOurs(f"refusing to write the dataset to {out}: {leftover} is in the way and holds files newsclean did not write; move it away")


def write_dataset(tables: Mapping[str, pl.DataFrame], out: Path, manifest: dict, part_text_bytes: int = PART_TEXT_BYTES, part_rows: int = PART_ROWS) -> dict:
    """Write every table as Parquet and CSV (in parts past the sizes, see `table_parts`) plus
    manifest.json, replacing `out` atomically.

    Returns the manifest written. On any error the previous dataset stays as it was. An output
    the tool does not own (`ownership_problem`) is refused with NotOurs before anything is written.
    """
    out = resolved(out)
    problem = ownership_problem(out)
    if problem:
        raise NotOurs(f"refusing to write the dataset to {out}: {problem}")
    tmp = _sibling(out, "tmp")
    made = False
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover_output(out)
        tmp.mkdir()
        made = True
        (tmp / TMP_MARK).touch()
        files = [entry for name in tables for entry in _write_table(table_parts(tables[name], part_text_bytes, part_rows), tmp, name)]
        manifest = {"dataset": DATASET_NAME} | manifest | {"files": files}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (tmp / TMP_MARK).unlink()
        _fsync_dir(tmp)
        if not out.exists():
            tmp.rename(out)
        elif not _exchange(tmp, out):
            old = _sibling(out, "old")
            out.rename(old)
            tmp.rename(out)
        # The swapped-out dataset (now at tmp or old): only the files its manifest lists go; one
        # holding a file dropped in meanwhile stays, and the next write says so.
        for leftover in (tmp, _sibling(out, "old")):
            if os.path.lexists(leftover):
                _remove_ours(leftover)
    except OSError as err:
        if made:
            _remove_ours(tmp)
        raise output_error(out, err) from err
    return manifest


def _fsync_dir(directory: Path) -> None:
    for path in directory.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


class OutputBusy(RuntimeError):
    """Another build holds the output's lock (`dataset_lock`)."""


@contextlib.contextmanager
def dataset_lock(out: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on `out`; yields False (without the lock) when busy and not waiting."""
    out = resolved(out)
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


def table_files(manifest: dict, table: str, fmt: str = "parquet") -> list[dict]:
    """A table's file entries of one format in a manifest, in part order."""
    return [f for f in manifest["files"] if f.get("table") == table and f.get("format") == fmt]


def read_dataset(directory: Path, names: list[str]) -> dict[str, pl.DataFrame]:
    """The Parquet tables of a written dataset (those present), each from all its parts."""
    directory = Path(directory)
    manifest = json.loads((directory / MANIFEST).read_bytes())
    tables = {}
    for name in names:
        parts = [pl.read_parquet(directory / f["path"]) for f in table_files(manifest, name)]
        if parts:
            tables[name] = pl.concat(parts, how="vertical")
    return tables


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


def dataset_problem(out: str | Path) -> str | None:
    """What differs between a local dataset's files and its manifest (a file missing, or not the
    size and sha256 it lists), None when they agree; object-store outputs are not checked."""
    if is_url(out):
        return None
    folder = local_path(out)
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes())
        entries = [(f["path"], f["bytes"], f["sha256"]) for f in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return f"its manifest.json cannot be read ({type(err).__name__})"
    for name, size, digest in entries:
        path = folder / name
        try:
            if path.stat().st_size != size or file_sha256(path) != digest:
                return f"{name} is not the file the manifest lists"
        except OSError:
            return f"{name} is missing"
    return None


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
