"""The build's data path as pure functions, shard by shard then across shards.

`pipeline.orchestration.flows` wraps these in Prefect tasks; tests and the benchmark call them directly.
Each step returns its tables plus a `StageReport` of what it kept, dropped and why; the reports
go into the manifest.
"""

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

import polars as pl

from pipeline.stages import claims as claim_stage
from pipeline.stages import clean, duplicates, entities, ingest, stories
from pipeline.stages import dates as date_stage
from pipeline.stages import quantities as quantity_stage
from pipeline.stages import sentences as sentence_stage
from pipeline.stages.boilerplate import template_line_keys
from pipeline.stages.ingest import InputFile, IngestRules
from pipeline.stages.rules import Rules


# The caps on annotation rows (`CapRules`, `EntityRules.max_mentions_per_article`):
# (table, the rows it is capped within, the cap in the rules, stage report, reason).
_ANNOTATION_CAPS = (
    ("quantities", "sentence_id", attrgetter("caps.max_quantities_per_sentence"), "quantities", "quantities_over_sentence_cap"),
    ("dates", "sentence_id", attrgetter("caps.max_dates_per_sentence"), "dates", "dates_over_sentence_cap"),
    ("candidates", "article_id", attrgetter("entities.max_mentions_per_article"), "mention_candidates", "mentions_over_article_cap"),
)


