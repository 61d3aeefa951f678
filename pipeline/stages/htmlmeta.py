"""HTML input: the article text and metadata (title, date, site, author) of a page.

trafilatura extracts the main text and its metadata (its dates come from htmldate, reading the
page's markup and its URL). The title is chosen here: a main heading (<h1>) that og:title or
<title> repeats as a run of its parts, else the page's one main heading unless it reads as a
tagline, else og:title, the metadata's title or <title>, each without the parts that name the
site ("Story - The Paradigm"; the site is named by og:site_name, the host, or a heading that is
a title's last part).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# Separators between a headline and the site's name in a <title> or og:title.
_SUFFIX_SEP_RE = re.compile(r"\s+[|–—\-:·•»]\s+|\s+\|\s*|\s*\|\s+")
_NON_ALNUM_RE = re.compile(r"\W+")
_SENTENCE_END_RE = re.compile(r"[^\W\d_]{2}\.$")  # "canvas." but not "U.S."


@dataclass(frozen=True)
class HtmlMetaRules:
    """The thresholds of the title choice on HTML pages (chosen on the WCXB pages of three folds
    of sites in five, benchmarks/boilerplate_eval.py --html; README "Cleaning")."""

    heading_words: int = 2
    """A heading (or a title left of a site suffix) of fewer words is a logo or a label ("Home"),
    not a headline, unless the page's titles repeat it."""
    max_title_chars: int = 300
    """Longer headings and titles are text the markup mislabelled, not titles."""
    site_prefix_chars: int = 5
    """A title's last part names the site by prefix ("Giordano's Catering" for "Giordanos") only
    when both are at least this long: a shorter name is too common a word start."""
    suffix_words: int = 4
    """Without a known site name, a title's last part of at most this many words is the site's."""


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


def _parts(title: str) -> list[str]:
    return [p.strip() for p in _SUFFIX_SEP_RE.split(title) if p.strip()]


def _span(title: str, parts: list[str]) -> str:
    """The stretch of `title` from its first to its last part (the separators inside stay)."""
    start = title.find(parts[0])
    return title[start:title.find(parts[-1], start) + len(parts[-1])].strip()


def _names_site(part: str, name: str, last: bool, rules: HtmlMetaRules) -> bool:
    """A title part names the site: its name, or, as the title's last part, the name with a word
    more or less ("Giordano's Catering" for "Giordanos", "Supermove" for "Supermove Inc.")."""
    p, n = _key(part), _key(name)
    if not p or not n:
        return False
    return p == n or (last and min(len(p), len(n)) >= rules.site_prefix_chars and (p.startswith(n) or n.startswith(p)))


def without_site_suffix(title: str, site: str | None, host: str | None, rules: HtmlMetaRules = HtmlMetaRules()) -> str:
    """The headline part of a title that names the site before or after it."""
    parts = _parts(title)
    if len(parts) < 2:
        return title.strip()
    host_names = [host, host.removeprefix("www.").split(".")[0]] if host else []
    kept = [p for k, p in enumerate(parts) if not any(_names_site(p, h, k == len(parts) - 1, rules) for h in host_names)]
    # the extractor's site name is a guess that may be the headline itself: it goes only when
    # something is left without it
    without_site = [p for p in kept if not (site and _names_site(p, site, p == parts[-1], rules))]
    kept = without_site or kept
    if len(kept) == len(parts):
        # no part names the site: a site name is the short end part
        if len(parts[-1].split()) <= rules.suffix_words and len(" ".join(parts[:-1]).split()) >= rules.heading_words:
            kept = parts[:-1]
        else:
            return title.strip()
    if not kept:
        return title.strip()
    # the separators inside the headline itself stay ("Opinion | X" keeps only X when the site is named)
    return _span(title, kept)


def _runs(title: str) -> list[str]:
    """Every stretch of whole parts of a title ("A | B | C": A, A | B, B, ...), the whole first."""
    parts = _parts(title)
    return [_span(title, parts[i:j]) for n in range(len(parts), 0, -1) for i in range(len(parts) - n + 1)
            for j in (i + n,)]


def _slogan(heading: str, titles: list[str], rules: HtmlMetaRules) -> bool:
    """A main heading that reads as a tagline or a label rather than the page's headline: a
    sentence ending in a period ("Your content. Your canvas."), all capitals, or sharing no word
    with the page's titles ("You deserve to be happy." on a page titled "Online Therapy")."""
    if _SENTENCE_END_RE.search(heading) or heading.isupper():
        return True
    # a one-word title ("Home") is a label itself, no evidence against the heading
    words = {_key(w) for t in titles if len(t.split()) >= rules.heading_words for w in t.split()}
    return bool(words) and not any(_key(w) in words for w in heading.split())


def choose_title(h1s: list[str], og_title: str | None, title_tag: str | None, meta_title: str | None,
                 site: str | None, host: str | None, rules: HtmlMetaRules = HtmlMetaRules()) -> str | None:
    """The page's headline: a main heading that the page's titles repeat, else its one main
    heading, else og:title or the metadata's title, else <title>; site-name suffixes removed."""
    names = {_key(x) for x in (site, host) if x}
    # distinct headings (a page may repeat its <h1> for mobile), without anchor marks ("Usage¶")
    headings = [h for h in dict.fromkeys(" ".join(h.split()).rstrip("¶#").strip() for h in h1s)
                if h and len(h) <= rules.max_title_chars]
    titles = [t for t in (" ".join((t or "").split()) for t in (og_title, meta_title, title_tag))
              if t and len(t) <= rules.max_title_chars]
    # a heading that is the last part of a title whose other parts name no site is the site's
    # name ("What is Ownership? - The Rust Programming Language" under the book's <h1>)
    site_heads = {_key(t_parts[-1]) for t in titles if len(t_parts := _parts(t)) > 1
                  and not any(_key(p) in names for p in t_parts[:-1])}
    # a heading that a title repeats as a run of its parts is the headline, in the title's
    # wording (its spacing survives where the heading's line breaks glued words together)
    for h in headings:
        if _key(h) in names or _key(h) in site_heads:
            continue
        for t in titles:
            match = next((r for r in _runs(t) if _key(r) == _key(h)), None)
            if match is not None:
                return match
    real = [without_site_suffix(h, site, host, rules) for h in headings
            if len(h.split()) >= rules.heading_words and _key(h) not in names and _key(h) not in site_heads]
    if len(real) == 1 and not (titles and _slogan(real[0], titles, rules)):
        return real[0]
    for t in titles:
        stripped = without_site_suffix(t, site, host, rules)
        if _key(stripped) not in names:
            return stripped
    return real[0] if real else (titles[0] if titles else None)


def html_document(html: str, *, rules: HtmlMetaRules = HtmlMetaRules()) -> HtmlDocument:
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
    title = choose_title(h1s, og, tag, doc.title, doc.sitename, doc.hostname, rules)
    date = datetime.date.fromisoformat(doc.date) if doc.date else None
    return HtmlDocument(doc.text, title, date, doc.sitename, doc.author, doc.url)
