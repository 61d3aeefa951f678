import polars as pl
import pandera.polars as pa

from pipeline.stages.boilerplate import REASONS
from schemas._base import SpanChecks, foreign_key


class Boilerplate(SpanChecks):
    """Every span removed from an article's raw text, so nothing removed is lost."""

    boilerplate_id: str = pa.Field(unique=True, str_length=16, description="Stable id from article and offsets.")
    article_id: str = pa.Field(description="Article the span was removed from.")
    start: pl.Int64 = pa.Field(ge=0, description="Start offset into the raw decoded text (code points).")
    end: pl.Int64 = pa.Field(ge=0, description="End offset (exclusive) into the raw decoded text.")
    text: str = pa.Field(description="The removed text, exactly.")
    reason: str = pa.Field(isin=list(REASONS), description="Why it was removed: " + ", ".join(REASONS) + ".")

    class Config:
        strict = True
        metadata = {
            "description": "Boilerplate: spans removed from the raw text; raw = clean text with these spans put back.",
            "primary_key": ["boilerplate_id"],
            "foreign_keys": [foreign_key("article_id", "articles")],
        }
