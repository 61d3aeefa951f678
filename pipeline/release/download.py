"""Download a release and verify it: only what is missing or changed, resumable, checksummed.

SOURCE is the release directory (or its `manifest.json`) as an http(s) URL, a local path or any
fsspec URL. The release must carry a SHA256SUMS that agrees with its manifest.json, file for file.
Each file is downloaded into a private folder the download makes inside the target
(`.newsclean-download`, mode 0700, opened without following links, part files named by their
sha256), hashed as it arrives, and moved into place only when every file of the release has
verified: a refused release leaves the target as it was. An interrupted transfer keeps its part
file there, and the next attempt (or the next run) asks for the rest with an HTTP Range request.
No file is opened through a symbolic link, redirects to another origin are refused, manifest.json
and SHA256SUMS are read up to a size cap, and every file has a deadline from its size.
"""

import hashlib
import http.client
import json
import os
import re
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline import io

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
PARTIAL = ".newsclean-download"  # the private folder of part files inside the target
CHUNK_BYTES = 1 << 20
ATTEMPTS = 3
TIMEOUT_S = 30
# Files at least this big get progress lines every tenth of the way.
PROGRESS_OVER_BYTES = 8 << 20
# A release's manifest.json and SHA256SUMS list a few thousand files at most.
MAX_MANIFEST_BYTES = 16 << 20
MAX_SUMS_BYTES = 16 << 20
# Deadlines: a file gets DEADLINE_BASE_S plus its size at MIN_BYTES_PER_S, the whole download
# the same over the release's total size; a server that trickles is given up on.
DEADLINE_BASE_S = 60.0
MIN_BYTES_PER_S = 64 << 10
_HEX64 = re.compile(r"[0-9a-f]{64}")


class DownloadError(RuntimeError):
    """The download could not finish or the release was refused; nothing corrupt is left in the target."""


class NotFound(DownloadError):
    """The source has no such file."""


class ChecksumMismatch(DownloadError):
    """A file's bytes do not match the manifest."""


class UnsafePath(DownloadError):
    """The manifest names a file outside the target directory."""


@dataclass
class DownloadReport:
    """What a download did: files fetched, files already up to date, bytes transferred."""

    fetched: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    bytes: int = 0


