"""The patterns of the grammar and their handlers: each composes parts and resolves a match
(against the published date) into an interval with a granularity; holidays by rule."""

import re
from collections.abc import Callable
from datetime import date, timedelta

from pipeline.core.numwords import NUMBER_WORD, ORDINAL_WORD, small_number
from pipeline.stages.dates.parts import (
    _DAY, _DAYNUM, _I, _LOWER_MONTH_CUE, _MONTH, _MONTH_ABBR, _MONTH_CUE, _MONTH_FULL, _NOT_HOUR, _NUM, _Res, _TIME,
    _UNIT, _WEEKDAY, _WEEKDAYS, _WEEKDAY_FULL, _WORD_TIME, _YEAR, _add_months, _day_exists, _day_of, _future,
    _month_end, _month_of, _nearest, _nearest_month_day, _period, _shift, _third, _unit_granularity, _valid,
    _weekday_date, _year2,
)
from pipeline.stages.dates.scan import _re


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
