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

The package: `parts` (the regex fragments and calendar arithmetic), `patterns` (`_PATTERN_LIST`,
the handlers, `HOLIDAYS`), `scan` (trigger scanning, shared with the quantities stage), `detect`
(`detect`, `DATE_TRIGGERS`), `spans` (`_merged`, `date_spans`), `stage` (the table, per article
and per sentence) and `rules` (`DateRules`). This module is the stage's interface: the entry
points the stage list, annotate, the quantities stage, tests and benchmarks call are named here.
"""

from pipeline.stages.dates.detect import Detection, detect
from pipeline.stages.dates.rules import DateRules
from pipeline.stages.dates.spans import DateSpan, date_spans
from pipeline.stages.dates.stage import date_records, dates, detect_all, detections, sentence_index, spans_in_sentences

__all__ = [
    "DateRules", "DateSpan", "Detection", "date_records", "date_spans", "dates", "detect", "detect_all", "detections",
    "sentence_index", "spans_in_sentences",
]
