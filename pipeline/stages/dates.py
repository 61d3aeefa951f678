"""Time expressions in clean article text, resolved to ISO dates with a granularity.

How it is built: the grammar is made of parts, regex fragments with their own readers: day of
the month (`_DAY`: "3", "3rd", "third"), month (`_MONTH`: names and abbreviations, glued to
digits or not: "Dec31"), year (`_YEAR`, two-digit years by `_year2`), weekday (`_WEEKDAY`), time
of day (`_TIME`, found on its own by `detect`), relative offset ("N units ago/from now",
"N weekdays ago", "next/last"), part of a period ("the end of", "early/mid/late", "the first
Tuesday of", "the 20th of next month"), holiday (`HOLIDAYS`, by rule) and range ("X to Y").
Each pattern of `_PATTERN_LIST` composes some parts and its handler resolves them; `_merged` then
composes the spans found: a weekday with the day next to it, two dates into a range.
`detect(text)` scans a text once (it does not need the published date), and `date_spans` /
`dates` resolve that detection; the quantities stage takes the same detection to leave dates and
times of day out, so each document is scanned once for both stages.

Conventions (copied to the README):
- `value` is the first day of the period named: a day for `day`, the Monday for `week`, the 1st
  for `month`, the first day of the quarter for `quarter`, 1 January for `year`, of the decade's
  first year ("the 1990s" -> 1990-01-01) for `decade`, of the century's year 00 ("the 19th
  century" -> 1800-01-01) for `century`. `end_value` is set only for `range` and is its last day,
  inclusive ("2001-2009" -> 2001-01-01 .. 2009-12-31).
- Relative expressions resolve against the article's `published_date`; without one they keep
  their text and span with a null `value` (absolute ones such as "May 2020" still resolve).
- `prefer` ("past", the default for news, or "future") says how unmarked expressions read.
  Past: "Monday", "on Monday", "this Monday" -> the most recent Monday on or before the published
  date; a day and month without a year ("October 10", "22/04"), a month alone ("in April") or a
  holiday ("at Christmas") -> the nearest occurrence (a tie goes to the past). Future: the next
  Monday strictly after the date, the next occurrence on or after it.
- Weekdays: "last Monday" -> the most recent one strictly before; "next/coming/following
  Monday" and "previous Monday" -> the Monday of the week after / before the published date's week
  (weeks start on Monday); "Monday of last week", "next week on Monday", "Monday next week",
  "last week's Monday", "Sunday from last week" likewise; "Wednesday after next" -> a week after
  the coming Wednesday; "3 Fridays from now", "2 Thursdays ago" -> the 3rd / 2nd such weekday
  after / before the date.
- A weekday with a day of the month ("Tuesday the 13th") -> the nearest such date; a weekday
  beside a day and month with no year ("Fri, Jul 18") -> the nearest year in which that day is
  that weekday. "last April" -> the most recent April before the published month, "next April"
  the first one after, "this April" the published year's.
- Counted days and weekdays in a month: "the first Tuesday of October", "last Friday in October
  2015", "the second Monday of last month", "fifth last day of May", "the 20th of next month".
- Holidays with a rule ("Christmas 2014", "on Good Friday", "this Thanksgiving", "Memorial Day"):
  fixed days, the nth weekday of a month (US ones: Thanksgiving, Labor Day, Memorial Day, Martin
  Luther King Day) and Easter-relative days (Western computus). Bare names ("Christmas") need a
  cue or a year ("Christmas shopping" is no date). Lunar and other calendars are not covered.
- "this/last/next week|month|year|decade" -> that calendar period; "the past/last/next N units"
  -> a range from/to the published date; "earlier this year" -> range from the period's start to
  the published date; "later this year" -> from the published date to the period's end.
- "the end of X" -> X's last day, "the beginning/start of X" -> X's first day (granularity day).
  "early/mid/late X" -> a range over the first/middle/last third of X (months: days 1-10,
  11-20, 21-end; years: Jan-Apr, May-Aug, Sep-Dec; decades: years 0-3, 4-6, 7-9).
- Offsets: "two months ago", "in three weeks", "3 days from today", "a week hence" -> the
  published date moved by that much, as a day (days, weeks, months and hours -> `day`); years,
  decades and centuries keep their granularity: "18 years ago" -> that year (its 1 January);
  "in two years" -> the day two years on, granularity `year` (as before: both development
  sources read it as that day). "in N units"
  after "first/last/time/...est" ("the first time in 18 years") or after a count in the same
  clause ("414 mm of rain in 24 hours") is a duration, not a date.
- Numeric dates: "5/3/18" and "10-1-2018" are month first unless the first part exceeds 12;
  dotted "10.07.2020" is day first unless the second part exceeds 12 ("10.31.1974"); "2018-7-6"
  is year-month-day; "05-Aug-2016", "31/Oct/74" day-month-year. A two-digit year is 20yy when yy
  is at most the published year's last two digits plus 10 (below 50 without a published date),
  else 19yy.
- A four-digit number 1900-2099 is a year unless it reads as a count: after a currency sign or a
  qualifier ("about 2000"), before "%", a scale word, a measurement unit ("2000 milligrams"), or
  before a plural noun with no determiner or preposition in front ("sent 2000 troops"). Years
  1000-1899 need a preposition before them.
- "May"/"March" lower-case count only after a preposition or a modifier ("in May", "since late
  March") or before a firm day (a digit ordinal, a year, a time, or nothing: "march 3rd", "march 3
  2015", "march 3."), so the modal "may", "to march" and "June Carter" are not dates. Ordinals
  such as "a second" are dates only beside a month or after "on the". A number after a currency
  sign is no day ("$12 December 27" -> 27 December), nor one hyphenated to a word ("Friday,
  28-year-old ...").
- Times of day ("1030 GMT", "2100 UTC", "1 pm", "4 oclock", "9:30", "nine thirty" after a day,
  noon, midnight) are times: never a year, a day of the month ("Thursday 1 pm" is Thursday) or a
  quantity. Joined to a day ("Monday at 2.30", "8am this morning") they stay inside its span and
  the granularity stays `day`. Times alone, durations and "now" are not dates.
"""

import calendar
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from collections.abc import Callable, Iterable
from functools import cache, partial
from itertools import accumulate
from typing import NamedTuple

import polars as pl

from pipeline.core.ids import stable_id
from pipeline.core.lexicons import MONTH_ABBREVIATIONS, MONTH_NUMBERS, MONTHS, WEEKDAYS
from pipeline.core.numwords import NUMBER_WORD, NUMBER_WORDS, ORDINAL_WORD, ORDINALS, ordinal_value, small_number
from schemas import polars_schema
from schemas.dates import Dates


@dataclass(frozen=True)
class DateRules:
    """The tunable choices of the date grammar (its lexicons and conventions stay in the module)."""

    window_back: int = 40
    """Characters before a trigger word (a month, a year, "ago") searched for a pattern match holding it.
    A match cut by the window's end is searched again with room, so the windows trade speed for the rare
    match that starts further back. Default: longer than the prefixes of the patterns ("the first Tuesday of")."""
    window_ahead: int = 40
    """Characters after a trigger word searched likewise. Default: as `window_back`."""
    clock_window_back: int = 20
    """Characters before a clock cue (":", "am", "GMT") searched for a time of day. Default: "twelve
    forty-five" and its spaces."""
    clock_window_ahead: int = 12
    """Characters after a clock cue searched for the rest of the time ("a.m. GMT"). Default: the longest zone with a meridiem."""
    weekday_year_span: int = 11
    """Years either way searched for the year in which a day and month fall on the weekday named with them
    ("Fri, Jul 18", no year). Default: every day and month falls on each weekday within 11 years."""


