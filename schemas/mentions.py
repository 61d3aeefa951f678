import polars as pl
import pandera.polars as pa

from schemas._base import SpanChecks, foreign_key
from schemas.entities import ENTITY_TYPES


class Mentions(SpanChecks):
    """Each place in the clean text where an entity is named."""

    mention_id: str = pa.Field(unique=True, str_length=16, description="Stable id from article and offsets.")
    entity_id: str = pa.Field(str_length=16, description="Entity the mention names.")
    article_id: str = pa.Field(description="Article the mention is in.")
    sentence_id: str = pa.Field(description="Sentence the mention is in.")
    text: str = pa.Field(str_length={"min_value": 1}, description="Surface form, equal to articles.text[start:end]; titles such as 'President' are not part of it.")
    start: pl.Int32 = pa.Field(ge=0, description="Start offset into articles.text (code points).")
    end: pl.Int32 = pa.Field(ge=1, description="End offset (exclusive) into articles.text.")
    type: str = pa.Field(isin=ENTITY_TYPES, description="Type of the entity.")
    role: str = pa.Field(nullable=True, description="Title or role written just before the mention (e.g. 'Iraqi Prime Minister'), else null.")

    class Config:
        strict = True
        metadata = {
            "description": "Mentions: every span of clean text that names an entity, with exact offsets.",
            "primary_key": ["mention_id"],
            "foreign_keys": [
                foreign_key("entity_id", "entities"),
                foreign_key("article_id", "articles"),
                foreign_key("sentence_id", "sentences"),
            ],
            "span_of": {"table": "articles", "key": "article_id", "text": "text"},
        }
