"""The build's data path: the stage lists of `pipeline.stages.order`, shard by shard then across shards.

`pipeline.orchestration.flows` wraps these in Prefect tasks; tests and the benchmark call them directly.
Each step returns its tables plus a `StageReport` per stage of what it kept, dropped and why, in
the stage's unit; the reports go into the manifest.
"""

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from pipeline.core import stage
from pipeline.core.stage import StageReport
from pipeline.stages import entities, order
from pipeline.stages.ingest import InputFile
from pipeline.stages.rules import Rules


@dataclass(frozen=True)
class BuildOptions:
    """Choices that change the output; part of every cache key."""

    ner: str = "learned"  # or "rules", "spacy:NAME_OR_PATH"
    gazetteer: str | None = None  # a user gazetteer file extending the shipped one
    rules: Rules = Rules()  # every stage's thresholds (`pipeline.stages.rules`)


@dataclass
class ShardResult:
    """Tables of one shard and the reports of the stages that made them."""

    tables: dict[str, pl.DataFrame]
    reports: list[StageReport]


def merged_reports(groups: list[list[StageReport]]) -> list[StageReport]:
    """Reports of the same stage across shards, summed, in first-seen order."""
    merged: dict[str, StageReport] = {}
    for reports in groups:
        for report in reports:
            merged[report.stage] = merged[report.stage].merged(report) if report.stage in merged else report
    return list(merged.values())


def run(stages: tuple[stage.Stage, ...], tables: dict[str, Any], options: BuildOptions, around: stage.Around | None = None) -> tuple[dict[str, Any], pl.DataFrame]:
    """`pipeline.core.stage.run` with the options' gazetteer and NER choice as inputs, and its rules."""
    # The gazetteer is parsed only for the stages that read it: ingest tasks never do.
    inputs = ({"gazetteer": gazetteer(options)} if any("gazetteer" in s.needs for s in stages) else {}) | {"ner": options.ner} | tables
    return stage.run(stages, inputs, options.rules, around)


def ingested(inputs: list[InputFile], options: BuildOptions = BuildOptions(), around: stage.Around | None = None) -> ShardResult:
    """Decoded documents, rejects and line keys of a shard of input files."""
    found, counts = run(order.INGEST, {"inputs": inputs}, options, around)
    return ShardResult(tables_made(order.INGEST, found), stage.reports(counts))


def deduplicated(ingested: dict[str, pl.DataFrame], options: BuildOptions = BuildOptions(), around: stage.Around | None = None) -> tuple[pl.DataFrame, pl.DataFrame, frozenset[str], StageReport]:
    """(unique documents, duplicate rejects, template lines, the deduplicate report) of the corpus's ingested documents and lines."""
    found, counts = run(order.DOCUMENTS, {"documents": ingested["documents"], "lines": ingested["lines"]}, options, around)
    (report,) = stage.reports(counts)
    return found["unique_documents"], found["duplicates"], found["templates"], report


def tables_made(stages: tuple[stage.Stage, ...], found: dict[str, Any]) -> dict[str, pl.DataFrame]:
    """The tables `stages` made (not their inputs, not intermediate values such as date detections)."""
    return {name: found[name] for s in stages for name in s.produces if isinstance(found[name], pl.DataFrame)}


def _analysed(docs: pl.DataFrame, templates: frozenset[str], options: BuildOptions, around: stage.Around | None = None) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    found, counts = run(order.SHARD, {"unique_documents": docs, "templates": templates}, options, around)
    return tables_made(order.SHARD, found), counts


def analysed(docs: pl.DataFrame, templates: frozenset[str], options: BuildOptions = BuildOptions(), around: stage.Around | None = None) -> ShardResult:
    """Per-shard work on unique documents: everything that needs only the shard's own articles."""
    tables, counts = _analysed(docs, templates, options, around)
    return ShardResult(tables, stage.reports(counts))


def analysed_each(docs: pl.DataFrame, templates: frozenset[str], options: BuildOptions = BuildOptions()) -> tuple[dict[str, pl.DataFrame], list[list[StageReport]]]:
    """`analysed` of a shard as one batch, with the reports each document would have had alone
    (in the documents' order): the stages are per document, and a batch costs far less CPU than
    one call per document (1.7-2.6 times less, issue 17), so a shard is analysed at once and its
    rows split per document afterwards for the cache."""
    tables, counts = _analysed(docs, templates, options)
    return tables, stage.reports_by_document(counts, tables["articles"], docs["source_file"].to_list())


