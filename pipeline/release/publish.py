"""Releases: a validated build in `data/` becomes an immutable, versioned, self-describing directory.

A release holds every table as Parquet (copied byte for byte from the build) and CSV (plus gzipped
CSV for large tables), `manifest.json` (every file with size and sha256, like GDELT's master file
list), `SHA256SUMS` for `sha256sum -c`, a Frictionless `datapackage.json`, Croissant
`croissant.json`, a Hugging Face style dataset card `README.md`, `CHANGELOG.md` and a static
browse page `index.html`. The only thing in it that depends on the clock is the publication date
(today unless given; an existing version keeps its own), so publishing the same build twice gives
the same bytes; an existing version is never overwritten.
"""

import ctypes
import datetime
import difflib
import errno
import gzip
import json
import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.licenses._spdx import LICENSES as SPDX_LICENSES
import polars as pl
import yaml

import schemas
from pipeline import io
from pipeline.release import site
from pipeline.release.download import human_bytes
from schemas.reference import md_cell, table_reference
from schemas.validate import DatasetInvalid

DATASET = "newsclean"
FIRST_VERSION = "0.1.0"
# Said wherever a licence would be when the publisher gave none (`--license` unset).
NO_LICENSE_STATED = (
    "The publisher stated no licence for this release. Without one, no right to redistribute it is granted; "
    "ask the publisher, and mind that the article texts remain under their publishers' terms."
)
# Licence ids the Hugging Face Hub knows by name (its `license:` list); any other SPDX id goes
# in the card as `license: other` with `license_name` and `license_link`.
HF_LICENSES = frozenset((
    "apache-2.0", "mit", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear",
    "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0",
    "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0",
    "cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0",
    "epl-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gpl-2.0", "gpl-3.0", "lgpl-2.1", "lgpl-3.0", "isc", "lppl-1.3c",
    "ms-pl", "mpl-2.0", "odc-by", "odbl", "osl-3.0", "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl",
))
# CSV files above this size are also shipped gzipped (the Parquet file is the compact one).
GZIP_OVER_BYTES = 8 * 1024 * 1024
CARD_LIMITATIONS = (
    "The input is scraped news text, often machine-translated: wording can be awkward, and names may be mistranslated.",
    "Boilerplate is removed by rules; a few boilerplate lines may remain and a few article lines may be removed. Every removed span is kept in `boilerplate`, so nothing is lost.",
    "Titles, dates and publishers are filled only when the text states them plainly; they are null otherwise.",
    "Article texts remain under their publishers' terms; check the license before redistributing them.",
)
_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_RENAME_NOREPLACE = 1
_AT_FDCWD = -100
_SAFE_PATH = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


def spdx_license(value: str) -> str:
    """The SPDX licence id `value` names, in SPDX's own case ('cc-by-4.0' -> 'CC-BY-4.0').

    One id from the SPDX licence list (https://spdx.org/licenses/, as shipped in `packaging`);
    ValueError, with the closest ids, for anything else.
    """
    try:
        canonical = canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        canonical = None
    if canonical is None or canonical.lower() not in SPDX_LICENSES:
        close = difflib.get_close_matches(value.lower(), SPDX_LICENSES, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(SPDX_LICENSES[c]['id'] for c in close)}?" if close else ""
        raise ValueError(f"license {value!r} is not an SPDX licence id (one of https://spdx.org/licenses/, e.g. CC-BY-4.0){hint}")
    return canonical


def license_url(spdx: str) -> str:
    return f"https://spdx.org/licenses/{spdx}.html"


def license_text(spdx: str | None) -> str:
    """The licence in words, for people."""
    return f"{spdx} ({license_url(spdx)})" if spdx else NO_LICENSE_STATED


class PublishError(RuntimeError):
    """The release could not be made; nothing under the releases directory changed."""


@dataclass(frozen=True)
class Release:
    """A release directory: `created` is False when an identical release already existed."""

    version: str
    path: Path
    created: bool
    files: list[dict]


# --- versions -----------------------------------------------------------------------------