class DateSpan(NamedTuple):
    start: int
    end: int
    text: str
    value: date | None
    end_value: date | None
    granularity: str


class _Res(NamedTuple):
    value: date | None
    end_value: date | None
    granularity: str


_I = re.IGNORECASE
_MONTHS = MONTH_NUMBERS
_WEEKDAYS = {day: n for n, day in enumerate(WEEKDAYS)} | {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
_MONTH_FULL = "(?:" + "|".join(MONTHS) + ")"
# Longest first within a month, so "sept" is not read as "sep" and a stray "t".
_MONTH_ABBR = "(?:" + "|".join(sorted((w for w in MONTH_NUMBERS if w not in MONTHS), key=lambda w: (MONTH_NUMBERS[w], -len(w)))) + ")"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}(?:\b\.?|(?=\d)))"
_WEEKDAY_FULL = "(?:" + "|".join(WEEKDAYS) + ")"
_WEEKDAY = rf"(?:{_WEEKDAY_FULL}|(?:mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\b\.?)"
_DAYNUM = r"(?<![$£€¥₹])(?<![$£€¥₹]\s)(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DAY = rf"(?:{_DAYNUM}|{ORDINAL_WORD})"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2}|21[0-9]{2})"
_NUM = rf"(?:\d+(?:\.\d+)?|{NUMBER_WORDS}|an?)"
_UNIT = r"(?:minute|min|hour|hr|day|week|fortnight|month|year|yr|decade|century|centurie)s?"
# ---------------------------------------------------------------- parts
# Time of day. Recognised on its own so that it is never read as a year ("by 1030 GMT"), a day
# of the month ("Thursday 1 pm") or a quantity ("2100 UTC"); joined to a day it stays in the
# day's span. A time alone is not a date.
_ZONE = r"(?-i:GMT|UTC|BST|CET|CEST|EET|EEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|IST|JST|AEST|AEDT|MSK)"
_HOUR_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_MINUTE_WORD = r"(?:fifteen|thirty|forty[\s-]five|forty|fifty|twenty(?:[\s-]five)?|oh[\s-](?:five|one|two|three|four|six|seven|eight|nine)|ten|five)"
_MERIDIEM = r"(?:[ap]\.\s?m\.|[ap]\.?m\b)"
_OCLOCK = r"(?:o'?\s?clock|oclock)\b"
_TIME = (
    rf"(?:\d{{1,2}}(?:[:.]\d{{2}}){{0,2}}\s*{_MERIDIEM}(?:\s*{_ZONE}\b)?"
    rf"|\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*(?:{_ZONE}\b|h\b))?"
    rf"|(?<![\d.,])(?:[01]\d|2[0-3])[0-5]\d\s*(?:{_ZONE}|hrs|local\s+time)\b"
    rf"|(?:\d{{1,2}}|{_HOUR_WORD})\s*{_OCLOCK}"
    rf"|{_HOUR_WORD}(?:[\s-]+{_MINUTE_WORD})?\s*{_MERIDIEM}"
    r"|noon|midnight)"
)
# A number that a time-of-day marker follows is an hour, not a day of the month; one joined
# by a hyphen to a word is a modifier ("Friday, 28-year-old Usman Khan").
_NOT_HOUR = rf"(?!\s*(?:{_MERIDIEM}|{_OCLOCK}|[:h]\d\d|[.]\d\d\s*{_MERIDIEM})|-[^\W\d_])"
# Hour and minutes in words after a day ("march eighteenth nine thirty").
_WORD_TIME = rf"(?:{_HOUR_WORD}[\s-]+{_MINUTE_WORD}\b)"
_PERIOD_OF_DAY = r"(?:(?:early|late)\s+)?(?:morning|afternoon|evening|night)"
# Words after which a bare month name ("in April") or "the 18th" is a date.
_MONTH_CUE = (
    r"(?:in|since|by|until|till|from|to|through|during|before|after|of|on|early|late|mid|mid-"
    r"|last|next|this|past|coming|end of|beginning of|start of|middle of|between)"
)
_LOWER_MONTH_CUE = {"in", "since", "until", "till", "of", "early", "late", "mid", "mid-", "last", "next", "during"}


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


def _valid(year: int, month: int, day: int) -> date | None:
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day)
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _shift(d: date, amount: float, unit: str) -> tuple[date, str] | None:
    """`d` moved by `amount` units, with the unit's granularity; None when out of the calendar."""
    try:
        return _shift_unchecked(d, amount, unit)
    except (OverflowError, ValueError):
        return None


def _shift_unchecked(d: date, amount: float, unit: str) -> tuple[date, str]:
    unit = unit.lower().rstrip("s").replace("centurie", "century")
    if unit in ("minute", "min", "hour", "hr"):
        return d + timedelta(hours=amount if unit in ("hour", "hr") else amount / 60), "day"
    if unit in ("day", "week", "fortnight"):
        days = {"day": 1, "week": 7, "fortnight": 14}[unit]
        return d + timedelta(days=round(amount * days)), "day"
    months = {"month": 1, "year": 12, "yr": 12, "decade": 120, "century": 1200}[unit]
    # "two months ago" is a day; "18 years ago" a year.
    granularity = {"month": "day", "year": "year", "yr": "year", "decade": "decade", "century": "century"}[unit]
    return _add_months(d, round(amount * months)), granularity


def _unit_granularity(unit: str) -> str:
    unit = unit.lower().rstrip("s")
    return {"year": "year", "yr": "year", "decade": "decade", "century": "century", "centurie": "century"}.get(unit, "day")


def _year2(yy: int, published: date | None) -> int:
    pivot = published.year % 100 + 10 if published else 49
    return 2000 + yy if yy <= pivot else 1900 + yy


def _month_of(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _day_of(word: str) -> int | None:
    word = word.lower()
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else ordinal_value(word)


class Reference(date):
    """The published date, carrying how unmarked expressions ("Monday", "October 10") read:
    `prefer` "past" (news: weekdays look back, days of the month take the nearest occurrence)
    or "future" (the next occurrence, strictly after the date for weekdays)."""

    prefer = "past"


def reference(published: date | None, prefer: str = "past") -> date | None:
    if published is None or prefer == "past":
        return published
    ref = Reference(published.year, published.month, published.day)
    ref.prefer = prefer
    return ref


def _future(published: date | None) -> bool:
    return getattr(published, "prefer", "past") == "future"


def _nearest(candidates: list[date], published: date) -> date | None:
    if not candidates:
        return None
    if _future(published):
        ahead = [d for d in candidates if d >= published]
        if ahead:
            return min(ahead)
    return min(candidates, key=lambda d: (abs((d - published).days), d > published))


def _nearest_month_day(month: int, day: int, published: date | None) -> date | None:
    if published is None:
        return None
    years = range(published.year - 4, published.year + 5) if (month, day) == (2, 29) else range(published.year - 1, published.year + 2)
    return _nearest([d for y in years if (d := _valid(y, month, day))], published)


def _day_exists(month: int, day: int) -> bool:
    return _valid(2000, month, day) is not None


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _weekday_date(weekday: int, mode: str, published: date | None) -> date | None:
    if published is None:
        return None
    back = (published.weekday() - weekday) % 7
    if mode == "last":
        return published - timedelta(days=back or 7)
    if mode in ("next", "following", "coming", "next week"):
        return _week_start(published) + timedelta(days=7 + weekday)
    if mode in ("previous", "last week"):
        return _week_start(published) + timedelta(days=weekday - 7)
    if mode == "this week":
        return _week_start(published) + timedelta(days=weekday)
    if mode == "after next":
        return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 8)
    if _future(published):
        return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    return published - timedelta(days=back)


