"""Text scanning shared by the dates and quantities stages: trigger words found in one pass
(`Vocabulary`, `hits_of`, `Scan`) and patterns matched only around their triggers (`windowed`,
`anchored`), with `Intervals` to tell covered offsets."""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache
from itertools import accumulate
from typing import NamedTuple

from pipeline.stages.dates.parts import _I


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


def trigger_hits(text: str, lowered: str, words: tuple[str, ...]) -> list[int]:
    """Start offsets of `words` in `lowered` (digit runs for "0"), sorted; a word that starts
    with a letter counts only at the start of a word."""
    hits = []
    for word in words:
        if word == "0":
            hits.extend(m.start() for m in _DIGIT_RUN.finditer(text))
            continue
        at = lowered.find(word)
        needs_start = word[0].isalpha()
        while at != -1:
            if not needs_start or at == 0 or not lowered[at - 1].isalpha():
                hits.append(at)
            at = lowered.find(word, at + 1)
    hits.sort()
    return hits


def windowed(pattern: re.Pattern[str], text: str, hits: list[int], back: int = 40, ahead: int = 40) -> list[re.Match]:
    """Matches of `pattern` in the union of windows around `hits`: a full scan's matches that
    contain a hit, at a fraction of the cost. A match reaching a window's end is searched again
    with room, so the window never cuts it short."""
    out: list[re.Match] = []
    i, n = 0, len(hits)
    while i < n:
        lo, hi = max(0, hits[i] - back), hits[i] + ahead
        i += 1
        while i < n and hits[i] - back <= hi:
            hi = hits[i] + ahead
            i += 1
        hi = min(hi, len(text))
        pos = lo
        while pos < hi:
            m = pattern.search(text, pos, hi)
            if m is None:
                break
            if m.end() >= hi - 1 and hi < len(text):
                m = pattern.match(text, m.start(), min(len(text), m.start() + 400)) or m
            out.append(m)
            pos = m.end() if m.end() > m.start() else m.start() + 1
    return out


_DIGIT_RUN = re.compile(r"\d+")


def anchored(pattern: re.Pattern[str], text: str, hits: list[int]) -> list[re.Match]:
    """Matches of `pattern` starting at `hits`, for a pattern every match of which starts at a hit:
    the matches `windowed` finds, with one attempt per hit instead of a search of its window."""
    out: list[re.Match] = []
    done = 0
    for at in hits:
        if at < done:
            continue
        m = pattern.match(text, at, min(len(text), at + 400))
        if m is not None and m.end() > at:
            out.append(m)
            done = m.end()
    return out


