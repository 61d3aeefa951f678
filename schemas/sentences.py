import polars as pl
import pandera.polars as pa

from schemas._base import SpanChecks, foreign_key


class Sentences(SpanChecks):
    """Sentences of the clean article text."""

    sentence_id: str = pa.Field(unique=True, str_length=16, description="Stable id from article and offsets.")
    article_id: str = pa.Field(description="Article the sentence belongs to.")
    position: pl.Int32 = pa.Field(ge=0, description="0-based order within the article.")
    text: str = pa.Field(str_length={"min_value": 1}, description="Sentence text, equal to articles.text[start:end].")
    start: pl.Int32 = pa.Field(ge=0, description="Start offset into articles.text (code points).")
    end: pl.Int32 = pa.Field(ge=1, description="End offset (exclusive) into articles.text.")
    duplicate_of: str = pa.Field(nullable=True, description="Earliest near-duplicate sentence (by article_id, position), in this or another article; null when none.")

    class Config:
        strict = True
        metadata = {
            "description": "Sentences: the clean text split into sentences with exact offsets.",
            "primary_key": ["sentence_id"],
            "foreign_keys": [foreign_key("article_id", "articles"), foreign_key("duplicate_of", "sentences", "sentence_id")],
            "span_of": {"table": "articles", "key": "article_id", "text": "text"},
        }
