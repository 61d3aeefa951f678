"""Boilerplate removal: raw page text -> clean article body plus the removed spans.

The main body is found at document level (the best-scoring run of prose lines and data-table
rows, so navigation menus, teaser lists and footers around it go; teaser lists whose summaries
are real prose are trimmed by layout and topic); inside it, lines are removed by pattern
(read-more links, calls to action, ads, captions, lines repeated on the page...) and by a
topical test for headlines of unrelated stories injected by related-story widgets.
"""

from __future__ import annotations

import bisect
import datetime
import math
import re
from collections import Counter
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, itemgetter, not_
from typing import Collection, Iterable, Sequence

import numpy as np

from pipeline.core.lexicons import COMMON_WORDS, MONTH_NUMBERS
from pipeline.stages.linemodel import (
    TITLE_NAMES,
    LineModel,
    LineView,
    features,
    shipped_model,
    title_anchor,
    title_candidates,
    title_features,
)


@dataclass(frozen=True)
class Removal:
    """A removed span of the raw text; `text` is raw[start:end], kept so the raw can be rebuilt."""

    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True)
class Cleaned:
    text: str
    title: str | None
    published_date: datetime.date | None
    source_name: str | None
    removals: tuple[Removal, ...]
    author: str | None = None


# --- line patterns -----------------------------------------------------------------
# Patterns are matched at the start of one stripped line (only lines starting like one of
# them are tried) and every repeat is bounded ({0,n}, no nested quantifiers), so a 5 MB
# single line costs one bounded attempt, never catastrophic backtracking.

_LEAD = r"[ \t\u00a0*+•·>»|#\-–—]*"
_REST = r"[^\n]{0,250}$"
_SEP_REST = r"(?:[ \t]*[:\-–—|»›>](?:[ \t]" + _REST + r"|$)|[ \t.]*$)"
_BARE_END = r"[^\w\n]{0,20}$"


# Whole line is one of these words (bullets, counts and punctuation allowed around it).
_BARE = {
    "advertisement": r"""
        advertisement
        advertising
        advert
        ads?
        adchoices
        sponsored(?: content| post| links?| stories)?
        anzeige
        werbung
        publicidad
        publicit[ée]
        pubblicit[àa]
        publicidade
        iklan
        реклама
        广告
        광고
        continue reading(?: the main story| below)?
        story continues below(?: advertisement)?
        article continues below(?: advertisement)?
        scroll to continue with content""",
    "comments": r"""
        comments?(?: \(\d+\))?
        \d+ comments?
        \d+ (?:responses?|replies|reactions)
        no comments(?: yet)?
        comments are closed
        post a comment
        leave a (?:reply|comment)
        add (?:a |your )?comment
        view (?:all )?(?:\d+ )?comments
        show (?:all )?(?:\d+ )?comments
        load (?:all )?(?:\d+ )?comments
        read (?:all )?(?:\d+ )?comments
        see (?:all )?(?:\d+ )?comments
        join the (?:discussion|conversation)
        reply
        report(?: abuse| comment)?
        commentaires?
        kommentare?
        comentarios?
        coment[áa]rios?
        komentar
        commenti
        комментари[йия]
        \d+ комментари[йяев]{0,2}
        отзывы
        ответить
        (?:добавить|оставить|написать) (?:комментарий|отзыв)""",
    "call_to_action": r"""
        print(?: this)?(?: article| story| page)?
        e-mail(?: this)?(?: article| story)?
        email(?: this)?(?: article| story)?
        tweet
        share(?: this)?(?: article| story| post| page| entry)?
        \d+ shares?
        shares
        pin(?: it)?
        whatsapp
        facebook
        twitter
        linkedin
        reddit
        pinterest
        flipboard
        pocket
        mix
        tumblr
        google\+?
        instagram
        youtube
        telegram
        messenger
        copy link
        copied
        subscribe(?: now| today)?
        contribute
        donate
        save
        get short url
        log ?in
        sign ?in
        sign ?up
        register""",
    "navigation": r"""
        home
        главная
        поиск
        меню
        menu
        search
        sections?
        close
        more
        next
        previous
        prev
        top
        back
        back to (?:top|gallery)
        quick links
        useful links
        show more
        load more
        view all
        see all
        categories
        tags
        topics
        newsletters?
        video
        photos?
        gallery
        \d+ (?:of|/) \d+""",
}

# Line starts with one of these, then a separator (":", "-", "|"...) or the line ends.
_SEPARATED = {
    "related_link": r"""
        read (?:more|also|next|this)
        read (?:this|these) next
        what to read next
        more stories
        more news
        editor'?s picks
        popular (?:now|stories|posts|articles)
        latest (?:news|stories|posts|articles)
        in case you missed it
        around the web
        from the web
        promoted stories
        also read
        read
        related(?: articles?| stories| posts?| content| coverage| news| links?| topics| reading)?
        see also
        see more
        more
        more (?:from|in|on) [^\n:.]{1,40}
        you (?:may|might) (?:also )?(?:like|enjoy|be interested in)
        recommended(?: for you| stories| articles| reading)?
        most (?:read|popular|viewed|shared)(?: (?:in|on) [^\n:.]{1,30})?
        trending(?: now| stories)?
        top stories
        don'?t miss
        further reading
        up next
        next up(?: in [^\n:.]{1,30})?
        next (?:article|post|story)
        previous (?:article|post|story)
        prev (?:article|post|story)
        lire (?:aussi|également|la suite)
        читайте (?:также|еще|ещё)
        смотрите также
        похожие (?:статьи|записи|новости|материалы)
        вам (?:также )?(?:может быть интересно|понравится)
        самые популярные [^\n:.]{1,30}
        свежие (?:записи|новости|статьи)
        à lire (?:aussi|également)
        voir aussi
        lesen sie (?:auch|mehr)
        mehr zum thema
        auch interessant
        leer más
        lea también
        lee también
        ver también
        leia (?:também|mais)
        veja (?:também|mais)
        leggi anche
        baca juga
        art[ií]culos relacionados
        artigos relacionados
        articoli correlati
        ähnliche artikel
        関連記事
        관련기사""",
    "metadata": r"""
        tags?
        topics?
        filed under
        categor(?:y|ies)
        source
        posted(?: on| in| by)?
        published(?: on| at)?
        updated(?: on| at)?
        last updated
        first published(?: on)?
        written by
        reading time
        image credit
        photo credit
        min(?:ute)?s? read
        \d+ ?[hmd] ago
        \d+ (?:minutes?|hours?|days?|weeks?) ago
        medically reviewed by
        reviewed by
        edited by
        researched by
        sources?
        \d+ min(?:ute)?s? read""",
}