def safe_target(root: Path, rel: object) -> Path:
    """`root/rel`, or UnsafePath when `rel` could land outside `root` (absolute, `..`, odd names)."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel or rel.startswith("/") or re.match(r"[A-Za-z]:", rel):
        raise UnsafePath(f"refusing file name {rel!r} from the manifest: it is not a plain relative path")
    parts = PurePosixPath(rel).parts
    if any(p in ("", ".", "..") for p in rel.split("/")) or parts[0] in (MANIFEST, SUMS) and len(parts) == 1:
        raise UnsafePath(f"refusing file name {rel!r} from the manifest: it escapes or overwrites the download directory's own files")
    root = Path(root).resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root) or target == root:
        raise UnsafePath(f"refusing file name {rel!r} from the manifest: it resolves outside {root}")
    return target


class CrossOrigin(DownloadError):
    """The server redirected to another origin (scheme, host or port)."""


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(parts.scheme)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the release's origin: a mirror that sends elsewhere is refused."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _origin(newurl) != _origin(req.full_url):
            raise CrossOrigin(f"{req.full_url} redirects to another origin ({newurl}); refusing it, nothing was written")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameOrigin)


class _Source:
    """Reads files of a release by path relative to it, from any offset."""

    def __init__(self, source: str):
        source = source[: -len(MANIFEST)] if source.endswith("/" + MANIFEST) or source == MANIFEST else source
        self.http = urllib.parse.urlsplit(source).scheme in ("http", "https")
        if self.http:
            self.base = source.rstrip("/") + "/"
        else:
            import fsspec

            self.fs, root = fsspec.core.url_to_fs(source or ".")
            self.base = root.rstrip("/")

    def where(self, rel: str) -> str:
        return self.base + urllib.parse.quote(rel) if self.http else f"{self.base}/{rel}"

    def chunks(self, rel: str, offset: int, deadline: float) -> tuple[bool, Iterator[bytes]]:
        """(resumed, chunks): resumed is False when the source sends the file from its start;
        the chunks stop with DownloadError once `deadline` (time.monotonic) passes."""
        if not self.http:
            try:
                fh = self.fs.open(self.where(rel), "rb")
                fh.seek(offset)
            except FileNotFoundError as err:
                raise NotFound(f"{self.where(rel)}: no such file") from err
            except OSError as err:
                raise DownloadError(f"{self.where(rel)}: cannot read ({err})") from err
            return offset > 0, _iterate(fh, self.where(rel), deadline)
        request = urllib.request.Request(self.where(rel), headers={"Range": f"bytes={offset}-"} if offset else {})
        try:
            response = _OPENER.open(request, timeout=max(1.0, min(TIMEOUT_S, deadline - time.monotonic())))
        except urllib.error.HTTPError as err:
            if err.code == 416 and offset:
                # The part file is not a prefix the server recognises: start again.
                return self.chunks(rel, 0, deadline)
            raise (NotFound if err.code == 404 else DownloadError)(f"{self.where(rel)}: HTTP {err.code} {err.reason}") from err
        except (urllib.error.URLError, OSError) as err:
            raise DownloadError(f"{self.where(rel)}: cannot connect ({err})") from err
        return response.status == 206, _iterate(response, self.where(rel), deadline)

    def read(self, rel: str, limit: int) -> bytes:
        """The whole file, refused when it is over `limit` bytes (read no further than that)."""
        blocks, have = [], 0
        for block in self.chunks(rel, 0, time.monotonic() + DEADLINE_BASE_S + limit / MIN_BYTES_PER_S)[1]:
            have += len(block)
            if have > limit:
                raise DownloadError(f"{self.where(rel)} is over {human_bytes(limit)}: not a release's {rel}; nothing was written")
            blocks.append(block)
        return b"".join(blocks)


def _iterate(fh, where: str, deadline: float) -> Iterator[bytes]:
    # read1 returns what one receive brings: a server sending a byte every few seconds cannot
    # hold a read past the deadline.
    read = getattr(fh, "read1", fh.read)
    with fh:
        while block := read(CHUNK_BYTES):
            yield block
            if time.monotonic() > deadline:
                raise DownloadError(f"{where}: too slow, the transfer passed its deadline; run the download again to resume")
        # http.client ends a read quietly when the connection drops; `length` still counts what the
        # server promised and did not send.
        if getattr(fh, "length", None):
            raise http.client.IncompleteRead(b"", fh.length)


def human_bytes(n: int) -> str:
    """A size for people: 512 B, 16.1 KiB, 3.2 MiB."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _checked_manifest(raw: bytes, where: str) -> dict:
    try:
        manifest = json.loads(raw)
        files = manifest["files"]
        for f in files:
            if not (isinstance(f["bytes"], int) and f["bytes"] >= 0 and isinstance(f["sha256"], str) and _HEX64.fullmatch(f["sha256"])):
                raise ValueError(f"bad entry {f!r}")
    except (ValueError, KeyError, TypeError) as err:
        raise DownloadError(f"{where} is not a release manifest ({err})") from err
    return manifest


_NOFOLLOW = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def part_name(entry: dict) -> str:
    """The part file of a manifest entry in the private folder: named by the content it must have."""
    return f"{entry['sha256']}.part"


def _open_dir(name: str, dir_fd: int, create: bool) -> int:
    """A folder under `dir_fd`, opened without following a link (ELOOP when `name` is one)."""
    if create:
        try:
            os.mkdir(name, 0o700, dir_fd=dir_fd)
        except FileExistsError:
            pass
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW, dir_fd=dir_fd)