def _period(unit: str, published: date, offset: int) -> tuple[date, date, str]:
    """First and last day of the week/month/year/decade `offset` periods from the published one."""
    unit = unit.lower()
    if unit in ("week", "weekend"):
        start = _week_start(published) + timedelta(days=7 * offset)
        if unit == "weekend":
            return start + timedelta(days=5), start + timedelta(days=6), "range"
        return start, start + timedelta(days=6), "week"
    if unit == "month":
        start = _add_months(published.replace(day=1), offset)
        return start, _month_end(start.year, start.month), "month"
    if unit == "decade":
        first = published.year // 10 * 10 + 10 * offset
        return date(first, 1, 1), date(first + 9, 12, 31), "decade"
    if unit == "century":
        first = published.year // 100 * 100 + 100 * offset
        return date(first, 1, 1), date(first + 99, 12, 31), "century"
    year = published.year + offset
    return date(year, 1, 1), date(year, 12, 31), "year"


def _third(start: date, end: date, which: str, granularity: str) -> _Res:
    """Early/mid/late part of a period, as a range."""
    if granularity == "month":
        bounds = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}[which]
        return _Res(start.replace(day=bounds[0]), start.replace(day=bounds[1]), "range")
    if granularity in ("year", "range") and start.month == 1 and end.month == 12 and start.year == end.year:
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[which]
        return _Res(date(start.year, months[0], 1), _month_end(start.year, months[1]), "range")
    span_years = end.year - start.year + 1
    offsets = {"early": (0, span_years * 3 // 10), "mid": (span_years * 4 // 10, span_years * 6 // 10), "late": (span_years * 7 // 10, span_years - 1)}[which]
    return _Res(date(start.year + offsets[0], 1, 1), date(start.year + offsets[1], 12, 31), "range")


def _full(res: _Res) -> tuple[date, date] | None:
    """First and last day covered by a resolution."""
    if res.value is None:
        return None
    if res.end_value is not None:
        return res.value, res.end_value
    v = res.value
    last = {
        "day": v,
        "week": v + timedelta(days=6),
        "month": _month_end(v.year, v.month),
        "quarter": _month_end(v.year, v.month + 2) if v.month <= 10 else v,
        "year": date(v.year, 12, 31),
        "decade": date(v.year + 9, 12, 31),
        "century": date(v.year + 99, 12, 31),
    }[res.granularity]
    return v, last


# ---------------------------------------------------------------- pattern handlers
# Each handler gets the match, the text and the published date and returns a resolution, or
# None to reject the candidate (e.g. "February 30", or a month name that is a verb).


def _mdy(m: re.Match, text: str, published: date | None) -> _Res | None:
    month = _month_of(m["mon"])
    day = _day_of(m["day"])
    if day is None or not _day_exists(month, day) or _modal(m, "mon", text, has_number=True):
        return None
    if m["year"]:
        d = _valid(int(m["year"]), month, day)
        return _Res(d, None, "day") if d else None
    if m["yy"]:
        d = _valid(_year2(int(m["yy"]), published), month, day)
        return _Res(d, None, "day") if d else None
    return _Res(_nearest_month_day(month, day, published), None, "day")


def _modal(m: re.Match, group: str, text: str, has_number: bool) -> bool:
    """True when a month word is really the verb "may"/"march" or a name."""
    word = m[group]
    if word.lower() not in ("may", "march"):
        return False
    if word[0].isupper() and has_number:
        return False
    before = text[max(0, m.start(group) - 12):m.start(group)].lower().split()
    if has_number and _FIRM_DAY.match(text, m.end("day")) and not (before and before[-1] in ("to", "will", "may", "i", "we", "you", "they")):
        # "march 3rd", "march 3 2015", "march 3." read as a day; "they march 3 miles" does not.
        return False
    return not has_number or not before or before[-1] not in _LOWER_MONTH_CUE


# What makes a lower-case "may 5"/"march third" a date: a digit ordinal, a year, a time, or nothing after it.
_FIRM_DAY = re.compile(rf"(?<=\d)(?:st|nd|rd|th)\b|\s*,?\s*{_YEAR}\b|\s*(?:[.;!?)]|$)|\s+(?:at\s+)?(?:{_WORD_TIME}|{_TIME})", _I)


def _dmy(m: re.Match, text: str, published: date | None) -> _Res | None:
    month = _month_of(m["mon"])
    day = _day_of(m["day"])
    if day is None or not _day_exists(month, day):
        return None
    word = m["mon"]
    if word.lower() in ("may", "march") and not (word[0].isupper() or m["year"] or m["yy"] or m["of"]):
        return None
    if m["day"].isalpha() and not m["of"] and not m["the"]:
        return None
    year = int(m["year"]) if m["year"] else _year2(int(m["yy"]), published) if m["yy"] else None
    if year is None:
        return _Res(_nearest_month_day(month, day, published), None, "day")
    d = _valid(year, month, day)
    return _Res(d, None, "day") if d else None


def _numeric_mdy(m: re.Match, text: str, published: date | None) -> _Res | None:
    if not _left_clear(text, m.start(), "/.-"):
        return None
    a, b = int(m["a"]), int(m["b"])
    year = int(m["y"]) if len(m["y"]) == 4 else _year2(int(m["y"]), published)
    # Dotted dates are day first ("10.07.2020") unless the second part cannot be a month.
    month, day = (b, a) if (m["sep"] == "." and b <= 12) or a > 12 else (a, b)
    d = _valid(year, month, day)
    return _Res(d, None, "day") if d else None


def _numeric_md(m: re.Match, text: str, published: date | None) -> _Res | None:
    if not _left_clear(text, m.start(), "/.-"):
        return None
    a, b = int(m["a"]), int(m["b"])
    month, day = (b, a) if a > 12 else (a, b)
    if not _day_exists(month, day):
        return None
    before = text[max(0, m.start() - 12):m.start()]
    cue = re.search(r"(?:\b(?:on|by|until|till|since|before|after|from|through|to|and|or)|[,?:;]|^)\s*$", before, _I)
    if not cue or before.endswith(("-", "/")):
        return None
    return _Res(_nearest_month_day(month, day, published), None, "day")


def _month_year(m: re.Match, text: str, published: date | None) -> _Res | None:
    month = _month_of(m["mon"])
    year = int(m["year"]) if m["year"] else _year2(int(m["yy"]), published)
    if m["mon"].lower() in ("may", "march") and m["mon"][0].islower() and not m["of"]:
        return None
    return _Res(date(year, month, 1), None, "month")


def _month_alone(m: re.Match, text: str, published: date | None) -> _Res | None:
    word = m["mon"]
    cue = (m["cue"] or "").lower()
    before = text[max(0, m.start() - 15):m.start()]
    prev = re.search(rf"\b({_MONTH_CUE})\s*$", before, _I)
    if not cue and not prev:
        return None
    if word[0].islower() and word.lower() in ("may", "march"):
        lowered = cue or prev.group(1).lower()
        if lowered not in _LOWER_MONTH_CUE:
            return None
    if word.lower() in ("may", "march") and re.match(r"\s+(?:be|have|not|also|well|I|we|you|he|she|they|it)\b", text[m.end():]):
        return None
    month = _month_of(word)
    if published is None:
        return _Res(None, None, "month")
    if cue == "last":
        year = published.year if month < published.month else published.year - 1
    elif cue == "next":
        year = published.year if month > published.month else published.year + 1
    elif cue == "this":
        year = published.year
    else:
        year = _month_near(month, published)
    return _Res(date(year, month, 1), None, "month")


_UNAMBIGUOUS_SHORT_WEEKDAYS = frozenset(("tue", "tues", "thu", "thur", "thurs", "fri"))


def _weekday(m: re.Match, text: str, published: date | None) -> _Res | None:
    word = m["wd"]
    # Short forms that are also words ("sun", "sat", "wed", "mon") need a capital, a cue or a day.
    if len(word.rstrip(".")) <= 4 and word.lower().rstrip(".") not in _UNAMBIGUOUS_SHORT_WEEKDAYS and (
        not word[0].isupper() and not m["mode"] and not m["day"]
    ):
        return None
    if len(word.rstrip(".")) <= 4 and re.search(r"\bthe\s+$", text[max(0, m.start() - 5):m.start()], _I):
        return None
    weekday = _WEEKDAYS[word.lower().rstrip(".")]
    if m["day"]:
        day = _day_of(m["day"])
        if day is None or not 1 <= day <= 31:
            return None
        if published is None:
            return _Res(None, None, "day")
        months = [_add_months(published.replace(day=1), k) for k in range(-12, 13)]
        candidates = [d for first in months if (d := _valid(first.year, first.month, day)) and d.weekday() == weekday]
        return _Res(_nearest(candidates, published), None, "day")
    mode = " ".join((m["mode"] or "").lower().split())
    week = " ".join((m["week"] or m["week2"] or "").lower().split())
    if week == "after next":
        return _Res(_weekday_date(weekday, "after next", published), None, "day")
    week = re.sub(r"^(?:of|from|on) ", "", week)
    if week:
        mode = {"last week": "last week", "previous week": "last week", "next week": "next week", "this week": "this week", "the following week": "next week"}.get(week.replace(" on", ""), mode)
    return _Res(_weekday_date(weekday, mode, published), None, "day")


def _weekday_md(m: re.Match, text: str, published: date | None) -> _Res | None:
    """A weekday followed by a numeric month/day ("Friday 7/6", "friday 5/12"): the date wins."""
    a, b = int(m["a"]), int(m["b"])
    month, day = (b, a) if a > 12 else (a, b)
    if not _day_exists(month, day):
        return None
    if m["y"]:
        d = _valid(int(m["y"]), month, day)
        return _Res(d, None, "day") if d else None
    return _Res(_nearest_month_day(month, day, published), None, "day")


def _the_nth(m: re.Match, text: str, published: date | None) -> _Res | None:
    if not re.search(r"\b(?:on|by|until|till|since|from|before|after|for)\s+$", text[max(0, m.start() - 8):m.start()], _I):
        return None
    day = _day_of(m["day"])
    if day is None or not 1 <= day <= 31:
        return None
    if published is None:
        return _Res(None, None, "day")
    months = [_add_months(published.replace(day=1), k) for k in (-1, 0, 1)]
    return _Res(_nearest([d for f in months if (d := _valid(f.year, f.month, day))], published), None, "day")


_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _day_word(m: re.Match, text: str, published: date | None) -> _Res | None:
    word = m["w"].lower()
    if "before yesterday" in word:
        offset = -2
    elif "after tomorrow" in word:
        offset = 2
    else:
        offset = _DAY_WORDS.get(word.split()[0], 0)
    return _Res(published + timedelta(days=offset) if published else None, None, "day")


_OFFSETS = {"this": 0, "current": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "following": 1, "the": 0}


def _relative_period(m: re.Match, text: str, published: date | None) -> _Res | None:
    unit = m["unit"].lower()
    which = m["which"].lower()
    edge = (m["edge"] or "").lower()
    part = (m["part"] or "").lower().replace("-", "")
    if which == "the" and not (edge or part):
        return None
    if published is None:
        return _Res(None, None, "range" if part or edge in ("earlier", "later") or unit == "weekend" else "day" if edge else unit)
    if m["the"] and which == "past" and not edge and not part:
        return _Res(_shift(published, -1, unit)[0], published, "range")
    start, end, granularity = _period(unit, published, _OFFSETS[which])
    return _edge(edge, part, start, end, granularity, published)


def _edge(edge: str, part: str, start: date, end: date, granularity: str, published: date | None) -> _Res:
    if edge == "end":
        return _Res(end, None, "day")
    if edge in ("beginning", "start"):
        return _Res(start, None, "day")
    if edge == "earlier" and published:
        return _Res(start, min(published, end), "range")
    if edge == "later" and published:
        return _Res(max(published, start), end, "range")
    if edge == "middle" or part in ("early", "mid", "late"):
        return _third(start, end, part or "mid", granularity)
    if granularity == "range":
        return _Res(start, end, "range")
    return _Res(start, None, granularity)


def _edge_of_absolute(m: re.Match, text: str, published: date | None) -> _Res | None:
    """"the end of 2021", "late March", "mid-2020", "early 1990s", "the end of May 2020"."""
    edge = (m["edge"] or "").lower()
    part = (m["part"] or "").lower().replace("-", "")
    if m["decade"]:
        first = int(m["decade"])
        start, end, granularity = date(first, 1, 1), date(first + 9, 12, 31), "decade"
    elif m["mon"]:
        month = _month_of(m["mon"])
        if m["year"]:
            year = int(m["year"])
        elif published is None:
            return _Res(None, None, "day" if edge else "range")
        else:
            year = _month_near(month, published)
        start, end, granularity = date(year, month, 1), _month_end(year, month), "month"
    else:
        year = int(m["year"])
        start, end, granularity = date(year, 1, 1), date(year, 12, 31), "year"
    return _edge(edge, part, start, end, granularity, published)


def _edge_of_day(m: re.Match, text: str, published: date | None) -> _Res | None:
    """"the end of today/tomorrow/this Sunday": the day itself."""
    word = m["w"].lower()
    if word in _DAY_WORDS:
        return _Res(published + timedelta(days=_DAY_WORDS[word]) if published else None, None, "day")
    mode = (m["mode"] or "").lower()
    return _Res(_weekday_date(_WEEKDAYS[word.rstrip(".")], mode if mode != "the" else "", published), None, "day")


def _ago(m: re.Match, text: str, published: date | None) -> _Res | None:
    amount = small_number(m["n"])
    if amount is None:
        return None
    if published is None:
        return _Res(None, None, _unit_granularity(m["unit"]))
    shifted = _shift(published, -amount, m["unit"])
    return _Res(_truncate(*shifted), None, shifted[1]) if shifted else None


def _truncate(d: date, granularity: str) -> date:
    if granularity == "month":
        return d.replace(day=1)
    if granularity == "year":
        return date(d.year, 1, 1)
    if granularity == "decade":
        return date(d.year // 10 * 10, 1, 1)
    if granularity == "century":
        return date(d.year // 100 * 100, 1, 1)
    return d


def _in_future(m: re.Match, text: str, published: date | None) -> _Res | None:
    amount = small_number(m["n"])
    if amount is None:
        return None
    if m["lead"] and m["lead"].lower().startswith("in"):
        before = text[max(0, m.start() - 40):m.start()].lower()
        # "the first time in 18 years", "414 mm of rain in 24 hours": a duration, not a date.
        if re.search(r"(?:first|last|time|ever|only|\w+est)\b[\w\s]*$", before) or _COUNTED_BEFORE.search(before):
            return None
    if published is None:
        return _Res(None, None, _unit_granularity(m["unit"]))
    sign = -1 if "before" in (m["tail"] or "").lower() else 1
    shifted = _shift(published, sign * amount, m["unit"])
    return _Res(shifted[0], None, shifted[1]) if shifted else None


# A number earlier in the same clause: what follows "in N units" is the time it took.
_COUNTED_BEFORE = re.compile(rf"(?:\d|\b{NUMBER_WORD}\b)[^.,;:!?\d]*$", _I)


def _weekday_count(m: re.Match, text: str, published: date | None) -> _Res | None:
    """"3 fridays from now", "2 thursdays ago": the Nth such weekday after / before the date."""
    n = small_number(m["n"])
    if n is None or n != int(n) or not 1 <= n <= 60:
        return None
    if published is None:
        return _Res(None, None, "day")
    weekday = _WEEKDAYS[m["wd"].lower()]
    if m["dir"].lower() in ("ago", "back"):
        first = published - timedelta(days=(published.weekday() - weekday - 1) % 7 + 1)
        return _Res(first - timedelta(days=7 * (int(n) - 1)), None, "day")
    first = published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    return _Res(first + timedelta(days=7 * (int(n) - 1)), None, "day")


def _month_near(month: int, published: date) -> int:
    """Year of a month named without a year: the nearest one (this or the next one under prefer=future)."""
    if _future(published):
        return published.year if month >= published.month else published.year + 1
    return _nearest([date(y, month, 15) for y in (published.year - 1, published.year, published.year + 1)], published.replace(day=15)).year


def _nth_in_month(m: re.Match, text: str, published: date | None) -> _Res | None:
    """"first Tuesday of October", "last Friday in October 2015", "fifth last day of May",
    "20th of next month", "the first Monday of this month": a weekday or day counted in a month."""
    ordinal = (m["ord"] or m["dnum"] or "").lower()
    n = -1 if ordinal == "last" else _day_of(ordinal)
    if n is None or n == 0 or n > 31:
        return None
    if m["mon"]:
        month = _month_of(m["mon"])
        if m["year"]:
            year = int(m["year"])
        elif published is None:
            return _Res(None, None, "day")
        else:
            year = _month_near(month, published)
        start, end = date(year, month, 1), _month_end(year, month)
    else:
        if published is None:
            return _Res(None, None, "day")
        start, end, _ = _period("month", published, _OFFSETS[(m["which"] or "this").lower()])
    if m["wd"]:
        weekday = _WEEKDAYS[m["wd"].lower().rstrip(".")]
        if n == -1 or m["back"]:
            last = end - timedelta(days=(end.weekday() - weekday) % 7)
            d = last - timedelta(days=7 * ((1 if n == -1 else n) - 1))
        else:
            d = start + timedelta(days=(weekday - start.weekday()) % 7 + 7 * (n - 1))
        return _Res(d, None, "day") if start <= d <= end else None
    if n == -1 or m["back"]:
        d = end - timedelta(days=(1 if n == -1 else n) - 1)
    else:
        d = start + timedelta(days=n - 1)
    return _Res(d, None, "day") if start <= d <= end else None


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The nth (-1: last) such weekday of a month."""
    if n < 0:
        end = _month_end(year, month)
        return end - timedelta(days=(end.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


# Holidays with a rule that needs no other calendar: ("fixed", month, day), ("nth", month,
# weekday, n) or ("easter", days after Easter Sunday). US ones are named as such by their
# names (Thanksgiving, Labor Day). Lunar and other calendars (Eid, Diwali, Hanukkah) are not covered.
HOLIDAYS: dict[str, tuple] = {
    "new year's day": ("fixed", 1, 1), "new year's eve": ("fixed", 12, 31), "valentine's day": ("fixed", 2, 14),
    "st patrick's day": ("fixed", 3, 17), "st. patrick's day": ("fixed", 3, 17), "saint patrick's day": ("fixed", 3, 17),
    "halloween": ("fixed", 10, 31), "christmas eve": ("fixed", 12, 24), "christmas day": ("fixed", 12, 25),
    "christmas": ("fixed", 12, 25), "boxing day": ("fixed", 12, 26), "may day": ("fixed", 5, 1),
    "easter sunday": ("easter", 0), "easter": ("easter", 0), "easter monday": ("easter", 1), "good friday": ("easter", -2),
    "maundy thursday": ("easter", -3), "holy saturday": ("easter", -1), "palm sunday": ("easter", -7),
    "ash wednesday": ("easter", -46), "shrove tuesday": ("easter", -47), "mardi gras": ("easter", -47),
    "ascension day": ("easter", 39), "pentecost": ("easter", 49), "whit sunday": ("easter", 49),
    "whitsunday": ("easter", 49), "whit monday": ("easter", 50), "trinity sunday": ("easter", 56),
    "thanksgiving day": ("nth", 11, 3, 4), "thanksgiving": ("nth", 11, 3, 4), "black friday": ("nth", 11, 3, 4, 1),
    "cyber monday": ("nth", 11, 3, 4, 4), "martin luther king day": ("nth", 1, 0, 3),
    "martin luther king jr. day": ("nth", 1, 0, 3), "martin luther king's day": ("nth", 1, 0, 3), "mlk day": ("nth", 1, 0, 3),
    "memorial day": ("nth", 5, 0, -1), "labor day": ("nth", 9, 0, 1),
}
# Bare names ("Christmas", "Easter") are dates after a cue or before a year ("Christmas shopping" is not).
_BARE_HOLIDAYS = frozenset(("christmas", "easter", "thanksgiving", "halloween", "pentecost", "mardi gras"))
_HOLIDAY_NAMES = "|".join(re.escape(n).replace("'", "['’]?").replace(r"\ ", r"\s+") for n in sorted(HOLIDAYS, key=len, reverse=True))
_HOLIDAY_CUE = re.compile(r"\b(?:on|at|for|by|before|after|since|until|till|over|during|around|of|from|to|this|next|last|past|coming)\s+$", _I)


def _holiday_date(rule: tuple, year: int) -> date:
    if rule[0] == "fixed":
        return date(year, rule[1], rule[2])
    if rule[0] == "easter":
        return _easter(year) + timedelta(days=rule[1])
    return _nth_weekday(year, rule[1], rule[2], rule[3]) + timedelta(days=rule[4] if len(rule) > 4 else 0)


def _holiday(m: re.Match, text: str, published: date | None) -> _Res | None:
    """"Christmas 2014", "on Good Friday", "this Thanksgiving", "last Easter"."""
    name = re.sub(r"\s+", " ", m["name"].lower().replace("’", "'"))
    rule = HOLIDAYS.get(name) or HOLIDAYS.get(name.replace("'", "")) or HOLIDAYS.get(name.replace("s ", "'s ", 1))
    if rule is None:
        return None
    cue = (m["cue"] or "").lower()
    if name in _BARE_HOLIDAYS and not (cue or m["year"] or _HOLIDAY_CUE.search(text, max(0, m.start() - 8), m.start())):
        return None
    if m["year"]:
        return _Res(_holiday_date(rule, int(m["year"])), None, "day")
    if published is None:
        return _Res(None, None, "day")
    around = [_holiday_date(rule, y) for y in (published.year - 1, published.year, published.year + 1)]
    if cue == "last":
        return _Res(max(d for d in around if d < published), None, "day")
    if cue in ("next", "coming"):
        return _Res(min(d for d in around if d > published), None, "day")
    if cue == "this":
        return _Res(around[1], None, "day")
    return _Res(_nearest(around, published), None, "day")


def _day_month_year_numeric(m: re.Match, text: str, published: date | None) -> _Res | None:
    """"05-Aug-2016", "31/Oct/1974", "31-Oct-74"."""
    year = int(m["year"]) if len(m["year"]) == 4 else _year2(int(m["year"]), published)
    d = _valid(year, _month_of(m["mon"]), int(m["day"]))
    return _Res(d, None, "day") if d else None


def _next_n(m: re.Match, text: str, published: date | None) -> _Res | None:
    amount = small_number(m["n"])
    if amount is None:
        return None
    if published is None:
        return _Res(None, None, "range")
    direction = 1 if m["dir"].lower() in ("next", "coming", "following") else -1
    shifted = _shift(published, direction * amount, m["unit"])
    if shifted is None:
        return None
    return _Res(min(published, shifted[0]), max(published, shifted[0]), "range")


def _year(m: re.Match, text: str, published: date | None) -> _Res | None:
    if not _left_clear(text, m.start(), ".$£€-"):
        return None
    year = int(m["year"])
    if _year_is_count(text, m.start("year"), m.end("year")):
        return None
    if year < 1900 or year > 2099:
        before = text[max(0, m.start() - 12):m.start()]
        if not re.search(r"\b(?:in|since|of|from|by|until|till|before|after|during|year|circa|c\.)\s*$", before, _I):
            return None
    return _Res(date(year, 1, 1), None, "year")


_COUNT_BEFORE = re.compile(
    r"(?:[$£€¥₹]\s*|\b(?:about|around|approximately|nearly|almost|some|over|more than|less than|fewer than|"
    r"at least|up to|under|roughly|estimated|only|just)\s+)$",
    _I,
)
_COUNT_AFTER = re.compile(
    r"\s*(?:%|percent\b|per cent\b|(?:thousand|million|billion|trillion|bn|mn|m|k)\b"
    # a measurement: "2000 milligrams", "1500 km"
    r"|(?:[kcm]?m|kg|mg|g|lbs?|ml|l|ft|mi|mph|kmh|km/h|°|(?:kilo|centi|milli)\w+|met(?:re|er)s?|lit(?:re|er)s?|miles?|feet|foot|inch(?:es)?|"
    r"tonnes?|tons?|pounds?|ounces?|gallons?|barrels?|hectares?|acres?|degrees?)\b)",
    _I,
)
_PLURAL_AFTER = re.compile(r"\s+([a-z]+)\b")
_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|in|of|since|from|by|until|till|before|after|during|for|at|on|to|and|or|its|their|his|her|year|season|fiscal|between|through)|'s|[(,–-])\s*$",
    _I,
)


def _year_is_count(text: str, start: int, end: int) -> bool:
    """True when a year-like number is a count ("$2000", "about 2000", "sent 2000 troops")."""
    before = text[max(0, start - 15):start]
    if _COUNT_BEFORE.search(before) or _COUNT_AFTER.match(text, end):
        return True
    after = _PLURAL_AFTER.match(text, end)
    if after and after.group(1).endswith("s") and not after.group(1).endswith(("ss", "us", "is")):
        return not _DETERMINER_BEFORE.search(before) and bool(before.strip())
    return False


def _year_range(m: re.Match, text: str, published: date | None) -> _Res | None:
    if not _left_clear(text, m.start(), ".,$£€-"):
        return None
    first = int(m["y1"])
    second = m["y2"]
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if not first < last <= first + 200:
        return None
    if _year_is_count(text, m.start("y1"), m.end("y1")):
        return None
    return _Res(date(first, 1, 1), date(last, 12, 31), "range")


def _decade(m: re.Match, text: str, published: date | None) -> _Res | None:
    if m["full"]:
        first = int(m["full"])
    else:
        yy = int(m["short"])
        first = 2000 + yy if yy < 30 else 1900 + yy
    start, end = date(first, 1, 1), date(first + 9, 12, 31)
    part = (m["part"] or "").lower().replace("-", "")
    if part:
        return _third(start, end, part, "decade")
    return _Res(start, None, "decade")


def _century(m: re.Match, text: str, published: date | None) -> _Res | None:
    n = _day_of(m["n"])
    if n is None or not 1 <= n <= 22:
        return None
    first = (n - 1) * 100
    if m["bc"]:
        return None
    return _Res(date(max(first, 1), 1, 1), None, "century")


def _quarter(m: re.Match, text: str, published: date | None) -> _Res | None:
    q = m["q"] or m["q2"] or m["q3"]
    n = int(q) if q.isdigit() else {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}[q.lower()]
    year = int(m["year"] or m["year2"] or m["year3"])
    return _Res(date(year, 3 * n - 2, 1), None, "quarter") if 1 <= n <= 4 else None


def _day_range_month(m: re.Match, text: str, published: date | None) -> _Res | None:
    """"April 9-17", "april 9th through 17th, 2016", "9 to 12 of June"."""
    month = _month_of(m["mon"])
    d1, d2 = _day_of(m["d1"]), _day_of(m["d2"])
    if d1 is None or d2 is None or not (1 <= d1 < d2 <= 31) or not _day_exists(month, d2):
        return None
    if m["year"]:
        year = int(m["year"])
    elif published is None:
        return _Res(None, None, "range")
    else:
        year = _nearest_month_day(month, d1, published).year
    first, last = _valid(year, month, d1), _valid(year, month, d2)
    return _Res(first, last, "range") if first and last else None


def _left_clear(text: str, start: int, also: str = "") -> bool:
    """True when the character before `start` does not glue the match to a longer token."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in also)


def _ymd_either(m: re.Match, text: str, published: date | None) -> _Res | None:
    if not _left_clear(text, m.start(), "."):
        return None
    d = _valid(int(m["y"]), int(m["a"] or m["a2"]), int(m["b"] or m["b2"]))
    return _Res(d, None, "day") if d else None


def _name_numeric_any(m: re.Match, text: str, published: date | None) -> _Res | None:
    if not _left_clear(text, m.start()):
        return None
    year = m["year"] or m["year2"] or m["year3"]
    mon = m["mon"] or m["mon2"] or m["mon3"]
    day = m["day"] or m["day2"] or m["day3"]
    d = _valid(int(year), _month_of(mon), int(day))
    return _Res(d, None, "day") if d else None


def _relative_period_or_edge(m: re.Match, text: str, published: date | None) -> _Res | None:
    edge = m["edge"] or m["edge2"]
    if edge:
        m = _Overlay(m, edge=edge)
    return _relative_period(m, text, published)


def _edge_absolute_any(m: re.Match, text: str, published: date | None) -> _Res | None:
    if m["year2"]:
        m = _Overlay(m, year=m["year2"])
    if m["decade"] is None and m["mon"] is None and m["year"] is None:
        return None
    if m["year"] and m["mon"] is None and _year_is_count(text, m.start(), m.end()):
        return None
    return _edge_of_absolute(m, text, published)


def _future_any(m: re.Match, text: str, published: date | None) -> _Res | None:
    if m["n2"]:
        m = _Overlay(m, n=m["n2"], unit=m["unit2"], tail=m["tail2"], lead=None)
    return _in_future(m, text, published)


def _day_range_any(m: re.Match, text: str, published: date | None) -> _Res | None:
    if m["d1b"]:
        m = _Overlay(m, d1=m["d1b"], d2=m["d2b"], mon=m["monb"], year=m["yearb"])
    return _day_range_month(m, text, published)


class _Overlay:
    """A match with some groups replaced, so alternative branches share one handler."""

    def __init__(self, match: re.Match, **groups: str | None):
        self._match = match
        self._groups = groups

    def __getitem__(self, key: str) -> str | None:
        return self._groups[key] if key in self._groups else self._match[key]

    def start(self, group: int | str = 0) -> int:
        return self._match.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._match.end(group)


_PATTERN_LIST: list[tuple[re.Pattern[str], Callable[..., _Res | None]]] = [
    (_re(rf"\b(?P<mon>{_MONTH})(?:\s+|\s*[-/]\s*|\s*,\s*|(?=\d))(?:the\s+)?(?P<day>{_DAY})(?![\d:.]\d|\s*(?:%|percent))\b{_NOT_HOUR}"
         rf"(?:(?:\s*,\s*|\s+|\s*[-/]\s*)(?:(?:of|in)\s+)?(?:(?P<year>{_YEAR})|'(?P<yy>\d{{2}}))(?!\d))?"), _mdy),
    (_re(rf"\b(?:(?P<the>the)\s+)?(?P<day>{_DAY})(?:\s+(?P<of>of))?(?:\s+the)?(?:\s+|(?<=\d))(?P<mon>{_MONTH})\b"
         rf"(?:(?:\s*,\s*|\s+)(?:(?:of|in)\s+)?(?:(?P<year>{_YEAR})|'?(?P<yy>\d{{2}}))(?![\d:]))?"), _dmy),
    (_re(rf"(?P<y>{_YEAR})(?:-(?P<a>\d{{1,2}})-(?P<b>\d{{1,2}})(?![\d])|/(?P<a2>\d{{1,2}})/(?P<b2>\d{{1,2}})(?![\d/]))"), _ymd_either),
    (_re(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/])"), _numeric_mdy),
    (_re(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|\.\d)"), _numeric_md),
    (_re(rf"(?P<year>{_YEAR})[-/](?P<mon>{_MONTH})[-/](?P<day>\d{{1,2}})\b|(?P<year2>{_YEAR})[-/](?P<day2>\d{{1,2}})[-/](?P<mon2>{_MONTH})|(?P<day3>\d{{1,2}})-(?P<year3>{_YEAR})-(?P<mon3>{_MONTH})"), _name_numeric_any),
    (_re(rf"\b(?P<mon>{_MONTH})(?:\s+|\s*[-/,]\s*|\s+(?P<of>of|in)\s+)(?:(?P<year>{_YEAR})|['’](?P<yy>\d{{2}}))(?!\d)"), _month_year),
    (_re(rf"(?:\b(?P<cue>this|last|next|coming|past)\s+)?\b(?P<mon>{_MONTH_FULL}|sept)\b"), _month_alone),
    (_re(rf"(?:\b(?P<mode>on|this|last|next|previous|coming|following|past)\s+)?(?:\b(?P<week>next\s+week|this\s+week|last\s+week)(?:'s)?\s+(?:on\s+)?)?"
         rf"\b(?P<wd>{_WEEKDAY})(?!s\b|')(?:(?:\s*(?:,\s*)?(?:the\s+)?(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|{ORDINAL_WORD})\b(?![:./-]?\d|\s+(?:of|{_MONTH})\b){_NOT_HOUR})"
         rf"|\s+(?P<week2>(?:(?:of|from|on)\s+)?(?:last|next|this|the\s+following|previous)\s+week\b|after\s+next\b))?"), _weekday),
    (_re(rf"\b(?P<wd>{_WEEKDAY})\s*(?:,\s*)?(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})(?:[/.](?P<y>\d{{4}}))?(?![\d/])"), _weekday_md),
    (_re(r"(?:the\s+|(?<=\bon\s))(?P<day>\d{1,2}(?:st|nd|rd|th))(?!\s*[\w-])"), _the_nth),
    (_re(rf"the\s+(?P<day>{ORDINAL_WORD})(?!\s*[\w-])"), _the_nth),
    (_re(r"\b(?P<w>(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow))|today|tonight|yesterday|tomorrow)\b(?!-)"), _day_word),
    (_re(r"(?:\b(?P<w>this)\s+(?P<unit>morning|afternoon|evening))\b"), lambda m, t, p: _Res(p, None, "day")),
    (_re(r"(?:\b(?:(?:the\s+)?(?P<edge>end|beginning|start|middle)\s+of\s+|(?P<edge2>earlier|later)\s+(?:in\s+)?)|(?P<part>early|mid-?|late)\s*)?"
         r"\b(?:(?P<the>the\s+)?)(?P<which>this|last|next|past|previous|coming|current|the)\s+(?P<unit>week|weekend|month|year|decade|century)\b"), _relative_period_or_edge),
    (_re(rf"(?:\b(?:the\s+)?(?P<edge>end|beginning|start|middle)\s+of\s+|\b(?P<part>early|mid-?|late)\s*)"
         rf"(?:the\s+)?(?:(?P<decade>1[0-9]{{2}}0|20[0-9]0)s\b|(?P<mon>{_MONTH_FULL})(?:\s*(?:,\s*)?(?P<year>{_YEAR}))?\b|(?P<year2>{_YEAR})\b)"), _edge_absolute_any),
    (_re(rf"\b(?:the\s+)?end\s+of\s+(?:(?P<mode>this|the|next|last)\s+)?(?P<w>today|tomorrow|{_WEEKDAY_FULL})\b"), _edge_of_day),
    (_re(rf"\b(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\s+(?:ago|back)\b"), _ago),
    (_re(rf"(?:\b(?P<lead>in|within)\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\b(?!\s+(?:ago|of|old|later|earlier))(?P<tail>\s+(?:from\s+(?:now|today)|hence))?"
         rf"|\b(?P<n2>{_NUM})\s+(?P<unit2>{_UNIT})\s+(?P<tail2>from\s+(?:now|today)|hence|after\s+today|before\s+today))"), _future_any),
    (_re(rf"\b(?P<n>{_NUM})\s+(?P<wd>{_WEEKDAY_FULL})s\s+(?P<dir>from\s+(?:now|today)|hence|ago|back)\b"), _weekday_count),
    (_re(rf"\b(?:the\s+)?(?:(?P<ord>{ORDINAL_WORD}|\d{{1,2}}(?:st|nd|rd|th)|last)(?:\s+(?P<back>last))?\s+(?:(?P<wd>{_WEEKDAY})|day)\s+(?:of|in)\s+"
         rf"|(?P<dnum>\d{{1,2}}(?:st|nd|rd|th)?|{ORDINAL_WORD})(?:\s+day)?\s+of\s+(?=(?:the\s+)?(?:this|next|last|previous|current|coming|following)\s+month))"
         rf"(?:the\s+)?(?:(?P<mon>{_MONTH})(?:\s*,?\s*(?P<year>{_YEAR}))?\b|(?P<which>this|next|last|previous|current|coming|following)?\s*month\b)"), _nth_in_month),
    (_re(rf"(?:\b(?P<cue>this|next|last|coming)\s+)?\b(?P<name>{_HOLIDAY_NAMES})\b(?:\s*,?\s*(?:(?:of|in)\s+)?(?P<year>{_YEAR})(?!\d))?"), _holiday),
    (_re(rf"(?<![\w.-])(?P<day>\d{{1,2}})(?P<sep>[-/.])(?P<mon>{_MONTH_FULL}|{_MONTH_ABBR})(?P=sep)(?P<year>\d{{4}}|\d{{2}})(?![\d-])"), _day_month_year_numeric),
    (_re(rf"\bthe\s+(?P<dir>next|past|last|coming|following)\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\b"), _next_n),
    (_re(rf"(?P<y1>{_YEAR})(?:\s*[-–—/]\s*|\s+(?:to|and|through|until)\s+)(?P<y2>{_YEAR}|\d{{2}})\b(?![-–/.,]?\d)"), _year_range),
    (_re(r"\b(?:the\s+)?(?P<part>early|mid-?|late)?\s*(?:(?P<full>1[0-9]{2}0|20[0-9]0)s|['’](?P<short>\d0)s)\b"), _decade),
    (_re(rf"\bthe\s+(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{ORDINAL_WORD})[\s-]+century\b(?P<bc>\s+(?:BC|BCE|B\.C\.))?"), _century),
    (_re(rf"\b(?:q(?P<q>[1-4])[\s-]*(?P<year>{_YEAR})|(?P<year2>{_YEAR})\s*q(?P<q2>[1-4])|(?:the\s+)?(?P<q3>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+of\s+(?P<year3>{_YEAR}))\b"), _quarter),
    (_re(rf"\b(?P<mon>{_MONTH})\s+(?P<d1>{_DAYNUM})\s*(?:-|–|to|through|until|till)\s*(?P<d2>{_DAYNUM})\b(?:,?\s*(?P<year>{_YEAR}))?"
         rf"|\b(?P<d1b>{_DAYNUM})\s*(?:-|–|to)\s*(?P<d2b>{_DAYNUM})(?:\s+of)?\s+(?P<monb>{_MONTH})\b(?:,?\s*(?P<yearb>{_YEAR}))?"), _day_range_any),
    (_re(rf"(?P<year>{_YEAR})(?![\w%]|[.,]\d|-\d)"), _year),
]



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


_STATED_YEAR = re.compile(rf"{_YEAR}|['’]\d\d\b|[/.-]\d{{2}}\b(?![/.-])")


def _on_weekday(res: _Res, weekday_text: str, date_text: str, published: date | None, span: int) -> _Res:
    """A day named with its weekday and no year ("Fri, Jul 18"): the nearest year in which the
    day falls on that weekday."""
    if res.value is None or published is None or _STATED_YEAR.search(date_text):
        return res
    weekday = _WEEKDAYS[weekday_text.split()[-1].lower().rstrip(".")]
    v = res.value
    candidates = [d for y in range(v.year - span, v.year + span + 1) if (d := _valid(y, v.month, v.day)) and d.weekday() == weekday]
    # The weekday fixes the year: the nearest such date, whichever way expressions lean.
    return _Res(min(candidates, key=lambda d: (abs((d - published).days), d > published)) if candidates else v, None, "day")


def _merged(text: str, spans: list[tuple[int, int, _Res]], published: date | None, rules: DateRules) -> list[tuple[int, int, _Res]]:
    """Join "X to Y" / "between X and Y" into ranges, and "Friday, January 4, 2019" into one day."""
    out: list[tuple[int, int, _Res]] = []
    for start, end, res in spans:
        if out:
            p_start, p_end, p_res = out[-1]
            gap = text[p_end:start]
            if (
                _WEEKDAY_AFTER_TIME.match(text[p_start:p_end])
                and re.fullmatch(r"\s*(?:,\s*)?", gap)
                and res.granularity == "day"
                and not _WEEKDAY_START.match(text, start)
            ):
                out[-1] = (p_start, end, _on_weekday(res, text[p_start:p_end], text[start:end], published, rules.weekday_year_span))
                continue
            if (
                p_res.granularity == "day"
                and _WEEKDAY_ONLY.match(text[start:end])
                and re.fullmatch(r"\s*(?:[(,]\s*)?", gap)
                and not _WEEKDAY_START.match(text, p_start)
            ):
                close = end + 1 if text[end:end + 1] == ")" and "(" in gap else end
                out[-1] = (p_start, close, _on_weekday(p_res, text[start:end], text[p_start:p_end], published, rules.weekday_year_span))
                continue
            if _RANGE_GAP.fullmatch(gap) and _joinable(text, p_start, gap, p_res, res):
                lead = _RANGE_LEAD.search(text, max(0, p_start - 9), p_start)
                first, last = _full(p_res), _full(res)
                value = first[0] if first else None
                end_value = last[1] if last else None
                if value is None or end_value is None or value <= end_value:
                    out[-1] = (lead.start() if lead else p_start, end, _Res(value, end_value, "range"))
                    continue
        out.append((start, end, res))
    return out


def _joinable(text: str, p_start: int, gap: str, first: _Res, second: _Res) -> bool:
    if (first.value is None) != (second.value is None):
        return False
    if gap.strip().lower() == "and":
        return bool(_RANGE_LEAD.search(text, max(0, p_start - 9), p_start)) and first.granularity != "range"
    return first.granularity != "range" and second.granularity != "range"


def date_spans(text: str, published: date | None = None, *, prefer: str = "past", detected: Detection | None = None,
               rules: DateRules = DateRules()) -> list[DateSpan]:
    """Time expressions in `text`, resolved against `published` (null values without it).
    `prefer` says how unmarked expressions read (see `Reference`); `detected` is `detect(text)`
    when the caller already has it."""
    found_all = (detect(text, rules=rules) if detected is None else detected).dates
    if not found_all:
        return []
    published = reference(published, prefer)
    resolved = []
    for found in found_all:
        res = found.res if published is None else found.handler(found.match, text, published)
        if res is not None:
            resolved.append((found.start, found.end, res))
    spans = _merged(text, resolved, published, rules)
    return [DateSpan(s, e, text[s:e], _plain(r.value), _plain(r.end_value), r.granularity) for s, e, r in spans]


def _plain(d: date | None) -> date | None:
    """A plain date (arithmetic on a `Reference` keeps its class)."""
    return d if d is None or type(d) is date else date(d.year, d.month, d.day)


_SCHEMA = polars_schema(Dates)


def spans_in_sentences(spans: list, sentence_rows: list[tuple[str, int, int]]) -> list[tuple[object, str]]:
    """Pair each span with the id of the sentence containing it; spans that cross sentences are dropped."""
    out = []
    i = 0
    for span in spans:
        while i < len(sentence_rows) and sentence_rows[i][2] <= span.start:
            i += 1
        if i < len(sentence_rows) and sentence_rows[i][1] <= span.start and span.end <= sentence_rows[i][2]:
            out.append((span, sentence_rows[i][0]))
    return out


def sentence_index(sentences: pl.DataFrame) -> dict[str, list[tuple[str, int, int]]]:
    """Sentence (id, start, end) rows per article, in text order."""
    rows: dict[str, list[tuple[str, int, int]]] = {}
    for sid, aid, start, end in sentences.select("sentence_id", "article_id", "start", "end").sort("article_id", "start").iter_rows():
        rows.setdefault(aid, []).append((sid, start, end))
    return rows


def detections(articles: pl.DataFrame, *, rules: DateRules = DateRules()) -> list[Detection]:
    """`detect` of every article's text, in row order: computed once, passed to both stages.
    The triggers of all the texts are found by one `Scan`."""
    texts = articles["text"].to_list()
    return detect_all(texts, rules=rules)


def detect_all(texts: list[str], *, rules: DateRules = DateRules()) -> list[Detection]:
    """`detect` of each text, with the trigger hits of one `Scan` of them all."""
    scan = Scan(texts, DATE_TRIGGERS)
    return [detect(text, rules=rules, hits=partial(scan.hits, k)) for k, text in enumerate(texts)]


def dates(articles: pl.DataFrame, sentences: pl.DataFrame, detected: list[Detection] | None = None, *,
          rules: DateRules = DateRules()) -> pl.DataFrame:
    """The `dates` table for a shard: every time expression inside a sentence, sorted by article and start.
    `detected` is `detections(articles)` when the caller already has it."""
    by_article = sentence_index(sentences)
    published_col = articles["published_date"] if "published_date" in articles.columns else pl.Series([None] * articles.height, dtype=pl.Date)
    detected = detections(articles, rules=rules) if detected is None else detected
    records = []
    for aid, text, published, found in zip(articles["article_id"], articles["text"], published_col, detected, strict=True):
        for span, sid in spans_in_sentences(date_spans(text, published, detected=found, rules=rules), by_article.get(aid, [])):
            records.append((stable_id(aid, span.start, span.end), aid, sid, span.text, span.start, span.end, span.value, span.end_value, span.granularity))
    return pl.DataFrame(records, schema=_SCHEMA, orient="row").sort("article_id", "start", "end")


def date_records(dates_frame: pl.DataFrame) -> dict[str, list[dict]]:
    """Per article id, the annotate command's `dates` list: {start, end, text, value, end_value, granularity}."""
    out: dict[str, list[dict]] = {}
    for row in dates_frame.sort("article_id", "start", "end").iter_rows(named=True):
        out.setdefault(row["article_id"], []).append({
            "start": row["start"], "end": row["end"], "text": row["text"],
            "value": row["value"].isoformat() if row["value"] else None,
            "end_value": row["end_value"].isoformat() if row["end_value"] else None,
            "granularity": row["granularity"],
        })
    return out
