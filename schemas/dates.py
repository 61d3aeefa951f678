import polars as pl
import pandera.polars as pa

from schemas._base import SpanChecks, foreign_key

GRANULARITIES = ("day", "week", "month", "quarter", "year", "decade", "century", "range")


class Dates(SpanChecks):
    """Time expressions in the clean text, resolved to ISO dates with a granularity."""

    date_id: str = pa.Field(unique=True, str_length=16, description="Stable id from article and offsets.")
    article_id: str = pa.Field(description="Article the expression is in.")
    sentence_id: str = pa.Field(str_length=16, description="Sentence containing the whole span.")
    text: str = pa.Field(str_length={"min_value": 1}, description="Surface text, equal to articles.text[start:end].")
    start: pl.Int32 = pa.Field(ge=0, description="Start offset into articles.text (code points).")
    end: pl.Int32 = pa.Field(ge=1, description="End offset (exclusive) into articles.text.")
    value: pl.Date = pa.Field(nullable=True, description="First day of the period named; null when it is relative and the article has no published date.")
    end_value: pl.Date = pa.Field(nullable=True, description="Last day (inclusive) of a range; null for other granularities.")
    granularity: str = pa.Field(isin=list(GRANULARITIES), description="day, week, month, quarter, year, decade, century or range.")

    @pa.dataframe_check
    def range_is_ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("end_value").is_null() | (pl.col("granularity") == "range") & (pl.col("end_value") >= pl.col("value"))
        )

    class Config:
        strict = True
        metadata = {
            "description": "Dates: time expressions in the article text resolved against the published date.",
            "primary_key": ["date_id"],
            "foreign_keys": [foreign_key("article_id", "articles"), foreign_key("sentence_id", "sentences")],
            "span_of": {"table": "articles", "key": "article_id", "text": "text"},
        }
