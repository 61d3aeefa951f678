from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.stages.dates import date_records, date_spans, dates
from schemas.dates import Dates
from schemas.validate import validated
from tests.support import CPU_SECONDS, PATHOLOGICAL_CHARS, article_frames, cpu_seconds, repeated

PUB = date(2021, 7, 27)  # a Tuesday

# Excerpt from Wikinews, "Magnitogorsk apartment building collapses after explosion, dozens dead"
# (2019-01-04), CC BY 2.5, https://en.wikinews.org/wiki/Magnitogorsk_apartment_building_collapses_after_explosion,_dozens_dead
WIKINEWS = (
    "Friday, January 4, 2019 \n\n\nAn apartment building collapsed on Monday in Magnitogorsk. "
    "Rescuers ended their work yesterday. Search and rescue was suspended on Tuesday."
)


def resolved(text: str, published: date | None = PUB) -> list[tuple[str, str | None, str | None, str]]:
    return [
        (d.text, d.value and d.value.isoformat(), d.end_value and d.end_value.isoformat(), d.granularity)
        for d in date_spans(text, published)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They signed it on Monday.", [("Monday", "2021-07-26", None, "day")]),
        ("Biden confirmed this Monday that", [("this Monday", "2021-07-26", None, "day")]),
        ("The vote was held on Tuesday.", [("Tuesday", "2021-07-27", None, "day")]),
        ("It happened last Tuesday.", [("last Tuesday", "2021-07-20", None, "day")]),
        ("We meet next Friday.", [("next Friday", "2021-08-06", None, "day")]),
        ("by the end of this year", [("the end of this year", "2021-12-31", None, "day")]),
        ("At the end of last year, troops", [("the end of last year", "2020-12-31", None, "day")]),
        ("since late last year, when", [("late last year", "2020-09-01", "2020-12-31", "range")]),
        ("elections on October 10, with", [("October 10", "2021-10-10", None, "day")]),
        ("the war began 18 years ago.", [("18 years ago", "2003-01-01", None, "year")]),
        ("In three months, Iraq will vote", [("In three months", "2021-10-27", None, "day")]),
        ("They agreed in April to", [("April", "2021-04-01", None, "month")]),
        ("The talks end in December.", [("December", "2021-12-01", None, "month")]),
        ("Last week, the militia", [("Last week", "2021-07-19", None, "week")]),
        ("the battles of the next 20 years", [("the next 20 years", "2021-07-27", "2041-07-27", "range")]),
        ("Rescuers worked yesterday and tomorrow.", [("yesterday", "2021-07-26", None, "day"), ("tomorrow", "2021-07-28", None, "day")]),
        ("earlier this year", [("earlier this year", "2021-01-01", "2021-07-27", "range")]),
        ("Prices fell in mid-2020.", [("mid-2020", "2020-05-01", "2020-08-31", "range")]),
    ],
)
def test_relative_expressions_resolve_against_published_date(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("took office in May 2020 after", [("May 2020", "2020-05-01", None, "month")]),
        ("the September 11, 2001 attacks", [("September 11, 2001", "2001-09-11", None, "day")]),
        ("George W. Bush (2001-2009) ordered", [("2001-2009", "2001-01-01", "2009-12-31", "range")]),
        ("invaded Iraq in 2003 to oust", [("2003", "2003-01-01", None, "year")]),
        ("from 1990 to 1995", [("from 1990 to 1995", "1990-01-01", "1995-12-31", "range")]),
        ("the 2019-20 season", [("2019-20", "2019-01-01", "2020-12-31", "range")]),
        ("on 4 July 1995 and 15th of August, 1947", [("4 July 1995", "1995-07-04", None, "day"), ("15th of August, 1947", "1947-08-15", None, "day")]),
        ("file sales_report-2002-10-09.xlsx", [("2002-10-09", "2002-10-09", None, "day")]),
        ("on 5/3/18 and 22/04/2020 and 10.07.2020", [("5/3/18", "2018-05-03", None, "day"), ("22/04/2020", "2020-04-22", None, "day"), ("10.07.2020", "2020-07-10", None, "day")]),
        ("in the 1990s and the 19th century", [("the 1990s", "1990-01-01", None, "decade"), ("the 19th century", "1800-01-01", None, "century")]),
        ("Q3 2019 and the first quarter of 2013", [("Q3 2019", "2019-07-01", None, "quarter"), ("the first quarter of 2013", "2013-01-01", None, "quarter")]),
        ("Dec. 31, 1994", [("Dec. 31, 1994", "1994-12-31", None, "day")]),
    ],
)
def test_absolute_expressions(text, expected):
    assert resolved(text) == expected
    assert resolved(text, None) == expected


