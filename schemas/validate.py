"""Validate a whole dataset: each table against its model, then keys and spans across tables.

Every failing check is collected (lazy validation) before anything is reported, so one run shows
all that is wrong, with example rows.
"""

from collections.abc import Mapping

import pandera.polars as pa
import polars as pl

EXAMPLES_PER_CHECK = 5

_FAILURE_COLUMNS = {"table": pl.Utf8, "column": pl.Utf8, "check": pl.Utf8, "failure_case": pl.Utf8, "index": pl.Int64}


class DatasetInvalid(Exception):
    """Raised with every failing check; `failures` holds one row per failing value or row."""

    def __init__(self, failures: pl.DataFrame):
        self.failures = failures
        super().__init__(_summary(failures))


def _summary(failures: pl.DataFrame) -> str:
    counts = failures.group_by("table", "column", "check", maintain_order=True).agg(
        pl.len().alias("n"), pl.col("failure_case").head(EXAMPLES_PER_CHECK).alias("examples")
    )
    lines = [f"{failures.height} failing value(s) in {counts.height} check(s):"]
    for row in counts.iter_rows(named=True):
        examples = "; ".join(str(e)[:160] for e in row["examples"])
        lines.append(f"- {row['table']}.{row['column']} {row['check']}: {row['n']} failure(s), e.g. {examples}")
    return "\n".join(lines)


def _failures(table: str, column: str, check: str, cases: pl.DataFrame) -> pl.DataFrame:
    """Rows of `cases` (with an `index` column) as failure rows."""
    values = cases.drop("index").select(pl.struct(pl.all()).struct.json_encode().alias("failure_case"))
    return pl.DataFrame(
        {
            "table": [table] * cases.height,
            "column": [column] * cases.height,
            "check": [check] * cases.height,
            "failure_case": values["failure_case"],
            "index": cases["index"].cast(pl.Int64),
        },
        schema=_FAILURE_COLUMNS,
    )


def _table_failures(name: str, model: type[pa.DataFrameModel], frame: pl.DataFrame) -> pl.DataFrame | None:
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        return pl.DataFrame(
            {
                "table": [name] * cases.height,
                "column": cases["column"].cast(pl.Utf8),
                "check": cases["check"].cast(pl.Utf8),
                "failure_case": cases["failure_case"].cast(pl.Utf8),
                "index": cases["index"].cast(pl.Int64),
            },
            schema=_FAILURE_COLUMNS,
        )
    return None


def _foreign_key_failures(name: str, frame: pl.DataFrame, fk: dict, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame | None:
    (field,) = fk["fields"]
    ref_table = fk["reference"]["resource"]
    (ref_field,) = fk["reference"]["fields"]
    if ref_table not in tables or field not in frame.columns:
        return None
    keys = tables[ref_table].select(pl.col(ref_field).alias("_key")).unique()
    values = frame.select(field).with_row_index("index")
    if isinstance(frame.schema[field], pl.List):
        values = values.explode(field)
    missing = values.filter(pl.col(field).is_not_null()).join(
        keys, left_on=field, right_on="_key", how="anti", nulls_equal=False
    )
    if missing.is_empty():
        return None
    return _failures(name, field, f"foreign_key({ref_table}.{ref_field})", missing.select(field, "index"))


def _span_failures(name: str, frame: pl.DataFrame, span_of: dict, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame | None:
    parent = tables.get(span_of["table"])
    if parent is None:
        return None
    key, text = span_of["key"], span_of["text"]
    joined = (
        frame.select(key, "start", "end", "text")
        .with_row_index("index")
        .join(parent.select(key, pl.col(text).alias("_parent")), on=key, how="inner")
    )
    bad = joined.filter(
        (pl.col("end") > pl.col("_parent").str.len_chars())
        | (pl.col("_parent").str.slice(pl.col("start"), pl.col("end") - pl.col("start")) != pl.col("text"))
    )
    if bad.is_empty():
        return None
    return _failures(name, "text", f"span_matches({span_of['table']}.{text})", bad.select(key, "start", "end", "text", "index"))


def validated(tables: Mapping[str, pl.DataFrame], models: Mapping[str, type[pa.DataFrameModel]]) -> dict[str, pl.DataFrame]:
    """Return the tables unchanged when every check passes; else raise DatasetInvalid with all failures."""
    found: list[pl.DataFrame] = []
    for name, model in models.items():
        if name not in tables:
            found.append(_failures(name, "*", "table_present", pl.DataFrame({"table": [name], "index": [0]})))
            continue
        frame = tables[name]
        found.append(_table_failures(name, model, frame))
        meta = model.Config.metadata or {}
        try:
            for fk in meta.get("foreign_keys", []):
                found.append(_foreign_key_failures(name, frame, fk, tables))
            if "span_of" in meta and {"start", "end", "text"} <= set(frame.columns):
                found.append(_span_failures(name, frame, meta["span_of"], tables))
        except pl.exceptions.PolarsError as err:
            # Wrong column types make the cross-table checks impossible; the model's own
            # dtype failures above already say why, this records that they were skipped.
            found.append(_failures(name, "*", f"cross_table_checks_skipped: {err}", pl.DataFrame({"index": [0]})))
    failures = [f for f in found if f is not None]
    if failures:
        raise DatasetInvalid(pl.concat(failures))
    return dict(tables)