class Intervals:
    """A fixed set of [start, end) spans that says in O(log n) whether any overlaps a given one."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        # Furthest end among the spans up to each position in start order.
        self._reach = list(accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self._starts, end)
        return k > 0 and self._reach[k - 1] > start


class Vocabulary(NamedTuple):
    """Trigger words whose hits count only when the whole word at the hit is in `words`
    ("mar" of "March", not of "market"), which spares most windowed searches."""

    prefixes: tuple[str, ...]
    words: frozenset[str]

    def hits(self, text: str, lowered: str) -> list[int]:
        """Sorted hits; those of "0" (digit runs) are kept as they are."""
        hits = [at for at in trigger_hits(text, lowered, self.prefixes) if not lowered[at].isalpha() or _LETTERS.match(lowered, at).group() in self.words]
        return list(dict.fromkeys(hits))  # prefixes of one another ("kilo", "kilogram") hit twice


_LETTERS = re.compile(r"[a-z]*")
Trigger = tuple[str, ...] | Vocabulary | re.Pattern[str]


def hits_of(text: str, lowered: str, triggers: Trigger) -> list[int]:
    """Sorted start offsets in `text` where `triggers` (words, a vocabulary or a pattern) hit."""
    if isinstance(triggers, Vocabulary):
        return triggers.hits(text, lowered)
    if isinstance(triggers, re.Pattern):
        return [m.start() for m in triggers.finditer(text)]
    return trigger_hits(text, lowered, triggers)


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of `words`, the longest where several start at one place; shaped as a
    trie, so that each position costs one test per letter, not one per word."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if "" in node else body

    return branch(root)


class _Union(NamedTuple):
    pattern: re.Pattern[str]
    keys_of: dict[str, tuple[int, ...]]  # matched word -> the triggers with a word that is a prefix of it


@cache
def _union(triggers: tuple[Trigger, ...]) -> _Union:
    words = {i: _words(t) for i, t in enumerate(triggers) if not isinstance(t, re.Pattern)}
    every = {w for ws in words.values() for w in ws if w != "0"}
    keys_of = {w: tuple(i for i, ws in words.items() if any(w.startswith(x) for x in ws if x != "0")) for w in every}
    # Words that start with a letter count only at the start of a word: the look-behind spares the
    # search most hits inside words ("one" of "money"); `Scan` still checks other letters before.
    alpha = _trie(w for w in every if w[0].isalpha())
    other = _trie(w for w in every if not w[0].isalpha())
    pattern = "|".join(p for p in (alpha and f"(?<![a-z]){alpha}", other) if p)
    return _Union(re.compile(pattern), keys_of)


def _words(triggers: tuple[str, ...] | Vocabulary) -> tuple[str, ...]:
    return triggers.prefixes if isinstance(triggers, Vocabulary) else triggers


# Joins the texts of a batch: no letter, digit or space, so no trigger word or pattern crosses it.
_SEPARATOR = "\x00"


class Scan:
    """The hits of a set of triggers in a batch of texts, found by one search over all the texts
    joined, for all the words of all the triggers at once (`_trie`), instead of one `str.find` pass
    per word per text. Hits are those of `hits_of` on each text alone (a position hit by two words
    of one trigger is listed once, which windows and vocabularies do not tell apart)."""

    def __init__(self, texts: list[str], triggers: tuple[Trigger, ...]):
        self._index = {t: i for i, t in enumerate(triggers)}
        self._hits: list[list[list[int]]] = [[[] for _ in texts] for _ in triggers]
        lowered = [t.lower() for t in texts]
        # Lower-casing may change a length ("İ"), and with it the offsets of the lower-case form:
        # such a text is scanned alone, as `hits_of` does, and joins the batch as an empty one.
        alone = {k for k, (t, low) in enumerate(zip(texts, lowered)) if len(t) != len(low)}
        kept = [("" if k in alone else t) for k, t in enumerate(texts)]
        kept_lowered = [("" if k in alone else low) for k, low in enumerate(lowered)]
        starts = list(accumulate((len(t) + 1 for t in kept), initial=0))
        self._scan(_SEPARATOR.join(kept), _SEPARATOR.join(kept_lowered), starts, triggers)
        for k in alone:
            for i, trigger in enumerate(triggers):
                self._hits[i][k] = hits_of(texts[k], lowered[k], trigger)

    def _scan(self, joined: str, lowered: str, starts: list[int], triggers: tuple[Trigger, ...]) -> None:
        if len(starts) < 2:  # no texts: nothing to find
            return
        union = _union(triggers)
        search, keys_of = union.pattern.search, union.keys_of
        doc, next_start = 0, starts[1]
        m = search(lowered) if keys_of else None
        while m is not None:
            at = m.start()
            while at >= next_start:
                doc += 1
                next_start = starts[doc + 1]
            word = m.group()
            # A word that starts with a letter counts only at the start of a word, as in `trigger_hits`.
            if not (word[0].isalpha() and at and lowered[at - 1].isalpha()):
                for i in keys_of[word]:
                    self._hits[i][doc].append(at - starts[doc])
            m = search(lowered, at + 1)
        for i, trigger in enumerate(triggers):
            per_text = self._hits[i]
            if isinstance(trigger, re.Pattern) or "0" in _words(trigger):
                pattern = trigger if isinstance(trigger, re.Pattern) else _DIGIT_RUN
                for at in (m.start() for m in pattern.finditer(joined)):
                    doc = bisect_right(starts, at) - 1
                    per_text[doc].append(at - starts[doc])
                if not isinstance(trigger, re.Pattern):  # digit runs join the word hits
                    for positions in per_text:
                        positions.sort()
            if isinstance(trigger, Vocabulary):
                for k, positions in enumerate(per_text):
                    if positions:
                        base = starts[k]
                        per_text[k] = [at for at in positions if not lowered[base + at].isalpha() or _LETTERS.match(lowered, base + at).group() in trigger.words]

    def hits(self, k: int, triggers: Trigger) -> list[int]:
        """The hits of `triggers` (one of those the scan was made for) in text `k`."""
        return self._hits[self._index[triggers]][k]


# Cheap test: which patterns can match at all in this text.
