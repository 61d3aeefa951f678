"""The dates stage's plumbing: detection per article (`detections`, `detect_all`), spans by sentence,
the `dates` table and annotate's records."""

from functools import partial

import polars as pl

from pipeline.core.ids import stable_id
from pipeline.stages.dates.detect import DATE_TRIGGERS, Detection, detect
from pipeline.stages.dates.rules import DateRules
from pipeline.stages.dates.scan import Scan
from pipeline.stages.dates.spans import date_spans
from schemas import polars_schema
from schemas.dates import Dates


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
