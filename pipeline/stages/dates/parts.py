"""The grammar's parts: regex fragments for days, months, years, weekdays and times of day, and the
calendar arithmetic their readers share (month ends, shifts, the reference date, periods)."""

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

from pipeline.core.lexicons import MONTHS, MONTH_NUMBERS, WEEKDAYS
from pipeline.core.numwords import NUMBER_WORDS, ORDINAL_WORD, ordinal_value


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
