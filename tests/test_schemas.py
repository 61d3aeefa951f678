"""The data contract rejects bad frames with precise, complete failure reports."""

import datetime as dt

import polars as pl
import pytest

import schemas
from schemas import DatasetInvalid, validated

TEXT = "First sentence. Second one."


def _good() -> dict[str, pl.DataFrame]:
    aid = "a" * 16
    return {
        "articles": pl.DataFrame(
            {
                "article_id": [aid],
                "source_file": ["x.txt"],
                "title": ["Title"],
                "published_date": [dt.date(2021, 7, 27)],
                "source_name": [None],
                "author": [None],
                "text": [TEXT],
                "raw_sha256": ["0" * 64],
                "n_chars_raw": [40],
                "n_chars_clean": [len(TEXT)],
                "encoding": ["utf-8"],
                "warnings": [[]],
                "story_id": [aid],
            },
        ).with_columns(pl.col("n_chars_raw", "n_chars_clean").cast(pl.Int64), pl.col("source_name", "author").cast(pl.Utf8), pl.col("warnings").cast(pl.List(pl.Utf8))),
        "boilerplate": pl.DataFrame(
            {"boilerplate_id": ["b" * 16], "article_id": [aid], "start": [0], "end": [7], "text": ["Title\n\n"], "reason": ["title"]}
        ),
        "sentences": pl.DataFrame(
            {"sentence_id": ["c" * 16, "d" * 16], "article_id": [aid, aid], "position": [0, 1], "text": ["First sentence.", "Second one."], "start": [0, 16], "end": [15, 27], "duplicate_of": [None, None]}
        ).with_columns(pl.col("position", "start", "end").cast(pl.Int32), pl.col("duplicate_of").cast(pl.Utf8)),
        "rejects": pl.DataFrame({"source_file": ["bad.txt"], "reason": ["binary"], "detail": ["not a text file: PDF document"], "raw_sha256": ["1" * 64], "n_bytes": [10]}),
    }


def _core_models():
    return {k: schemas.TABLES[k] for k in ("articles", "boilerplate", "sentences", "rejects")}


def _failures(tables) -> pl.DataFrame:
    with pytest.raises(DatasetInvalid) as err:
        validated(tables, _core_models())
    return err.value.failures


def test_good_tables_pass():
    assert set(validated(_good(), _core_models())) == {"articles", "boilerplate", "sentences", "rejects"}


def test_every_failure_is_reported_at_once():
    tables = _good()
    tables["sentences"] = tables["sentences"].with_columns(
        pl.Series("sentence_id", ["c" * 16, "c" * 16]),  # duplicate id
        pl.Series("article_id", ["a" * 16, "z" * 16]),  # dangling foreign key
    )
    tables["rejects"] = tables["rejects"].with_columns(pl.lit("weird").alias("reason"))
    failures = _failures(tables)
    checks = set(zip(failures["table"], failures["column"], failures["check"]))
    assert ("sentences", "sentence_id", "field_uniqueness") in checks
    assert ("sentences", "article_id", "foreign_key(articles.article_id)") in checks
    assert ("rejects", "reason", "isin(['empty', 'binary', 'too_large', 'unreadable', 'no_content', 'duplicate'])") in checks


def test_span_text_must_match_the_article_text():
    tables = _good()
    tables["sentences"] = tables["sentences"].with_columns(pl.Series("text", ["First sentencE.", "Second one."]))
    failures = _failures(tables)
    assert failures.select("table", "column", "check").row(0) == ("sentences", "text", "span_matches(articles.text)")
    assert "sentencE" in failures["failure_case"][0]


def test_span_length_must_match_offsets():
    tables = _good()
    tables["boilerplate"] = tables["boilerplate"].with_columns(pl.lit(9).cast(pl.Int64).alias("end"))
    assert "text_length_matches_span" in _failures(tables)["check"].to_list()


def test_empty_clean_text_and_wrong_counts_fail():
    tables = _good()
    tables["articles"] = tables["articles"].with_columns(pl.lit("").alias("text"))
    checks = _failures(tables)["check"].to_list()
    assert "str_length(1, None)" in checks and "clean_length_matches_text" in checks


def test_extra_or_missing_columns_fail():
    tables = _good()
    tables["rejects"] = tables["rejects"].with_columns(pl.lit(1).alias("extra")).drop("detail")
    checks = set(_failures(tables)["check"].to_list())
    assert {"column_in_schema", "column_in_dataframe"} <= checks


def test_missing_table_fails():
    tables = _good()
    del tables["boilerplate"]
    assert _failures(tables).select("table", "check").row(0) == ("boilerplate", "table_present")


def test_error_message_names_checks_with_examples():
    tables = _good()
    tables["sentences"] = tables["sentences"].with_columns(pl.Series("article_id", ["q" * 16, "r" * 16]))
    with pytest.raises(DatasetInvalid, match=r"sentences\.article_id foreign_key\(articles\.article_id\): 2 failure\(s\), e\.g\. .*qqqq"):
        validated(tables, _core_models())


def test_docs_tables_reference_is_generated_from_the_models():
    """docs/tables.md is never edited by hand: regenerate it with `python -m pipeline docs`."""
    from schemas.reference import tables_document
    from tests.conftest import ROOT

    assert (ROOT / "docs" / "tables.md").read_text(encoding="utf-8") == tables_document(schemas.TABLES, schemas.SCHEMA_VERSION)