# Line starts with one of these; anything may follow.
_PREFIX = {
    "call_to_action": r"""
        breaking(?: news)?:
        stay tuned (?:to|with|for)
        stay (?:up to date|informed|connected|in touch) with
        follow us
        перейти к (?:контенту|содержанию|основному содержанию)
        поделиться
        подпишитесь
        подписаться
        добавить в избранное
        follow [^\n]{1,60}? on (?:twitter|facebook|instagram|linkedin|youtube|telegram|google)
        like us on
        subscribe (?:to|for|now|today)
        sign up (?:for|to|now|here)
        click here
        tap here
        share (?:this|on|via)
        sharing is caring
        like this (?:story|article)
        download (?:the|our) app
        get (?:the|our) (?:app|newsletter)
        join (?:us|our) (?:on|newsletter|mailing)
        please (?:like|share|subscribe|follow)
        support independent journalism
        skip to (?:content|main content|navigation)
        get breaking news
        receive the latest
        want more [^\n]{1,40}\?
        don'?t forget to (?:like|share|subscribe|follow)""",
    "footer": r"""
        \((?:reporting|writing|editing|additional reporting) by
        reporting by [^\n;]{1,80}; (?:editing|writing) by
        our standards: the trust principles
        originally published (?:at|on|in|by)
        copyright\b
        do you know what i have posted
        for more visit our
        terms of (?:use|service)
        privacy (?:policy|notice)
        cookie (?:policy|settings)
        powered by
        site index
        site ?map
        about us
        политика конфиденциальности
        все права защищены
        contact us
        go to home page
        this (?:website|site) uses cookies
        we use cookies
        privacy overview
        necessary cookies
        cookies? (?:policy|settings|preferences)""",
    "caption": r"""
        image caption
        photo caption
        media caption
        images? ?(?:credit|copyright|:)
        photos? ?(?:credit|copyright|:)
        pictures? ?(?:credit|copyright|:)
        photograph:
        credit:
        file photo""",
    "comments": r"""
        please enable javascript to view the comments
        comments powered by
        blog comments powered by
        as you comment
        we welcome (?:your )?comments
        you must be logged in to (?:post a )?comment""",
}

def _literal_prefix(alt: str) -> str:
    """The letters every match of a regex alternative starts with (up to its first operator)."""
    i = 0
    while i < len(alt) and alt[i] not in "\\()[]?*+{|.":
        i += 1
    if i < len(alt) and alt[i] in "?*{":
        i -= 1  # the last letter is optional
    return alt[:i]


def _trie(items: list[tuple[str, str]]) -> str:
    """Alternation of `prefix + tail` items, in precedence order, with shared literal prefixes
    merged, so the engine reads each character once instead of trying every alternative (a flat
    alternation of 200 patterns costs microseconds a line). Prefixes are matched without case;
    their characters are case-sensitive classes ("[rR]") because the engine skips a branch whose
    first class fails without entering it, but not a case-folded literal; tails get (?i:...)."""
    order: list[str] = []  # "" for an item ending here, else the first character of a branch
    ends: list[str] = []
    branches: dict[str, list[tuple[str, str]]] = {}
    for prefix, tail in items:
        if not prefix:
            order.append("")
            ends.append(f"(?i:{tail})" if tail else "")
        else:
            if prefix[0] not in branches:
                branches[prefix[0]] = []
                order.append(prefix[0])
            branches[prefix[0]].append((prefix[1:], tail))
    ends.reverse()
    out = []
    for key in order:
        if not key:
            out.append(ends.pop())
            continue
        head = f"[{key}{key.upper()}]" if len(key.upper()) == 1 and key.upper() != key else re.escape(key)
        sub = branches[key]
        out.append(head + ("(?:" + _trie(sub) + ")" if len(sub) > 1 else _trie(sub)))
    return "|".join(out)


def _line_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    """One multiline regex for every line pattern; `reasons[m.lastgroup]` names the match."""
    items: list[tuple[str, str]] = []
    reasons: dict[str, str] = {}
    for table, suffix in ((_BARE, _BARE_END), (_SEPARATED, _SEP_REST), (_PREFIX, _REST)):
        for reason, alternatives in table.items():
            for alt in alternatives.strip().split("\n"):
                alt = alt.strip()
                prefix = _literal_prefix(alt)
                group = f"p{len(items)}"
                items.append((prefix.lower(), f"{alt[len(prefix):]}{suffix}(?P<{group}>)"))
                reasons[group] = reason
    return re.compile(rf"{_LEAD}(?:{_trie(items)})"), reasons


_LINE_RE, _LINE_REASONS = _line_regex()