def test_without_published_date_relative_values_are_null_but_kept():
    found = resolved("They met on Monday, by the end of this year, in April and October 10.", None)
    assert [(t, v) for t, v, _, _ in found] == [("Monday", None), ("the end of this year", None), ("April", None), ("October 10", None)]


@pytest.mark.parametrize(
    "text",
    [
        "This may take longer than expected.",
        "May I ask why? You may not!",
        "Protesters will march to the capital; they march daily.",
        "She waited a second and asked for a second opinion.",
        "June Carter and August Wilson spoke.",
        "He sent 2000 troops and paid $1999 for about 2010 items.",
        "Growth was 6.45 percent, 1.5 million people.",
        "It happened for the first time in 18 years.",
        "World War II and the post-9/11 era",
        "We've reached the end of the line.",
        "The Sun reported it.",
    ],
)
def test_not_dates(text):
    assert resolved(text) == []


def test_time_of_day_stays_in_the_day_span():
    assert resolved("Meet on Monday at 2.30 pm or 8am this morning.") == [
        ("Monday at 2.30 pm", "2021-07-26", None, "day"),
        ("8am this morning", "2021-07-27", None, "day"),
    ]


def test_month_day_without_year_takes_nearest_occurrence():
    assert resolved("on December 28", date(2021, 1, 3)) == [("December 28", "2020-12-28", None, "day")]
    assert resolved("on February 29", date(2021, 3, 1)) == [("February 29", "2020-02-29", None, "day")]


def test_wikinews_dateline_and_weekdays():
    found = resolved(WIKINEWS, date(2019, 1, 4))
    assert found[0] == ("Friday, January 4, 2019", "2019-01-04", None, "day")
    assert [(t, v) for t, v, _, _ in found[1:]] == [("Monday", "2018-12-31"), ("yesterday", "2019-01-03"), ("Tuesday", "2019-01-01")]


TEXTS = {
    "a" * 16: "Troops left on Monday. The war began in 2003. It ends by the end of this year.",
    "b" * 16: "Talks resumed in April 2020. Talks failed last week.",
}
PUBLISHED = {"a" * 16: PUB, "b" * 16: None}


def test_frame_validates_and_is_shard_independent():
    articles, sentences = article_frames(TEXTS, PUBLISHED)
    table = dates(articles, sentences)
    validated({"articles": articles, "sentences": sentences, "dates": table}, {"dates": Dates})
    assert table["text"].to_list() == ["Monday", "2003", "the end of this year", "April 2020", "last week"]
    shards = [dates(articles[i:i + 1], sentences.filter(pl.col("article_id") == articles["article_id"][i])) for i in (1, 0)]
    assert pl.concat(shards).sort("article_id", "start", "end").equals(table)
    assert dates(articles.reverse(), sentences.reverse()).equals(table)


def test_span_crossing_sentences_is_dropped():
    articles, _ = article_frames({"c" * 16: "Meet on May 4. 2020 was hard."}, {"c" * 16: None})
    sentences = pl.DataFrame(
        {"sentence_id": ["s" * 16], "article_id": ["c" * 16], "position": [0], "text": ["Meet on May"], "start": [0], "end": [11]},
        schema={"sentence_id": pl.Utf8, "article_id": pl.Utf8, "position": pl.Int32, "text": pl.Utf8, "start": pl.Int32, "end": pl.Int32},
    )
    assert dates(articles, sentences).is_empty()


def test_records_are_the_annotate_dicts():
    articles, sentences = article_frames(TEXTS, PUBLISHED)
    records = date_records(dates(articles, sentences))
    assert records["a" * 16][0] == {"start": 15, "end": 21, "text": "Monday", "value": "2021-07-26", "end_value": None, "granularity": "day"}
    assert records["b" * 16][-1]["value"] is None


def test_schema_rejects_bad_granularity():
    articles, sentences = article_frames(TEXTS, PUBLISHED)
    table = dates(articles, sentences).with_columns(pl.lit("fortnight").alias("granularity"))
    with pytest.raises(Exception, match="granularity"):
        validated({"articles": articles, "sentences": sentences, "dates": table}, {"dates": Dates})


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-/MayJuneon20ThisweekagoDecember'")), max_size=60), st.none() | st.dates())
def test_spans_always_match_text(text, published):
    for d in date_spans(text, published):
        assert text[d.start:d.end] == d.text
        assert d.end_value is None or d.granularity == "range"