def capped_rows(frame: pl.DataFrame, within: str, cap: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The first `cap` rows (by start) of each value of `within`, in their order, and the rows dropped."""
    if frame.height <= cap:
        return frame, frame.clear()
    first = pl.col("start").rank("ordinal").over(within) <= cap
    return frame.filter(first), frame.filter(~first)


def capped(frame: pl.DataFrame, within: str, cap: int) -> tuple[pl.DataFrame, int]:
    """`capped_rows`, counting the dropped rows."""
    kept, dropped = capped_rows(frame, within, cap)
    return kept, dropped.height


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


def ingested(inputs: list[InputFile], rules: IngestRules = IngestRules()) -> ShardResult:
    """Decoded documents and rejects of a shard of input files."""
    docs, rejects = ingest.documents(inputs, rules)
    report = StageReport("ingest", len(inputs), docs.height, Counter(rejects["reason"].to_list()))
    return ShardResult({"documents": docs, "rejects": rejects}, [report])


def unique_documents(docs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, StageReport]:
    unique, dupes = ingest.unique_documents(docs)
    return unique, dupes, StageReport("deduplicate", docs.height, unique.height, Counter({"duplicate": dupes.height} if dupes.height else {}))


def template_keys(docs: pl.DataFrame) -> frozenset[str]:
    """Lines that recur across many documents of the corpus: site template boilerplate."""
    return template_line_keys(docs["raw_text"].to_list())


def _analysed(docs: pl.DataFrame, templates: frozenset[str], options: BuildOptions) -> tuple[dict[str, pl.DataFrame], Counter]:
    """The tables of `analysed`, and the rows dropped at the caps by (article_id, reason)."""
    articles, boilerplate, rejects = clean.articles(docs, templates, options.rules.clean)
    tables = {"articles": articles, "boilerplate": boilerplate, "rejects": rejects}
    caps: Counter = Counter()
    tables.update(annotated(articles, options, by_article=caps))
    return tables, caps


def _reports(n_docs: int, tables: dict[str, pl.DataFrame], caps: Counter, options: BuildOptions) -> list[StageReport]:
    """The stage reports of documents analysed into `tables` (`caps`: rows dropped by reason)."""
    removed = Counter(tables["boilerplate"]["reason"].to_list())
    removed.update(tables["rejects"]["reason"].to_list())
    n_articles, n_sentences = tables["articles"].height, tables["sentences"].height
    over = {stage: Counter({reason: caps[reason]} if caps[reason] else {}) for _, _, _, stage, reason in _ANNOTATION_CAPS}
    return [
        StageReport("clean", n_docs, n_articles, removed),
        StageReport("sentences", n_articles, n_sentences, _capped(tables["sentences"], options.rules.sentences)),
        StageReport("mention_candidates", n_sentences, tables["candidates"].height, over["mention_candidates"]),
        StageReport("quantities", n_sentences, tables["quantities"].height, over["quantities"]),
        StageReport("dates", n_sentences, tables["dates"].height, over["dates"]),
    ]


def analysed(docs: pl.DataFrame, templates: frozenset[str], options: BuildOptions = BuildOptions()) -> ShardResult:
    """Per-shard work on unique documents: everything that needs only the shard's own articles."""
    tables, caps = _analysed(docs, templates, options)
    by_reason: Counter = Counter()
    for (_, reason), n in caps.items():
        by_reason[reason] += n
    return ShardResult(tables, _reports(docs.height, tables, by_reason, options))


def analysed_each(docs: pl.DataFrame, templates: frozenset[str], options: BuildOptions = BuildOptions()) -> tuple[dict[str, pl.DataFrame], list[list[StageReport]]]:
    """`analysed` of a shard as one batch, with the reports each document would have had alone
    (in the documents' order): the stages are per document, and a batch costs far less CPU than
    one call per document (1.7-2.6 times less, issue 17), so a shard is analysed at once and its
    rows split per document afterwards for the cache."""
    tables, caps = _analysed(docs, templates, options)
    article_of = dict(tables["articles"].select("source_file", "article_id").iter_rows())
    # Each table's rows grouped by the document they come from: one pass per table, not per document.
    parts = {name: frame.partition_by("article_id", as_dict=True, maintain_order=True) for name, frame in tables.items() if name != "rejects"}
    rejects = tables["rejects"].partition_by("source_file", as_dict=True, maintain_order=True)
    per_reason: dict[str, Counter] = {}
    for (article_id, reason), n in caps.items():
        per_reason.setdefault(article_id, Counter())[reason] += n
    reports = []
    for source_file in docs["source_file"]:
        article_id = article_of.get(source_file)
        own = {name: found.get((article_id,), tables[name].clear()) for name, found in parts.items()}
        own["rejects"] = rejects.get((source_file,), tables["rejects"].clear())
        reports.append(_reports(1, own, per_reason.get(article_id, Counter()), options))
    return tables, reports


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


def _capped(sents: pl.DataFrame, rules: sentence_stage.SentenceRules) -> Counter:
    """Articles that reached the sentence cap (any sentences past it are not in the table)."""
    n = sents.filter(pl.col("position") == rules.max_sentences_per_article - 1).height
    return Counter({"articles_at_sentence_cap": n} if n else {})


def annotated(articles: pl.DataFrame, options: BuildOptions = BuildOptions(), caps: Counter | None = None, by_article: Counter | None = None) -> dict[str, pl.DataFrame]:
    """Per-article annotations of clean text: sentences, entity candidates, quantities, dates,
    within the caps of `options.rules` (`caps`, when given, counts the rows dropped at each by
    reason; `by_article` by (article_id, reason)).

    Shared by the build and the annotate command, which feeds it text without boilerplate removal.
    """
    sents = sentence_stage.sentences(articles, options.rules.sentences)
    detected = date_stage.detections(articles)  # one date detection per document, for both stages
    tables = {
        "sentences": sents,
        "candidates": entities.mention_candidates(articles, sents, gazetteer(options), options.ner, options.rules.entities),
        "quantities": quantity_stage.quantities(articles, sents, detected),
        "dates": date_stage.dates(articles, sents, detected),
    }
    for table, within, cap, _, reason in _ANNOTATION_CAPS:
        tables[table], dropped = capped_rows(tables[table], within, cap(options.rules))
        if caps is not None and dropped.height:
            caps[reason] += dropped.height
        if by_article is not None:
            for article_id, n in dropped["article_id"].value_counts().iter_rows():
                by_article[article_id, reason] += n
    return tables


# Claims of some articles before grouping, from (articles, sentences, mentions, entities, quantities, dates).
ClaimExtractor = Callable[[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame], pl.DataFrame]
# Story features of articles, from (articles, mentions).
StoryFeaturer = Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]
SIGNATURES = "sentence_signatures"  # a shard's optional table of its sentences' `duplicates.sentence_signatures`


