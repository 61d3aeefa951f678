"""Shared pieces of the table models: span checks and the metadata convention.

Each model's `Config.metadata` carries what pandera cannot express on one table:
- `description`: one line for the docs and the dataset card;
- `primary_key`: list of columns;
- `foreign_keys`: list of {"fields": [...], "reference": {"resource": TABLE, "fields": [...]}}
  (a list-valued field means every element must resolve);
- `span_of`: {"table", "key", "text"} when `text == <table>.<text>[start:end]` must hold for rows
  joined on `key`.
`schemas.validate` checks these across tables; `pipeline.release.publish` turns them into Data Package keys.
"""

from collections.abc import Collection, Sequence

import polars as pl
import pandera.polars as pa


class SpanChecks(pa.DataFrameModel):
    """Checks for any table whose rows are spans `[start, end)` with their `text`."""

    @pa.dataframe_check
    def span_is_ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("end") >= pl.col("start"))

    @pa.dataframe_check
    def text_length_matches_span(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("end") - pl.col("start")) == pl.col("text").str.len_chars()
        )


def foreign_key(field: str, table: str, ref_field: str | None = None) -> dict:
    return {"fields": [field], "reference": {"resource": table, "fields": [ref_field or field]}}


def polars_schema(model: type[pa.DataFrameModel], columns: Sequence[str] | None = None, *, without: Collection[str] = ()) -> pl.Schema:
    """The Polars dtypes of a table, read from its model: all its columns in model order, or
    `columns` in the order given, less `without`. Frames of a table are created with this, so
    each column's dtype is written once, in the model."""
    fields = model.to_schema().columns
    return pl.Schema({name: fields[name].dtype.type for name in (fields if columns is None else columns) if name not in without})