@pytest.mark.parametrize(
    "text",
    [
        repeated("2021 "),  # each candidate is checked against those chosen so far
        repeated("Jan. 1, "),
        repeated("Monday "),
        repeated("1990s "),
        repeated("May may May "),
        "on Monday" + "\t" * PATHOLOGICAL_CHARS + "x",  # whitespace runs: regex backtracking
        "2001 to" + "\n" * PATHOLOGICAL_CHARS + "x",
        "October 10" + " " * PATHOLOGICAL_CHARS + "2021",
    ],
    ids=["years", "days", "weekdays", "decades", "modal-may", "weekday-then-tabs", "range-then-newlines", "day-then-spaces"],
)
def test_pathological_text_takes_linear_time(text):
    # A prefix no other test uses, so detection is not served from the cache.
    text = "Timing: " + text
    assert cpu_seconds(lambda: date_spans(text, PUB)) < CPU_SECONDS


# --- the parts of the grammar, each on variants of its own --------------------------------
# PUB is Tuesday 27 July 2021; "future" reads unmarked expressions forward (Duckling's convention).


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("The polls close by 1030 GMT.", ["1030 GMT"]),
        ("a deadline of 2100 UTC", ["2100 UTC"]),
        ("see you at 4 oclock, or at five o'clock", ["4 oclock", "five o'clock"]),
        ("from 9:30 to 10.15 pm", ["9:30", "10.15 pm"]),
        ("at noon and at midnight", ["noon", "midnight"]),
    ],
)
def test_time_of_day_is_a_time_never_a_year_or_a_day(text, times):
    from pipeline.stages.dates import detect

    found = detect(text)
    assert [text[s:e] for s, e in found.times] == times
    assert resolved(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thursday 1 pm", [("Thursday 1 pm", "2021-07-22", None, "day")]),
        ("wednesday 4 oclock", [("wednesday 4 oclock", "2021-07-21", None, "day")]),
        ("next week on Tuesday 9 am", [("next week on Tuesday 9 am", "2021-08-03", None, "day")]),
        ("march eighteenth nine thirty", [("march eighteenth nine thirty", "2021-03-18", None, "day")]),
        ("on Friday at 2100 UTC", [("Friday at 2100 UTC", "2021-07-23", None, "day")]),
    ],
)
def test_time_of_day_joins_the_day_it_follows(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dec31 , 1994", "1994-12-31"),
        ("Feb13", "2021-02-13"),
        ("05-Aug-2016", "2016-08-05"),
        ("31/Oct/1974", "1974-10-31"),
        ("14april 2015", "2015-04-14"),
        ("10.31.1974", "1974-10-31"),
        ("march 3 2015", "2015-03-03"),
        ("march first", "2021-03-01"),
    ],
)
def test_day_month_year_parts_in_any_order_and_spacing(text, expected):
    assert [(v, g) for _, v, _, g in resolved(text)] == [(expected, "day")]


@pytest.mark.parametrize("text", ["They march 3 miles a day.", "He may first need help.", "I bought it for $12 December"])
def test_month_words_that_are_verbs_or_amounts_are_not_days(text):
    assert all(g != "day" or "December" in t for t, _, _, g in resolved(text))


def test_amount_before_a_day_is_not_a_day():
    assert resolved("I bought it for $12 December 27") == [("December 27", "2021-12-27", None, "day")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("wednesday after next", "2021-08-04"),
        ("Sunday from last week", "2021-07-25"),
        ("last week's Friday", "2021-07-23"),
        ("Wednesday next week", "2021-08-04"),
        ("2 thursdays ago", "2021-07-15"),
        ("three fridays from now", "2021-08-13"),
    ],
)
def test_weekday_with_a_week_or_a_count(text, value):
    assert [v for _, v, _, _ in resolved(text)] == [value]


def test_weekday_fixes_the_year_of_a_day_without_one():
    assert resolved("Fri, Jul 18")[0][1] == "2025-07-18"  # the nearest 18 July that is a Friday
    assert resolved("Friday, July 18, 2014")[0][1] == "2014-07-18"  # a stated year wins


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two months ago", "2021-05-27"),
        ("3 weeks back", "2021-07-06"),
        ("in a fortnight", "2021-08-10"),
        ("a week hence", "2021-08-03"),
    ],
)
def test_offsets_of_days_weeks_and_months_are_days(text, value):
    assert [(v, g) for _, v, _, g in resolved(text)] == [(value, "day")]


