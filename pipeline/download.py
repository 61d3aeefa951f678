"""Download a release and verify it: only what is missing or changed, resumable, checksummed.

SOURCE is the release directory (or its `manifest.json`) as an http(s) URL, a local path or any
fsspec URL. Each file goes to a hidden `.NAME.part` beside its target, is hashed as it arrives and
is moved into place only when size and sha256 match the manifest: a mismatch deletes the part
file, so no corrupt file is ever left under its real name. An interrupted transfer keeps its part
file, and the next attempt (or the next run) asks for the rest with an HTTP Range request.
"""

import hashlib
import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline import io

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
CHUNK_BYTES = 1 << 20
ATTEMPTS = 3
TIMEOUT_S = 30
# Files at least this big get progress lines every tenth of the way.
PROGRESS_OVER_BYTES = 8 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")


class DownloadError(RuntimeError):
    """The download could not finish; files already verified stay, nothing corrupt is left."""


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

    def chunks(self, rel: str, offset: int) -> tuple[bool, Iterator[bytes]]:
        """(resumed, chunks): resumed is False when the source sends the file from its start."""
        if not self.http:
            try:
                fh = self.fs.open(self.where(rel), "rb")
                fh.seek(offset)
            except FileNotFoundError as err:
                raise NotFound(f"{self.where(rel)}: no such file") from err
            except OSError as err:
                raise DownloadError(f"{self.where(rel)}: cannot read ({err})") from err
            return offset > 0, _iterate(fh)
        request = urllib.request.Request(self.where(rel), headers={"Range": f"bytes={offset}-"} if offset else {})
        try:
            response = urllib.request.urlopen(request, timeout=TIMEOUT_S)
        except urllib.error.HTTPError as err:
            if err.code == 416 and offset:
                # The part file is not a prefix the server recognises: start again.
                return self.chunks(rel, 0)
            raise (NotFound if err.code == 404 else DownloadError)(f"{self.where(rel)}: HTTP {err.code} {err.reason}") from err
        except (urllib.error.URLError, OSError) as err:
            raise DownloadError(f"{self.where(rel)}: cannot connect ({err})") from err
        return response.status == 206, _iterate(response)

    def read(self, rel: str) -> bytes:
        return b"".join(self.chunks(rel, 0)[1])


def _iterate(fh) -> Iterator[bytes]:
    with fh:
        while block := fh.read(CHUNK_BYTES):
            yield block
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


def _part(target: Path) -> Path:
    return target.with_name(f".{target.name}.part")


def _fetch(source: _Source, entry: dict, target: Path, say: Callable[[str], None]) -> int:
    """Download one file into place, verified; returns bytes transferred."""
    rel, size, expected = entry["path"], entry["bytes"], entry["sha256"]
    part = _part(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    transferred = 0
    for attempt in range(1, ATTEMPTS + 1):
        offset = part.stat().st_size if part.exists() and part.stat().st_size < size else 0
        resumed, chunks = source.chunks(rel, offset)
        if offset and resumed:
            say(f"    resuming {rel} at {human_bytes(offset)}")
        digest = hashlib.sha256()
        if resumed:
            with open(part, "rb") as fh:
                for block in iter(lambda: fh.read(CHUNK_BYTES), b""):
                    digest.update(block)
        have = offset if resumed else 0
        next_note = size // 10
        try:
            with open(part, "ab" if resumed else "wb") as out:
                for block in chunks:
                    have += len(block)
                    transferred += len(block)
                    if have > size:
                        break
                    digest.update(block)
                    out.write(block)
                    if size >= PROGRESS_OVER_BYTES and have >= next_note:
                        say(f"    {rel}: {100 * have // size}% of {human_bytes(size)}")
                        next_note += size // 10
        except (OSError, http.client.HTTPException) as err:
            if attempt == ATTEMPTS:
                raise DownloadError(f"{source.where(rel)}: transfer interrupted {ATTEMPTS} times ({err}); run the download again to resume") from err
            say(f"    {rel}: interrupted at {human_bytes(have)} ({err}), retrying")
            continue
        if have == size and digest.hexdigest() == expected:
            os.replace(part, target)
            return transferred
        part.unlink(missing_ok=True)
        if resumed:
            say(f"    {rel}: the resumed file does not verify, downloading it whole")
            continue
        got = f"{have} bytes" if have != size else f"sha256 {digest.hexdigest()}"
        raise ChecksumMismatch(f"{source.where(rel)}: expected {size} bytes with sha256 {expected}, got {got}; the file was not kept")
    raise ChecksumMismatch(f"{source.where(rel)} does not match its sha256 in the manifest; the file was not kept")


def _matches(path: Path, entry: dict) -> bool:
    return path.is_file() and path.stat().st_size == entry["bytes"] and io.file_sha256(path) == entry["sha256"]


def _checked_sums(text: str, manifest_raw: bytes, files: dict[str, str]) -> None:
    """SHA256SUMS must agree with the manifest, and name the manifest's own hash."""
    manifest_hash = hashlib.sha256(manifest_raw).hexdigest()
    for line in text.splitlines():
        digest, _, rel = line.partition("  ")
        want = manifest_hash if rel == MANIFEST else files.get(rel)
        if want != digest:
            raise ChecksumMismatch(f"{SUMS} disagrees with {MANIFEST} about {rel!r}: the release is inconsistent, nothing more was written")


def _write_atomic(path: Path, content: bytes) -> None:
    part = _part(path)
    part.write_bytes(content)
    os.replace(part, path)


def download(source: str, to: Path, say: Callable[[str], None] = print) -> DownloadReport:
    """Bring `to` up to date with the release at `source`, verifying every sha256.

    Raises UnsafePath before writing anything when a manifest name escapes `to`, ChecksumMismatch
    when a file does not verify (that file is not kept), DownloadError when a transfer fails.
    """
    to = Path(to)
    src = _Source(str(source))
    manifest_raw = src.read(MANIFEST)
    manifest = _checked_manifest(manifest_raw, src.where(MANIFEST))
    entries = manifest["files"]
    targets = [safe_target(to, f["path"]) for f in entries]
    try:
        sums = src.read(SUMS).decode("utf-8")
    except NotFound:
        sums = None
    if sums is not None:
        _checked_sums(sums, manifest_raw, {f["path"]: f["sha256"] for f in entries})
    total = sum(f["bytes"] for f in entries)
    say(f"{manifest.get('dataset', 'release')} {manifest.get('version', '')}: {len(entries)} file(s), {human_bytes(total)} from {src.where('')}")
    report = DownloadReport()
    width = len(str(len(entries)))
    for n, (entry, target) in enumerate(zip(entries, targets), 1):
        label = f"[{n:>{width}}/{len(entries)}] {entry['path']} ({human_bytes(entry['bytes'])})"
        if _matches(target, entry):
            report.up_to_date.append(entry["path"])
            say(f"{label} up to date")
            continue
        report.bytes += _fetch(src, entry, target, say)
        report.fetched.append(entry["path"])
        say(f"{label} downloaded, sha256 ok")
    to.mkdir(parents=True, exist_ok=True)
    _write_atomic(to / MANIFEST, manifest_raw)
    if sums is not None:
        _write_atomic(to / SUMS, sums.encode("utf-8"))
    say(f"done: {len(report.fetched)} downloaded ({human_bytes(report.bytes)}), {len(report.up_to_date)} already up to date, all verified")
    return report


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
