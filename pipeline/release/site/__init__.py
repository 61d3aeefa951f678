"""Data files for the static browse page of a release (`index.html` and `site/`).

Browsers refuse fetch() on file:// URLs, so every data file is a small script that hands its
payload to `NC.data(key, payload)` in `app.js`; the page loads them on demand with <script> tags.
Data is cut into pages (articles, entities, claim groups, conflicts) and every table into chunks
of rows, so a release of 100,000 articles opens as fast as one of five: the page loads `meta.js`
first and only the pages a person looks at. Cross-links carry the target's page number, so no
global index has to be loaded. Search reads a word index split by the words' first two letters
(`search/terms/<prefix>`), so a query loads only the few index files its words start with.
The table views are drawn by Tabulator (vendored under `vendor/`, see its README).
"""

import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandera.polars as pa
import polars as pl

ASSETS = Path(__file__).resolve().parent
ARTICLES_PER_PAGE = 50
ENTITIES_PER_PAGE = 100
GROUPS_PER_PAGE = 50
CONFLICTS_PER_PAGE = 25
ROW_CHUNK = 1000  # rows of a table per data file of its table view
PREVIEW_CHARS = 200  # a table view's cells are cut there (the article view shows whole texts)
ENTITY_ARTICLES = 10
ENTITY_CONTEXTS = 10  # mention sentences shown per entity
ENTITY_CLAIMS = 10  # claims naming it shown per entity
CONFLICT_CLAIMS = 3  # claims shown for each side of a conflict in the list
HISTOGRAM_BINS = 10
TOP_VALUES = 8
SEARCH_DOCS_PER_FILE = 1000
MIN_TERM_CHARS = 2
# A word in more than this share of the searchable items (of at least COMMON_MIN_DOCS) is left out
# of the index, like a stop word: its list would be most of the index and matches everything.
COMMON_TERM_SHARE = 0.2
COMMON_MIN_DOCS = 1000
SEARCH_TEXT_CHARS = 2000  # of an article's text, after its title, publisher and file name
SEARCH_BATCH = 20_000  # items whose words are listed at once
# The same word pattern as app.js's /[\p{L}\p{N}_]+/gu.
TERM_PATTERN = r"[\p{L}\p{N}_]+"
VENDOR = ("vendor/tabulator-6.5.3/tabulator.min.js", "vendor/tabulator-6.5.3/tabulator_simple.min.css", "vendor/tabulator-6.5.3/LICENSE")
_PAGE_DIGITS = 5


def _script(key: str, payload: object) -> str:
    return f"NC.data({json.dumps(key)},{json.dumps(payload, ensure_ascii=False, separators=(',', ':'), default=str)});\n"


def _page_key(kind: str, page: int) -> str:
    return f"{kind}/{page:0{_PAGE_DIGITS}d}"


def _page_of(position: int, size: int) -> int:
    return position // size + 1