@pytest.mark.parametrize("text", ["414 mm of rain in 24 hours", "He scored 3 goals in 2 weeks", "the first time in 18 years"])
def test_in_n_units_after_a_count_is_a_duration(text):
    assert resolved(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the first Tuesday of October", "2021-10-05"),
        ("last Friday in October 2015", "2015-10-30"),
        ("the second Monday of last month", "2021-06-14"),
        ("fifth last day of May", "2021-05-27"),
        ("the 20th of next month", "2021-08-20"),
        ("last day of February 2020", "2020-02-29"),
    ],
)
def test_weekday_or_day_counted_in_a_month(text, value):
    assert [(v, g) for _, v, _, g in resolved(text)] == [(value, "day")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Christmas 2014", "2014-12-25"),
        ("on Good Friday", "2021-04-02"),
        ("last Easter", "2021-04-04"),
        ("this Thanksgiving", "2021-11-25"),
        ("Memorial Day", "2021-05-31"),
        ("New Year's Eve", "2021-12-31"),
    ],
)
def test_holidays_by_rule(text, value):
    assert [v for _, v, _, _ in resolved(text)] == [value]


@pytest.mark.parametrize("text", ["Christmas shopping starts", "an Easter egg hunt"])
def test_bare_holiday_names_before_a_noun_are_not_dates(text):
    assert resolved(text) == []


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("Monday", "2021-07-26", "2021-08-02"),
        ("Tuesday", "2021-07-27", "2021-08-03"),
        ("October 10", "2021-10-10", "2021-10-10"),
        ("June 3", "2021-06-03", "2022-06-03"),
        ("in April", "2021-04-01", "2022-04-01"),
    ],
)
def test_prefer_sets_how_unmarked_expressions_read(text, past, future):
    assert [d.value.isoformat() for d in date_spans(text, PUB)] == [past]
    assert [d.value.isoformat() for d in date_spans(text, PUB, prefer="future")] == [future]


def test_one_detection_serves_both_stages():
    from pipeline.stages.dates import detect, detections
    from pipeline.stages.quantities import quantities, quantity_spans

    text = "On Monday at 2100 UTC, 28 people paid $5 each in 2020."
    found = detect(text)
    assert date_spans(text, PUB, detected=found) == date_spans(text, PUB)
    assert quantity_spans(text, found) == quantity_spans(text)
    assert [q.text for q in quantity_spans(text, found)] == ["28 people", "$5"]
    articles, sentences = article_frames(TEXTS, PUBLISHED)
    shared = detections(articles)
    assert dates(articles, sentences, shared).equals(dates(articles, sentences))
    assert quantities(articles, sentences, shared).equals(quantities(articles, sentences))


def test_number_hyphenated_to_a_word_is_no_day():
    # Wikinews, 2 December 2019: "On Friday, 28-year-old Usman Khan stabbed ..."
    assert resolved("On Friday, 28-year-old Usman Khan", date(2019, 12, 2)) == [("Friday", "2019-11-29", None, "day")]


def test_rules_reach_the_grammar():
    from pipeline.stages.dates import DateRules

    published = date(2020, 1, 1)
    # Jul 18 fell on a Friday in 2014 and 2025; within one year of 2019 it never does.
    assert [d.value for d in date_spans("on Fri, Jul 18 we met", published)] == [date(2014, 7, 18)]
    assert [d.value for d in date_spans("on Fri, Jul 18 we met", published, rules=DateRules(weekday_year_span=1))] == [date(2019, 7, 18)]
    # The month is the trigger: with no room before it, "the first Tuesday of" is out of reach.
    text = "the first Tuesday of October 2015"
    assert [d.value for d in date_spans(text, published)] == [date(2015, 10, 6)]
    assert [(d.text, d.granularity) for d in date_spans(text, published, rules=DateRules(window_back=0))] == [("Tuesday", "day"), ("October 2015", "month")]


def test_a_scan_of_a_batch_finds_the_hits_of_each_text_alone():
    from pipeline.stages.dates.detect import DATE_TRIGGERS
    from pipeline.stages.dates.scan import Scan, hits_of
    from pipeline.stages.quantities import QUANTITY_TRIGGERS

    texts = ["March 3, 2020 at 10:30 GMT", "", "mid-1990s, in the middle of May", "İstanbul, 3 May: 5 dollars",
             "summary of a market", "2 o'clock", "twelve thousand", "dec31 1994 and the 1980s", "ago"]
    for triggers in (DATE_TRIGGERS, QUANTITY_TRIGGERS):
        scan = Scan(texts, triggers)
        for k, text in enumerate(texts):
            for trigger in triggers:
                assert scan.hits(k, trigger) == sorted(set(hits_of(text, text.lower(), trigger))), (text, trigger)


def test_a_time_before_a_weekday_keeps_the_day_after_it():
    found = date_spans("Reported at 10:30 on Friday 13 December", date(2019, 12, 20))
    assert [(d.text, d.value, d.granularity) for d in found] == [("10:30 on Friday 13 December", date(2019, 12, 13), "day")]
