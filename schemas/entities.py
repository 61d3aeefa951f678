import polars as pl
import pandera.polars as pa

ENTITY_TYPES = ["PERSON", "ORG", "GPE", "LOC", "EVENT", "OTHER"]


class Entities(pa.DataFrameModel):
    """People, organisations, places and events named in the articles, resolved across articles."""

    entity_id: str = pa.Field(unique=True, str_length=16, description="Stable id from the entity's type and canonical name.")
    name: str = pa.Field(str_length={"min_value": 1}, description="Canonical name: the gazetteer's name, else the most complete, most frequent form seen.")
    type: str = pa.Field(isin=ENTITY_TYPES, description="PERSON, ORG, GPE (countries, cities, regions that govern), LOC, EVENT or OTHER.")
    aliases: pl.List(pl.Utf8) = pa.Field(description="Every surface form seen in the articles, sorted.")
    n_mentions: pl.Int64 = pa.Field(ge=1, description="Number of mentions of the entity.")
    n_articles: pl.Int64 = pa.Field(ge=1, description="Number of articles that mention the entity.")
    wikidata_id: str = pa.Field(nullable=True, str_matches=r"^Q[1-9][0-9]*$", description="Wikidata item id from the gazetteer, when known.")

    @pa.dataframe_check
    def articles_not_more_than_mentions(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("n_articles") <= pl.col("n_mentions"))

    @pa.dataframe_check
    def has_aliases(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("aliases").list.len() >= 1)

    class Config:
        strict = True
        metadata = {
            "description": "Entities: each person, organisation, place or event, with its canonical name, surface forms and counts.",
            "primary_key": ["entity_id"],
            "foreign_keys": [],
        }