def parsed_version(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of an X.Y.Z version; ValueError otherwise."""
    m = _VERSION.fullmatch(version)
    if not m:
        raise ValueError(f"version {version!r} is not of the form X.Y.Z (e.g. {FIRST_VERSION})")
    return int(m[1]), int(m[2]), int(m[3])


def released_versions(out: Path) -> list[str]:
    """Versions released under `out`, oldest first."""
    out = Path(out)
    found = [p.name for p in out.iterdir() if p.is_dir() and _VERSION.fullmatch(p.name)] if out.is_dir() else []
    return sorted(found, key=parsed_version)


def next_version(previous: str | None, previous_schema: str | None, schema: str) -> str:
    """The version after `previous`: the schema version's changed part is bumped (major, minor),
    a data-only change bumps the patch; the first release is 0.1.0."""
    if previous is None:
        return FIRST_VERSION
    major, minor, patch = parsed_version(previous)
    old, new = parsed_version(previous_schema or schema), parsed_version(schema)
    if new[0] != old[0]:
        return f"{major + 1}.0.0"
    if new[1] != old[1]:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# --- metadata from the pandera models ----------------------------------------------------------

_FRICTIONLESS_TYPES = {
    pl.String: "string",
    pl.Date: "date",
    pl.Datetime: "datetime",
    pl.Time: "time",
    pl.Boolean: "boolean",
    pl.List: "array",
    pl.Array: "array",
    pl.Struct: "object",
}
_RESOURCE_SUFFIX = {"csv": "", "parquet": "-parquet"}
_CROISSANT_TYPES = {"string": "sc:Text", "date": "sc:Date", "datetime": "sc:DateTime", "time": "sc:Text", "boolean": "sc:Boolean", "integer": "sc:Integer", "number": "sc:Float"}
# The JSON-LD context of Croissant 1.1 (the version whose `cr:isArray` list columns use), as mlcroissant writes it.
CROISSANT_VERSION = "http://mlcommons.org/croissant/1.1"
_CROISSANT_CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "arrayShape": "cr:arrayShape", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "containedIn": "cr:containedIn", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"}, "equivalentProperty": "cr:equivalentProperty", "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet",
    "format": "cr:format", "includes": "cr:includes", "isArray": "cr:isArray", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath",
    "key": "cr:key", "md5": "cr:md5", "name": {"@container": "@language"}, "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
    "transform": "cr:transform",
}


def field_type(dtype: pl.DataType) -> str:
    """Frictionless type of a Polars dtype (list columns are JSON arrays in CSV: `array`)."""
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or dtype.is_decimal():
        return "number"
    return _FRICTIONLESS_TYPES.get(dtype.base_type(), "any")


def _columns(model: type[pa.DataFrameModel]) -> dict:
    return model.to_schema().columns


def _constraints(column, csv_risky: bool) -> dict:
    """Frictionless constraints from the column's pandera checks.

    In CSV a risky cell gains a leading "'", so exact and maximum lengths hold only in Parquet.
    """
    out: dict = {}
    if column.unique:
        out["unique"] = True
    is_string = column.dtype.type == pl.String
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "str_length":
            exact, low, high = stats.get("exact_value"), stats.get("min_value"), stats.get("max_value")
            low, high = (exact, exact) if exact is not None else (low, high)
            if low:
                out["minLength"] = low
            if high is not None and not csv_risky:
                out["maxLength"] = high
        elif check.name == "isin":
            values = stats["allowed_values"]
            out["enum"] = [_csv_cell(v) for v in values] if is_string and csv_risky else list(values)
        else:
            if check.name in ("greater_than_or_equal_to", "in_range") and "min_value" in stats:
                out["minimum"] = stats["min_value"]
            if check.name in ("less_than_or_equal_to", "in_range") and "max_value" in stats:
                out["maximum"] = stats["max_value"]
    # A CSV reader sees an empty string and a null alike, so only non-empty strings can be required.
    if not column.nullable and (not is_string or out.get("minLength", 0) >= 1):
        out["required"] = True
    return out


def _csv_cell(value: str) -> str:
    return "'" + value if value.startswith(io.FORMULA_PREFIXES) else value


def _risky_columns(frame: pl.DataFrame) -> set[str]:
    """String columns with at least one cell that csv_safe prefixes."""
    strings = [n for n, t in frame.schema.items() if t == pl.String]
    if not strings or frame.is_empty():
        return set()
    flags = frame.select(pl.any_horizontal([pl.col(n).str.starts_with(p) for p in io.FORMULA_PREFIXES]).any().alias(n) for n in strings)
    return {n for n in strings if flags[n][0]}


def table_schema(model: type[pa.DataFrameModel], risky: set[str] = frozenset(), fmt: str = "csv", in_parts: set[str] = frozenset()) -> dict:
    """Frictionless Table Schema of a model for its CSV or Parquet file: fields, constraints, keys.

    Frictionless reads list columns as arrays only from CSV (JSON cells): in Parquet they are `any`.
    A key into a table `in_parts` (which has no Parquet resource) points at its CSV resource.
    """
    meta = model.Config.metadata or {}
    columns = _columns(model)
    fields = []
    for name, column in columns.items():
        kind = field_type(column.dtype.type)
        entry = {"name": name, "type": "any" if kind == "array" and fmt == "parquet" else kind, "description": column.description or ""}
        if constraints := _constraints(column, name in risky):
            entry["constraints"] = constraints
        fields.append(entry)
    out = {"fields": fields, "missingValues": [""]}
    if meta.get("primary_key"):
        out["primaryKey"] = list(meta["primary_key"])
    # A list-valued field (every element must resolve) has no Frictionless form; its description says so.
    keys = [fk for fk in meta.get("foreign_keys", []) if all(field_type(columns[f].dtype.type) != "array" for f in fk["fields"])]
    if keys:
        out["foreignKeys"] = [{"fields": fk["fields"], "reference": {"resource": _resource_name(fk["reference"]["resource"], fmt, in_parts), "fields": fk["reference"]["fields"]}} for fk in keys]
    return out


def _resource_name(table: str, fmt: str, in_parts: set[str]) -> str:
    return table + ("" if table in in_parts else _RESOURCE_SUFFIX[fmt])


def datapackage(models: Mapping[str, type[pa.DataFrameModel]], tables: Mapping[str, pl.DataFrame], files: list[dict], version: str, license: str | None) -> dict:
    """A Frictionless Data Package: one CSV resource per table (`<table>`) and one Parquet (`<table>-parquet`).

    A table in parts has one multipart CSV resource (a list of paths) and no Parquet resource:
    Frictionless reads only the first file of a multipart Parquet resource (its parts are in
    croissant.json, the card and manifest.json)."""
    listed = {"files": files}
    in_parts = {name for name in models if len(io.table_files(listed, name)) > 1}
    resources = []
    for fmt, suffix in _RESOURCE_SUFFIX.items():
        for name, model in models.items():
            parts = io.table_files(listed, name, fmt)
            if fmt == "parquet" and name in in_parts:
                continue
            resource = {
                "name": name + suffix,
                "path": parts[0]["path"] if len(parts) == 1 else [f["path"] for f in parts],
                "profile": "tabular-data-resource",
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                "description": (model.Config.metadata or {}).get("description", ""),
            }
            if fmt == "csv":
                resource["encoding"] = "utf-8"
            if fmt == "csv" and len(parts) == 1:
                # Frictionless checks size and hash of one CSV file (none for Parquet; a multipart
                # resource's parts are checked through manifest.json and SHA256SUMS).
                resource |= {"bytes": parts[0]["bytes"], "hash": f"sha256:{parts[0]['sha256']}"}
            risky = _risky_columns(tables[name]) if fmt == "csv" else set()
            resources.append(resource | {"schema": table_schema(model, risky, fmt, in_parts)})
    package = {
        "profile": "tabular-data-package",
        "name": DATASET,
        "title": "newsclean: cleaned news articles",
        "description": f"Cleaned, validated news articles with the boilerplate removed from them. License: {license_text(license)}",
        "version": version,
    }
    if license:
        package["licenses"] = [{"name": license, "path": license_url(license), "title": license}]
    return package | {"resources": resources}


def croissant(models: Mapping[str, type[pa.DataFrameModel]], files: list[dict], version: str, license: str | None, schema_version: str, url: str | None, published: str) -> dict:
    """Croissant 1.1 JSON-LD: one FileObject per Parquet file and one RecordSet per table.

    Without a `url` the dataset's URL is its browse page, relative to `croissant.json`.
    """
    listed = {"files": files}
    distribution, record_sets = [], []
    for name, model in models.items():
        parts = io.table_files(listed, name)
        file_id = f"{name}.parquet"
        if len(parts) == 1:
            distribution.append({"@type": "cr:FileObject", "@id": file_id, "name": file_id, "contentUrl": parts[0]["path"], "encodingFormat": "application/x-parquet", "sha256": parts[0]["sha256"]})
            source = {"fileObject": {"@id": file_id}}
        else:
            # A table in parts: one FileSet of them (each part's sha256 is in manifest.json and SHA256SUMS).
            distribution.append({"@type": "cr:FileSet", "@id": file_id, "name": file_id, "encodingFormat": "application/x-parquet", "includes": table_glob(name)})
            source = {"fileSet": {"@id": file_id}}
        fields = []
        for col, column in _columns(model).items():
            kind = field_type(column.dtype.type)
            inner = field_type(column.dtype.type.inner) if kind == "array" else kind
            field = {"@type": "cr:Field", "@id": f"{name}/{col}", "name": col, "description": column.description or ""}
            if kind == "array":
                field["cr:isArray"] = True
            field["dataType"] = _CROISSANT_TYPES.get(inner, "sc:Text")
            field["source"] = source | {"extract": {"column": col}}
            fields.append(field)
        meta = model.Config.metadata or {}
        record_set = {"@type": "cr:RecordSet", "@id": name, "name": name, "description": meta.get("description", "")}
        if meta.get("primary_key"):
            record_set["key"] = [{"@id": f"{name}/{k}"} for k in meta["primary_key"]]
        record_sets.append(record_set | {"field": fields})
    dataset = {
        "@context": _CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": DATASET,
        "description": f"Cleaned, validated news articles with the boilerplate removed from them (schema {schema_version}).",
        "conformsTo": CROISSANT_VERSION,
        "citeAs": citation(version, url),
        "datePublished": published,
        # A licence is a URL (Croissant's advice); with none stated, a CreativeWork that says so.
        "license": license_url(license) if license else {"@type": "sc:CreativeWork", "name": "no licence stated", "description": NO_LICENSE_STATED},
        "url": url or "index.html",
        "version": version,
    }
    return dataset | {"distribution": distribution, "recordSet": record_sets}


def citation(version: str, url: str | None) -> str:
    """A BibTeX entry for the release."""
    lines = [f"@misc{{newsclean_{version.replace('.', '_')},", "  title = {newsclean: cleaned news articles},", f"  note = {{Dataset version {version}}},"]
    if url:
        lines.append(f"  howpublished = {{\\url{{{url}}}}},")
    return "\n".join(lines + ["}"])


# --- the dataset card and changelog ------------------------------------------------------------


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return label
    return "n>10M"


def table_glob(table: str) -> str:
    """The glob of a table in parts (`data/sentences-00000-of-00004.parquet`, ...)."""
    return f"data/{table}-*.parquet"


def _parquet_path(files: list[dict], table: str) -> str:
    """A table's Parquet file, or the glob of its parts."""
    parts = io.table_files({"files": files}, table)
    return parts[0]["path"] if len(parts) == 1 else table_glob(table)


def dataset_card(models: Mapping[str, type[pa.DataFrameModel]], manifest: dict, files: list[dict]) -> str:
    """The release's README.md: a YAML header Hugging Face reads, then the card for people."""
    version, rows, url, license = manifest["version"], manifest["tables"], manifest["url"], manifest["license"]
    header = {
        "pretty_name": "newsclean",
        **_card_license(license),
        "language": ["en"],
        "size_categories": [_size_category(rows.get("articles", 0))],
        "tags": ["news", "boilerplate-removal", "text-cleaning"],
        "configs": [
            {"config_name": name, "data_files": [{"split": "train", "path": _parquet_path(files, name)}], **({"default": True} if i == 0 else {})}
            for i, name in enumerate(models)
        ],
    }
    lines = ["---", yaml.safe_dump(header, sort_keys=False, allow_unicode=True).rstrip(), "---", ""]
    lines += [
        f"# newsclean {version}",
        "",
        "Scraped news articles, cleaned: boilerplate (related-story links, calls to action, comment widgets, footers, injected headlines) "
        "is removed from the raw text, every removed span is kept with its reason, and the clean text is split into sentences. "
        f"Every table is validated against the pandera models of schema version {manifest['schema_version']} "
        f"(pipeline {manifest['pipeline_version']}).",
        "",
        "Open `index.html` in a browser to browse the tables, the articles (removed boilerplate struck through) and charts; no server is needed.",
        "",
        "## Files",
        "",
        "| file | table | rows | size | sha256 |",
        "|---|---|---:|---:|---|",
    ]
    lines += [f"| `{f['path']}` | {f['table']} | {f['rows']} | {human_bytes(f['bytes'])} | `{f['sha256']}` |" for f in files if "table" in f]
    lines += [
        "",
        "`manifest.json` lists every file with its size and sha256; check a download with `sha256sum -c SHA256SUMS`, "
        "or fetch and verify in one step with `python -m pipeline download URL --to DIR`. "
        "`datapackage.json` (Frictionless) and `croissant.json` (MLCommons Croissant) describe the tables for tools.",
        "",
        "CSV conventions: list-valued columns are JSON arrays, dates ISO 8601, nulls empty cells; a text cell that begins with "
        "`=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so spreadsheets do not run it as a formula. "
        "Parquet keeps the exact text.",
        "",
        "## Loading",
        "",
        "```python",
        "import polars as pl",
        "# A large table comes in parts (articles-00000-of-00004.parquet, ...): the glob reads either layout.",
        'articles = pl.read_parquet("data/articles*.parquet")  # one file also from a https:// URL',
        "import glob, pandas as pd",
        'articles = pd.read_parquet(sorted(glob.glob("data/articles*.parquet")))',
        "import duckdb",
        "duckdb.sql(\"SELECT source_name, count(*) FROM 'data/articles*.parquet' GROUP BY 1\").show()",
        "```",
        "",
        "## Tables",
    ]
    lines += table_reference(models, rows)
    lines += ["", "## How it was made", ""]
    lines.append(
        f"Built from {len(manifest['inputs'])} input file(s) (paths and sha256 in `manifest.json` under `inputs`). "
        "Each stage reports rows in, rows out and rows removed by reason, in its unit, and what else it counted:"
    )
    lines += ["", "| stage | unit | rows in | rows out | removed by reason | also counted |", "|---|---|---:|---:|---|---|"]
    for stage in manifest["stages"]:
        removed = ", ".join(f"{k} {v}" for k, v in stage["removed"].items()) or "none"
        counted = ", ".join(f"{k} {v}" for k, v in stage.get("counted", {}).items()) or "none"
        lines.append(f"| {stage['stage']} | {stage.get('unit', '')} | {stage['rows_in']} | {stage['rows_out']} | {md_cell(removed)} | {md_cell(counted)} |")
    lines += [
        "",
        "Decoding handles byte-order marks, UTF-16, stray invalid bytes and cp1252; text is normalised to NFC. "
        "Boilerplate is found line by line by pattern, by lines that recur across many documents (site templates), "
        "and by a topical test for headlines of unrelated stories. Duplicate files (same text) are rejected and listed in `rejects`.",
        "",
        "## License",
        "",
        f"The dataset is published under {license_text(license)}." if license else NO_LICENSE_STATED,
        "",
        "## Known limitations",
        "",
        *[f"- {item}" for item in CARD_LIMITATIONS],
        "",
        "## Citation",
        "",
        "```bibtex",
        citation(version, url),
        "```",
        "",
    ]
    return "\n".join(lines)


def _card_license(license: str | None) -> dict:
    """The card's licence keys: a Hub licence id, or `other` with the SPDX id's name and link."""
    if license and license.lower() in HF_LICENSES:
        return {"license": license.lower(), "license_link": license_url(license)}
    if license:
        return {"license": "other", "license_name": license.lower(), "license_link": license_url(license)}
    return {"license": "other", "license_name": "no-license-stated", "license_link": "README.md#license"}


def changelog_entry(version: str, rows: dict[str, int], schema_version: str, previous: dict | None) -> str:
    """A CHANGELOG section comparing row counts (and schema version) with the previous release."""
    lines = [f"## {version}", ""]
    before = previous["tables"] if previous else {}
    if previous is None:
        lines.append("First release.")
    else:
        lines.append(f"Compared with {previous['version']}.")
        if previous["schema_version"] != schema_version:
            lines.append(f"Schema version {previous['schema_version']} → {schema_version}.")
    lines += ["", "| table | rows | change |", "|---|---:|---:|"]
    for name in list(rows) + [n for n in before if n not in rows]:
        if name not in rows:
            lines.append(f"| {name} | 0 | table removed (was {before[name]}) |")
        elif name not in before:
            lines.append(f"| {name} | {rows[name]} | {'new table' if previous else f'+{rows[name]}'} |")
        else:
            lines.append(f"| {name} | {rows[name]} | {rows[name] - before[name]:+d} |")
    return "\n".join(lines) + "\n"


def changelog(entry: str, previous_changelog: str | None) -> str:
    """The whole CHANGELOG.md: newest entry first, then the previous release's entries."""
    older = previous_changelog.split("\n", 2)[2] if previous_changelog else ""
    return "# Changelog\n\n" + entry + ("\n" + older if older else "")


def sha256sums(files: list[dict]) -> str:
    """Lines `sha256sum -c` accepts: the hash, two spaces, the path."""
    return "".join(f"{f['sha256']}  {f['path']}\n" for f in files)


# --- writing a release -------------------------------------------------------------------------


def _build_manifest(data: Path) -> dict:
    path = data / "manifest.json"
    if not path.exists():
        raise PublishError(f"{data} holds no build (no manifest.json): run `python -m pipeline build --out {data}` first")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for f in manifest["files"]:
        target = data / f["path"]
        if not target.exists() or io.file_sha256(target) != f["sha256"]:
            raise PublishError(f"{target} does not match {path} (missing or changed since the build): rebuild before publishing")
    return manifest


def _validated_tables(data: Path, models: Mapping[str, type[pa.DataFrameModel]]) -> dict[str, pl.DataFrame]:
    try:
        return schemas.validated(io.read_dataset(data, list(models)), models)
    except DatasetInvalid as err:
        raise PublishError(f"the build in {data} is not valid, refusing to publish it:\n{err}") from err


def _entry(root: Path, rel: str, **extra) -> dict:
    path = root / rel
    return {"path": rel, **extra, "bytes": path.stat().st_size, "sha256": io.file_sha256(path)}


def _write(root: Path, rel: str, content: str | bytes) -> None:
    if not _SAFE_PATH.fullmatch(rel):
        raise ValueError(f"unsafe release path {rel!r}")
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def _json(obj: object) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n"


def _table_files(root: Path, data: Path, build: dict, tables: Mapping[str, pl.DataFrame], gzip_over: int) -> list[dict]:
    """The release's table files: the build's Parquet parts byte for byte, and a CSV (gzipped too
    when large) of the same rows beside each."""
    files = []
    for name, frame in tables.items():
        start = 0
        for part in io.table_files(build, name):
            rel, rows = f"data/{part['path']}", frame.slice(start, part["rows"])
            start += part["rows"]
            shutil.copyfile(data / part["path"], root / rel)
            files.append(_entry(root, rel, table=name, format="parquet", rows=rows.height))
            csv_rel = rel.removesuffix(".parquet") + ".csv"
            csv = io.csv_safe(rows).write_csv().encode("utf-8")
            _write(root, csv_rel, csv)
            files.append(_entry(root, csv_rel, table=name, format="csv", rows=rows.height))
            if len(csv) > gzip_over:
                # mtime=0 and no file name in the header: the same CSV always gives the same bytes.
                _write(root, f"{csv_rel}.gz", gzip.compress(csv, compresslevel=9, mtime=0))
                files.append(_entry(root, f"{csv_rel}.gz", table=name, format="csv.gz", rows=rows.height))
    return files


def _write_release(
    root: Path,
    data: Path,
    build: dict,
    tables: Mapping[str, pl.DataFrame],
    models: Mapping[str, type[pa.DataFrameModel]],
    version: str,
    previous: Path | None,
    license: str | None,
    url: str | None,
    published: str,
    gzip_over: int,
) -> list[dict]:
    (root / "data").mkdir(parents=True)
    files = _table_files(root, data, build, tables, gzip_over)
    prev_manifest = json.loads((previous / "manifest.json").read_text(encoding="utf-8")) if previous else None
    prev_changelog = (previous / "CHANGELOG.md").read_text(encoding="utf-8") if previous else None
    manifest = {
        "dataset": DATASET,
        "version": version,
        "previous_version": prev_manifest["version"] if prev_manifest else None,
        "schema_version": build["schema_version"],
        "pipeline_version": build["pipeline_version"],
        "license": license,
        "url": url,
        "date_published": published,
        "tables": {name: frame.height for name, frame in tables.items()},
        "stages": build.get("stages", []),
        "inputs": build.get("inputs", []),
    }
    documents = {
        "datapackage.json": _json(datapackage(models, tables, files, version, license)),
        "croissant.json": _json(croissant(models, files, version, license, build["schema_version"], url, published)),
        "README.md": dataset_card(models, manifest, files),
        "CHANGELOG.md": changelog(changelog_entry(version, manifest["tables"], build["schema_version"], prev_manifest), prev_changelog),
    }
    for rel, text in documents.items():
        _write(root, rel, text)
        files.append(_entry(root, rel))
    for rel, content in site.site_files(tables, models, manifest, sorted(files, key=lambda f: f["path"])):
        _write(root, rel, content)
        files.append(_entry(root, rel))
    files.sort(key=lambda f: f["path"])
    _write(root, "manifest.json", _json(manifest | {"files": files}))
    _write(root, "SHA256SUMS", sha256sums(sorted(files + [_entry(root, "manifest.json")], key=lambda f: f["path"])))
    return files


def _tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): io.file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _rename_noreplace(src: Path, dst: Path) -> None:
    """Move `src` to `dst`, failing if `dst` exists (atomically where the kernel offers it)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE) == 0:
            return
        err = ctypes.get_errno()
        if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(err, os.strerror(err), str(dst))
    if dst.exists():
        raise FileExistsError(errno.EEXIST, "exists", str(dst))
    src.rename(dst)


def _read_only(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            path.chmod(0o444)


def release(
    data: Path = Path("data"),
    out: Path = Path("releases"),
    version: str | None = None,
    *,
    models: Mapping[str, type[pa.DataFrameModel]] | None = None,
    license: str | None = None,
    url: str | None = None,
    published: str | None = None,
    gzip_over_bytes: int = GZIP_OVER_BYTES,
) -> Release:
    """Publish the validated build in `data` as `out/<version>/`.

    `license` is an SPDX id (None: the release says the publisher stated none); `published` the
    publication date, YYYY-MM-DD (default: today in UTC, or an existing version's own date).
    Without `version`, the next one is derived (`next_version`), and a build already released
    unchanged is not released again. Publishing an existing version succeeds only when the files
    would be identical (nothing is written); a different release of the same version is refused.
    """
    data, out = Path(data), Path(out)
    license = spdx_license(license) if license is not None else None
    if published is not None:
        try:
            published = datetime.date.fromisoformat(published).isoformat()
        except ValueError:
            raise ValueError(f"publication date {published!r} is not a date of the form YYYY-MM-DD") from None
    models = schemas.TABLES if models is None else models
    build = _build_manifest(data)
    tables = _validated_tables(data, models)
    # Two publishers must not pick the same next version or share a temporary directory.
    with io.dataset_lock(out):
        return _released(data, out, version, build, tables, models, license, url, published, gzip_over_bytes)


def publish(data: Path, out: Path = Path("releases"), version: str | None = None, *, license: str | None = None,
            url: str | None = None, published: str | None = None) -> Release:
    """`release`, telling the person publishing what happened: a warning on stderr when no licence
    is given, then the release made (or that the build was already released). The `publish`
    command and the scheduled flow's `--publish` both publish this way."""
    if license is None:
        print("warning: no --license given: the release will say that the publisher stated no licence; pass an SPDX id, e.g. --license CC-BY-4.0", file=sys.stderr)
    made = release(data, out, version, license=license, url=url, published=published)
    if made.created:
        print(f"Released {made.version} in {made.path}: {len(made.files)} files; check with `cd {made.path} && sha256sum -c SHA256SUMS`")
    else:
        print(f"{made.path} already holds this build as release {made.version}; nothing written")
    return made


def _released(
    data: Path,
    out: Path,
    version: str | None,
    build: dict,
    tables: Mapping[str, pl.DataFrame],
    models: Mapping[str, type[pa.DataFrameModel]],
    license: str | None,
    url: str | None,
    published: str | None,
    gzip_over_bytes: int,
) -> Release:
    existing = released_versions(out)
    latest = existing[-1] if existing else None
    latest_manifest = json.loads((out / latest / "manifest.json").read_text(encoding="utf-8")) if latest else None
    if version is None:
        if latest_manifest and _same_tables(latest_manifest, build):
            return Release(latest, out / latest, False, latest_manifest["files"])
        version = next_version(latest, latest_manifest and latest_manifest["schema_version"], build["schema_version"])
    else:
        parsed_version(version)
        if latest and version not in existing and parsed_version(version) < parsed_version(latest):
            raise PublishError(f"version {version} is older than the latest release {latest}: choose a version above it")
    earlier = [v for v in existing if parsed_version(v) < parsed_version(version)]
    previous = out / earlier[-1] if earlier else None
    target = out / version
    if published is None:
        # Publishing an existing version again must give its bytes, date included.
        mine = target / "manifest.json"
        recorded = json.loads(mine.read_text(encoding="utf-8")).get("date_published") if mine.is_file() else None
        published = recorded or datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    tmp = out / f".{version}.tmp"
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        files = _write_release(tmp, data, build, tables, models, version, previous, license, url, published, gzip_over_bytes)
        if target.exists():
            if _tree_hashes(tmp) != _tree_hashes(target):
                raise PublishError(f"release {version} already exists in {out} with different content; releases are never overwritten: publish with a new --version")
            return Release(version, target, False, files)
        _read_only(tmp)
        _rename_noreplace(tmp, target)
    except OSError as err:
        raise PublishError(f"could not write release {version} to {out}: {err}; nothing was released") from err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Release(version, target, True, files)


def _same_tables(release_manifest: dict, build: dict) -> bool:
    """True when the release holds exactly the build's Parquet tables and schema version."""
    def parquet(manifest: dict) -> dict[str, str]:  # every part, by file name (the release's are under data/)
        return {f["path"].rpartition("/")[2]: f["sha256"] for f in manifest["files"] if f.get("format") == "parquet"}

    return parquet(release_manifest) == parquet(build) and release_manifest["schema_version"] == build["schema_version"]
