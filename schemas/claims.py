import polars as pl
import pandera.polars as pa

from schemas._base import SpanChecks, foreign_key

KINDS = ["quantity", "event", "statement"]


class Claims(SpanChecks):
    """Checkable assertions, one row per claim, grouped across sources."""

    claim_id: str = pa.Field(unique=True, str_length=16, description="Stable id from article, kind, offsets and quantity.")
    article_id: str = pa.Field(description="Article making the claim.")
    sentence_id: str = pa.Field(description="Sentence holding the claim.")
    kind: str = pa.Field(isin=KINDS, description="quantity (a number about something), event (an actor doing something) or statement (words attributed to a speaker).")
    text: str = pa.Field(str_length={"min_value": 1}, description="The claim's clause, equal to articles.text[start:end].")
    start: pl.Int32 = pa.Field(ge=0, description="Start offset into articles.text (code points).")
    end: pl.Int32 = pa.Field(ge=1, description="End offset (exclusive) into articles.text.")
    subject_entity_ids: pl.List(pl.Utf8) = pa.Field(description="Entities named in the claim's clause, sorted.")
    predicate: str = pa.Field(str_length={"min_value": 1}, description="Normalised verb (lemma, e.g. 'end', 'say'), or 'be' for a stated state or number.")
    object: str = pa.Field(description="What is asserted: the quantity's text, the text after the verb, or the quoted or reported words.")
    quantity_id: str = pa.Field(nullable=True, description="The quantity a quantity claim states.")
    date_id: str = pa.Field(nullable=True, description="The time expression the claim refers to, when the clause states one.")
    speaker_entity_id: str = pa.Field(nullable=True, description="Who said it: the speaker of a statement, or of the statement a claim is reported in.")
    group_id: str = pa.Field(str_length=16, description="Claims asserting the same thing share it; derived from the group's earliest claim.")
    n_sources: pl.Int32 = pa.Field(ge=1, description="Distinct articles in the claim's group.")
    conflicts_with: pl.List(pl.Utf8) = pa.Field(description="Groups about the same subjects, unit and time whose values disagree, sorted.")
    scope: str = pa.Field(isin=["clause", "action"], description="clause: the claim reads its whole clause; action: one further action of a clause (a verb or event noun, e.g. 'dodging arrest'), spanning to the next action, with the clause's actors, places and time.")
    conflict: str = pa.Field(nullable=True, description="What differs between the group and the groups it conflicts with, e.g. 'value: 30 people vs 45 people' (up to three, per group); null without conflicts.")

    @pa.dataframe_check
    def quantity_claims_have_a_quantity(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("kind") != "quantity") | pl.col("quantity_id").is_not_null())

    class Config:
        strict = True
        metadata = {
            "description": "Claims: checkable statements (quantities, events, attributed statements) with their sources and conflicts.",
            "primary_key": ["claim_id"],
            "foreign_keys": [
                foreign_key("article_id", "articles"),
                foreign_key("sentence_id", "sentences"),
                foreign_key("subject_entity_ids", "entities", "entity_id"),
                foreign_key("quantity_id", "quantities"),
                foreign_key("date_id", "dates"),
                foreign_key("speaker_entity_id", "entities", "entity_id"),
                foreign_key("conflicts_with", "claims", "group_id"),
            ],
            "span_of": {"table": "articles", "key": "article_id", "text": "text"},
        }
