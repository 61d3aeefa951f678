import polars as pl
import pandera.polars as pa


class Articles(pa.DataFrameModel):
    """One row per input file kept as an article."""

    article_id: str = pa.Field(unique=True, str_length=16, description="Stable id: first 16 hex digits of the SHA-256 of the raw file bytes.")
    source_file: str = pa.Field(unique=True, str_length={"min_value": 1}, description="Path of the input file, relative to the input root, with '/' separators.")
    title: str = pa.Field(nullable=True, description="Headline when the text starts with one, else null.")
    published_date: pl.Date = pa.Field(nullable=True, description="Publication date when the text states it, else null.")
    source_name: str = pa.Field(nullable=True, description="Publisher when the text names it, else null.")
    author: str = pa.Field(nullable=True, description="Author when the page states one (a byline, or the HTML page's metadata), else null.")
    text: str = pa.Field(str_length={"min_value": 1}, description="Clean article body: the raw decoded text with every boilerplate span removed.")
    raw_sha256: str = pa.Field(unique=True, str_length=64, description="SHA-256 of the raw input file bytes.")
    n_chars_raw: pl.Int64 = pa.Field(ge=1, description="Characters in the decoded, normalised raw text.")
    n_chars_clean: pl.Int64 = pa.Field(ge=1, description="Characters in `text`.")
    encoding: str = pa.Field(isin=["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp1252", "html"], description="How the file was decoded ('html' when it went through the HTML extractor).")
    warnings: pl.List(pl.Utf8) = pa.Field(description="Repairs made while reading (e.g. invalid bytes replaced).")
    story_id: str = pa.Field(nullable=False, str_length=16, description="Story (articles about the same event, see pipeline.stages.stories.story_ids): derived from the id of the story's earliest article.")

    @pa.dataframe_check
    def clean_length_matches_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("n_chars_clean") == pl.col("text").str.len_chars())

    @pa.dataframe_check
    def clean_not_longer_than_raw(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("n_chars_clean") <= pl.col("n_chars_raw"))

    class Config:
        strict = True
        metadata = {
            "description": "Articles: the clean body of every input file that held an article, with its metadata.",
            "primary_key": ["article_id"],
            "foreign_keys": [],
        }
