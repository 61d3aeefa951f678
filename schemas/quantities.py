import polars as pl
import pandera.polars as pa

from schemas._base import SpanChecks, foreign_key

QUALIFIERS = ("exact", "approximate", "at_least", "at_most", "range")


class Quantities(SpanChecks):
    """Numbers in the clean text, resolved to values with qualifier, unit and currency."""

    quantity_id: str = pa.Field(unique=True, str_length=16, description="Stable id from article and offsets.")
    article_id: str = pa.Field(description="Article the quantity is in.")
    sentence_id: str = pa.Field(str_length=16, description="Sentence containing the whole span.")
    text: str = pa.Field(str_length={"min_value": 1}, description="Surface text with qualifier and unit, equal to articles.text[start:end].")
    start: pl.Int32 = pa.Field(ge=0, description="Start offset into articles.text (code points).")
    end: pl.Int32 = pa.Field(ge=1, description="End offset (exclusive) into articles.text.")
    value: pl.Float64 = pa.Field(description="The number, scaled ('$100 million' -> 1e8); for ranges the midpoint of low and high.")
    low: pl.Float64 = pa.Field(nullable=True, description="Lower bound of a range ('between 30 and 40' -> 30), else null.")
    high: pl.Float64 = pa.Field(nullable=True, description="Upper bound of a range, else null.")
    unit: str = pa.Field(nullable=True, description="Counted noun, singular ('troop'), measurement unit ('kilometre'), 'percent', or time unit for durations ('year'); null when none.")
    currency: str = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$", description="ISO 4217 code when a currency symbol or name is given, else null.")
    qualifier: str = pa.Field(isin=list(QUALIFIERS), description="exact, approximate, at_least, at_most or range.")

    @pa.dataframe_check
    def range_has_bounds(cls, data: pa.PolarsData) -> pl.LazyFrame:
        is_range = pl.col("qualifier") == "range"
        bounded = pl.col("low").is_not_null() & pl.col("high").is_not_null() & (pl.col("low") < pl.col("high"))
        return data.lazyframe.select(pl.when(is_range).then(bounded).otherwise(pl.col("low").is_null() & pl.col("high").is_null()))

    class Config:
        strict = True
        metadata = {
            "description": "Quantities: numbers in the article text with value, range, unit, ISO currency and qualifier.",
            "primary_key": ["quantity_id"],
            "foreign_keys": [foreign_key("article_id", "articles"), foreign_key("sentence_id", "sentences")],
            "span_of": {"table": "articles", "key": "article_id", "text": "text"},
        }
