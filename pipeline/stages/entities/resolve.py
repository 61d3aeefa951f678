"""Resolution (global, `resolved_entities`): gazetteer links are kept; every other name is clustered
with `pipeline.stages.entities.names.name_clusters` (transliteration keys, representatives, no chaining; see there),
with each gazetteer entry's names as a fixed cluster, so variants join the entry they match.
Names cluster only within a family (PERSON, ORG, places GPE/LOC, the rest): a place never joins
a person.
Canonical name: the gazetteer's name when the entity is in the gazetteer; otherwise the most
complete form (most name tokens), then the most frequent, then the alphabetically first.
Type: the gazetteer's, else the most frequent mention type (ties: PERSON, ORG, GPE, LOC, EVENT,
OTHER). `entity_id` = stable_id(type, canonical name).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl

from pipeline.core.ids import stable_id
from pipeline.stages.entities.gazetteer import Gazetteer
from pipeline.stages.entities.lexicon import _TYPE_ORDER
from pipeline.stages.entities.names import name_clusters, person_keys
from pipeline.stages.entities.rules import EntityRules
from schemas import polars_schema
from schemas.entities import Entities


def _family(type_: str) -> str:
    """Names of one family may be one entity: a place never joins a person, an organisation or an event."""
    return type_ if type_ in ("PERSON", "ORG") else "PLACE" if type_ in ("GPE", "LOC") else "OTHER"


def resolved_entities(candidates: pl.DataFrame, gazetteer: Gazetteer, rules: EntityRules = EntityRules()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Global: link every candidate to an entity. Returns (mentions, entities), sorted by their keys."""
    free = (
        candidates.filter(pl.col("gazetteer").is_null())
        .group_by("type", "name").agg(pl.len().alias("n")).sort("type", "name")
    )
    names: list[str] = []
    kinds: list[str] = []
    weights: list[int] = []
    groups: list[str | None] = []
    for entry in sorted(gazetteer.entries.values(), key=lambda e: e.name):
        for alias in dict.fromkeys((entry.name, *entry.aliases)):
            names.append(alias)
            kinds.append(_family(entry.type))
            weights.append(0)
            groups.append(entry.name)
    n_fixed = len(names)
    for type_, name, count in free.iter_rows():
        names.append(name)
        kinds.append(_family(type_))
        weights.append(count)
        groups.append(None)
    cluster = name_clusters(names, kinds, weights, groups, rules.names)
    gaz_of_cluster = {cluster[i]: groups[i] for i in range(n_fixed)}
    link = pl.DataFrame(
        {"type": free["type"], "name": free["name"], "_cluster": cluster[n_fixed:]},
        schema={"type": pl.Utf8, "name": pl.Utf8, "_cluster": pl.Int64},
    )
    linked = candidates.join(link, on=["type", "name"], how="left", nulls_equal=True)
    linked = linked.with_columns(
        pl.coalesce(
            pl.col("gazetteer"),
            pl.col("_cluster").replace_strict(gaz_of_cluster, default=None, return_dtype=pl.Utf8),
        ).alias("gazetteer")
    )
    linked = linked.with_columns(
        pl.when(pl.col("gazetteer").is_not_null()).then(pl.lit("g:") + pl.col("gazetteer"))
        .otherwise(pl.lit("c:") + pl.col("_cluster").cast(pl.Utf8)).alias("_entity")
    )
    entities, entity_of = _entity_rows(linked, gazetteer)
    # The id is attached before the join: a join may reorder rows, a positional Series would not follow.
    mention_ids = pl.Series("mention_id", [stable_id(a, s, e) for a, s, e in linked.select("article_id", "start", "end").iter_rows()], dtype=pl.Utf8)
    mentions = (
        linked.with_columns(mention_ids, pl.col("_entity").replace_strict(entity_of, return_dtype=pl.Utf8).alias("entity_id"))
        .join(entities.select("entity_id", pl.col("type").alias("_etype")), on="entity_id")
        .select(
            "mention_id",
            "entity_id", "article_id", "sentence_id", "text", "start", "end", pl.col("_etype").alias("type"), "role",
        )
        .sort("article_id", "start", "end")
    )
    return mentions, entities


def _canonical(forms: Counter) -> str:
    return min(forms, key=lambda f: (-len(person_keys(f)), -forms[f], f))


# What resolution decides per entity; the counts are aggregated from the mentions.
_DESCRIBED_SCHEMA = polars_schema(Entities, ("entity_id", "name", "type", "wikidata_id"))


def _entity_rows(linked: pl.DataFrame, gazetteer: Gazetteer) -> tuple[pl.DataFrame, dict[str, str]]:
    """The entities table, and the entity id of each internal cluster key."""
    described: dict[str, tuple[str, str, str | None]] = {}
    grouped = linked.group_by("_entity").agg("name", "type", pl.col("gazetteer").first()).sort("_entity")
    for key, names, types, gaz in grouped.iter_rows():
        if gaz is not None:
            entry = gazetteer.entries[gaz]
            described[key] = (entry.name, entry.type, entry.wikidata_id)
        else:
            counts = Counter(types)
            described[key] = (_canonical(Counter(names)), min(counts, key=lambda t: (-counts[t], _TYPE_ORDER[t])), None)
    entity_of = {key: stable_id(type_, name) for key, (name, type_, _) in described.items()}
    info = pl.DataFrame(
        {
            "entity_id": list(entity_of.values()),
            "name": [d[0] for d in described.values()],
            "type": [d[1] for d in described.values()],
            "wikidata_id": [d[2] for d in described.values()],
        },
        schema=_DESCRIBED_SCHEMA,
    ).unique("entity_id", keep="first")
    stats = (
        linked.with_columns(pl.col("_entity").replace_strict(entity_of, return_dtype=pl.Utf8).alias("entity_id"))
        .group_by("entity_id")
        .agg(
            pl.col("text").unique().sort().alias("aliases"),
            pl.len().cast(pl.Int64).alias("n_mentions"),
            pl.col("article_id").n_unique().cast(pl.Int64).alias("n_articles"),
        )
    )
    entities = info.join(stats, on="entity_id").select("entity_id", "name", "type", "aliases", "n_mentions", "n_articles", "wikidata_id")
    return entities.sort("entity_id"), entity_of


def mention_records(mentions: pl.DataFrame, entities: pl.DataFrame) -> dict[str, list[dict]]:
    """Per article id, its mentions as {"start", "end", "text", "type", "entity"} dicts in text order."""
    joined = mentions.join(entities.select("entity_id", pl.col("name").alias("entity")), on="entity_id").sort("article_id", "start", "end")
    out: dict[str, list[dict]] = defaultdict(list)
    for aid, start, end, text, type_, entity in joined.select("article_id", "start", "end", "text", "type", "entity").iter_rows():
        out[aid].append({"start": start, "end": end, "text": text, "type": type_, "entity": entity})
    return dict(out)