def _private_dir(to_fd: int, to: Path) -> int:
    """The private folder of part files, made by this user with mode 0700 and not a link."""
    try:
        fd = _open_dir(PARTIAL, to_fd, create=True)
    except OSError as err:
        raise DownloadError(f"{to / PARTIAL} cannot be used for the download ({err.strerror}): it must be a folder, not a link; move it away") from err
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o022:
        os.close(fd)
        raise DownloadError(f"{to / PARTIAL} belongs to someone else or others may write it; move it away")
    return fd


def _sha256_fd(fd: int) -> tuple[int, "hashlib._Hash"]:
    digest, size = hashlib.sha256(), 0
    os.lseek(fd, 0, os.SEEK_SET)
    while block := os.read(fd, CHUNK_BYTES):
        digest.update(block)
        size += len(block)
    return size, digest


def _fetch(source: _Source, entry: dict, part_fd: int, say: Callable[[str], None], deadline: float) -> int:
    """Download one file into its part file in the private folder, verified; returns bytes transferred."""
    rel, size, expected = entry["path"], entry["bytes"], entry["sha256"]
    name = part_name(entry)
    file_deadline = min(deadline, time.monotonic() + DEADLINE_BASE_S + size / MIN_BYTES_PER_S)
    transferred = 0
    for attempt in range(1, ATTEMPTS + 1):
        fd = os.open(name, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600, dir_fd=part_fd)
        try:
            offset, digest = _sha256_fd(fd)
            if offset == size and digest.hexdigest() == expected:
                return transferred  # verified by an earlier run
            offset = offset if offset < size else 0
            resumed, chunks = source.chunks(rel, offset, file_deadline)
            if offset and resumed:
                say(f"    resuming {rel} at {human_bytes(offset)}")
            else:
                os.ftruncate(fd, 0)
                digest, offset = hashlib.sha256(), 0
            os.lseek(fd, offset, os.SEEK_SET)
            have = offset
            next_note = size // 10
            try:
                for block in chunks:
                    have += len(block)
                    transferred += len(block)
                    if have > size:
                        break
                    digest.update(block)
                    os.write(fd, block)
                    if size >= PROGRESS_OVER_BYTES and have >= next_note:
                        say(f"    {rel}: {100 * have // size}% of {human_bytes(size)}")
                        next_note += size // 10
            except (OSError, http.client.HTTPException) as err:
                if attempt == ATTEMPTS:
                    raise DownloadError(f"{source.where(rel)}: transfer interrupted {ATTEMPTS} times ({err}); run the download again to resume") from err
                say(f"    {rel}: interrupted at {human_bytes(have)} ({err}), retrying")
                continue
        finally:
            os.close(fd)
        if have == size and digest.hexdigest() == expected:
            return transferred
        os.unlink(name, dir_fd=part_fd)
        if resumed:
            say(f"    {rel}: the resumed file does not verify, downloading it whole")
            continue
        got = f"{have} bytes" if have != size else f"sha256 {digest.hexdigest()}"
        raise ChecksumMismatch(f"{source.where(rel)}: expected {size} bytes with sha256 {expected}, got {got}; the file was not kept")
    raise ChecksumMismatch(f"{source.where(rel)} does not match its sha256 in the manifest; the file was not kept")


def _matches(to_fd: int, rel: str, entry: dict) -> bool:
    """The target file is there (not through a link) with the entry's size and sha256."""
    try:
        fd = os.open(rel, os.O_RDONLY | _NOFOLLOW, dir_fd=to_fd)
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        return stat.S_ISREG(info.st_mode) and info.st_size == entry["bytes"] and _sha256_fd(fd)[1].hexdigest() == entry["sha256"]
    finally:
        os.close(fd)


