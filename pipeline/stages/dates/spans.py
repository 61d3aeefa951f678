"""Resolution of a detection into date spans (`date_spans`): a weekday composed with the day next
to it, two dates into a range, the published date as reference."""

import re
from datetime import date
from typing import NamedTuple

from pipeline.stages.dates.detect import (
    Detection, _RANGE_GAP, _RANGE_LEAD, _WEEKDAY_AFTER_TIME, _WEEKDAY_ONLY, _WEEKDAY_START, detect,
)
from pipeline.stages.dates.parts import _Res, _WEEKDAYS, _YEAR, _full, _valid, reference
from pipeline.stages.dates.rules import DateRules


class DateSpan(NamedTuple):
    start: int
    end: int
    text: str
    value: date | None
    end_value: date | None
    granularity: str


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
