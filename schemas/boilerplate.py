import polars as pl
import pandera.polars as pa

from schemas._base import SpanChecks, foreign_key

# Feature families of the line classifier (pipeline.stages.linemodel): a line it removes is
# tagged with the family that weighed most against it, `model_<family>`.
MODEL_FAMILIES: tuple[str, ...] = ("shape", "punctuation", "case", "lexicon", "rules", "position", "neighbourhood")
REASONS: tuple[str, ...] = (
    "title",
    "metadata",
    "related_link",
    "call_to_action",
    "comments",
    "footer",
    "advertisement",
    "injected_headline",
    "template",
    "whitespace",
    "navigation",
    "caption",
    # lines the rules kept and the line classifier removed, by its feature family most against them
    *(f"model_{family}" for family in MODEL_FAMILIES),
)


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
