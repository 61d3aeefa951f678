"""HTML input: the article text and metadata (title, date, site, author) of a page.

trafilatura extracts the main text and its metadata (its dates come from htmldate, reading the
page's markup and its URL). The title is chosen here: the page's main heading (its one <h1>) or
og:title, over a <title> that carries the site's name as a suffix ("Story - The Paradigm").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# Separators between a headline and the site's name in a <title> or og:title.
_SUFFIX_SEP_RE = re.compile(r"\s+[|–—\-:·•»]\s+|\s+\|\s*|\s*\|\s+")
_NON_ALNUM_RE = re.compile(r"\W+")
_HEADING_WORDS = 2  # a heading of fewer words is a logo or a label ("Home"), not a headline
_MAX_TITLE_CHARS = 300


@dataclass(frozen=True)
class HtmlDocument:
    text: str
    title: str | None
    date: datetime.date | None
    site: str | None
    author: str | None
    url: str | None


def _key(s: str) -> str:
    return _NON_ALNUM_RE.sub("", s.casefold())


def without_site_suffix(title: str, site: str | None, host: str | None) -> str:
    """The headline part of a title that names the site before or after it."""
    parts = [p.strip() for p in _SUFFIX_SEP_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    names = {_key(x) for x in (site, host) if x}
    host_label = _key(host.removeprefix("www.").split(".")[0]) if host else ""
    kept = [p for p in parts if _key(p) not in names and not (host_label and _key(p) in (host_label, _key(host or "")))]
    if len(kept) == len(parts):
        # no part names the site: a site name is the short end part (one to four words)
        if len(parts[-1].split()) <= 4 and len(" ".join(parts[:-1]).split()) >= _HEADING_WORDS:
            kept = parts[:-1]
        else:
            return title.strip()
    if not kept:
        return title.strip()
    # the separators inside the headline itself stay ("Opinion | X" keeps only X when the site is named)
    start, end = title.find(kept[0]), title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip()


def choose_title(h1s: list[str], og_title: str | None, title_tag: str | None, meta_title: str | None,
                 site: str | None, host: str | None) -> str | None:
    """The page's headline: its one main heading, else og:title or the metadata's title, else
    <title>; site-name suffixes removed."""
    names = {_key(x) for x in (site, host) if x}
    # distinct headings (a page may repeat its <h1> for mobile), without anchor marks ("Usage¶")
    headings = list(dict.fromkeys(" ".join(h.split()).rstrip("¶#").strip() for h in h1s))
    real = [without_site_suffix(h, site, host) for h in headings
            if len(h.split()) >= _HEADING_WORDS and len(h) <= _MAX_TITLE_CHARS and _key(h) not in names]
    if len(real) == 1:
        return real[0]
    for t in (og_title, meta_title, title_tag):
        t = " ".join((t or "").split())
        if t and len(t) <= _MAX_TITLE_CHARS:
            stripped = without_site_suffix(t, site, host)
            if _key(stripped) not in names:
                return stripped
    return real[0] if real else None


def html_document(html: str) -> HtmlDocument:
    """Main text and metadata of a page ("" text when nothing could be extracted)."""
    # Imported lazily: they cost ~0.5 s and most inputs are plain text.
    import lxml.html
    import trafilatura

    # No extensive date search: it turns a footer's "Copyright 2024" into a made-up 2024-01-01.
    dates = {"extensive_search": False, "original_date": True}
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      date_extraction_params=dates)
    if doc is None or not (doc.text or "").strip():
        return HtmlDocument("", None, None, None, None, None)
    h1s: list[str] = []
    og = tag = None
    try:
        tree = lxml.html.fromstring(html)
        h1s = [h.text_content() for h in tree.iter("h1")]
        og = next((m.get("content") for m in tree.iter("meta") if m.get("property") == "og:title"), None)
        tag = next((t.text_content() for t in tree.iter("title")), None)
    except (ValueError, lxml.etree.ParserError):
        pass  # trafilatura read it; the title falls back to its metadata
    title = choose_title(h1s, og, tag, doc.title, doc.sitename, doc.hostname)
    date = datetime.date.fromisoformat(doc.date) if doc.date else None
    return HtmlDocument(doc.text, title, date, doc.sitename, doc.author, doc.url)