def _page_count(rows: int, size: int) -> int:
    return -(-rows // size)


def _displayed(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as a table view shows it: lists as JSON text, dates as ISO text, long text cut (nulls stay null)."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype.is_nested():
            # A one-field struct's JSON is {"name":VALUE}: keep VALUE, JSON of any nesting.
            prefix = len(json.dumps({name: 0})) - 2
            col = pl.struct(name).struct.json_encode().str.slice(prefix, None).str.strip_suffix("}")
            col = pl.when(pl.col(name).is_null()).then(None).otherwise(col)
        elif dtype.is_temporal():
            col = col.cast(pl.String)
        if dtype == pl.String or dtype.is_nested():
            col = pl.when(col.str.len_chars() > PREVIEW_CHARS).then(col.str.slice(0, PREVIEW_CHARS) + "…").otherwise(col)
        exprs.append(col.alias(name))
    return frame.select(exprs)


def _table_chunks(name: str, frame: pl.DataFrame) -> Iterator[tuple[str, list]]:
    """`rows/<table>/<n>`: every row of the table, ROW_CHUNK per file, as the table view shows them."""
    shown = _displayed(frame)
    for n, start in enumerate(range(0, frame.height, ROW_CHUNK), 1):
        yield _page_key(f"rows/{name}", n), shown.slice(start, ROW_CHUNK).rows()


def _histogram(values: pl.Series, label) -> list[list]:
    """[[label(low, high), count], ...] over HISTOGRAM_BINS equal bins (one per value when they are few integers)."""
    values = values.drop_nulls().cast(pl.Float64)
    values = values.filter(values.is_finite())
    if values.is_empty():
        return []
    low, high = values.min(), values.max()
    per_value = bool((values == values.floor()).all()) and high - low < HISTOGRAM_BINS
    bins = int(high - low) + 1 if per_value else HISTOGRAM_BINS
    width = 1.0 if per_value or high == low else (high - low) / bins
    index = ((values - low) / width).floor().clip(0, bins - 1).cast(pl.Int64)
    counts = dict(index.value_counts().iter_rows())
    edges = [(low + i, low + i) if per_value else (low + i * width, low + (i + 1) * width) for i in range(bins)]
    return [[label(lo, hi), counts.get(i, 0)] for i, (lo, hi) in enumerate(edges)]


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:.3g}"


def _column_stats(frame: pl.DataFrame) -> list[dict]:
    """Per column: nulls, distinct values, range and a histogram, or the most frequent values."""
    out = []
    for name, dtype in frame.schema.items():
        col = frame[name]
        entry: dict = {"name": name, "nulls": col.null_count()}
        if dtype.is_numeric() and dtype != pl.Boolean:
            entry |= {"kind": "number", "distinct": col.drop_nulls().n_unique(), "min": col.min(), "max": col.max()}
            entry["histogram"] = _histogram(col, lambda lo, hi: _number(lo) if lo == hi else f"{_number(lo)}–{_number(hi)}")
        elif dtype.is_temporal():
            days = col.cast(pl.Date).cast(pl.Int32)
            entry |= {"kind": "date", "distinct": col.drop_nulls().n_unique(), "min": str(col.min()) if col.null_count() < len(col) else None, "max": str(col.max()) if col.null_count() < len(col) else None}
            entry["histogram"] = _histogram(days, lambda lo, hi: str(pl.Series([int(lo)]).cast(pl.Date)[0]) + ("" if lo == hi else "…"))
        elif dtype.is_nested():
            lengths = col.list.len() if dtype.base_type() in (pl.List, pl.Array) else col.is_not_null().cast(pl.Int64)
            entry |= {"kind": "list", "min": lengths.min(), "max": lengths.max()}
            entry["histogram"] = _histogram(lengths, lambda lo, hi: f"{_number(lo)} item(s)" if lo == hi else f"{_number(lo)}–{_number(hi)} items")
        else:
            text = col.cast(pl.String)
            lengths = text.str.len_chars()
            entry |= {"kind": "text", "distinct": text.drop_nulls().n_unique(), "min_chars": lengths.min(), "max_chars": lengths.max()}
            counted = text.drop_nulls().value_counts(sort=True).sort(["count", name], descending=[True, False]).head(TOP_VALUES)
            entry["top"] = [[(v[:60] + "…") if len(v) > 60 else v, n] for v, n in counted.iter_rows() if n > 1]
        out.append(entry)
    return out


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


def _contexts(mentions: pl.DataFrame | None, sentences: pl.DataFrame | None, article_info: pl.DataFrame) -> dict[str, list]:
    """Per entity, the sentences of its first mention in each of up to ENTITY_CONTEXTS articles:
    [article_id, page, title, sentence, start, end] with the mention's offsets in the sentence."""
    if mentions is None or sentences is None:
        return {}
    firsts = (
        mentions.group_by("entity_id", "article_id").agg(pl.all().sort_by("start").first())
        .sort("entity_id", "article_id").group_by("entity_id", maintain_order=True).head(ENTITY_CONTEXTS)
        .join(sentences.select("sentence_id", pl.col("text").alias("sentence"), pl.col("start").cast(pl.Int64).alias("_s")), on="sentence_id", how="inner")
        .join(article_info.select("article_id", "page", "title"), on="article_id", how="left")
        .with_columns((pl.col("start") - pl.col("_s")).alias("rel_start"), (pl.col("end") - pl.col("_s")).alias("rel_end"))
        .sort("entity_id", "article_id")
    )
    return {eid: [list(r) for r in rows] for eid, rows in _grouped(firsts, "entity_id", ["article_id", "page", "title", "sentence", "rel_start", "rel_end"]).items()}


def _naming_claims(claims: pl.DataFrame | None, article_info: pl.DataFrame, group_page: dict[str, int]) -> tuple[dict[str, list], dict[str, int]]:
    """Per entity, up to ENTITY_CLAIMS claims naming it (most-sourced first), and how many there are."""
    if claims is None:
        return {}, {}
    named = (
        claims.select("claim_id", "article_id", "text", "predicate", "object", "group_id", "n_sources", pl.col("subject_entity_ids").alias("entity_id"))
        .explode("entity_id").drop_nulls("entity_id")
        .join(article_info.select("article_id", "page", "source_name"), on="article_id", how="left")
        .sort(["entity_id", "n_sources", "claim_id"], descending=[False, True, False])
    )
    counts = dict(named.group_by("entity_id").len().iter_rows())
    shown = named.group_by("entity_id", maintain_order=True).head(ENTITY_CLAIMS)
    keys = ["text", "predicate", "object", "group", "n_sources", "article", "article_page", "source"]
    rows = _grouped(shown, "entity_id", ["text", "predicate", "object", "group_id", "n_sources", "article_id", "page", "source_name"])
    return {eid: [dict(zip(keys, r)) | {"group_page": group_page.get(r[3])} for r in found] for eid, found in rows.items()}, counts


def _entity_order(entities: pl.DataFrame) -> pl.DataFrame:
    return entities.sort(["n_mentions", "entity_id"], descending=[True, False])


def _entity_pages(
    entities: pl.DataFrame, mentions: pl.DataFrame | None, article_info: pl.DataFrame, contexts: dict[str, list], naming: tuple[dict[str, list], dict[str, int]]
) -> tuple[dict[str, list], dict[str, int]]:
    ordered = _entity_order(entities)
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
        entry = {
            "id": eid, "name": name, "type": kind, "aliases": aliases or [], "n_mentions": n_mentions, "n_articles": n_articles, "wikidata": wikidata,
            "articles": top.get(eid, []), "contexts": contexts.get(eid, []), "claims": naming[0].get(eid, []), "n_claims": naming[1].get(eid, 0),
        }
        files.setdefault(_page_key("entities", page_of[eid]), []).append(entry)
    return files, page_of


_MEMBER_KEYS = ["id", "article", "article_page", "title", "source", "kind", "text", "predicate", "object"]


def _members(claims: pl.DataFrame, article_info: pl.DataFrame) -> dict[str, list[dict]]:
    """The claims of each group, as the group and conflict views show them."""
    rows = _grouped(
        claims.join(article_info, on="article_id", how="left", maintain_order="left").sort("group_id", "article_id", "claim_id"),
        "group_id",
        ["claim_id", "article_id", "page", "title", "source_name", "kind", "text", "predicate", "object"],
    )
    return {gid: [dict(zip(_MEMBER_KEYS, m)) for m in found] for gid, found in rows.items()}


def _group_pages(groups: pl.DataFrame, group_page: dict[str, int], members: dict[str, list[dict]]) -> dict[str, list]:
    files: dict[str, list] = {}
    for gid, n_sources, conflicts, page in groups.iter_rows():
        entry = {"id": gid, "n_sources": n_sources, "conflicts": [[c, group_page.get(c)] for c in conflicts], "claims": members.get(gid, [])}
        files.setdefault(_page_key("groups", page), []).append(entry)
    return files


def _conflict_pages(groups: pl.DataFrame, group_page: dict[str, int], members: dict[str, list[dict]]) -> tuple[dict[str, list], int]:
    """Every pair of conflicting groups once (in group order), each side with its first claims."""
    order = {gid: i for i, gid in enumerate(groups["group_id"])}
    n_sources = dict(zip(groups["group_id"], groups["n_sources"]))
    pairs = sorted({tuple(sorted((g, c), key=order.get)) for g, conflicts in zip(groups["group_id"], groups["conflicts_with"]) for c in conflicts if c in order}, key=lambda p: (order[p[0]], order[p[1]]))

    def side(gid: str) -> dict:
        return {"id": gid, "page": group_page.get(gid), "n_sources": n_sources[gid], "claims": members.get(gid, [])[:CONFLICT_CLAIMS], "n_claims": len(members.get(gid, []))}

    files: dict[str, list] = {}
    for i, (a, b) in enumerate(pairs):
        files.setdefault(_page_key("conflicts", _page_of(i, CONFLICTS_PER_PAGE)), []).append([side(a), side(b)])
    return files, len(pairs)


def _term_key(term: str) -> str:
    """The index file of the words starting like `term`: its first two code points in hex (safe file names)."""
    return "-".join(f"{ord(c):x}" for c in term[:MIN_TERM_CHARS])


def _search_files(docs: pl.DataFrame) -> tuple[Iterator[tuple[str, object]], list[str]]:
    """`search/docs/<n>` ([kind, label, detail, route] per item), `search/terms/<key>` ({word: [item, ...]})
    and `search/keys` (the keys there are files for), made one file at a time; and the words left out as too common.

    `docs` has kind, label, detail, route, text; an item is its row number.
    """
    batches = []
    # In batches of items: exploding every word of 100,000 articles at once would take gigabytes.
    for start in range(0, docs.height, SEARCH_BATCH):
        part = docs.slice(start, SEARCH_BATCH).select(
            (pl.int_range(pl.len(), dtype=pl.UInt32) + start).alias("doc"), pl.col("text").str.to_lowercase().str.extract_all(TERM_PATTERN).alias("term")
        )
        batches.append(part.explode("term").drop_nulls("term").filter(pl.col("term").str.len_chars() >= MIN_TERM_CHARS).unique(["term", "doc"]))
    terms = pl.concat(batches).group_by("term").agg(pl.col("doc").sort()) if batches else pl.DataFrame(schema={"term": pl.String, "doc": pl.List(pl.UInt32)})
    limit = COMMON_TERM_SHARE * docs.height if docs.height >= COMMON_MIN_DOCS else math.inf
    common = sorted(terms.filter(pl.col("doc").list.len() > limit)["term"])
    kept = terms.filter(pl.col("doc").list.len() <= limit).with_columns(pl.col("term").map_elements(_term_key, return_dtype=pl.String).alias("key")).sort("key", "term")

    def files() -> Iterator[tuple[str, object]]:
        listed = docs.select("kind", "label", "detail", "route")
        for n, start in enumerate(range(0, listed.height, SEARCH_DOCS_PER_FILE), 1):
            yield _page_key("search/docs", n), listed.slice(start, SEARCH_DOCS_PER_FILE).rows()
        # Which index files exist: a search never asks for a missing one.
        yield "search/keys", kept["key"].unique(maintain_order=True).to_list()
        for (key,), part in kept.partition_by("key", as_dict=True, include_key=False, maintain_order=True).items():
            yield f"search/terms/{key}", dict(part.iter_rows())

    return files(), common


def _search_docs(tables: Mapping[str, pl.DataFrame], article_info: pl.DataFrame, entity_page: dict[str, int], groups: pl.DataFrame | None, members: dict[str, list[dict]]) -> pl.DataFrame:
    """What search finds: entities (name and aliases), claim groups (their claims' text) and articles
    (title, publisher, file and the first SEARCH_TEXT_CHARS characters of the text)."""
    parts = []
    if "entities" in tables:
        e = _entity_order(tables["entities"])
        parts.append(e.select(
            pl.lit("entity").alias("kind"), pl.col("name").alias("label"), pl.col("type").alias("detail"),
            pl.format("entity/{}/{}", pl.col("entity_id").replace_strict(entity_page, return_dtype=pl.String), pl.col("entity_id")).alias("route"),
            pl.concat_str([pl.col("name"), pl.col("aliases").list.join(" ")], separator=" ").alias("text"),
        ))
    if groups is not None:
        rows = [
            ("claim", found[0]["text"] if found else gid, f"{n} source(s)" + (", conflicting" if conflicts else ""), f"group/{page}/{gid}", " ".join(m["text"] for m in found))
            for gid, n, conflicts, page in groups.iter_rows(named=False)
            for found in [members.get(gid, [])]
        ]
        parts.append(pl.DataFrame(rows, schema=["kind", "label", "detail", "route", "text"], orient="row"))
    a = tables["articles"].join(article_info.select("article_id", "page"), on="article_id", how="left", maintain_order="left")
    parts.append(a.select(
        pl.lit("article").alias("kind"), pl.coalesce("title", "source_file").alias("label"),
        pl.concat_str([pl.col("source_name"), pl.col("published_date").cast(pl.String)], separator=" · ", ignore_nulls=True).alias("detail"),
        pl.format("article/{}/{}", pl.col("page"), pl.col("article_id")).alias("route"),
        pl.concat_str([pl.col("title"), pl.col("source_name"), pl.col("source_file"), pl.col("text").str.slice(0, SEARCH_TEXT_CHARS)], separator=" ", ignore_nulls=True).alias("text"),
    ))
    return pl.concat(parts, how="vertical_relaxed")


def site_files(tables: Mapping[str, pl.DataFrame], models: Mapping[str, type[pa.DataFrameModel]], manifest: dict, files: list[dict]) -> Iterator[tuple[str, str]]:
    """Every file of the browse page as (relative path, content), one at a time; `files` are the downloads to list."""
    articles = tables["articles"]
    boilerplate = tables.get("boilerplate")
    reasons = sorted(set(boilerplate["reason"])) if boilerplate is not None else []
    article_info = articles.select("article_id", "title", "source_name").with_columns(((pl.int_range(pl.len()) // ARTICLES_PER_PAGE) + 1).alias("page"))
    mentions = _mention_offsets(tables, models)
    data: dict[str, object] = {}
    claims = tables.get("claims")
    groups = _claim_groups(claims) if claims is not None else None
    group_page: dict[str, int] = dict(zip(groups["group_id"], groups["page"])) if groups is not None else {}
    members = _members(claims, article_info) if claims is not None else {}
    n_conflicts = 0
    if groups is not None:
        data |= _group_pages(groups, group_page, members)
        conflict_pages, n_conflicts = _conflict_pages(groups, group_page, members)
        data |= conflict_pages
    entity_page: dict[str, int] = {}
    if "entities" in tables:
        contexts = _contexts(mentions, tables.get("sentences"), article_info)
        pages, entity_page = _entity_pages(tables["entities"], mentions, article_info, contexts, _naming_claims(claims, article_info, group_page))
        data |= pages
    search, common = _search_files(_search_docs(tables, article_info, entity_page, groups, members))
    table_info = []
    for name, model in models.items():
        if name in tables:
            frame = tables[name]
            table_info.append(_table_info(name, model, frame.height) | {"columns": frame.columns, "chunks": _page_count(frame.height, ROW_CHUNK), "chunk_rows": ROW_CHUNK, "stats": _column_stats(frame)})
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
        "tables": table_info,
        "downloads": files + [{"path": "manifest.json"}, {"path": "SHA256SUMS"}],
        "reasons": reasons,
        "pages": {
            "articles": _page_count(articles.height, ARTICLES_PER_PAGE),
            "entities": _page_count(len(entity_page), ENTITIES_PER_PAGE),
            "groups": _page_count(len(group_page), GROUPS_PER_PAGE),
            "conflicts": _page_count(n_conflicts, CONFLICTS_PER_PAGE),
        },
        "articles_per_page": ARTICLES_PER_PAGE,
        "conflicts": n_conflicts,
        "search": {"docs_per_file": SEARCH_DOCS_PER_FILE, "min_chars": MIN_TERM_CHARS, "common": common, "text_chars": SEARCH_TEXT_CHARS},
        "has": {name: name in tables for name in ("entities", "mentions", "claims", "sentences")},
        "charts": {
            "boilerplate_by_reason": [list(r) for r in bp_chars.iter_rows()],
            "rejects_by_reason": _counts(tables.get("rejects"), "reason"),
            "entities_by_type": _counts(tables.get("entities"), "type"),
            "sources_per_group": [[str(n), c] for n, c in groups.group_by("n_sources").len().sort("n_sources").iter_rows()] if groups is not None else [],
        },
    }
    for key, payload in data.items():
        yield f"site/data/{key}.js", _script(key, payload)
    for key, payload in search:
        yield f"site/data/{key}.js", _script(key, payload)
    for name, frame in tables.items():
        for key, payload in _table_chunks(name, frame):
            yield f"site/data/{key}.js", _script(key, payload)
    for key, payload in _article_pages(tables, article_info, reasons, mentions, entity_page, group_page):
        yield f"site/data/{key}.js", _script(key, payload)
    for asset in ("app.js", "style.css", *VENDOR):
        yield f"site/{asset}", (ASSETS / asset).read_text(encoding="utf-8")
    yield "index.html", (ASSETS / "index.html").read_text(encoding="utf-8")