# Bylines and datelines in French, German, Spanish, Portuguese, Italian and Indonesian as well.
_MONTHS = MONTH_NUMBERS | {
    m: i
    for i, names in enumerate(
        [
            ("janvier", "januar", "enero", "janeiro", "gennaio", "januari"),
            ("février", "fevrier", "februar", "febrero", "fevereiro", "febbraio", "februari"),
            ("mars", "märz", "marzo", "março", "maret"),
            ("avril", "abril", "aprile"),
            ("mai", "mayo", "maio", "maggio", "mei"),
            ("juin", "juni", "junio", "junho", "giugno"),
            ("juillet", "juli", "julio", "julho", "luglio"),
            ("août", "aout", "agosto", "agustus"),
            ("septembre", "septiembre", "setembro", "settembre"),
            ("octobre", "oktober", "octubre", "outubro", "ottobre"),
            ("novembre", "noviembre", "novembro", "nopember"),
            ("décembre", "decembre", "dezember", "diciembre", "dezembro", "dicembre", "desember"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_ALT = "(?:" + _trie([(m, "") for m in sorted(_MONTHS, key=len, reverse=True)]) + ")"
_DATE_RE = re.compile(
    r"(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)"
    rf"|(?P<am>{_MONTH_ALT})\.? (?P<ad>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<ay>\d{{4}})"
    rf"|(?<!\d)(?P<bd>\d{{1,2}})(?:st|nd|rd|th)?\.? (?:de )?(?P<bm>{_MONTH_ALT})\.?,? (?:de )?(?P<by>\d{{4}})",
    re.IGNORECASE,
)
_LEADING_META_RE = re.compile(
    r"^\s*(?:date|dated|published|posted|updated|datum|fecha|data|date de publication)\b(?:\s*(?:on|at)\b)?[\s:]*", re.IGNORECASE
)

_SOURCE_RES = (
    re.compile(r"(?:©|ⓒ|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[^\n|.,;]{2,60}?)"
               r"(?:\s*\d{4})?\s*(?:\.(?:\s|$)|\||,|;|\ball rights\b|$)", re.IGNORECASE),
    re.compile(r"stay tuned (?:to|with) (?P<name>[^\n]{2,60}?) (?:for|to get)\b", re.IGNORECASE),
    re.compile(r"originally published (?:at|on|in|by) (?P<name>[^\n|,;]{2,60}?)\s*(?:\.(?:\s|$)|\||,|;|$)",
               re.IGNORECASE),
    re.compile(r"follow (?P<name>(?!us\b)[^\n]{2,40}?) on (?:twitter|facebook|instagram)", re.IGNORECASE),
)

_TERMINAL = frozenset(".!?…。！？")
_CLOSERS = "\"'”’»)]*"
_LAST_CHAR = itemgetter(slice(-1, None))
_WIDE_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Words a line shares with the body without being about its topic: the commonest words and the
# commonest short verbs and adverbs (its stems compare words of three letters or more).
_STOP = COMMON_WORDS | frozenset("get let like made make put see use way him now too very old one two".split())
_STOP_STEMS = frozenset(w[:5] for w in _STOP)



@dataclass(frozen=True)
class BoilerplateRules:
    """The tuned thresholds of boilerplate removal, titles, dates and bylines. Defaults: the
    body-finding rules were hand-tuned on Zyte's 95 development pages; the classifier margins
    and the title score by grouped cross-validation on the Zyte and WCXB development pages
    (benchmarks/boilerplate_eval.py --cv, README "Cleaning"). The shipped line classifier was
    trained with the defaults: the rules' decisions are among its features."""

    # --- the body (rules) ---
    prose_units: int = 10
    """A line of this many words ending a sentence is prose (twice as many without the ending)."""
    end_share: float = 0.3
    """A section header ("Related", "Comments") ends the body when the prose after it is under
    this share of the prose before."""
    injected_shared: float = 0.35
    """A headline between paragraphs sharing fewer of its words with the body than this is
    another story's (an injected headline)."""
    topic_gap: int = 3
    """This many non-prose lines in a row separate two blocks of the body."""
    topic_shared: float = 0.25
    """A block sharing fewer of its content words with the article is another story."""
    topic_min_words: int = 8
    """Fewer content words are too few to judge a block's topic."""
    core_share: float = 0.5
    """A plain block this good against a card-like best block is the article."""
    card_share: float = 0.5
    """A block is laid out as teaser cards when this share of its prose lines sit under a headline."""
    menu_items: int = 3
    """This many one-to-four-word list items make the lines before the body a menu."""
    # How strongly a line argues against being inside the article body, by its pattern reason
    # (an untagged prose line argues for it by its word count); the body is the best-scoring run.
    penalty_comments: float = -40.0
    penalty_footer: float = -25.0
    penalty_related_link: float = -10.0
    penalty_call_to_action: float = -6.0
    penalty_template: float = -6.0
    penalty_navigation: float = -4.0
    penalty_metadata: float = -3.0
    penalty_caption: float = -2.0
    penalty_advertisement: float = -1.0
    penalty_title: float = -1.0
    penalty_short: float = -3.0
    """An untagged line too short to be prose (chosen by 5-fold CV on the Zyte pages)."""
    penalty_bullet: float = -4.0
    """An untagged list item."""
    penalty_table: float = 1.0
    """An untagged row of a data table (standings, results): content, though short."""

    # --- the line classifier ---
    model_max_lines: int = 20_000
    """Pages of more lines are no web pages (logs, lists, data dumps): the rules alone decide, in
    linear time, where the classifier's per-line features would cost seconds."""
    override_margin: float = 1.5
    """Log-odds by which the classifier must disagree with the rules to overturn their decision
    on a line (grouped cross-validation, README): the rules' tested behaviour stands where the
    classifier is unsure."""
    injected_headline_margin: float = 3.0
    """The margin to keep a line the rules took as an injected headline: the seeds' news sites
    inject them, few benchmark pages do, and there most short off-topic lines are list items of
    the article, so the development pages teach too little about them."""
    prose_words: int = 15
    prose_removal_margin: float = 3.0
    """A line the rules kept of `prose_words` or more words ending a sentence is article text on
    nearly every page: removing one loses what the reader came for, keeping a line of
    boilerplate costs little, so the classifier needs this margin to remove it (a short wire
    story's lead paragraph otherwise goes, its first-line position reading like a title)."""

    # --- title, date, author ---
    title_min_score: float = -4.0
    """Without a rules' headline among the header lines, the title scorer's best line is the
    title from this score (chosen on the WCXB pages of three folds of sites in five, README)."""
    date_line_units: int = 12
    """A date line of the header is this short."""
    date_line_reach: int = 3
    """Lines from the title a date line may be."""
    byline_reach: int = 4
    """A "By NAME" line is this near the title, or the first lines of a page without one."""
    author_words: int = 6
    """An author's name has at most this many words."""


def line_key(line: str) -> str:
    """Normalised line for counting repeats: casefold, no punctuation, single spaces.

    Digits are kept: lines that differ only in their numbers ("Shr 16 cts vs 13 cts" in wire
    earnings reports) are data, not a site's template.
    """
    return " ".join(_PUNCT_RE.sub(" ", line.casefold()).split())


_PUNCT_RE = re.compile(r"[^\w\s]|_")


def _ascii_key_table() -> dict[int, str]:
    """line_key's character mapping on ASCII (case, digits, punctuation and spaces to one
    space), read from line_key itself so that the two cannot disagree."""
    table = {}
    for c in range(128):
        if c != ord("\n"):
            key = line_key(f"a{chr(c)}a")
            table[c] = " " if key == "a a" else "0" if key == "a0a" else key[1]
    return table


_ASCII_KEY_TABLE = _ascii_key_table()
_ASCII_SQUEEZE_TABLE = {c: None if v == " " else v for c, v in _ASCII_KEY_TABLE.items()}
_SPACED = " ".join


def _row_keys(raw: str) -> list[str]:
    """line_key of every line of raw.split("\n"); ASCII text is mapped in one C-level pass."""
    if not raw.isascii():
        return list(map(line_key, raw.split("\n")))
    return list(map(_SPACED, map(str.split, raw.translate(_ASCII_KEY_TABLE).split("\n"))))


def document_line_keys(raw: str) -> frozenset[str]:
    """The distinct line keys of a document (blank lines have none)."""
    return frozenset(_row_keys(raw)) - {""}


def template_keys_of(documents: Iterable[Collection[str]], min_docs: int = 5, min_share: float = 0.002) -> frozenset[str]:
    """Keys of lines recurring in at least max(min_docs, min_share * n_docs) distinct documents,
    given each document's line keys (`document_line_keys`).

    Documents that share their two longest lines (copies of one story, syndication) count once,
    so a story's own sentences never become template just because it was republished.
    The absolute floor keeps small corpora safe (a short common sentence has to recur in five
    unrelated articles); the relative floor keeps chance repeats of short real sentences out
    of large corpora while a site with 0.2 % of the documents still has its template found.
    """
    # Documents containing a key bound its distinct signatures, so signatures are collected
    # only for the few keys that many documents contain.
    doc_counts: Counter[str] = Counter()
    docs: list[tuple[frozenset[str], tuple[str, ...]]] = []
    for keys in documents:
        keys = frozenset(keys)
        # longest first, ties in string order
        docs.append((keys, tuple(sorted(sorted(keys), key=len, reverse=True)[:2])))
        doc_counts.update(keys)
    threshold = max(min_docs, math.ceil(min_share * len(docs)))
    frequent = {k for k, c in doc_counts.items() if c >= threshold}
    signatures: dict[str, set[tuple[str, ...]]] = {k: set() for k in frequent}
    for keys, signature in docs:
        for k in keys & frequent:
            signatures[k].add(signature)
    return frozenset(k for k, sigs in signatures.items() if len(sigs) >= threshold)


def template_line_keys(raw_texts: Iterable[str], min_docs: int = 5, min_share: float = 0.002) -> frozenset[str]:
    """Template lines of a corpus of raw texts: `template_keys_of` their line keys."""
    return template_keys_of(map(document_line_keys, raw_texts), min_docs, min_share)


# --- line features ---------------------------------------------------------------
# Lines are held as parallel lists built with C-level map/compress calls: per-line Python
# objects and calls were most of the cost on pages of short lines.


class _Lines:
    """The non-blank lines of a raw text."""

    __slots__ = ("raw", "rules", "row", "begin", "start", "end", "text", "units", "terminal", "wrapped", "reason")

    def __init__(self, raw: str, rules: BoilerplateRules = BoilerplateRules()) -> None:
        self.rules = rules  # the thresholds every test on these lines reads
        pieces = raw.split("\n")
        stripped = list(map(str.strip, pieces))
        offsets = list(map(add, accumulate(map(len, pieces), initial=0), count()))
        self.raw = raw
        self.row = list(compress(range(len(pieces)), stripped))  # index of the line in raw.split("\n")
        self.text = text = list(compress(stripped, stripped))
        self.begin = list(compress(offsets, stripped))  # offset of the line in raw
        self.start = list(map(add, self.begin, map(str.index, compress(pieces, stripped), text)))  # first non-space
        self.end = list(map(add, self.start, map(len, text)))  # after the last non-space
        # words; CJK text counts about one unit per two characters
        self.units = units = list(map(add, map(str.count, text, repeat(" ")), repeat(1)))
        if not raw.isascii():
            for i in [i for i, (s, u) in enumerate(zip(text, units)) if len(s) > 12 * u and not s.isascii()]:
                units[i] = max(units[i], len(_WIDE_RE.findall(text[i])) // 2)
        # ends with sentence punctuation (closing quotes/brackets ignored)
        self.terminal = list(map(_TERMINAL.__contains__, map(_LAST_CHAR, map(str.rstrip, text, repeat(_CLOSERS)))))
        self.wrapped = self._wrapped()  # continues on the next line (hard-wrapped paragraph)
        self.reason: list[str | None] = [None] * len(text)

    def _wrapped(self) -> list[bool]:
        """Hard-wrapped text (wire copy at ~70 columns): most lines end near one width."""
        n = len(self.text)
        if n < 4:
            return [False] * n
        lengths = list(map(len, self.text))
        width = sorted(lengths)[n * 9 // 10]
        if not 30 <= width <= 100:
            return [False] * n
        least = 0.7 * width
        full = [ln >= least and not t for ln, t in zip(lengths, self.terminal)]
        if sum(full) < 0.3 * n:
            return [False] * n
        row = self.row
        return [f and r2 - r1 == 1 for f, r1, r2 in zip(full, row, row[1:])] + [False]

    def gap(self, i: int) -> int:
        """Newlines between line i and line i + 1."""
        return self.row[i + 1] - self.row[i]


def _lines_containing(low: str, lines: _Lines, literals: dict[str, tuple[str, ...]]) -> list[int]:
    """Lines whose lowercased text contains any of the literals (each line at most once per
    literal); `literals` groups them under a substring they share, looked for first, as most
    texts contain none of them."""
    found = []
    begin, end = lines.begin, lines.end
    for lit in [lit for probe, group in literals.items() if probe in low for lit in group]:
        i = low.find(lit)
        while i != -1:
            k = bisect.bisect_right(begin, i) - 1
            found.append(k)
            i = low.find(lit, max(end[k], i + 1))
    return found


_COPYRIGHT_LITERALS = {"©": ("©",), "ⓒ": ("ⓒ",), "all rights reserved": ("all rights reserved",),
                       "(c)": ("(c) 1", "(c) 2", "(c)1", "(c)2")}
_CAPTION_LITERALS = {
    "photo": ("(photo", "(ap photo", "photo by ", "submitted photo", "photo: "),
    "credit": ("(credit", "credit:", "credit..."),
    "(image": ("(image",), "(picture": ("(picture",), "getty images": ("getty images",),
    "shutterstock": ("shutterstock",), "disqus": ("disqus",),
}
_BYLINE_WORDS = frozenset(("by", "von", "par", "por", "di", "oleh", "door"))
_YEAR_RE = re.compile(r"\d{4}")


def _tag_patterns(lines: _Lines, template_keys: frozenset[str]) -> None:
    raw, reason, units, terminal, wrapped = lines.raw, lines.reason, lines.units, lines.terminal, lines.wrapped
    # the rest of a hard-wrapped paragraph, or a long paragraph, is no boilerplate line
    skip = [u > 45 or w for u, w in zip(units, [False] + wrapped)]
    text = lines.text
    tried = list(compress(range(len(text)), map(not_, skip)))
    matches = list(map(_LINE_RE.match, map(text.__getitem__, tried)))
    for k in compress(range(len(tried)), matches):
        reason[tried[k]] = _LINE_REASONS[matches[k].lastgroup]
    for i in [i for i, (r, t, u, s, w) in enumerate(zip(reason, terminal, units, skip, wrapped))
              if r is None and u <= 10 and not (t or s or w)]:
        s = text[i]
        if units[i] <= 8 and s.split(" ", 1)[0].lower() in _BYLINE_WORDS:
            reason[i] = "metadata"
        elif _YEAR_RE.search(s) and _DATE_RE.search(s):
            reason[i] = "metadata"
    low = raw.lower()
    if len(low) == len(raw):  # lowercasing can lengthen a few characters; then offsets would drift
        for tag, literals, max_units in (("footer", _COPYRIGHT_LITERALS, 30), ("caption", _CAPTION_LITERALS, 60)):
            for i in _lines_containing(low, lines, literals):
                if reason[i] is None and units[i] <= max_units and not wrapped[i]:
                    reason[i] = "comments" if "disqus" in text[i].lower() else tag
    # A line of six words or more said three times on one page is a repeated photo caption or
    # teaser, not prose of the article (bullets excluded: menus repeat in header and footer,
    # handled as zones).
    if len(set(text)) <= len(text) - 2:  # cheap test first: most texts repeat no line
        repeated = {s for s, c in Counter(text).items() if c >= 3 and not _is_bullet(s) and len(s.split()) >= 6}
        for i in [i for i, s in enumerate(text) if s in repeated]:
            if reason[i] is None:
                reason[i] = "caption"
    if template_keys:
        for i in _template_lines(lines, template_keys):
            if reason[i] is None:
                reason[i] = "template"


def _template_lines(lines: _Lines, template_keys: frozenset[str]) -> Iterable[int]:
    """Indices of the lines whose key is a template key. On ASCII text a line's key without its
    spaces is the line mapped with spaces and punctuation deleted, one pass for the whole text;
    only lines passing that test are keyed."""
    if not lines.raw.isascii():
        keys = _row_keys(lines.raw)
        return compress(range(len(lines.text)), map(template_keys.__contains__, map(keys.__getitem__, lines.row)))
    squeezed = lines.raw.translate(_ASCII_SQUEEZE_TABLE).split("\n")
    maybe = map(_squeezed_keys(template_keys).__contains__, map(squeezed.__getitem__, lines.row))
    return [i for i in compress(range(len(lines.text)), maybe) if line_key(lines.text[i]) in template_keys]


@lru_cache(maxsize=8)
def _squeezed_keys(template_keys: frozenset[str]) -> frozenset[str]:
    return frozenset(k.replace(" ", "") for k in template_keys)


def _is_bullet(s: str) -> bool:
    return s[0] in "*+•·" and (len(s) == 1 or s[1] == " ")


@lru_cache(maxsize=8)
def _penalties(rules: BoilerplateRules) -> dict[str, float]:
    """The `penalty_*` fields by reason (and "short", "bullet", "table")."""
    return {f.name.removeprefix("penalty_"): getattr(rules, f.name) for f in fields(rules) if f.name.startswith("penalty_")}


def _scores(lines: _Lines, wrapped_prose: bool = False) -> list[float]:
    """How much each line argues for being article body (prose) or against it; with
    `wrapped_prose`, untagged pieces of a hard-wrapped paragraph count as prose whatever their
    own ending (their word count)."""
    penalty = _penalties(lines.rules)
    short, bullet, table = penalty["short"], penalty["bullet"], penalty["table"]
    prose_units = lines.rules.prose_units
    out = []
    in_paragraph = False
    for r, u, t, s, w in zip(lines.reason, lines.units, lines.terminal, lines.text, lines.wrapped):
        if r is not None:
            out.append(penalty[r])
        elif wrapped_prose and (in_paragraph or w):
            out.append(u)
        elif u >= prose_units and t:
            out.append(float(u))
        elif u >= 2 * prose_units:
            out.append(u / 2)
        elif t and u >= 5:
            out.append(0.5)
        elif _is_bullet(s):
            out.append(bullet)
        else:
            out.append(table if _is_table_row(s) else short)
        in_paragraph = w
    return out


_FIRST_CHAR = itemgetter(0)


def _is_table_row(s: str) -> bool:
    """A row of figures: three or more numbers making up at least 40 % of the line's tokens, with
    a label (a line of numbers alone is more often pagination)."""
    tokens = s.split()
    if len(tokens) < 4:
        return False
    numbers = sum(map(str.isdigit, map(_FIRST_CHAR, tokens)))
    return numbers >= 3 and numbers * 5 >= 2 * len(tokens) and numbers < len(tokens)


def _body_range(gains: list[float]) -> tuple[int, int]:
    """Indices [a, b) of the best-scoring run of lines (maximum subarray)."""
    best, best_a, best_b = 0.0, 0, 0
    run, run_a = 0.0, 0
    for i, g in enumerate(gains):
        if run <= 0:
            run, run_a = 0.0, i
        run += g
        if run > best:
            best, best_a, best_b = run, run_a, i + 1
    if best <= 0:
        return 0, len(gains)
    return best_a, best_b


def _blocks(gains: list[float], a: int, b: int, gap: int) -> list[tuple[int, int, float]]:
    """(start, end, prose gain) of the runs of lines in [a, b) that more than `gap` non-prose
    lines in a row separate."""
    out = []
    start = last = -1
    total = 0.0
    for i in range(a, b):
        if gains[i] <= 0:
            continue
        if start < 0 or i - last > gap:
            if start >= 0:
                out.append((start, last + 1, total))
            start, total = i, 0.0
        total += gains[i]
        last = i
    if start >= 0:
        out.append((start, last + 1, total))
    return out


def _topical_range(lines: _Lines, gains: list[float], a: int, b: int, title: str | None) -> tuple[int, int]:
    """Trim teaser lists at the ends of the body (other stories' headlines, each over a summary
    that is real prose): going out from the article's core block, the body stops before the
    first block from which the rest of the page is laid out as cards and is about other things
    (its content words mostly missing from the title and the core)."""
    if True in lines.wrapped:
        return a, b  # hard-wrapped wire copy: no web page, and its tables split it into blocks
    rules = lines.rules
    blocks = _blocks(gains, a, b, rules.topic_gap)
    if len(blocks) < 2:
        return a, b
    text, terminal = lines.text, lines.terminal
    # per block: prose lines, prose lines under a headline-like line (short, no final
    # punctuation), content words
    stats = []
    for start, end, _ in blocks:
        prose = [i for i in range(start, end) if gains[i] > 0]
        under = sum(1 for i in prose if gains[i - 1] <= 0 and not terminal[i - 1])
        stats.append((len(prose), under, _stems("\n".join(text[start:end]))))

    def card_like(ks: range) -> bool:
        prose = sum(stats[k][0] for k in ks)
        return prose >= 2 and sum(stats[k][1] for k in ks) >= rules.card_share * prose

    # the core is the best block, or a plain one nearly as good when the best is laid out as cards
    core = max(range(len(blocks)), key=lambda k: blocks[k][2])
    plain = max((k for k in range(len(blocks)) if not card_like(range(k, k + 1))),
                key=lambda k: blocks[k][2], default=core)
    if blocks[plain][2] >= rules.core_share * blocks[core][2]:
        core = plain
    topic = set(_stems(title or "")) | set(stats[core][2])
    # by occurrences, not distinct words: a block about the article's story repeats its key
    # names; a teaser list spreads over many stories, each word said once or twice
    shared = [(len(words), sum(1 for w in words if w in topic)) for _, _, words in stats]

    def other_stories(ks: range) -> bool:
        n_words = sum(shared[k][0] for k in ks)
        return (n_words >= rules.topic_min_words and sum(shared[k][1] for k in ks) < rules.topic_shared * n_words
                and card_like(ks))

    for k in range(core + 1, len(blocks)):
        if other_stories(range(k, len(blocks))):
            b = blocks[k - 1][1]
            break
    for k in range(core - 1, -1, -1):
        if other_stories(range(0, k + 1)):
            a = blocks[k + 1][0]
            break
    return a, b


_END_MARKERS = frozenset(("related_link", "comments", "footer", "call_to_action"))


def _body_end(lines: _Lines, a: int, b: int) -> int:
    """Cut the body at a section header ("Related", "Comments", "Share this") when little
    prose follows it: what comes after such a header is teasers or comments, not the article."""
    reason, units = lines.reason, lines.units
    markers = {i for i in range(a, b) if reason[i] in _END_MARKERS and units[i] <= 3}
    if not markers:
        return b
    gains = [max(sc, 0.0) for sc in _scores(lines)[a:b]]
    total = sum(gains)
    before = 0.0
    for i, g in zip(range(a, b), gains):
        if i in markers and before > 0 and total - before < lines.rules.end_share * before:
            return i
        before += g
    return b


_WORD_RE = re.compile(r"[^\W\d_]\w{2,}")


# Kanji and katakana runs: Chinese and Japanese put no spaces between words, so their
# content "words" are character pairs (hiragana is mostly grammar and is left out).
_IDEOGRAPH_RUN_RE = re.compile(r"[\u30a0-\u30ff\u3400-\u9fff\uf900-\ufaff]+")


def _stems(text: str) -> list[str]:
    """Five-letter prefixes of the content words: a cheap stemmer ("fighters" ~ "fighting");
    character pairs for Chinese and Japanese."""
    low = text.lower()
    if low.isascii() or not _WIDE_RE.search(low):
        return [w[:5] for w in _WORD_RE.findall(low) if w[:5] not in _STOP_STEMS]
    runs = _IDEOGRAPH_RUN_RE.findall(low)
    low = _WIDE_RE.sub(" ", low)
    out = [w[:5] for w in _WORD_RE.findall(low) if w[:5] not in _STOP_STEMS]
    out += [run[k:k + 2] for run in runs for k in range(len(run) - 1)]
    return out


_QUOTES = "\"'“‘«„"


def _tag_injected(lines: _Lines, a: int, b: int) -> None:
    """Headlines of other stories dropped between paragraphs: a short unpunctuated line,
    set apart like a paragraph, between kept lines, whose words the rest of the body lacks."""
    reason, text, row = lines.reason, lines.text, lines.row
    body = [i for i in range(a, b) if reason[i] is None]
    shaped = [i for i in body[1:-1] if _headline_shaped(lines, i)]
    if not shaped:
        return
    one_per_line = "\n\n" not in lines.raw
    wrapped = lines.wrapped
    position = {i: k for k, i in enumerate(body)}
    candidates = []
    for i in shaped:
        prev, nxt = body[position[i] - 1], body[position[i] + 1]
        if wrapped[prev] or text[i][0].islower() or text[nxt][0].islower():
            continue  # a sentence broken over a paragraph break, not a headline
        # a paragraph of its own: blank lines around it unless the text puts one paragraph a line
        if one_per_line or min(row[i] - row[prev], row[nxt] - row[i]) >= 2:
            candidates.append(i)
    if not candidates:
        return
    totals = Counter(_stems("\n".join(text[i] for i in body)))
    for i in candidates:
        own = Counter(_stems(text[i]))
        if len(own) < 3:
            continue
        shared = sum(1 for st, c in own.items() if totals[st] > c)
        if shared < lines.rules.injected_shared * len(own):
            reason[i] = "related_link" if _is_bullet(text[i]) else "injected_headline"


def _headline_shaped(lines: _Lines, i: int) -> bool:
    return (not lines.terminal[i] and not lines.wrapped[i] and 4 <= lines.units[i] <= 25
            and lines.text[i][0] not in _QUOTES)


def _tag_related_runs(lines: _Lines, a: int, b: int) -> None:
    """A related-links header takes the short lines listed under it."""
    reason, terminal, units = lines.reason, lines.terminal, lines.units
    prose_units = lines.rules.prose_units
    i = a
    while i < b:
        if reason[i] == "related_link":
            j = i + 1
            while j < b and reason[j] in (None, "related_link") and not (terminal[j] and units[j] >= prose_units):
                reason[j] = "related_link"
                j += 1
            i = j
        else:
            i += 1


# --- title, date, source -------------------------------------------------------------


def _date(text: str, pos: int = 0, anchored: bool = False) -> datetime.date | None:
    m = _DATE_RE.match(text, pos) if anchored else _DATE_RE.search(text, pos)
    if m is None:
        return None
    try:
        if m["iy"]:
            return datetime.date(int(m["iy"]), int(m["im"]), int(m["id"]))
        if m["ay"]:
            return datetime.date(int(m["ay"]), _MONTHS[m["am"].lower()], int(m["ad"]))
        return datetime.date(int(m["by"]), _MONTHS[m["bm"].lower()], int(m["bd"]))
    except ValueError:
        return None


def _leading_metadata_date(text: str) -> datetime.date | None:
    m = _LEADING_META_RE.match(text)
    return _date(text, m.end() if m else 0, anchored=True)


def _looks_like_title(lines: _Lines, i: int) -> bool:
    text, units, terminal = lines.text, lines.units, lines.terminal
    if lines.reason[i] is not None or not 2 <= units[i] <= 25 or _is_bullet(text[i]) or i + 1 >= len(text):
        return False
    gap = lines.gap(i)
    if gap < 2 and not (terminal[i + 1] and units[i + 1] >= lines.rules.prose_units):
        return False
    if not terminal[i] or text[i].rstrip(_CLOSERS)[-1] in "?!":
        return True
    # A one-sentence first line ending in "." is a headline when set apart by a wider gap
    # than the paragraphs below it.
    if units[i] > 20 or ". " in text[i] or i + 2 >= len(text):
        return False
    return gap > lines.gap(i + 1)


def _source_name(lines: _Lines) -> str | None:
    tagged = [s for s, r in zip(lines.text, lines.reason) if r == "footer" or r == "call_to_action"]
    for pattern in _SOURCE_RES:
        for text in tagged:
            m = pattern.search(text)
            if m:
                name = m["name"].strip(" -–—:|·•©")
                if name and len(name.split()) <= 8 and any(ch.isalpha() for ch in name):
                    return name
    return None


# --- spans -----------------------------------------------------------------------


def _kept_pieces(lines: _Lines) -> list[tuple[int, int]]:
    """[start, end) pieces of raw that stay: kept lines, each with one newline after it and a
    second one when a blank or removed line separated it from the next kept line."""
    raw, begin, end, row, reason = lines.raw, lines.begin, lines.end, lines.row, lines.reason
    kept = [i for i, r in enumerate(reason) if r is None]
    if not kept:
        return []
    pieces = []
    piece_start = lines.start[kept[0]]
    for i, j in zip(kept, kept[1:]):
        if j == i + 1 and begin[j] - end[i] == row[j] - row[i] <= 2:
            continue  # the gap is "\n" or "\n\n": nothing to remove
        p1 = raw.index("\n", end[i])
        pieces += [(piece_start, end[i]), (p1, p1 + 1)]
        if row[j] - row[i] >= 2:
            # keep the blank line's newline, or the one just before the next kept line when
            # a removed line follows this one
            p2 = begin[j] - 1 if j > i + 1 and row[i + 1] == row[i] + 1 else raw.index("\n", p1 + 1)
            pieces.append((p2, p2 + 1))
        piece_start = begin[j]
    pieces.append((piece_start, end[kept[-1]]))
    return pieces


def _removals(lines: _Lines) -> tuple[Removal, ...]:
    raw, begin = lines.raw, lines.begin
    labels = [r or "whitespace" for r in lines.reason]
    out: list[Removal] = []
    pos = 0
    for ks, ke in _kept_pieces(lines) + [(len(raw), len(raw))]:
        if ks > pos:
            _split_removed(raw, pos, ks, begin, labels, out)
        pos = ke
    return tuple(out)


def _split_removed(raw: str, x: int, y: int, begin: list[int], labels: list[str], out: list[Removal]) -> None:
    """Removals covering raw[x:y], each piece labelled by the line it starts in."""
    i = bisect.bisect_right(begin, x) - 1
    cur_start = x
    cur_reason = labels[i] if i >= 0 and raw.find("\n", begin[i], x) == -1 else "whitespace"
    i += 1
    while i < len(begin) and begin[i] < y:
        if labels[i] != cur_reason:
            if begin[i] > cur_start:
                out.append(Removal(cur_start, begin[i], cur_reason, raw[cur_start:begin[i]]))
            cur_start, cur_reason = begin[i], labels[i]
        i += 1
    out.append(Removal(cur_start, y, cur_reason, raw[cur_start:y]))


# --- public API -------------------------------------------------------------------


# On an extractor's output (the HTML route: trafilatura already chose the article's text), only
# lines matching these patterns are removed: strong evidence, measured not to cost recall.
EXTRACTED_REMOVALS = frozenset(("advertisement", "call_to_action", "comments", "footer", "related_link"))


def _plain(lines: _Lines, pattern: list[str | None]) -> bool:
    """The rules find no boilerplate on the page but its headline and date lines: plain article
    text (wire copy, clean corpora), left to the rules (the classifier costs ~1 ms a page)."""
    return not any(pattern) and all(r in (None, "title", "metadata") for r in lines.reason)


def reason_index(reasons: list[str | None], reason: str) -> int | None:
    return next((i for i, r in enumerate(reasons) if r == reason), None)


def cleaned(raw: str, template_keys: frozenset[str] = frozenset(), learned: bool = True,
            model: LineModel | None = None, extracted: bool = False, *,
            rules: BoilerplateRules = BoilerplateRules()) -> Cleaned:
    """The article body of `raw` with every removed span and the reason for it. With `learned`,
    the line classifier (`model`, by default the one under pipeline/data/ when trained) has the
    last word on every line, the rules' decisions being among its features. With `extracted`,
    `raw` is an HTML extractor's article text: only EXTRACTED_REMOVALS patterns are removed.
    The classifier is not used on pages of over `rules.model_max_lines` lines, nor on plain ones
    (`_plain`)."""
    lines = _Lines(raw, rules)
    if not lines.text:
        removals = (Removal(0, len(raw), "whitespace", raw),) if raw else ()
        return Cleaned("", None, None, None, removals)
    if extracted:
        _tag_patterns(lines, template_keys)
        lines.reason[:] = [r if r in EXTRACTED_REMOVALS else None for r in lines.reason]
        removals = _removals(lines)
        return Cleaned(rebuilt_clean(raw, removals), None, None, _source_name(lines), removals)
    pattern, gains, title, published = _rule_tags(lines, template_keys)
    title_at = reason_index(lines.reason, "title")
    model = (model or shipped_model()) if learned else None
    if model is not None and len(lines.text) <= rules.model_max_lines and not _plain(lines, pattern):
        view, logit = _apply_model(lines, model, pattern, gains)
        if model.title is not None:
            title_at, published = _learned_title_and_date(lines, model, view, logit, published)
            title = lines.text[title_at] if title_at is not None else None
    removals = _removals(lines)
    return Cleaned(
        text=rebuilt_clean(raw, removals),
        title=title,
        published_date=published,
        source_name=_source_name(lines),
        removals=removals,
        author=_byline_author(lines, title_at),
    )


_BYLINE_RE = re.compile(r"(?:written |posted |words |story |reporting )?by:?\s*(?P<name>[A-Z][^\n|•·,;]{1,60}?)"
                        r"\s*(?:$|\||•|·|,|;|\s[-–—]\s|\bon\b|\bupdated\b|\bpublished\b|\d)", re.IGNORECASE)


def _byline_author(lines: _Lines, title_at: int | None) -> str | None:
    """The name in a short "By NAME" line near the title."""
    reach = lines.rules.byline_reach
    if title_at is not None:
        start = title_at + 1
    else:  # the lines just before the body
        start = max(0, next((i for i, r in enumerate(lines.reason) if r is None), 0) - reach)
    for i in range(max(0, start - 2), min(len(lines.text), start + reach)):
        if lines.units[i] <= 12 and (m := _BYLINE_RE.match(lines.text[i])):
            name = m["name"].strip(" .:")
            if 1 <= len(name.split()) <= lines.rules.author_words and name[0].isupper() and not _DATE_RE.search(name):
                return name
    return None


def _rule_tags(lines: _Lines, template_keys: frozenset[str]) -> tuple[list[str | None], list[float], str | None, datetime.date | None]:
    """Tag the lines by the rules; (reasons from the line patterns alone, body score of each
    line before the body was found, title, date of publication)."""
    n = len(lines.text)
    _tag_patterns(lines, template_keys)
    reason = lines.reason
    pattern = list(reason)
    gains = _scores(lines, wrapped_prose=True)

    published: datetime.date | None = None
    first = 0
    lead_date = _leading_metadata_date(lines.text[0]) if lines.units[0] <= 12 else None
    if lead_date is not None or reason[0] == "metadata":
        reason[0], published, first = "metadata", lead_date, 1
    title = None
    if first < n and _looks_like_title(lines, first):
        reason[first], title = "title", lines.text[first]

    a = first  # where the body starts; with nothing tagged it is every line after the title
    rest = first + (title is not None)
    if reason.count(None) < n - rest or any(map(_headline_shaped, repeat(lines), range(rest, n))):
        a = _tag_body(lines, first, title)
    if published is None:
        for i in range(a - 1, -1, -1):
            if reason[i] == "metadata" and (published := _date(lines.text[i])) is not None:
                break
    return pattern, gains, title, published


_TOPIC_UNITS = 25  # lines this short (headlines, captions, list items) get a topic share


def _topic_shares(lines: _Lines) -> list[float]:
    """Per line, the share of its content words that the rest of the rules' body also uses; the
    injected-headline test as a number, for every short line."""
    short = [i for i, u in enumerate(lines.units) if u <= _TOPIC_UNITS]
    shares = [1.0] * len(lines.text)
    if not short:
        return shares
    totals = Counter(_stems("\n".join(t for t, r in zip(lines.text, lines.reason) if r is None)))
    for i in short:
        own = Counter(_stems(lines.text[i]))
        if own:
            inside = lines.reason[i] is None
            shares[i] = sum(1 for st, c in own.items() if totals[st] - (c if inside else 0) > 0) / len(own)
    return shares


def line_view(lines: _Lines, pattern: Sequence[str | None], gains: Sequence[float]) -> LineView:
    return LineView(lines.text, lines.units, lines.terminal, lines.row, lines.wrapped, pattern, list(lines.reason), gains,
                    _topic_shares(lines))


def line_table(raw: str, template_keys: frozenset[str] = frozenset(), *,
               rules: BoilerplateRules = BoilerplateRules()) -> tuple[list[str], np.ndarray]:
    """(non-blank lines, their classifier features) of a raw text, as the trainer sees them."""
    lines = _Lines(raw, rules)
    if not lines.text:
        return [], features(line_view(lines, [], []))
    pattern, gains, _, _ = _rule_tags(lines, template_keys)
    return lines.text, features(line_view(lines, pattern, gains))


_WORD_CHAR_RE = re.compile(r"\w")


def _apply_model(lines: _Lines, model: LineModel, pattern: list[str | None], gains: list[float]) -> tuple[LineView, np.ndarray]:
    """The classifier decides every line holding a word; a line it removes that the rules kept
    is labelled by the feature family that argues most against it. Returns the view the
    features were read from and each line's log-odds of being article text."""
    reason, rules = lines.reason, lines.rules
    view = line_view(lines, pattern, gains)
    logit, x2 = model.scores(features(view))
    rule_kept = np.asarray([r is None for r in reason])
    margin = np.asarray([rules.injected_headline_margin if r == "injected_headline" else rules.override_margin for r in reason])
    prose = np.asarray([u >= rules.prose_words and t for u, t in zip(lines.units, lines.terminal)], dtype=bool)
    keep = logit >= model.threshold + np.where(rule_kept, np.where(prose, -rules.prose_removal_margin, -rules.override_margin), margin)
    for i in np.flatnonzero(keep != rule_kept):
        if not _WORD_CHAR_RE.search(lines.text[i]):
            continue
        reason[i] = None if reason[i] is not None else "model_" + model.family_against(x2[i])
    return view, logit


def _title_rows(lines: _Lines, view: LineView, logit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(candidate lines, their title features): the header's lines around the body's start."""
    reason = lines.reason
    view = LineView(*(view.text, view.units, view.terminal, view.row, view.wrapped, view.pattern), list(reason),
                    view.gains, view.topic)  # the decisions after the classifier's
    body_start = title_anchor(view)
    cand = title_candidates(view, body_start)
    if not len(cand):
        return cand, np.zeros((0, len(TITLE_NAMES)))
    body = Counter(_stems("\n".join(t for t, r in zip(lines.text, reason) if r is None)))
    shares, n_content = [], []
    for i in cand:
        own = Counter(_stems(lines.text[i]))
        inside = reason[i] is None
        shares.append(sum(1 for st, c in own.items() if body[st] - (c if inside else 0) > 0) / max(len(own), 1))
        n_content.append(len(own))
    raw_counts = [lines.raw.count(lines.text[i]) for i in cand]
    return cand, title_features(view, cand, body_start, logit, raw_counts, shares, n_content)


def _learned_title_and_date(lines: _Lines, model: LineModel, view: LineView, logit: np.ndarray,
                            published: datetime.date | None) -> tuple[int | None, datetime.date | None]:
    """The best-scoring header line is the title (removed from the body as such); the date of
    publication is the date line nearest to it in the header, or the rules' one. Returns the
    title's line index."""
    reason = lines.reason
    cand, x = _title_rows(lines, view, logit)
    # the rules' headline (a first line set apart) is one of the candidates, its pattern one of
    # the scorer's features: the scorer's best line wins over it, and without it stands when
    # the scorer likes it at all (a page's headline is nearly always one of its header lines);
    # a date line the rules read as metadata is never the headline
    title_at = reason_index(reason, "title")
    if len(cand) and not all(reason[i] == "metadata" for i in cand):
        scores = np.where([reason[i] == "metadata" for i in cand], -np.inf, model.title.logit(x))
        best = int(np.argmax(scores))
        if title_at in cand or scores[best] >= lines.rules.title_min_score:
            title_at = int(cand[best])
    for i, r in enumerate(reason):
        if r == "title" and i != title_at:
            reason[i] = "navigation"  # the rules' first-line guess, not the headline
    if title_at is None:
        return None, published
    reason[title_at] = "title"
    date_at = _header_date(lines, title_at)
    if date_at is None:
        return title_at, published
    reason[date_at] = "metadata"  # read, so out of the body
    return title_at, _date(lines.text[date_at])




def _header_date(lines: _Lines, title_at: int) -> int | None:
    """The nearest short line holding a date within reach of the title, before or after it."""
    text, units, rules = lines.text, lines.units, lines.rules
    for d in range(1, rules.date_line_reach + 1):
        for i in (title_at + d, title_at - d):
            if 0 <= i < len(text) and units[i] <= rules.date_line_units and _date(text[i]) is not None:
                return i
    return None


def title_table(raw: str, template_keys: frozenset[str], model: LineModel, *,
                rules: BoilerplateRules = BoilerplateRules()) -> tuple[list[str], np.ndarray]:
    """(candidate title lines, their title features) of a raw text under a line model, as the trainer sees them."""
    lines = _Lines(raw, rules)
    if not lines.text:
        return [], np.zeros((0, len(TITLE_NAMES)))
    pattern, gains, _, _ = _rule_tags(lines, template_keys)
    view, logit = _apply_model(lines, model, pattern, gains)
    cand, x = _title_rows(lines, view, logit)
    return [lines.text[i] for i in cand], x


def _tag_body(lines: _Lines, first: int, title: str | None) -> int:
    """Find the article body among the lines, tag the lines around it and the ones inside it
    that are not article; return the index of its first line."""
    reason = lines.reason
    n = len(reason)
    gains = _scores(lines, wrapped_prose=True)
    a, b = _body_range(gains)
    a, b = max(a, first), max(b, first)
    b = _body_end(lines, a, b)
    a2, b2 = _topical_range(lines, gains, a, b, title)
    for i in [*range(a, a2), *range(b2, b)]:
        if reason[i] is None:
            reason[i] = "related_link"
    a, b = a2, b2
    _tag_related_runs(lines, a, b)
    _tag_injected(lines, a, b)
    # An untagged tail after the last prose (a list closing a plain article) stays unless
    # boilerplate shows up there, the sign of a page's footer zone.
    if reason[b:].count(None) == n - b:
        b = n
    # An untagged lead-in (a plain article's short opening lines) stays too, unless it is a menu.
    if all(r in (None, "title", "metadata") for r in reason[:a]) and not _menu(lines, first, a):
        a = first
    for i in range(a):
        if reason[i] is None:
            reason[i] = "navigation"
    for i in range(b, n):
        if reason[i] is None:
            reason[i] = "footer"
    return a


def _menu(lines: _Lines, a: int, b: int) -> bool:
    """Lines a..b hold a navigation menu: several short list items."""
    text, units = lines.text, lines.units
    return sum(1 for i in range(a, b) if units[i] <= 4 and _is_bullet(text[i])) >= lines.rules.menu_items


def rebuilt_clean(raw: str, removals: Sequence[Removal]) -> str:
    """Raw text with the removed spans deleted."""
    parts: list[str] = []
    pos = 0
    for r in removals:
        parts.append(raw[pos:r.start])
        pos = r.end
    parts.append(raw[pos:])
    return "".join(parts)


def rebuilt_raw(text: str, removals: Sequence[Removal]) -> str:
    """Inverse of cleaning: the raw text from the clean text and the removals (with their text)."""
    parts: list[str] = []
    raw_pos = 0
    text_pos = 0
    for r in sorted(removals, key=lambda r: r.start):
        if r.start < raw_pos or len(r.text) != r.end - r.start:
            raise ValueError(f"removal {r.start}-{r.end} overlaps or does not match its text")
        kept = r.start - raw_pos
        parts.append(text[text_pos:text_pos + kept])
        parts.append(r.text)
        text_pos += kept
        raw_pos = r.end
    parts.append(text[text_pos:])
    return "".join(parts)
