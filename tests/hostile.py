"""The hostile corpus: files made to crash the pipeline, lose an article or corrupt the dataset.

The tests generate it into a temporary directory (nothing large is committed). Each `Case` says
what must become of its file: an article (with phrases its clean text must and must not hold) or
a `rejects` row with a given reason. The prose is invented for these tests.
"""

import codecs
import gzip
import os
import random
from dataclasses import dataclass
from pathlib import Path

ARTICLE = "article"
MIB = 1024 * 1024

PARAGRAPHS = (
    "Harbour workers in Valparaíso ended a nine-day strike on Thursday after the port authority agreed "
    "to raise night-shift pay by {n} percent.",
    "The walkout had left more than 40 container ships waiting offshore, according to the shipping agents’ "
    "association, which said the backlog would take “at least two weeks” to clear.",
    "Union leader Marta Quiroga told reporters that the agreement also covers safety training for crane "
    "operators. The port handles about a third of the country’s fruit exports, officials said.",
)
ARABIC = (
    "قالت وزارة الصحة يوم الثلاثاء إن المستشفى الجديد في المدينة سيفتح أبوابه الشهر المقبل.\n\n"
    "وأضافت الوزارة في بيان أن المشروع كلف نحو عشرة ملايين دولار وسيضم ثلاثمئة سرير.\n"
)
CHINESE = (
    "卫生部周二表示，市中心的新医院将于下个月正式开业。\n\n"
    "该部门在一份声明中说，这个项目耗资约一千万美元，医院将设有三百张床位。官员说，首批医生已经完成培训。\n"
)
RUSSIAN = (
    "Министерство здравоохранения заявило во вторник, что новая больница в центре города откроется в следующем месяце.\n\n"
    "По данным ведомства, проект обошёлся примерно в десять миллионов долларов, а в больнице будет триста коек.\n"
)
BOILERPLATE_ONLY = (
    "Home | World | Business | Sport\n"
    "Read more: Ten things you missed this week\n"
    "Share this article\n"
    "Advertisement\n"
    "Comments (3)\n"
    "Subscribe to our newsletter\n"
    "Copyright 2024 Example Media Group. All rights reserved.\n"
)
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Port strike ends | Coastal Times</title>
<style>body {{ font-family: sans-serif }} .nav {{ color: red }}</style>
<script>window.trackingPixel = function() {{ return "tracker-{n}"; }};</script></head>
<body><nav class="nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>Port strike ends</h1>
<p>{p0}</p>
<p>{p1}</p>
<p>{p2}</p>
</article>
<footer><p>Copyright 2024 Coastal Times. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
<script>trackingPixel();</script></body></html>
"""
EMPTY_PAGE = """<html><head><title>Coastal Times</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><footer>Copyright 2024 Coastal Times</footer>
</body></html>
"""
# Minimal but genuine headers: what a scanner or camera writes at the start of the file.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nstream\nx\x9c\x03\x00\x00\x00\x00\x01\nendstream\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00" + bytes(range(64)) + b"\xff\xd9"


def article(n: int = 12) -> str:
    """An English news article; `n` makes variants that are not duplicates of each other."""
    return "\n\n".join(PARAGRAPHS).format(n=n) + "\n"


def long_line(n_bytes: int) -> bytes:
    """One line of prose of about `n_bytes` bytes, no newline anywhere."""
    sentence = "Officials in the northern province said the new bridge would carry {} vehicles a day. "
    parts, size, i = [], 0, 0
    while size < n_bytes:
        part = sentence.format(1000 + i)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts).encode("ascii")


@dataclass(frozen=True)
class Case:
    """One hostile file and what the pipeline must make of it."""

    name: str
    expect: str  # ARTICLE, or the `rejects.reason` it must get
    keep: tuple[str, ...] = ()  # phrases the article text must contain
    drop: tuple[str, ...] = ()  # strings the article text must not contain
    detail: str = ""  # a phrase the reject's detail must contain
    encoding: str | None = None  # `articles.encoding` when it matters


def _write(root: Path, name: str, data: bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _sparse(path: Path, size: int) -> None:
    # A sparse file: 50 MB on paper, a few bytes on disk. The pipeline must reject it by its size.
    with open(path, "wb") as fh:
        fh.write(article().encode())
        fh.truncate(size)


def _with_bytes_inside(text: str, inserts: dict[str, bytes], encoding: str = "utf-8") -> bytes:
    """Text encoded, with raw bytes inserted after each given word."""
    data = text.encode(encoding)
    for word, raw in inserts.items():
        encoded = word.encode(encoding)
        assert encoded in data, word
        data = data.replace(encoded, encoded + raw, 1)
    return data


_KEEP = ("Valparaíso", "shipping agents’ association", "“at least two weeks”")


def hostile_corpus(root: Path, big: bool = True) -> list[Case]:
    """Write the hostile corpus under `root`; return what must become of each file.

    `big=False` leaves out the 50 MB and 5 MB files (the flow test does not need them twice).
    """
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, data: bytes, case: Case) -> None:
        _write(root, name, data)
        cases.append(case)

    en = article()
    # Nothing to keep.
    add("empty.txt", b"", Case("empty.txt", "empty"))
    add("blank lines.txt", b" \r\n\t \n\n   \x0c\n", Case("blank lines.txt", "empty"))
    add("invisible.txt", "\u200b\u200e\ufeff \u2060\u202e\n".encode(), Case("invisible.txt", "empty"))
    add("noise.txt", random.Random(8).randbytes(4096), Case("noise.txt", "binary", detail="binary data"))
    add("controls.txt", bytes(range(1, 9)) * 100 + en.encode(), Case("controls.txt", "binary"))
    add("scan.txt", PDF, Case("scan.txt", "binary", detail="PDF"))
    add("photo.txt", JPEG, Case("photo.txt", "binary", detail="JPEG"))
    add("archive.txt", gzip.compress(en.encode(), mtime=0), Case("archive.txt", "binary", detail="gzip"))
    add("boilerplate only.txt", BOILERPLATE_ONLY.encode(), Case("boilerplate only.txt", "no_content"))
    add("empty page.html", EMPTY_PAGE.encode(), Case("empty page.html", "no_content"))

    # Text worth keeping, whatever its encoding or invisible extras.
    bad = _with_bytes_inside(article(13), {"ended": b"\x81", "waiting": b"\xc3", "exports": b"\xff\xfe"})
    add("bad bytes.txt", bad, Case("bad bytes.txt", ARTICLE, keep=_KEEP, encoding="utf-8"))
    add("utf16 bom.txt", codecs.BOM_UTF16_LE + article(14).encode("utf-16-le"), Case("utf16 bom.txt", ARTICLE, _KEEP, encoding="utf-16-le"))
    add("utf16be bom.txt", codecs.BOM_UTF16_BE + article(15).encode("utf-16-be"), Case("utf16be bom.txt", ARTICLE, _KEEP, encoding="utf-16-be"))
    add("utf16le.txt", article(16).encode("utf-16-le"), Case("utf16le.txt", ARTICLE, _KEEP, encoding="utf-16-le"))
    add("utf16be.txt", article(17).encode("utf-16-be"), Case("utf16be.txt", ARTICLE, _KEEP, encoding="utf-16-be"))
    add("cp1252.txt", article(18).encode("cp1252"), Case("cp1252.txt", ARTICLE, _KEEP, drop=("â€", "\ufffd"), encoding="cp1252"))
    add("utf8 bom.txt", codecs.BOM_UTF8 + article(19).encode(), Case("utf8 bom.txt", ARTICLE, _KEEP, drop=("\ufeff",), encoding="utf-8-sig"))
    add("mac endings.txt", article(20).replace("\n", "\r").encode(), Case("mac endings.txt", ARTICLE, _KEEP, drop=("\r",)))
    add("arabic.txt", ARABIC.encode(), Case("arabic.txt", ARTICLE, keep=("وزارة الصحة", "ثلاثمئة سرير")))
    add("chinese.txt", CHINESE.encode(), Case("chinese.txt", ARTICLE, keep=("卫生部周二表示", "三百张床位")))
    add("russian.txt", RUSSIAN.encode(), Case("russian.txt", ARTICLE, keep=("Министерство здравоохранения", "триста коек")))
    marks = article(21).replace("Valparaíso", "Valpa\u200dra\u200bíso\u200f").replace("Union", "\u202eUnion\u202c\u2066")
    add("bidi and zero width.txt", marks.encode(), Case("bidi and zero width.txt", ARTICLE, _KEEP + ("Union leader",), drop=("\u200d", "\u200b", "\u200f", "\u202e", "\u2066")))
    nuls = _with_bytes_inside(article(22), {"Harbour": b"\x00", "walkout": b"\x00\x00"})
    add("nul bytes.txt", nuls, Case("nul bytes.txt", ARTICLE, _KEEP + ("Harbour workers", "walkout had"), drop=("\x00",)))
    surrogates = _with_bytes_inside(article(23), {"ended": b" \xed\xa0\x80", "exports": b" \xed\xa0\xbd\xed\xb8\x80"})
    add("surrogates utf8.txt", surrogates, Case("surrogates utf8.txt", ARTICLE, _KEEP + ("ended \ufffd a", "exports \U0001f600"), drop=("í\xa0€",), encoding="utf-8"))
    lone16 = _with_bytes_inside(article(24), {"ended": " ".encode("utf-16-le") + b"\x00\xd8"}, "utf-16-le")
    add("surrogate utf16.txt", codecs.BOM_UTF16_LE + lone16, Case("surrogate utf16.txt", ARTICLE, _KEEP + ("ended \ufffd a",), encoding="utf-16-le"))
    page = PAGE.format(n=1, p0=PARAGRAPHS[0].format(n=25), p1=PARAGRAPHS[1], p2=PARAGRAPHS[2])
    chrome = ("<", ">", "trackingPixel", "font-family", "cookies", "Privacy policy", "Copyright")
    add("page saved as text.txt", page.encode(), Case("page saved as text.txt", ARTICLE, _KEEP, drop=chrome, encoding="html"))
    page2 = PAGE.format(n=2, p0=PARAGRAPHS[0].format(n=26), p1=PARAGRAPHS[1], p2=PARAGRAPHS[2])
    add("news/page.html", page2.encode("cp1252"), Case("news/page.html", ARTICLE, _KEEP, drop=chrome, encoding="html"))

    # Duplicates: the same text twice is kept once, the copy names the original.
    add("dup/a.txt", article(30).encode(), Case("dup/a.txt", ARTICLE, _KEEP))
    add("dup/b.txt", article(30).encode(), Case("dup/b.txt", "duplicate", detail="dup/a.txt"))
    add("dup/c in utf16.txt", codecs.BOM_UTF16_LE + article(30).encode("utf-16-le"), Case("dup/c in utf16.txt", "duplicate", detail="dup/a.txt"))
    near = article(30).replace("Thursday", "Friday") + "\nRead more: Dockers vote on new contract\n"
    add("dup/near.txt", near.encode(), Case("dup/near.txt", ARTICLE, ("ended a nine-day strike on Friday",), drop=("Read more",)))

    # File names that break shells, CSV readers and naive path handling.
    for i, name in enumerate(("-leading dash.txt", "--help.txt", "it's \"quoted\".txt", "Ünïcödé 新闻 خبر.txt", "=HYPERLINK(1).txt", "new\nline.txt", "  spaces  .txt")):
        add(name, article(40 + i).encode(), Case(name, ARTICLE, _KEEP))
    # A Latin-1 name: not UTF-8, so the OS hands it over as a surrogate; the tables show `\xe9`.
    with open(os.fsencode(root) + b"/caf\xe9 latin-1.txt", "wb") as fh:
        fh.write(article(48).encode())
    cases.append(Case("caf\\xe9 latin-1.txt", ARTICLE, _KEEP))

    # Links and files that cannot be read.
    os.symlink("loop.txt", root / "loop.txt")
    cases.append(Case("loop.txt", "unreadable", detail="symbolic links"))
    os.symlink("missing.txt", root / "dangling.txt")
    cases.append(Case("dangling.txt", "unreadable", detail="No such file"))
    os.symlink("..", root / "dup" / "parent")  # a directory loop: must not be walked forever
    os.symlink("dup/a.txt", root / "link to a.txt")
    cases.append(Case("link to a.txt", "duplicate", detail="dup/a.txt"))
    _write(root, "locked.txt", article(50).encode())
    os.chmod(root / "locked.txt", 0)
    # root reads any file whatever its mode: then it is an article like any other.
    cases.append(Case("locked.txt", ARTICLE, _KEEP) if os.geteuid() == 0 else Case("locked.txt", "unreadable", detail="Permission denied"))
    _write(root, "notes.md", b"not an input: wrong suffix, never listed")

    if big:
        _sparse(root / "huge.txt", 50 * MIB)
        cases.append(Case("huge.txt", "too_large", detail="limit"))
        add("one line.txt", long_line(5 * MIB), Case("one line.txt", ARTICLE, ("would carry 1000 vehicles a day",), drop=("\n",)))
    return cases


def tiny_files(root: Path, n: int) -> None:
    """`n` distinct one-sentence files, written with bare system calls to keep it fast."""
    root.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for i in range(n):
        fd = os.open(root / f"{i:06d}.txt", flags, 0o644)
        os.write(fd, b"Officials counted %d boats in the harbour on Monday.\n" % i)
        os.close(fd)
