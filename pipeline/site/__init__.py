"""Data files for the static browse page of a release (`index.html` and `site/`).

Browsers refuse fetch() on file:// URLs, so every data file is a small script that hands its
payload to `NC.data(key, payload)` in `app.js`; the page loads them on demand with <script> tags.
Data is cut into pages (articles, entities, claim groups) so a release of 100,000 articles opens
as fast as one of five: the page loads `meta.js` first and only the pages a person looks at.
Cross-links carry the target's page number, so no global index has to be loaded.
"""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandera.polars as pa
import polars as pl

ASSETS = Path(__file__).resolve().parent
ARTICLES_PER_PAGE = 50
ENTITIES_PER_PAGE = 100
GROUPS_PER_PAGE = 50
PREVIEW_ROWS = 20
PREVIEW_CHARS = 200
ENTITY_ARTICLES = 10
_PAGE_DIGITS = 5


def _script(key: str, payload: object) -> str:
    return f"NC.data({json.dumps(key)},{json.dumps(payload, ensure_ascii=False, separators=(',', ':'), default=str)});\n"


def _page_key(kind: str, page: int) -> str:
    return f"{kind}/{page:0{_PAGE_DIGITS}d}"


def _page_of(position: int, size: int) -> int:
    return position // size + 1


def _page_count(rows: int, size: int) -> int:
    return -(-rows // size)


def _preview_cell(value: object) -> object:
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and len(value) > PREVIEW_CHARS:
        return value[:PREVIEW_CHARS] + "…"
    return value if value is None or isinstance(value, (int, float, str, bool)) else str(value)


def _table_info(name: str, model: type[pa.DataFrameModel], rows: int) -> dict:
    meta = model.Config.metadata or {}
    fields = [
        {"name": col, "type": str(column.dtype.type), "nullable": bool(column.nullable), "description": column.description or ""}
        for col, column in model.to_schema().columns.items()
    ]
    return {
        "name": name,
        "description": meta.get("description", ""),
        "rows": rows,
        "primary_key": meta.get("primary_key", []),
        "foreign_keys": meta.get("foreign_keys", []),
        "fields": fields,
    }


def _counts(frame: pl.DataFrame | None, column: str) -> list[list]:
    """[[value, count], ...] sorted by count then value, for a chart."""
    if frame is None or frame.is_empty() or column not in frame.columns:
        return []
    counted = frame.group_by(column).len().sort(["len", column], descending=[True, False], nulls_last=True)
    return [[str(v), n] for v, n in counted.iter_rows()]


def _segments(text: str, spans: list[tuple[int, str, str]], reason_index: dict[str, int]) -> list[list]:
    """The raw text as [[-1, kept] | [reason, removed], ...]; kept pieces joined are the clean text."""
    out: list[list] = []
    raw_pos = text_pos = 0
    for start, removed, reason in spans:
        kept = start - raw_pos
        if kept:
            out.append([-1, text[text_pos : text_pos + kept]])
        out.append([reason_index[reason], removed])
        text_pos += kept
        raw_pos = start + len(removed)
    if text_pos < len(text):
        out.append([-1, text[text_pos:]])
    return out


def _grouped(frame: pl.DataFrame, key: str, columns: list[str]) -> dict[str, list[tuple]]:
    """Rows of `columns` per value of `key`, in frame order: one pass, no per-group filtering."""
    out: dict[str, list[tuple]] = {}
    for row in frame.select(key, *columns).iter_rows():
        out.setdefault(row[0], []).append(row[1:])
    return out


def _mention_offsets(tables: Mapping[str, pl.DataFrame], models: Mapping[str, type[pa.DataFrameModel]]) -> pl.DataFrame | None:
    """Mentions with offsets into articles.text, whether the table counts them from the article or the sentence."""
    mentions = tables.get("mentions")
    if mentions is None or "entities" not in tables:
        return None
    model = models.get("mentions")
    span_of = ((model.Config.metadata or {}).get("span_of") or {}) if model is not None else {}
    frame = mentions.select("entity_id", "article_id", "sentence_id", "text", pl.col("start").cast(pl.Int64), pl.col("end").cast(pl.Int64))
    if span_of.get("table") == "sentences" and "sentences" in tables:
        base = tables["sentences"].select("sentence_id", pl.col("start").cast(pl.Int64).alias("_base"))
        frame = frame.join(base, on="sentence_id", how="left").with_columns(
            pl.col("start") + pl.col("_base").fill_null(0), pl.col("end") + pl.col("_base").fill_null(0)
        ).drop("_base")
    return frame.sort("article_id", "start", "end")


def _claim_groups(claims: pl.DataFrame) -> pl.DataFrame:
    """One row per claim group, most-sourced first: group_id, n_sources, conflicts_with, page."""
    groups = (
        claims.group_by("group_id")
        .agg(pl.col("n_sources").max(), pl.col("conflicts_with").list.explode(keep_nulls=False, empty_as_null=False).unique().sort())
        .sort(["n_sources", "group_id"], descending=[True, False])
    )
    return groups.with_columns(((pl.int_range(pl.len()) // GROUPS_PER_PAGE) + 1).alias("page"))


def _by_page(frame: pl.DataFrame | None, article_info: pl.DataFrame, columns: list[str], order: list[str]) -> dict[int, pl.DataFrame]:
    """Rows of a per-article table split by the page their article is on (one pass, Arrow memory)."""
    if frame is None:
        return {}
    joined = frame.join(article_info.select("article_id", "page"), on="article_id", how="inner").sort("page", *order)
    return {key[0]: part for key, part in joined.select("page", *columns).partition_by("page", as_dict=True, include_key=False).items()}


def _article_pages(
    tables: Mapping[str, pl.DataFrame], article_info: pl.DataFrame, reasons: list[str], mentions: pl.DataFrame | None, entity_page: dict, group_page: dict
) -> Iterator[tuple[str, list]]:
    """(key, page) for every page of articles, each with its raw-text segments, mentions and claims."""
    reason_index = {r: i for i, r in enumerate(reasons)}
    spans = _by_page(tables.get("boilerplate"), article_info, ["article_id", "start", "text", "reason"], ["article_id", "start"])
    marks = _by_page(mentions, article_info, ["article_id", "start", "end", "text", "entity_id"], ["article_id", "start", "end"])
    claims = _by_page(tables.get("claims"), article_info, ["article_id", "claim_id", "kind", "text", "group_id", "n_sources", "conflicts_with"], ["article_id", "start", "claim_id"])
    columns = ["article_id", "title", "source_name", "published_date", "source_file", "text", "n_chars_raw", "n_chars_clean"]
    articles = tables["articles"].select(columns)
    empty: dict[str, list] = {}
    for page in range(1, _page_count(articles.height, ARTICLES_PER_PAGE) + 1):
        page_spans = _grouped(spans[page], "article_id", ["start", "text", "reason"]) if page in spans else empty
        page_marks = _grouped(marks[page], "article_id", ["start", "end", "text", "entity_id"]) if page in marks else empty
        page_claims = _grouped(claims[page], "article_id", ["claim_id", "kind", "text", "group_id", "n_sources", "conflicts_with"]) if page in claims else empty
        rows = []
        for aid, title, source, date, source_file, text, n_raw, n_clean in articles.slice((page - 1) * ARTICLES_PER_PAGE, ARTICLES_PER_PAGE).iter_rows():
            rows.append(
                {
                    "id": aid,
                    "title": title,
                    "source": source,
                    "date": date,
                    "file": source_file,
                    "raw": n_raw,
                    "clean": n_clean,
                    "segments": _segments(text, page_spans.get(aid, []), reason_index),
                    "mentions": [[s, e, eid, entity_page.get(eid)] for s, e, mtext, eid in page_marks.get(aid, ()) if text[s:e] == mtext],
                    "claims": [
                        {"id": cid, "kind": kind, "text": ctext, "group": gid, "group_page": group_page.get(gid), "n_sources": n, "conflicts": bool(conflicts)}
                        for cid, kind, ctext, gid, n, conflicts in page_claims.get(aid, ())
                    ],
                }
            )
        yield _page_key("articles", page), rows


def _entity_pages(entities: pl.DataFrame, mentions: pl.DataFrame | None, article_info: pl.DataFrame) -> tuple[dict[str, list], dict[str, int]]:
    ordered = entities.sort(["n_mentions", "entity_id"], descending=[True, False])
    page_of = {eid: _page_of(i, ENTITIES_PER_PAGE) for i, eid in enumerate(ordered["entity_id"])}
    top: dict[str, list] = {}
    if mentions is not None:
        per_article = (
            mentions.group_by("entity_id", "article_id").len()
            .sort(["entity_id", "len", "article_id"], descending=[False, True, False])
            .group_by("entity_id", maintain_order=True).head(ENTITY_ARTICLES)
            .join(article_info, on="article_id", how="left", maintain_order="left")
        )
        top = {eid: [list(r) for r in rows] for eid, rows in _grouped(per_article, "entity_id", ["article_id", "page", "title", "len"]).items()}
    files: dict[str, list] = {}
    columns = ["entity_id", "name", "type", "aliases", "n_mentions", "n_articles", "wikidata_id"]
    for eid, name, kind, aliases, n_mentions, n_articles, wikidata in ordered.select(columns).iter_rows():
        entry = {"id": eid, "name": name, "type": kind, "aliases": aliases or [], "n_mentions": n_mentions, "n_articles": n_articles, "wikidata": wikidata, "articles": top.get(eid, [])}
        files.setdefault(_page_key("entities", page_of[eid]), []).append(entry)
    return files, page_of


def _group_pages(claims: pl.DataFrame, groups: pl.DataFrame, group_page: dict[str, int], article_info: pl.DataFrame) -> dict[str, list]:
    members = _grouped(
        claims.join(article_info, on="article_id", how="left", maintain_order="left").sort("group_id", "article_id", "claim_id"),
        "group_id",
        ["claim_id", "article_id", "page", "title", "source_name", "kind", "text", "predicate", "object"],
    )
    files: dict[str, list] = {}
    for gid, n_sources, conflicts, page in groups.iter_rows():
        claims_of = [dict(zip(["id", "article", "article_page", "title", "source", "kind", "text", "predicate", "object"], m)) for m in members.get(gid, [])]
        entry = {"id": gid, "n_sources": n_sources, "conflicts": [[c, group_page.get(c)] for c in conflicts], "claims": claims_of}
        files.setdefault(_page_key("groups", page), []).append(entry)
    return files


def site_files(tables: Mapping[str, pl.DataFrame], models: Mapping[str, type[pa.DataFrameModel]], manifest: dict, files: list[dict]) -> Iterator[tuple[str, str]]:
    """Every file of the browse page as (relative path, content), one at a time; `files` are the downloads to list."""
    articles = tables["articles"]
    boilerplate = tables.get("boilerplate")
    reasons = sorted(set(boilerplate["reason"])) if boilerplate is not None else []
    article_info = articles.select("article_id", "title", "source_name").with_columns(((pl.int_range(pl.len()) // ARTICLES_PER_PAGE) + 1).alias("page"))
    mentions = _mention_offsets(tables, models)
    data: dict[str, object] = {}
    entity_page: dict[str, int] = {}
    if "entities" in tables:
        pages, entity_page = _entity_pages(tables["entities"], mentions, article_info)
        data |= pages
    group_page: dict[str, int] = {}
    claims = tables.get("claims")
    groups = _claim_groups(claims) if claims is not None else None
    if claims is not None:
        group_page = dict(zip(groups["group_id"], groups["page"]))
        data |= _group_pages(claims, groups, group_page, article_info)
    for name, frame in tables.items():
        head = frame.head(PREVIEW_ROWS)
        data[f"preview/{name}"] = {"columns": head.columns, "rows": [[_preview_cell(v) for v in row] for row in head.iter_rows()]}
    bp_chars = (
        boilerplate.group_by("reason").agg(pl.len().alias("spans"), pl.col("text").str.len_chars().sum().alias("chars")).sort(["chars", "reason"], descending=[True, False])
        if boilerplate is not None
        else pl.DataFrame({"reason": [], "spans": [], "chars": []})
    )
    data["meta"] = {
        "dataset": manifest["dataset"],
        "version": manifest["version"],
        "schema_version": manifest["schema_version"],
        "pipeline_version": manifest["pipeline_version"],
        "license": manifest["license"],
        "inputs": len(manifest.get("inputs", [])),
        "tables": [_table_info(name, model, tables[name].height) for name, model in models.items() if name in tables],
        "downloads": files + [{"path": "manifest.json"}, {"path": "SHA256SUMS"}],
        "reasons": reasons,
        "pages": {
            "articles": _page_count(articles.height, ARTICLES_PER_PAGE),
            "entities": _page_count(len(entity_page), ENTITIES_PER_PAGE),
            "groups": _page_count(len(group_page), GROUPS_PER_PAGE),
        },
        "has": {name: name in tables for name in ("entities", "mentions", "claims")},
        "charts": {
            "boilerplate_by_reason": [list(r) for r in bp_chars.iter_rows()],
            "rejects_by_reason": _counts(tables.get("rejects"), "reason"),
            "entities_by_type": _counts(tables.get("entities"), "type"),
            "sources_per_group": [[str(n), c] for n, c in groups.group_by("n_sources").len().sort("n_sources").iter_rows()] if groups is not None else [],
        },
    }
    for key, payload in data.items():
        yield f"site/data/{key}.js", _script(key, payload)
    for key, payload in _article_pages(tables, article_info, reasons, mentions, entity_page, group_page):
        yield f"site/data/{key}.js", _script(key, payload)
    for asset in ("app.js", "style.css"):
        yield f"site/{asset}", (ASSETS / asset).read_text(encoding="utf-8")
    yield "index.html", (ASSETS / "index.html").read_text(encoding="utf-8")
