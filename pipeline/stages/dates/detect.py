"""Detection: one scan of a text for every pattern's triggers, the candidate spans of dates and
times of day (`detect`), without the published date."""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import partial
from typing import NamedTuple

from pipeline.core.lexicons import MONTH_ABBREVIATIONS
from pipeline.core.numwords import ORDINALS, ORDINAL_WORD
from pipeline.stages.dates.parts import (
    _I, _MONTH, _MONTHS, _PERIOD_OF_DAY, _Res, _TIME, _WEEKDAY, _WEEKDAYS, _WORD_TIME,
)
from pipeline.stages.dates.patterns import _PATTERN_LIST, _mdy, _month_year, _weekday_md, _year
from pipeline.stages.dates.rules import DateRules
from pipeline.stages.dates.scan import Scan, Trigger, Vocabulary, _re, anchored, windowed


_MONTH_WORDS = Vocabulary(MONTH_ABBREVIATIONS, frozenset(_MONTHS))
_WEEKDAY_WORDS = Vocabulary(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), frozenset((*_WEEKDAYS, *(w + "s" for w in _WEEKDAYS))))
_UNIT_WORDS = Vocabulary(("min", "hour", "hr", "day", "week", "fortnight", "month", "year", "yr", "decade", "centur"), frozenset(
    w + s for w in ("min", "minute", "hour", "hr", "day", "week", "fortnight", "month", "year", "yr", "decade", "century") for s in ("", "s")) | {"centuries"})
# The distinctive part of each holiday name (two words where the first is common: "good friday").
_HOLIDAY_WORDS = ("christmas", "easter", "thanksgiving", "halloween", "pentecost", "mardi gras", "boxing day", "labor day",
                  "memorial day", "martin luther", "mlk", "valentine", "patrick", "shrove", "whit", "maundy", "ascension day",
                  "trinity sunday", "palm sunday", "ash wednesday", "holy saturday", "cyber monday", "black friday",
                  "good friday", "new year", "may day")
# Where numeric dates and years can start: one scan each, shared by the patterns that need them.
_YEAR_START = re.compile(r"(?<!\d)(?:1\d|2[01])\d\d(?!\d)")
_NUMERIC_SEP = re.compile(r"\d[/.-]\d")
_DIGIT_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)\b", _I)
# Literal words one of which every match of the pattern contains ("0": a digit), or a pattern
# every match of which holds a match; None: scan all.
_TRIGGERS: list[tuple[str, ...] | Vocabulary | re.Pattern[str] | None] = [
    _MONTH_WORDS, _MONTH_WORDS, _YEAR_START, _NUMERIC_SEP, _NUMERIC_SEP, _MONTH_WORDS, _MONTH_WORDS, _MONTH_WORDS, _WEEKDAY_WORDS, _WEEKDAY_WORDS,
    _DIGIT_ORDINAL, tuple(ORDINALS), ("today", "tonight", "yesterday", "tomorrow"), ("morning", "afternoon", "evening"),
    ("week", "month", "year", "decade", "century"), ("end", "beginning", "start", "middle", "early", "mid", "late"),
    ("end",), ("ago", "back"), _UNIT_WORDS, _WEEKDAY_WORDS, Vocabulary((*_MONTH_WORDS.prefixes, "month"), _MONTH_WORDS.words | {"month"}), _HOLIDAY_WORDS, _MONTH_WORDS, ("next", "past", "last", "coming", "following"), _YEAR_START, ("0s",), ("century",), ("quarter", "q1", "q2", "q3", "q4"), _MONTH_WORDS, _YEAR_START,
]
# Patterns every match of which starts at its trigger (a month or weekday name first; a year,
# whose trigger is the start of four digits): they are matched at each hit, not searched around it.
_ANCHORED = {_mdy, _month_year, _weekday_md, _year}
_PATTERNS = [(p, h, t, h in _ANCHORED) for (p, h), t in zip(_PATTERN_LIST, _TRIGGERS, strict=True)]

_TRIGGER = re.compile(
    rf"\d|\b(?:{_MONTH}|{_WEEKDAY}|today|tonight|yesterday|tomorrow|week|weekend|fortnight|month|year|decade|century|ago|morning|afternoon|evening|{ORDINAL_WORD}"
    rf"|noon|midnight|o'?\s?clock"
    rf"|christmas|easter|thanksgiving|halloween|pentecost|mardi|boxing|labor|memorial|martin|mlk|valentine|new\s+year|st\.?\s+patrick|saint|shrove|whit)",
    _I,
)
# Every time of day holds one of these (zones that start common words, "EST", "IST", are left out).
_CLOCK_WORDS = (":", "am", "pm", "a.m", "p.m", "clock", "oclock", "hrs", "local time", "noon", "midnight",
                "gmt", "utc", "bst", "cet", "eet", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "jst", "aest", "aedt", "msk")