def _earlier_download(to_fd: int) -> frozenset[str] | None:
    """The paths of the files an earlier download wrote into the target (its manifest.json), or
    None when there is no readable newsclean manifest there."""
    try:
        fd = os.open(MANIFEST, os.O_RDONLY | _NOFOLLOW, dir_fd=to_fd)
    except OSError:
        return None
    try:
        with os.fdopen(os.dup(fd), "rb") as fh:
            listed = json.loads(fh.read(MAX_MANIFEST_BYTES + 1))["files"]
        return frozenset(f["path"] for f in listed)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    finally:
        os.close(fd)


def _foreign(to_fd: int, rel: str, earlier: frozenset[str] | None) -> bool:
    """A file stands at `rel` in the target that no earlier download of ours wrote (its manifest
    does not list the name): a user's file, which a download must never replace. A listed file,
    even edited since, is the release's own and is brought back."""
    try:
        info = os.stat(rel, dir_fd=to_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return earlier is None or rel not in earlier or not stat.S_ISREG(info.st_mode)


def _checked_sums(text: str, manifest_raw: bytes, files: dict[str, str]) -> None:
    """SHA256SUMS must list exactly the manifest's files, with the same hashes, and the manifest's own hash."""
    manifest_hash = hashlib.sha256(manifest_raw).hexdigest()
    listed: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, _, rel = line.partition("  ")
        want = manifest_hash if rel == MANIFEST else files.get(rel)
        if rel != MANIFEST and rel not in files:
            raise DownloadError(f"{SUMS} lists {rel!r}, which {MANIFEST} does not: refusing the release, nothing was written")
        if want != digest:
            raise ChecksumMismatch(f"{SUMS} disagrees with {MANIFEST} about {rel!r}: the release is inconsistent, nothing more was written")
        listed[rel] = digest
    missing = sorted(set(files) - set(listed))
    if missing:
        raise DownloadError(f"{SUMS} does not list {missing[0]!r} (and {len(missing) - 1} more) of {MANIFEST}: refusing the release, nothing was written")


def _place(to_fd: int, rel: str, part_fd: int, name: str) -> None:
    """Move a verified part file to `rel` under the target, creating its folders; no link is followed."""
    *folders, base = rel.split("/")
    fds = [to_fd]
    try:
        for folder in folders:
            try:
                fds.append(_open_dir(folder, fds[-1], create=True))
            except OSError as err:
                raise UnsafePath(f"refusing to write {rel!r}: {folder!r} is not a plain folder ({err.strerror})") from err
        os.rename(name, base, src_dir_fd=part_fd, dst_dir_fd=fds[-1])
    finally:
        for fd in fds[1:]:
            os.close(fd)


def _write_part(part_fd: int, name: str, content: bytes) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600, dir_fd=part_fd)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)


def _discard_parts(to_fd: int, part_fd: int) -> None:
    """Remove the private folder's part files (a refused release keeps nothing), then the folder."""
    for name in os.listdir(part_fd):
        if name.endswith(".part") or name in (MANIFEST, SUMS):
            os.unlink(name, dir_fd=part_fd)
    try:
        os.rmdir(PARTIAL, dir_fd=to_fd)
    except OSError:
        pass


