import polars as pl
import pandera.polars as pa

REJECT_REASONS = ("empty", "binary", "too_large", "unreadable", "no_content", "duplicate")


class Rejects(pa.DataFrameModel):
    """Every input file that did not become an article, with a reason a user can act on."""

    source_file: str = pa.Field(unique=True, str_length={"min_value": 1}, description="Path of the input file, relative to the input root.")
    reason: str = pa.Field(isin=list(REJECT_REASONS), description="Why: " + ", ".join(REJECT_REASONS) + ".")
    detail: str = pa.Field(str_length={"min_value": 1}, description="What was found, in words (e.g. the article it duplicates).")
    raw_sha256: str = pa.Field(nullable=True, description="SHA-256 of the file bytes when they could be read.")
    n_bytes: pl.Int64 = pa.Field(nullable=True, ge=0, description="File size in bytes when known.")

    class Config:
        strict = True
        metadata = {
            "description": "Rejects: input files that are not articles, and why.",
            "primary_key": ["source_file"],
            "foreign_keys": [],
        }
