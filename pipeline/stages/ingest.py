"""Ingest: the bytes of input files become decoded documents, or rejects with a reason.

Pure functions: `pipeline.io` reads the files; this module never touches the file system.
"""

import hashlib
import re
from dataclasses import dataclass

import polars as pl

from pipeline.stages.decode import DecodeRules, NotText, decoded, normalised
from pipeline.stages.htmlmeta import HtmlMetaRules, html_document
from schemas import polars_schema
from schemas.rejects import Rejects

# Larger files are not news articles; they are rejected before being read (see README, Limits).
# A safety limit of `pipeline.io`, not one of the `IngestRules`: it bounds the read itself, before
# any stage runs (so it is part of the code version, not of the rules hashed into cache keys).
MAX_FILE_BYTES = 16 * 1024 * 1024

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|h[1-6]|script|style|meta|table|td|tr|img)\b[^>]{0,500}>", re.I)

DOCUMENT_SCHEMA = {
    "source_file": pl.Utf8,
    "raw_sha256": pl.Utf8,
    "text_sha256": pl.Utf8,
    "n_bytes": pl.Int64,
    "raw_text": pl.Utf8,
    "encoding": pl.Utf8,
    "warnings": pl.List(pl.Utf8),
    "html_title": pl.Utf8,
    "html_date": pl.Date,
    "html_site": pl.Utf8,
    "html_author": pl.Utf8,
}
REJECT_SCHEMA = polars_schema(Rejects)


@dataclass(frozen=True)
class InputFile:
    """One input as read by `pipeline.io`: its bytes, or why they could not be read."""

    source_file: str
    data: bytes | None
    n_bytes: int | None
    error_reason: str | None = None  # a rejects reason: "unreadable" or "too_large"
    error_detail: str | None = None


@dataclass(frozen=True)
class IngestRules:
    """Tunables of reading a file's bytes as a document."""

    min_page_tags: int = 8
    """A page of tags saved as .txt has at least this many known tags in its first 8 KiB..."""
    min_page_closing_tags: int = 4
    """...this many of them closing ones: prose that quotes tags ("a stray <script> tag and two
    <br> tags") rarely closes them..."""
    min_page_bracket_share: float = 0.01
    """...and more "<" than this share of its characters."""
    decode: DecodeRules = DecodeRules()
    """How bytes are told to be UTF-16 or binary (`pipeline.stages.decode`)."""
    html: HtmlMetaRules = HtmlMetaRules()
    """How an HTML page's title and site name are chosen (`pipeline.stages.htmlmeta`)."""


def looks_like_html(source_file: str, text: str, rules: IngestRules = IngestRules()) -> bool:
    """HTML by name, by its first tag, or by a page of tags saved as .txt."""
    if source_file.lower().endswith(_HTML_SUFFIXES) or _HTML_START.match(text[:4096]):
        return True
    head = text[:8192]
    tags = _HTML_TAG.findall(head)
    closing = sum(t.startswith("</") for t in tags)
    return len(tags) >= rules.min_page_tags and closing >= rules.min_page_closing_tags and head.count("<") > rules.min_page_bracket_share * len(head)


def _html_document(html: str, rules: HtmlMetaRules) -> tuple[str, str | None, str | None, str | None, str | None]:
    doc = html_document(html, rules=rules)
    return doc.text, doc.title, doc.date.isoformat() if doc.date else None, doc.site, doc.author


def printable_path(source_file: str) -> str:
    """The path as valid UTF-8: name bytes the OS could not decode (kept as surrogates) as `\\xNN`,
    and a backslash as `\\\\`, so two names never print the same (a raw 0xff byte is `\\xff`,
    the four characters `\\xff` are `\\\\xff`)."""
    if "\\" in source_file:
        source_file = source_file.replace("\\", "\\\\")
    if source_file.isascii():
        return source_file
    return source_file.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _document(item: InputFile, rules: IngestRules) -> dict:
    """A document row, or a reject row (with key "reason")."""
    base = {"source_file": printable_path(item.source_file), "n_bytes": item.n_bytes, "raw_sha256": None}
    if item.error_reason:
        return base | {"reason": item.error_reason, "detail": item.error_detail}
    data = item.data or b""
    base["raw_sha256"] = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return base | {"reason": "empty", "detail": "the file is empty or holds only white space"}
    try:
        dec = decoded(data, rules.decode)
    except NotText as err:
        return base | {"reason": "binary", "detail": f"not a text file: {err}"}
    text, encoding, title, date, site, author = dec.text, dec.encoding, None, None, None, None
    if looks_like_html(item.source_file, text, rules):
        text, title, date, site, author = _html_document(text, rules.html)
        text, encoding = normalised(text), "html"
        if not text.strip():
            return base | {"reason": "no_content", "detail": "HTML page with no extractable article text"}
    if not text.strip():
        return base | {"reason": "empty", "detail": f"only white space or invisible characters after decoding as {dec.encoding}"}
    return base | {
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "raw_text": text,
        "encoding": encoding,
        "warnings": list(dec.warnings),
        "html_title": title,
        "html_date": date,
        "html_site": site,
        "html_author": author,
    }


def documents(inputs: list[InputFile], rules: IngestRules = IngestRules()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, rejects) for a shard of inputs; one bad file never stops the others."""
    docs, rejects = [], []
    for item in inputs:
        row = _document(item, rules)
        (rejects if "reason" in row else docs).append(row)
    doc_frame = pl.DataFrame(docs, schema={k: (pl.Utf8 if k == "html_date" else v) for k, v in DOCUMENT_SCHEMA.items()})
    doc_frame = doc_frame.with_columns(pl.col("html_date").str.to_date("%Y-%m-%d", strict=False))
    return doc_frame, pl.DataFrame(rejects, schema=REJECT_SCHEMA)


def unique_documents(docs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the first file (by path) of each decoded text; the others become `duplicate` rejects."""
    docs = docs.sort("source_file")
    first = docs.group_by("text_sha256", maintain_order=True).agg(pl.col("source_file").first().alias("original"))
    marked = docs.join(first, on="text_sha256", how="left")
    dupes = marked.filter(pl.col("source_file") != pl.col("original")).select(
        "source_file",
        pl.lit("duplicate").alias("reason"),
        pl.format("exact duplicate of {} (same text after decoding)", "original").alias("detail"),
        "raw_sha256",
        "n_bytes",
    )
    return marked.filter(pl.col("source_file") == pl.col("original")).drop("original"), dupes
