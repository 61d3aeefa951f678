"""Bytes to normalised text: encoding detection, repair and Unicode clean-up.

Decoding order, first match wins:
1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. UTF-16 without a BOM, recognised by NUL bytes on one side of most byte pairs;
3. a known binary signature (PDF, images, archives, executables...), or many NUL/control bytes: not text;
4. strict UTF-8;
5. UTF-8 with a few invalid bytes: surrogates encoded as UTF-8 (CESU-8) become the character a
   pair stands for, or U+FFFD when alone; each other bad byte is repaired as cp1252 when cp1252
   defines it (mixed-encoding files), else replaced by U+FFFD; with a warning;
6. line by line, when some lines are valid UTF-8 with non-ASCII text and others are not UTF-8
   (a file pasted together from two sources): each line as UTF-8 or else cp1252, with a warning;
7. cp1252 when the bytes hold no valid UTF-8 multibyte sequence worth keeping.
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

# These magic numbers are also ordinary text ("MZ Bank said...", "RIFF"): they count only when
# bytes that never occur in text follow.
_WORDLIKE_SIGNATURES = frozenset((b"MZ", b"BZh", b"RIFF", b"PAR1", b"GIF87a", b"GIF89a"))
_BINARY_BYTE = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")

# C0/C1 controls except \n, plus format characters: soft hyphen, bidi marks and embeddings,
# zero-width characters, word joiners, BOM, interlinear annotation and tag characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
# Surrogate code points written as 3-byte UTF-8 (CESU-8, or UTF-16 converted unit by unit): a
# high-low pair is one real character; a lone one has no meaning. Never valid UTF-8.
_CESU_PAIR = re.compile(rb"\xed[\xa0-\xaf][\x80-\xbf]\xed[\xb0-\xbf][\x80-\xbf]")
_CESU_LONE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class DecodeRules:
    """Shares of NUL and control bytes that tell UTF-16 without a byte-order mark and binary data
    from text, in the first `sample_bytes` of a file."""

    sample_bytes: int = 8192
    """How much of the start of a file the UTF-16 and binary checks read."""
    utf16_nul_share: float = 0.4
    """Latin-script UTF-16 has a NUL in the high byte of nearly every pair: more than this share of
    the pairs have one on one side..."""
    utf16_other_nul_share: float = 0.05
    """...and fewer than this share on the other side (binary data has NULs on both sides)."""
    binary_nul_share: float = 0.01
    """More NUL bytes than this share of the sample: binary, not text."""
    binary_control_share: float = 0.1
    """More control bytes (but tab, line feed, form feed and carriage return) than this share: binary."""


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
        # Every byte cp1252 defines is a graphic or format character (NBSP, soft hyphen included).
        return bad.decode("cp1252"), err.end
    except UnicodeDecodeError:
        return "\ufffd" * len(bad), err.end


codecs.register_error("newsclean_cp1252_repair", _cp1252_repair)


def _utf16_without_bom(data: bytes, rules: DecodeRules) -> str | None:
    sample = data[:rules.sample_bytes]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    many, few = rules.utf16_nul_share * pairs, rules.utf16_other_nul_share * pairs
    if odd_nuls > many and even_nuls < few:
        return "utf-16-le"
    if even_nuls > many and odd_nuls < few:
        return "utf-16-be"
    return None


def _binary_kind(data: bytes, rules: DecodeRules) -> str | None:
    for magic, kind in _SIGNATURES:
        if data.startswith(magic) and (magic not in _WORDLIKE_SIGNATURES or _BINARY_BYTE.search(data, 0, 512)):
            return kind
    sample = data[:rules.sample_bytes]
    controls = sum(sample.count(b) for b in range(32) if b not in (9, 10, 12, 13))
    if sample.count(0) > rules.binary_nul_share * len(sample) or controls > rules.binary_control_share * len(sample):
        return f"binary data ({controls} control bytes in the first {len(sample)})"
    return None


def _cesu_char(match: re.Match) -> bytes:
    return match[0].decode("utf-8", "surrogatepass").encode("utf-16-le", "surrogatepass").decode("utf-16-le").encode("utf-8")


def _without_surrogates(data: bytes) -> tuple[bytes, int, int]:
    """UTF-8 bytes with encoded surrogates made valid, and how many pairs and lone ones there were."""
    if b"\xed" not in data:
        return data, 0, 0
    data, n_pairs = _CESU_PAIR.subn(_cesu_char, data)
    data, n_lone = _CESU_LONE.subn("\ufffd".encode(), data)
    return data, n_pairs, n_lone


def _repaired_utf8(data: bytes, encoding: str = "utf-8") -> Decoded | None:
    """Text of UTF-8 bytes with their invalid sequences repaired; None when they look like cp1252."""
    try:
        return Decoded(data.decode("utf-8"), encoding)
    except UnicodeDecodeError:
        pass
    data, n_pairs, n_lone = _without_surrogates(data)
    replaced = data.decode("utf-8", errors="replace")
    n_bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    # A lone encoded surrogate means nothing in UTF-8: like a bad byte, it is evidence of cp1252
    # ("í" then no-break spaces is ED A0 A0), unless real UTF-8 text outweighs it.
    if encoding == "utf-8" and _NON_ASCII.subn("", replaced)[1] < n_bad + n_lone:
        return None
    text = data.decode("utf-8", errors="newsclean_cp1252_repair")
    return Decoded(text, encoding, (f"{n_bad + n_pairs + n_lone} invalid UTF-8 byte sequence(s) repaired or replaced",))


def _mixed(data: bytes) -> Decoded | None:
    """Each line as UTF-8, or else cp1252; None unless both kinds hold non-ASCII text."""
    lines, n_utf8, n_cp1252 = [], 0, 0
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
            n_utf8 += not line.isascii()
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="newsclean_cp1252_repair"))
            n_cp1252 += 1
    if not (n_utf8 and n_cp1252):
        return None
    return Decoded("\n".join(lines), "utf-8", (f"mixed encodings: {n_cp1252} line(s) decoded as cp1252, the others as UTF-8",))


def _utf16(data: bytes, encoding: str) -> Decoded:
    # surrogatepass keeps lone surrogates as code points so they can be counted and replaced.
    odd = len(data) % 2
    text, n_lone = _SURROGATE.subn("\ufffd", data[: len(data) - odd].decode(encoding, errors="surrogatepass"))
    n_bad = n_lone + odd
    return Decoded(text, encoding, (f"{n_bad} invalid UTF-16 code unit(s) replaced",) if n_bad else ())


def normalised(text: str) -> str:
    """NFC, `\\n` line endings, tabs as spaces, no control or invisible format characters."""
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def decoded(data: bytes, rules: DecodeRules = DecodeRules()) -> Decoded:
    """Decode and normalise a file's bytes; raise NotText for binary content."""
    if data.startswith(codecs.BOM_UTF8):
        # The mark says UTF-8: bad bytes are repaired, never a reason to switch to cp1252.
        raw = _repaired_utf8(data[3:], "utf-8-sig")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        raw = _utf16(data[2:], "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be")
    elif encoding := _utf16_without_bom(data, rules):
        raw = _utf16(data, encoding)
    elif kind := _binary_kind(data, rules):
        raise NotText(kind)
    else:
        raw = _repaired_utf8(data) or _mixed(data) or Decoded(data.decode("cp1252", errors="newsclean_cp1252_repair"), "cp1252")
    return Decoded(normalised(raw.text), raw.encoding, raw.warnings)