# Every trigger the detection asks a `Scan` for.
DATE_TRIGGERS: tuple[Trigger, ...] = (*dict.fromkeys(t for t in _TRIGGERS if t is not None), _CLOCK_WORDS)
_TIME_TAIL = _re(rf"(?:\s*(?:,\s*)?(?:(?:at|@|around|about|by|from)\s+)?(?:{_TIME}|{_WORD_TIME}|(?<=at\s)\d{{1,2}}(?:[:.]\d{{2}})?\b(?![.,]\d|\s*(?:%|percent))|{_PERIOD_OF_DAY}\b))")
_CLOCK = _re(_TIME)
_TIME_HEAD = _re(rf"(?:{_TIME})\s*(?:on\s+|,\s*)?$")
_LEADING_ON = re.compile(r"on\s+", _I)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|through|until|till|and)\s*$", _I)
_RANGE_LEAD = re.compile(r"\b(?:from|between)\s+$", _I)
_WEEKDAY_ONLY = re.compile(rf"^(?:on\s+)?{_WEEKDAY}$", _I)
# A weekday that a time of day leads ("10:30 on Monday") still takes the day after it ("3 May").
_WEEKDAY_AFTER_TIME = re.compile(rf"^(?:(?:{_TIME})\s*(?:on\s+|,\s*)?)?(?:on\s+)?{_WEEKDAY}$", _I)
_WEEKDAY_START = re.compile(rf"(?:on\s+)?{_WEEKDAY}", _I)


def _extend_time(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a day span over a time of day joined to it ("Monday at 2.30", "8am this morning")."""
    for _ in range(2):
        tail = _TIME_TAIL.match(text, end)
        if not tail or tail.end() == end:
            break
        end = tail.end()
    head = _TIME_HEAD.search(text, max(0, start - 25), start)
    if head and (head.start() == 0 or not text[head.start() - 1].isalnum()):
        start = head.start()
    return start, end


class _Found(NamedTuple):
    start: int
    end: int
    res: _Res
    match: re.Match
    handler: Callable[..., _Res | None]


def _cuts(times: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps a time of day without holding all of it ("1030" of
    "1030 GMT" is no year; "Thursday 1" of "Thursday 1 pm" no day of the month)."""
    i = bisect_left(times, (end, end))
    while i > 0 and times[i - 1][1] > start:
        t_start, t_end = times[i - 1]
        if not (start <= t_start and t_end <= end):
            return True
        i -= 1
    return False


def _candidates(text: str, times: list[tuple[int, int]], rules: DateRules, hits: Callable[[Trigger], list[int]]) -> list[_Found]:
    """Every pattern match a handler accepts, resolved without a published date."""
    found = []
    for pattern, handler, triggers, at_trigger in _PATTERNS:
        if triggers is None:
            matches: Iterable[re.Match] = pattern.finditer(text)
        elif at_trigger:
            matches = anchored(pattern, text, hits(triggers))
        else:
            matches = windowed(pattern, text, hits(triggers), back=rules.window_back, ahead=rules.window_ahead)
        for m in matches:
            if m.end() == m.start():
                continue
            res = handler(m, text, None)
            if res is None:
                continue
            start, end = m.start(), m.end()
            while end > start and text[end - 1] in " ,":
                end -= 1
            lead = _LEADING_ON.match(text, start, end)
            if lead:
                start = lead.end()
            if res.granularity == "day":
                start, end = _extend_time(text, start, end)
            elif res.granularity == "range":
                lead = _RANGE_LEAD.search(text, max(0, start - 9), start)
                start = lead.start() if lead else start
            if times and _cuts(times, start, end):
                continue
            found.append(_Found(start, end, res, m, handler))
    return found


class Detection(NamedTuple):
    """What one scan of a text finds: time expressions before resolution, and times of day
    (spans that are neither dates nor quantities)."""

    dates: tuple[_Found, ...] = ()
    times: tuple[tuple[int, int], ...] = ()

    def spans(self) -> list[tuple[int, int]]:
        """Every span the quantities stage leaves out."""
        return [(f.start, f.end) for f in self.dates] + list(self.times)


def detect(text: str, *, rules: DateRules = DateRules(), hits: Callable[[Trigger], list[int]] | None = None) -> Detection:
    """The time expressions of `text` before resolution: the longest non-overlapping candidates.
    Detection does not depend on the published date, so one detection per document serves both
    the quantities stage (which needs the spans, to leave dates out) and the dates stage.
    `hits` gives the hits of `DATE_TRIGGERS` in `text` when a `Scan` of its batch has them."""
    if not _TRIGGER.search(text):
        return Detection()
    if hits is None:
        hits = partial(Scan([text], DATE_TRIGGERS).hits, 0)
    times = [m.span() for m in windowed(_CLOCK, text, hits(_CLOCK_WORDS), back=rules.clock_window_back, ahead=rules.clock_window_ahead)]
    chosen: list[_Found] = []
    # The chosen spans are disjoint, so sorted starts and ends let each candidate be checked
    # against its two neighbours only.
    starts: list[int] = []
    ends: list[int] = []
    for cand in sorted(_candidates(text, times, rules, hits), key=lambda c: (c.start - c.end, c.start)):
        i = bisect_right(starts, cand.start)
        if (i and ends[i - 1] > cand.start) or (i < len(starts) and starts[i] < cand.end):
            continue
        starts.insert(i, cand.start)
        ends.insert(i, cand.end)
        chosen.append(cand)
    return Detection(tuple(sorted(chosen, key=lambda c: c.start)), tuple(times))
