"""Annotate lines of clean text with what each stage finds, for inspection and external test sets.

Input records are `{"id", "text", "published_date"?}`; no boilerplate removal is applied.
Cross-article steps (entity resolution, claim grouping) run across the records of one call.
"""

import datetime as dt
import json
from pathlib import Path

import polars as pl

from pipeline import build
from pipeline.checks import InvalidInput, checked_gazetteer
from schemas import polars_schema
from schemas.articles import Articles
from pipeline.stages.claims import claim_records
from pipeline.stages.dates import date_records
from pipeline.stages.entities import mention_records
from pipeline.stages.quantities import quantity_records


class BadRecord(ValueError):
    """An annotate input record the pipeline cannot use; the message names it."""


def _published(i: int, value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as err:
        raise BadRecord(f"record {i + 1}: published_date {value!r} is not an ISO date (YYYY-MM-DD)") from err


def annotation_articles(records: list[dict]) -> pl.DataFrame:
    """An articles frame (article_id, text, published_date) from annotate input records."""
    rows = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            raise BadRecord(f"record {i + 1}: must be an object with a string 'text'")
        published = rec.get("published_date")
        rows.append(
            {
                "article_id": str(rec.get("id", i)),
                "text": rec["text"],
                "published_date": _published(i, published),
            }
        )
    return pl.DataFrame(rows, schema=polars_schema(Articles, ("article_id", "text", "published_date")))


def _by_article(frame: pl.DataFrame, fields: list[str]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in frame.sort("article_id", "start").iter_rows(named=True):
        grouped.setdefault(row["article_id"], []).append({f: row[f] for f in fields})
    return grouped


def annotations(records: list[dict], options: build.BuildOptions = build.BuildOptions()) -> list[dict]:
    """One output record per input record, in input order."""
    articles = annotation_articles(records)
    if articles["article_id"].is_duplicated().any():
        raise BadRecord("annotate input ids must be unique")
    # The stage list from sentences on (`pipeline.stages.order.ANNOTATIONS`), then across the records.
    found, _ = build.annotated(articles, options)
    linked, _ = build.linked(found, options)
    fields = {
        "sentences": _by_article(found["sentences"], ["start", "end", "text"]),
        "mentions": mention_records(linked["mentions"], linked["entities"]),
        "quantities": quantity_records(found["quantities"]),
        "dates": date_records(found["dates"]),
        "claims": claim_records(linked["claims"]),
    }
    return [{"id": aid} | {name: per.get(aid, []) for name, per in fields.items()} for aid in articles["article_id"].to_list()]


def annotate_file(input: Path, output: Path, options: build.BuildOptions = build.BuildOptions()) -> None:
    """Annotate a JSONL file of records into `output`, one line per record; an unreadable line,
    a bad record or a bad gazetteer raises InvalidInput naming it."""
    records = []
    for n, line in enumerate(input.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InvalidInput(f"{input}:{n}: not a JSON object ({err.msg})") from err
    checked_gazetteer(options.gazetteer)
    try:
        annotated = annotations(records, options)
    except BadRecord as err:
        raise InvalidInput(f"{input}: {err}") from err
    output.write_text("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in annotated), encoding="utf-8")
