"""Bytes to normalised text: encoding detection, repair and Unicode clean-up.

Decoding order, first match wins:
1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. UTF-16 without a BOM, recognised by NUL bytes on one side of most byte pairs;
3. a known binary signature (PDF, images, archives, executables...), or many NUL/control bytes: not text;
4. strict UTF-8;
5. UTF-8 with a few invalid bytes: each bad byte is repaired as cp1252 when that gives a printable
   character (mixed-encoding files), else replaced by U+FFFD, with a warning;
6. cp1252 when the bytes hold no valid UTF-8 multibyte sequence worth keeping.
Then NFC, `\n` line endings, tabs to spaces, and control and zero-width/bidi format characters dropped.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media file"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
)

# C0/C1 controls except \n, plus format characters: soft hyphen, bidi marks and embeddings,
# zero-width characters, word joiners, BOM, interlinear annotation and tag characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_BINARY_SAMPLE = 8192


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


class NotText(ValueError):
    """The bytes are not a text document (a binary format, or mostly control bytes)."""


def _cp1252_repair(err: UnicodeDecodeError) -> tuple[str, int]:
    bad = err.object[err.start : err.end]
    try:
        repaired = bad.decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd" * len(bad), err.end
    return "".join(c if c.isprintable() else "\ufffd" for c in repaired), err.end


codecs.register_error("newsclean_cp1252_repair", _cp1252_repair)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_BINARY_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    # Latin-script UTF-16 has a NUL in the high byte of nearly every pair; binary data has NULs on both sides.
    if odd_nuls > 0.4 * pairs and even_nuls < 0.05 * pairs:
        return "utf-16-le"
    if even_nuls > 0.4 * pairs and odd_nuls < 0.05 * pairs:
        return "utf-16-be"
    return None


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    sample = data[:_BINARY_SAMPLE]
    controls = sum(sample.count(b) for b in range(32) if b not in (9, 10, 12, 13))
    if sample.count(0) > 0.01 * len(sample) or controls > 0.1 * len(sample):
        return f"binary data ({controls} control bytes in the first {len(sample)})"
    return None


def _utf8_or_cp1252(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    n_bad = replaced.count("\ufffd") - data.count("\xef\xbf\xbd".encode("latin-1"))
    n_multibyte = _NON_ASCII.subn("", replaced)[1]
    if n_multibyte >= n_bad:
        text = data.decode("utf-8", errors="newsclean_cp1252_repair")
        return Decoded(text, "utf-8", (f"{n_bad} invalid UTF-8 byte sequence(s) repaired or replaced",))
    return Decoded(data.decode("cp1252", errors="newsclean_cp1252_repair"), "cp1252")


def normalised(text: str) -> str:
    """NFC, `\\n` line endings, tabs as spaces, no control or invisible format characters."""
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def decoded(data: bytes) -> Decoded:
    """Decode and normalise a file's bytes; raise NotText for binary content."""
    if data.startswith(codecs.BOM_UTF8):
        raw = Decoded(data[3:].decode("utf-8", errors="newsclean_cp1252_repair"), "utf-8-sig")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        raw = Decoded(data[2:].decode(encoding, errors="replace"), encoding)
    elif encoding := _utf16_without_bom(data):
        raw = Decoded(data.decode(encoding, errors="replace"), encoding)
    elif kind := _binary_kind(data):
        raise NotText(kind)
    else:
        raw = _utf8_or_cp1252(data)
    return Decoded(normalised(raw.text), raw.encoding, raw.warnings)
