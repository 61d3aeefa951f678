"""The build's data path as pure functions, shard by shard then across shards.

`pipeline.flows` wraps these in Prefect tasks; tests and the benchmark call them directly.
Each step returns its tables plus a `StageReport` of what it kept, dropped and why; the reports
go into the manifest.
"""

from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from pipeline import clean, ingest, sentences as sentence_stage
from pipeline.boilerplate import template_line_keys
from pipeline.ingest import InputFile


@dataclass
class StageReport:
    """What one stage did: rows in and out, and rows removed by reason."""

    stage: str
    rows_in: int = 0
    rows_out: int = 0
    removed: Counter = field(default_factory=Counter)

    def merged(self, other: "StageReport") -> "StageReport":
        return StageReport(self.stage, self.rows_in + other.rows_in, self.rows_out + other.rows_out, self.removed + other.removed)

    def as_dict(self) -> dict:
        return {"stage": self.stage, "rows_in": self.rows_in, "rows_out": self.rows_out, "removed": dict(sorted(self.removed.items()))}


@dataclass(frozen=True)
class BuildOptions:
    """Choices that change the output; part of every cache key."""

    ner: str = "rules"  # or "spacy:NAME_OR_PATH"
    gazetteer: str | None = None  # a user gazetteer file extending the shipped one


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


def ingested(inputs: list[InputFile]) -> ShardResult:
    """Decoded documents and rejects of a shard of input files."""
    docs, rejects = ingest.documents(inputs)
    report = StageReport("ingest", len(inputs), docs.height, Counter(rejects["reason"].to_list()))
    return ShardResult({"documents": docs, "rejects": rejects}, [report])


def unique_documents(docs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, StageReport]:
    unique, dupes = ingest.unique_documents(docs)
    return unique, dupes, StageReport("deduplicate", docs.height, unique.height, Counter({"duplicate": dupes.height} if dupes.height else {}))


def template_keys(docs: pl.DataFrame) -> frozenset[str]:
    """Lines that recur across many documents of the corpus: site template boilerplate."""
    return template_line_keys(docs["raw_text"].to_list())


def analysed(docs: pl.DataFrame, templates: frozenset[str], options: BuildOptions = BuildOptions()) -> ShardResult:
    """Per-shard work on unique documents: everything that needs only the shard's own articles."""
    articles, boilerplate, rejects = clean.articles(docs, templates)
    removed = Counter(boilerplate["reason"].to_list())
    removed.update(rejects["reason"].to_list())
    sents = sentence_stage.sentences(articles)
    reports = [
        StageReport("clean", docs.height, articles.height, removed),
        StageReport("sentences", articles.height, sents.height),
    ]
    return ShardResult({"articles": articles, "boilerplate": boilerplate, "sentences": sents, "rejects": rejects}, reports)


def concatenated(results: list[ShardResult], name: str) -> pl.DataFrame:
    """One table from all shards; there is always at least one shard, perhaps empty."""
    return pl.concat([r.tables[name] for r in results], how="vertical")


def dataset(shards: list[ShardResult], rejects: list[pl.DataFrame], options: BuildOptions = BuildOptions()) -> tuple[dict[str, pl.DataFrame], list[StageReport]]:
    """The dataset's tables from all shards, after the steps that need every article at once.

    Row order is stable and does not depend on sharding.
    """
    all_rejects = pl.concat([*rejects, concatenated(shards, "rejects")], how="vertical")
    tables = {
        "articles": concatenated(shards, "articles").sort("article_id"),
        "boilerplate": concatenated(shards, "boilerplate").sort("article_id", "start"),
        "sentences": concatenated(shards, "sentences").sort("article_id", "position"),
        "rejects": all_rejects.sort("source_file"),
    }
    return tables, []