def linked(articles: pl.DataFrame, sents: pl.DataFrame, candidates: pl.DataFrame, quantities: pl.DataFrame, dates: pl.DataFrame, options: BuildOptions = BuildOptions(),
           extracted: ClaimExtractor = claim_stage.claims, featured: StoryFeaturer = stories.story_features,
           signatures: pl.DataFrame | None = None, caps: Counter | None = None) -> dict[str, pl.DataFrame]:
    """Cross-article results: entities resolved, claims extracted and grouped, stories, duplicates.

    Claims and story features are per article once entities are resolved, and sentence
    signatures per sentence: `extracted`, `featured` and `signatures` (the sentences'
    `duplicates.sentence_signatures`, computed when None) let incremental builds reuse those of
    articles whose inputs did not change. Claims past `CapRules.max_claims_per_sentence` are
    counted in `caps`.
    """
    rules = options.rules
    mentions, ents = entities.resolved_entities(candidates, gazetteer(options), rules.entities)
    # Claims are extracted before story features are asked for: a cached extractor reads both at once.
    found, dropped = capped(extracted(articles, sents, mentions, ents, quantities, dates), "sentence_id", rules.caps.max_claims_per_sentence)
    if caps is not None and dropped:
        caps["claims_over_sentence_cap"] += dropped
    story_of = stories.story_ids_from(featured(articles, mentions), rules.stories)
    claims = claim_stage.grouped_claims(found, story_of)
    if signatures is None:
        signatures = duplicates.sentence_signatures(sents, rules.duplicates)
    duplicate_of = duplicates.duplicate_sentences_from(signatures, rules.duplicates)
    return {
        "articles": articles.join(story_of, on="article_id", how="left"),
        "sentences": sents.join(duplicate_of, on="sentence_id", how="left"),
        "entities": ents,
        "mentions": mentions,
        "claims": claims,
    }


def concatenated(results: list[ShardResult], name: str) -> pl.DataFrame:
    """One table from all shards; there is always at least one shard, perhaps empty."""
    return pl.concat([r.tables[name] for r in results], how="vertical")


def dataset(shards: list[ShardResult], rejects: list[pl.DataFrame], options: BuildOptions = BuildOptions(),
            extracted: ClaimExtractor = claim_stage.claims, featured: StoryFeaturer = stories.story_features) -> tuple[dict[str, pl.DataFrame], list[StageReport]]:
    """The dataset's tables from all shards, after the steps that need every article at once.

    Row order is stable and does not depend on sharding. `extracted` and `featured` as in
    `linked`; shards that all carry a `SIGNATURES` table spare computing the sentences' signatures.
    """
    articles = concatenated(shards, "articles").sort("article_id")
    sents = concatenated(shards, "sentences").sort("article_id", "position")
    candidates = concatenated(shards, "candidates")
    quantities = concatenated(shards, "quantities").sort("article_id", "start", "end")
    dates = concatenated(shards, "dates").sort("article_id", "start", "end")
    signatures = concatenated(shards, SIGNATURES) if all(SIGNATURES in r.tables for r in shards) else None
    caps: Counter = Counter()
    found = linked(articles, sents, candidates, quantities, dates, options, extracted, featured, signatures, caps)
    tables = {
        "articles": found["articles"],
        "boilerplate": concatenated(shards, "boilerplate").sort("article_id", "start"),
        "sentences": found["sentences"],
        "entities": found["entities"],
        "mentions": found["mentions"],
        "quantities": quantities,
        "dates": dates,
        "claims": found["claims"],
        "rejects": pl.concat([*rejects, concatenated(shards, "rejects")], how="vertical").sort("source_file"),
    }
    reports = [
        StageReport("entities", candidates.height, found["entities"].height),
        StageReport("claims", sents.height, found["claims"].height, caps),
        StageReport("stories", articles.height, found["articles"]["story_id"].n_unique()),
        StageReport("duplicate_sentences", sents.height, found["sentences"]["duplicate_of"].is_not_null().sum()),
    ]
    return tables, reports
