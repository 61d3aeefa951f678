"""Markdown reference of the tables, generated from the models (never written by hand).

Used by the dataset card of every release and by `docs/tables.md` (`python -m pipeline docs`).
"""

from collections.abc import Mapping

import pandera.polars as pa


def md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table_reference(models: Mapping[str, type[pa.DataFrameModel]], rows: Mapping[str, int] | None = None, level: int = 3) -> list[str]:
    """One section per table: description, keys and a column table; row counts when given."""
    lines: list[str] = []
    for name, model in models.items():
        meta = model.Config.metadata or {}
        count = f" ({rows.get(name, 0)} rows)" if rows is not None else ""
        lines += ["", f"{'#' * level} {name}{count}", "", meta.get("description", ""), ""]
        if meta.get("primary_key"):
            lines.append(f"Primary key: {', '.join(meta['primary_key'])}.")
        for fk in meta.get("foreign_keys", []):
            ref = fk["reference"]
            lines.append(f"Foreign key: {', '.join(fk['fields'])} → {ref['resource']}.{', '.join(ref['fields'])}.")
        if "span_of" in meta:
            span = meta["span_of"]
            lines.append(f"Spans: `text == {span['table']}.{span['text']}[start:end]` for the row with the same `{span['key']}`.")
        lines += ["", "| column | type | nullable | description |", "|---|---|---|---|"]
        for col, column in model.to_schema().columns.items():
            lines.append(f"| `{col}` | {column.dtype.type} | {'yes' if column.nullable else 'no'} | {md_cell(column.description or '')} |")
    return lines


def tables_document(models: Mapping[str, type[pa.DataFrameModel]], schema_version: str) -> str:
    """docs/tables.md."""
    head = [
        "# Tables",
        "",
        f"Generated from the pandera models in `schemas/` (schema version {schema_version}) by `python -m pipeline docs`; do not edit by hand.",
    ]
    return "\n".join(head + table_reference(models, level=2)) + "\n"
