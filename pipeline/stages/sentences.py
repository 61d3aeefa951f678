"""Sentence boundaries in news text, as spans over the original string (the text is never rewritten).

One compiled regex finds every place a sentence could end (terminal punctuation, line
breaks, bullets, list markers); a few cheap checks on the words around each place decide.

Policy: a blank line always ends a sentence. A single line break ends one only when the
line reads as a heading, list item or table row (a deeper indent, a bullet or number, or a
line so short that the next word would have fitted on it), so hard-wrapped paragraphs stay
whole. Quotations are split like any other text: "A. B," he said. gives two sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from pipeline.core.ids import stable_id


@dataclass(frozen=True)
class SentenceRules:
    """Tunables of sentence splitting; the defaults are those the golden rules and the wire-copy
    tests were written against (tests/test_sentences.py, benchmarks/sentences_eval.py)."""

    max_sentences_per_article: int = 20_000
    """An article keeps its first this many sentences: a safety cap (a megabyte of "a. b. c."),
    far above real news text; the build reports articles that reach it."""
    fronted_time_words: int = 3
    """A time at most this many words into its sentence is a fronted adverbial ("At 5 a.m. Mr.
    Smith went"), so a capitalised name after it does not start a new sentence."""
    min_wrap: int = 40
    """Prose is rarely hard-wrapped narrower than this, so short texts do not shrink the width estimate."""
    wrap_slack: float = 1.15
    """A line break counts as deliberate only when the line plus the next word stays this far inside
    the width: wrapped first lines lost their indentation, wrappers differ by a few columns."""
    list_line_max: int = 50
    """Lines in a block with no punctuation at all, each shorter than this, are list items."""
    word_lookback: int = 64
    """Tokens are read at most this far back: longer ones are no abbreviation, and the bound keeps
    every check constant-time."""

    def __post_init__(self) -> None:
        if self.max_sentences_per_article < 1:
            raise ValueError(f"max_sentences_per_article must be at least 1, got {self.max_sentences_per_article}")

_TERMINALS = ".!?…‽"
_CLOSERS = ")]}\"'”’»“"  # “ closes German quotations („…“)
_OPENERS = "([{\"'“‘«„"
_BULLETS = "•◦▪‣⁃●■►▶"
_ITEM_LEAD = _BULLETS + "-*–— \t\n\r\f\v\u00a0"
_T, _C, _O, _B = (re.escape(chars) for chars in (_TERMINALS, _CLOSERS, _OPENERS, _BULLETS))


def _scanner() -> re.Pattern[str]:
    # Every branch starts with a literal character so that the engine can jump between
    # candidates (about 10x faster than branches that start with a group or a class).
    # Terminal runs are possessive and may not start inside another run: no backtracking,
    # even on a megabyte of dots.
    run = rf"(?<![{_T}].)(?<![{_T}] .)(?: ?[{_T}])*+[{_C}]*+(?=\s|\Z|[A-Z])"
    branches = [r"\n(?:[^\S\n]*+\n)*+[^\S\n]*+"]  # a line break, blank lines, the next indent
    branches += [re.escape(c) + run for c in _TERMINALS]
    branches.append(r"\)(?<=[0-9A-Za-z]\))(?=\s)")  # "1)" or "a)" list markers
    branches += [re.escape(c) + r"(?<!\S.)" for c in _BULLETS]
    return re.compile("|".join(branches))


_SCAN = _scanner()
# The next word after a candidate boundary, past whitespace and opening quotes/brackets.
_NEXT = re.compile(rf"\s*+[{_O}]*+(\w*+)(\S?)")
_TOKEN = re.compile(r"\S*+")
_INDENT = re.compile(r"[^\S\n]*+")
# A line that opens a list item: a bullet, a dash or star, or "1." "1)" "1.)" "a." "(a)".
_ITEM = re.compile(rf"[{_B}]|[-*–—]\s|\(?(?:\d{{1,2}}|[A-Za-z])(?:\.\)|[.)])\s")
# A line ending in punctuation (or a hyphen), which rules out a block being a bare list.
_PUNCTUATED_LINE = re.compile(rf"[{_T},;:\-–—][{_C}]*+[^\S\n]*+(?:\n|\Z)")
_MULTI_PERIOD = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")

# Precede a name, so never end a sentence.
_TITLES = frozenset(
    "Mr Mrs Ms Mx Messrs Mme Mlle Dr Drs Prof Gen Gens Lt Lieut Col Maj Capt Cpt Cmdr Cdr "
    "Comdr Adm Brig Sgt Cpl Pvt Spc Gov Govs Sen Sens Rep Reps Rev Hon Pres Supt Insp Det "
    "Amb Atty Fr Msgr Rt St Ste Mt".split()
)
# End a sentence only when a sentence-starting word follows; never before a number.
_ABBREVIATIONS = frozenset(
    "co cos corp inc ltd llc plc bros pty bhd mfg intl assn dept govt univ jr sr esq "
    "etc vs al cf viz ca approx ed eds vol vols pp fig figs ch chap sec para "
    "op ref tel ext est ft hwy ave blvd rd n° nº".split()
)
# Same, but only when capitalised: in lower case these are ordinary words ("he was ill.").
_CAPITALISED_ABBREVIATIONS = frozenset(
    "No Nos Art Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur "
    "Thurs Fri Sat Sun Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Mass Md "
    "Mich Minn Miss Mo Mont Neb Nev Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wyo".split()
)
# Words that commonly open an English sentence; after an ambiguous abbreviation they
# tell "... in the U.S. How ..." (boundary) from "... the U.S. Government ..." (none).
_STARTERS = frozenset(
    "A After Also Although An And Are As At Because Before Being But By Did Do Does During "
    "Even For From He Her Here His How However I If In Is It Its Many Meanwhile More Most "
    "Now On Once Only Our She Since So Some Still That The Their Then There These They This "
    "Those Though Thus To Was We Were What When Where Which While Who Why With Yet You Your".split()
)
_TIME_ABBREVIATIONS = frozenset(("a.m", "p.m"))
# Abbreviations a lower-case word follows inside a sentence ("approx. five", "no. of").
_LOWER_CONTINUERS = frozenset("approx appt apt dept est fig figs incl min max misc no nos orig pt pts sq tbsp tsp vol yr yrs wk wks".split())


class _Splitter:
    """Scans one text once; `cuts` collects the positions where a sentence ends."""

    __slots__ = ("text", "rules", "n", "cuts", "last_cut", "list_ctx", "line_start", "indent",
                 "para_start", "para_lines", "longest", "soft_wrap", "pending")

    def __init__(self, text: str, rules: SentenceRules) -> None:
        self.text = text
        self.rules = rules
        self.n = len(text)
        self.cuts: list[int] = []
        self.last_cut = 0
        self.list_ctx: tuple[str, int] | None = None
        self.line_start = 0
        self.indent = _INDENT.match(text).end()
        self.para_start = 0
        self.para_lines = 1
        # Hard-wrap width evidence: the longest line, and the narrowest soft wrap (a line
        # plus the lower-case word that did not fit on it: the width is less than that).
        self.longest = 0
        self.soft_wrap = 1 << 30
        # Breaks that are deliberate if the line and the next word fit inside the width,
        # known only at the end: (position, line + next word).
        self.pending: list[tuple[int, int]] = []

    def cut(self, pos: int) -> None:
        self.cuts.append(pos)
        if pos > self.last_cut:
            self.last_cut = pos

    def run(self) -> list[tuple[int, int]]:
        text = self.text
        line_break, terminal = self.line_break, self.terminal
        for m in _SCAN.finditer(text):
            s, e = m.span()
            c = text[s]
            if c == "\n":
                line_break(s, e)
            elif c in _TERMINALS:
                terminal(s, e)
            elif c == ")":
                self.paren(s)
            else:
                self.cut(s)  # a bullet opens an item
        self.end_paragraph(self.n)
        self.decide_pending()
        return self.spans()

    def spans(self) -> list[tuple[int, int]]:
        text = self.text
        cuts = sorted(self.cuts)
        cuts.append(self.n)
        out = []
        prev = 0
        for c in cuts:
            if c <= prev:
                continue
            seg = text[prev:c]
            start = prev + len(seg) - len(seg.lstrip())
            end = prev + len(seg.rstrip())
            if end > start:
                out.append((start, end))
            prev = c
        return out

    # -- punctuation ---------------------------------------------------------------------

    def terminal(self, s: int, e: int) -> None:
        text = self.text
        if e >= self.n:
            return
        if not text[e].isspace():
            if self.glued(s, e):
                self.cut(e)
            return
        nxt = _NEXT.match(text, e)
        word = nxt.group(1)
        first = word[:1] or nxt.group(2)
        if not first:
            return
        if first.islower():
            if self.lower_start(s, e, word):
                self.cut(e)
            return
        numeric = first.isdigit() or first in "$£€¥"
        if not (numeric or first.isalpha()):  # caseless scripts count as capitalised
            return  # a dash or another mark: the sentence goes on
        core = text[s] if e - s == 1 else text[s:e].rstrip(_CLOSERS)
        if core == ".":
            self.period(s, e, word, numeric)
        elif "?" in core or "!" in core or "‽" in core:
            self.cut(e)
        else:
            self.ellipsis(s, e, core)

    def lower_start(self, s: int, e: int, word: str) -> bool:
        """Web text often starts sentences in lower case ("great food. the staff"): a single
        period, question or exclamation mark after a plain word ends one before a lower-case
        word too, unless the word before is an abbreviation (or a letter, an initial)."""
        core = self.text[s:e]  # a bracket closing after the mark keeps the sentence going
        if core not in (".", "?", "!") or not word.isalpha() or s == 0 or self.text[s - 1].isspace():
            return False
        w = self.word_before(s)[1].rstrip(_CLOSERS)
        if len(w) < 2 or not w.isalpha():
            return False
        if core != ".":
            return w.islower()  # "where? just", not a name like "Yahoo! in"
        low = w.lower()
        return (low not in _ABBREVIATIONS and w.capitalize() not in _TITLES
                and w.capitalize() not in _CAPITALISED_ABBREVIATIONS and low not in _LOWER_CONTINUERS)

    def ellipsis(self, s: int, e: int, core: str) -> None:
        text = self.text
        if s > 0 and text[s - 1] == "[" and text[s + len(core):s + len(core) + 1] == "]":
            return  # "[...]" marks an omission inside a quotation
        if " " not in core:
            self.cut(e)  # "that.... She", "wait... Then"
        elif core.count(".") + 3 * core.count("…") >= 4:
            # "compounds. . . . The": the period ends the sentence and the spaced ellipsis
            # opens the next; "a period . . . . Next": the four dots end it together.
            attached = s > 0 and not text[s - 1].isspace()
            self.cut(s + 1 if attached else e)
        # three spaced dots ". . ." mark an omission inside the sentence

    def period(self, s: int, e: int, word: str, numeric: bool) -> None:
        text = self.text
        if s == 0 or text[s - 1].isspace():
            self.cut(e)
            return
        w_start, w = self.word_before(s)
        if _is_marker(w):
            style = ".)" if text[s + 1:e].startswith(")") else "."
            if self.list_marker(w_start, w, style):
                return
        if w[-1].isdigit():
            self.cut(e)  # "$100.00. It", "1026.253.553. That"
            return
        if _MULTI_PERIOD.fullmatch(w):
            if numeric:
                return
            if word in _STARTERS:
                self.cut(e)
            elif w.lower() in _TIME_ABBREVIATIONS and not self.fronted(w_start):
                self.cut(e)
            return
        if "." in w:
            dot = w.rindex(".")
            if self.last_cut == w_start + dot + 1:
                w = w[dot + 1:]  # glued sentence already cut: "Tuesday.Mr."
            else:
                self.cut(e)  # e-mail, URL, domain
                return
        if len(w) == 1 and w.isalpha():
            if not numeric and word in _STARTERS:
                self.cut(e)  # "you and I. Did", not "Albert I. Jones"
            return
        cap = w.capitalize()
        if cap in _TITLES:
            return
        if w.lower() in _ABBREVIATIONS or (w[0].isupper() and cap in _CAPITALISED_ABBREVIATIONS):
            if not numeric and word in _STARTERS:
                self.cut(e)
            return
        self.cut(e)

    def fronted(self, w_start: int) -> bool:
        """Whether w_start is within the first few words of its sentence."""
        start = self.last_cut
        if w_start - start > self.rules.word_lookback:
            return False
        return len(self.text[start:w_start].split()) <= self.rules.fronted_time_words

    def word_before(self, s: int) -> tuple[int, str]:
        """The token that ends at s, without opening quotes or bullets, and where it starts."""
        w = self.text[max(0, s - self.rules.word_lookback):s].rsplit(None, 1)[-1]
        stripped = w.lstrip(_OPENERS + _BULLETS)
        return s - len(stripped), stripped or w

    def glued(self, s: int, e: int) -> bool:
        """A period with no space before a capitalised word: "world.Today", not a URL or name."""
        text = self.text
        if e - s != 1 or e + 1 >= self.n or not text[e + 1].islower():
            return False
        before = text[s - 2:s]
        if not (before.isalpha() and before.islower()) and not text[s - 1:s].isdigit():
            return False
        token = self.word_before(s)[1] + _TOKEN.match(text, e, e + self.rules.word_lookback).group()
        return "@" not in token and "/" not in token and "www" not in token.lower()

    # -- lists ---------------------------------------------------------------------------

    def list_marker(self, w_start: int, w: str, style: str) -> bool:
        """Whether w (a number or letter before style) marks a list item; cuts before inline items."""
        value = int(w) if w.isdecimal() else ord(w)
        kind = ("n" if w.isdecimal() else "a") + style
        at_start = w_start - self.last_cut <= 8 and not self.text[self.last_cut:w_start].strip(_ITEM_LEAD)
        if at_start:
            self.list_ctx = (kind, value)
            return True
        if self.list_ctx == (kind, value - 1):
            self.cut(w_start)
            self.list_ctx = (kind, value)
            return True
        return False

    def paren(self, p: int) -> None:
        w_start, w = self.word_before(p)  # "(a)" and "a)" alike: the opener is stripped
        if _is_marker(w):
            self.list_marker(w_start, w, ")")

    # -- line breaks ---------------------------------------------------------------------

    def line_break(self, s: int, e: int) -> None:
        """s: the line break; e: the first character of the next non-blank line."""
        text = self.text
        line_start = self.line_start
        indent_a = self.indent
        next_start = s + 1
        blank = text.rfind("\n", next_start, e) if e > next_start else -1
        if blank >= 0:
            next_start = blank + 1
        self.line_start = next_start
        self.indent = e - next_start
        end_a = s
        while end_a > line_start and text[end_a - 1].isspace():
            end_a -= 1
        length = end_a - line_start
        if length > self.longest:
            self.longest = length
        if blank >= 0 or e >= self.n:
            self.end_paragraph(s)
            self.cut(s)
            self.para_start = self.line_start
            return
        if length == 0:
            return  # the text opened with a blank line
        self.para_lines += 1
        b = text[e]
        if e - next_start > indent_a and not _ITEM.match(text, line_start + indent_a):
            self.cut(s)  # a deeper indent opens a paragraph (wire copy)
            return
        if b in _BULLETS:
            self.cut(s)
            return
        if b.islower() and (text[e + 1:e + 2] not in (".", ")") or not _ITEM.match(text, e)):
            if length + 2 < self.soft_wrap:
                fitted = length + 1 + _TOKEN.match(text, e).end() - e
                if fitted < self.soft_wrap:
                    self.soft_wrap = fitted
            return  # the sentence goes on
        item = _ITEM.match(text, e)
        tail = text[end_a - 1]
        if tail in _CLOSERS:
            tail = text[line_start:end_a].rstrip(_CLOSERS)[-1:]
        if tail in _TERMINALS:
            if item:
                self.cut(s)  # a list item after a finished sentence
            return  # otherwise the punctuation decided
        fitted = length + 1 + _TOKEN.match(text, e).end() - e
        if not item:
            self.pending.append((s, fitted))
        elif tail in ":;" or _ITEM.match(text, line_start + indent_a) or fitted * self.rules.wrap_slack <= self.rules.min_wrap:
            self.cut(s)  # an item after an introduction, another item, or a short line

    def decide_pending(self) -> None:
        """Cut where the next word would have fitted on the line, with room to spare: a deliberate break."""
        if not self.pending:
            return
        longest = max(self.longest, len(self.text[self.line_start:].rstrip()), self.rules.min_wrap)
        width = min(longest, self.soft_wrap)  # a long title or table row must not widen it
        for pos, fitted in self.pending:
            if fitted * self.rules.wrap_slack <= width:
                self.cut(pos)

    def end_paragraph(self, end: int) -> None:
        """A block of short lines with no punctuation at all is a list: one item per line."""
        start = self.para_start
        if self.para_lines > 1 and not _PUNCTUATED_LINE.search(self.text, start, end):
            lines = self.text[start:end].split("\n")
            if max(len(line.rstrip()) for line in lines) < self.rules.list_line_max:
                pos = start
                for line in lines[:-1]:
                    pos += len(line)
                    self.cut(pos)
                    pos += 1
        self.para_lines = 1
        self.list_ctx = None


def _is_marker(w: str) -> bool:
    """A one- or two-digit number or a single letter: what list items are numbered with."""
    return (len(w) <= 2 and w.isdecimal()) or (len(w) == 1 and w.isalpha())


def sentence_spans(text: str, rules: SentenceRules = SentenceRules()) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in order, non-overlapping, stripped of surrounding whitespace, non-empty."""
    if not text:
        return []
    return _Splitter(text, rules).run()


def sentences(articles: pl.DataFrame, rules: SentenceRules = SentenceRules()) -> pl.DataFrame:
    """One row per sentence: sentence_id, article_id, position, text, start, end; ordered by article_id, position.

    Each article keeps at most `rules.max_sentences_per_article` sentences (the first ones); an
    article with exactly that many rows may have been truncated, which the flow reports. Null
    texts give no rows.
    """
    cap = rules.max_sentences_per_article
    ids: list[str] = []
    article_ids: list[str] = []
    positions: list[int] = []
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for article_id, text in articles.select("article_id", "text").iter_rows():
        if text is None:
            continue
        for position, (start, end) in enumerate(sentence_spans(text, rules)[:cap]):
            ids.append(stable_id(article_id, start, end))
            article_ids.append(article_id)
            positions.append(position)
            texts.append(text[start:end])
            starts.append(start)
            ends.append(end)
    frame = pl.DataFrame(
        {
            "sentence_id": ids,
            "article_id": article_ids,
            "position": positions,
            "text": texts,
            "start": starts,
            "end": ends,
        },
        schema={
            "sentence_id": pl.String,
            "article_id": pl.String,
            "position": pl.Int32,
            "text": pl.String,
            "start": pl.Int32,
            "end": pl.Int32,
        },
    )
    return frame.sort("article_id", "position", maintain_order=True)