def download(source: str, to: Path, say: Callable[[str], None] = print) -> DownloadReport:
    """Bring `to` up to date with the release at `source`, verifying every sha256.

    Every check that can refuse the release (manifest, SHA256SUMS, names, sizes, redirects)
    runs before anything is written. Files are downloaded into the private folder and moved into
    place only once all of them verify. Raises UnsafePath when a manifest name escapes `to`,
    ChecksumMismatch when a file does not verify, DownloadError when a transfer fails or the
    release is refused; `to` is then as before, except that after an interrupted transfer the
    part files wait in `to/.newsclean-download` for the next run (the message says so).
    """
    to = Path(to)
    src = _Source(str(source))
    manifest_raw = src.read(MANIFEST, MAX_MANIFEST_BYTES)
    manifest = _checked_manifest(manifest_raw, src.where(MANIFEST))
    entries = manifest["files"]
    targets = [safe_target(to, f["path"]) for f in entries]
    try:
        sums_raw = src.read(SUMS, MAX_SUMS_BYTES)
    except NotFound as err:
        raise DownloadError(f"the release at {src.where('')} has no {SUMS}: refusing it (its files cannot be checked), nothing was written") from err
    try:
        sums = sums_raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DownloadError(f"{src.where(SUMS)} is not text: refusing the release, nothing was written") from err
    _checked_sums(sums, manifest_raw, {f["path"]: f["sha256"] for f in entries})
    if len({t for t in targets}) != len(targets):
        raise UnsafePath("the manifest lists one file twice: refusing the release, nothing was written")
    total = sum(f["bytes"] for f in entries)
    deadline = time.monotonic() + DEADLINE_BASE_S + total / MIN_BYTES_PER_S
    say(f"{manifest.get('dataset', 'release')} {manifest.get('version', '')}: {len(entries)} file(s), {human_bytes(total)} from {src.where('')}")
    report = DownloadReport()
    width = len(str(len(entries)))
    existed = to.exists()
    to.mkdir(parents=True, exist_ok=True)
    to_fd = os.open(to, os.O_RDONLY | os.O_DIRECTORY)
    part_fd = None
    try:
        # Only files an earlier download wrote may be replaced (its manifest and sums included).
        earlier = _earlier_download(to_fd)
        replaced = [f["path"] for f in entries if not _matches(to_fd, f["path"], f)]
        for rel in replaced + ([] if earlier is not None else [MANIFEST, SUMS]):
            if _foreign(to_fd, rel, earlier):
                raise UnsafePath(f"refusing to replace {to / rel}: it was not written by an earlier download of a release; "
                                 "move it away or download into another folder (nothing was written)")
        part_fd = _private_dir(to_fd, to)
        todo = []
        for n, entry in enumerate(entries, 1):
            label = f"[{n:>{width}}/{len(entries)}] {entry['path']} ({human_bytes(entry['bytes'])})"
            if _matches(to_fd, entry["path"], entry):
                report.up_to_date.append(entry["path"])
                say(f"{label} up to date")
                continue
            report.bytes += _fetch(src, entry, part_fd, say, deadline)
            todo.append(entry)
            say(f"{label} downloaded, sha256 ok")
        # Every file verified: now, and only now, the target changes.
        for entry in todo:
            _place(to_fd, entry["path"], part_fd, part_name(entry))
            report.fetched.append(entry["path"])
        for name, content in ((MANIFEST, manifest_raw), (SUMS, sums.encode("utf-8"))):
            _write_part(part_fd, name, content)
            os.rename(name, name, src_dir_fd=part_fd, dst_dir_fd=to_fd)
        _discard_parts(to_fd, part_fd)
    except (ChecksumMismatch, UnsafePath, CrossOrigin):
        if part_fd is not None:
            _discard_parts(to_fd, part_fd)
        if not existed:
            _remove_if_empty(to)
        raise
    except DownloadError as err:
        raise DownloadError(f"{err}; {to} is unchanged, the files downloaded so far wait in {to / PARTIAL} for the next run") from err
    finally:
        if part_fd is not None:
            os.close(part_fd)
        os.close(to_fd)
    say(f"done: {len(report.fetched)} downloaded ({human_bytes(report.bytes)}), {len(report.up_to_date)} already up to date, all verified")
    return report


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def verify(directory: Path) -> int:
    """Check every file listed in `directory/SHA256SUMS`; returns how many, raises ChecksumMismatch listing the bad ones."""
    directory = Path(directory)
    lines = (directory / SUMS).read_text(encoding="utf-8").splitlines()
    bad = []
    for line in lines:
        digest, _, rel = line.partition("  ")
        path = directory / MANIFEST if rel == MANIFEST else safe_target(directory, rel)
        if not path.is_file() or io.file_sha256(path) != digest:
            bad.append(rel)
    if bad:
        raise ChecksumMismatch(f"{len(bad)} file(s) in {directory} do not match {SUMS}: {', '.join(bad[:10])}")
    return len(lines)