@lru_cache(maxsize=4)
def _gazetteer_of(extra: str | None, stamp: tuple[int, int] | None) -> entities.Gazetteer:
    return entities.load_gazetteer(extra)


def gazetteer(options: BuildOptions) -> entities.Gazetteer:
    """The options' gazetteer, parsed once per process (documents are analysed one at a time);
    a user file that changes on disk is read again."""
    stamp = None
    if options.gazetteer:
        info = os.stat(options.gazetteer)
        stamp = (info.st_mtime_ns, info.st_size)
    return _gazetteer_of(options.gazetteer, stamp)


def annotated(articles: pl.DataFrame, options: BuildOptions = BuildOptions()) -> tuple[dict[str, Any], list[StageReport]]:
    """The shard stages after cleaning (`order.ANNOTATIONS`) on articles given clean: the
    annotate command's, which feeds it text without boilerplate removal."""
    found, counts = run(order.ANNOTATIONS, {"articles": articles}, options)
    return found, stage.reports(counts)


def linked(tables: dict[str, Any], options: BuildOptions = BuildOptions(), around: stage.Around | None = None) -> tuple[dict[str, pl.DataFrame], list[StageReport]]:
    """The corpus stages (`order.CORPUS`: entities resolved, claims extracted and grouped,
    stories, duplicate sentences) over the shard tables of every article; the dataset's tables
    they change: articles with their story, sentences with their duplicate, entities, mentions, claims.

    Tables already in `tables` are not computed again (an incremental build gives the claims and
    story features it cached); the stages that would make them still cap and count them.
    """
    found, counts = run(order.CORPUS, tables, options, around)
    return {
        "articles": found["articles"].join(found["stories"], on="article_id", how="left"),
        "sentences": found["sentences"].join(found["duplicates"], on="sentence_id", how="left"),
        "entities": found["entities"],
        "mentions": found["mentions"],
        "claims": found["claims"],
    }, stage.reports(counts)


def concatenated(results: list[ShardResult], name: str) -> pl.DataFrame:
    """One table from all shards; there is always at least one shard, perhaps empty."""
    return pl.concat([r.tables[name] for r in results], how="vertical")


def corpus_tables(shards: list[ShardResult]) -> dict[str, pl.DataFrame]:
    """The shards' tables as one, in an order that does not depend on sharding: the corpus stages' inputs."""
    return {
        "articles": concatenated(shards, "articles").sort("article_id"),
        "sentences": concatenated(shards, "sentences").sort("article_id", "position"),
        "candidates": concatenated(shards, "candidates"),
        "quantities": concatenated(shards, "quantities").sort("article_id", "start", "end"),
        "dates": concatenated(shards, "dates").sort("article_id", "start", "end"),
        "sentence_signatures": concatenated(shards, "sentence_signatures"),
    }


def dataset(shards: list[ShardResult], rejects: list[pl.DataFrame], options: BuildOptions = BuildOptions(),
            given: dict[str, pl.DataFrame] | None = None, around: stage.Around | None = None) -> tuple[dict[str, pl.DataFrame], list[StageReport]]:
    """The dataset's tables from all shards, after the stages that need every article at once.

    Row order is stable and does not depend on sharding. `given`: the corpus stages' inputs when
    the caller made them (`corpus_tables(shards)`), with any corpus-stage tables it already has (see `linked`).
    """
    inputs = corpus_tables(shards) if given is None else given
    found, reports = linked(inputs, options, around)
    tables = {
        "articles": found["articles"],
        "boilerplate": concatenated(shards, "boilerplate").sort("article_id", "start"),
        "sentences": found["sentences"],
        "entities": found["entities"],
        "mentions": found["mentions"],
        "quantities": inputs["quantities"],
        "dates": inputs["dates"],
        "claims": found["claims"],
        "rejects": pl.concat([*rejects, concatenated(shards, "rejects")], how="vertical").sort("source_file"),
    }
    return tables, reports


def built(inputs: list[InputFile], options: BuildOptions = BuildOptions(), around: stage.Around | None = None) -> tuple[dict[str, pl.DataFrame], list[StageReport]]:
    """The whole build of some input files in one process and one shard, with every stage report:
    every phase of the stage list in turn (`around` as in `pipeline.core.stage.run`)."""
    shard = ingested(inputs, options, around)
    unique, duplicates, templates, report = deduplicated(shard.tables, options, around)
    found = analysed(unique, templates, options, around)
    tables, reports = dataset([found], [shard.tables["rejects"], duplicates], options, around=around)
    return tables, [*shard.reports, report, *found.reports, *reports]
