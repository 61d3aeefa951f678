"""The stage list: every stage of the build, in order, written once.

The build, the flow (per shard, then across shards, with its caching), `python -m pipeline.bench`,
the annotate command, the benchmarks and the tests all run these lists with `pipeline.core.stage.run`.
Each stage is a function named after what it produces; its parameters name the tables it reads
(the stage-function interface is in `pipeline.core.stage`). Adding a stage is its module plus
one entry here.

The lists are phases, each run over one namespace of tables: `INGEST` per input file (its input:
`inputs`), `DOCUMENTS` across the corpus's documents (every file's `documents` and `lines`),
`SHARD` per document, a shard at a time (`unique_documents`, `templates`, `gazetteer`, `ner`),
`CORPUS` across every article (the shards' tables concatenated, `gazetteer`). The annotate
command runs `ANNOTATIONS` (the shard stages after cleaning) on text given clean. The caps'
limits and each stage's rules come from the rules bundle (`pipeline.stages.rules.Rules`).
"""

import polars as pl

from pipeline.core.stage import Cap, Output, Stage, tally
from pipeline.stages import claims as claim_stage
from pipeline.stages import clean, entities, ingest
from pipeline.stages import dates as date_stage
from pipeline.stages import duplicates as duplicate_stage
from pipeline.stages import quantities as quantity_stage
from pipeline.stages import sentences as sentence_stage
from pipeline.stages import stories as story_stage
from pipeline.stages.boilerplate import document_line_keys, template_keys_of
from pipeline.stages.entities import Gazetteer

LINES_SCHEMA = {"source_file": pl.Utf8, "line_keys": pl.List(pl.Utf8)}


def documents(inputs: list[ingest.InputFile], rules: ingest.IngestRules) -> Output:
    """Decoded documents of input files; the others are rejects, by reason."""
    docs, rejects = ingest.documents(inputs, rules)
    return Output({"documents": docs, "rejects": rejects}, removed=tally(rejects, by="reason"))


def unique_documents(documents: pl.DataFrame) -> Output:
    """The first file (by path) of each decoded text; the others are `duplicate` rejects."""
    unique, duplicates = ingest.unique_documents(documents)
    return Output({"unique_documents": unique, "duplicates": duplicates}, removed=tally(duplicates, "duplicate"))


def lines(documents: pl.DataFrame) -> Output:
    """Each document's distinct line keys, sorted: what template lines are counted from. Per file,
    so that an incremental build keeps them with the file's ingest results and finds the corpus's
    template lines without reading and normalising every document's lines again."""
    keys = [sorted(document_line_keys(text)) for text in documents["raw_text"]]
    return Output({"lines": pl.DataFrame({"source_file": documents["source_file"], "line_keys": keys}, schema=LINES_SCHEMA)})


def templates(unique_documents: pl.DataFrame, lines: pl.DataFrame) -> Output:
    """Lines that recur across many documents of the corpus: site template boilerplate."""
    own = lines.join(unique_documents.select("source_file"), on="source_file", how="semi")
    return Output({"templates": template_keys_of(own["line_keys"].to_list())})


def articles(unique_documents: pl.DataFrame, templates: frozenset[str], rules: clean.CleanRules) -> Output:
    """Clean articles; documents with no prose left are rejects. The boilerplate spans cut out of
    the articles are counted apart: they are spans of text, not documents."""
    found, boilerplate, rejects = clean.articles(unique_documents, templates, rules)
    return Output(
        {"articles": found, "boilerplate": boilerplate, "rejects": rejects},
        removed=tally(rejects, by="reason"),
        counted=tally(boilerplate, by="reason", prefix="boilerplate_spans."),
    )


def sentences(articles: pl.DataFrame, rules: sentence_stage.SentenceRules) -> Output:
    """Sentences of the articles, at most `rules.max_sentences_per_article` each; the ones past it
    are counted (their articles, rare, are split again to count them)."""
    found = sentence_stage.sentences(articles, rules)
    cap = rules.max_sentences_per_article
    full = found.filter(pl.col("position") == cap - 1).select("article_id")
    over = articles.join(full, on="article_id", how="semi").select(
        "article_id", pl.col("text").map_elements(lambda t: len(sentence_stage.sentence_spans(t)) - cap, return_dtype=pl.Int64).alias("n")
    )
    dropped = over.filter(pl.col("n") > 0).select(
        pl.lit("article_id").alias("by"), pl.col("article_id").alias("owner"), pl.lit("sentences_over_article_cap").alias("reason"), "n"
    )
    return Output({"sentences": found}, removed=dropped)


def candidates(articles: pl.DataFrame, sentences: pl.DataFrame, gazetteer: Gazetteer, ner: str, rules: entities.EntityRules) -> Output:
    """Entity mentions found in the sentences, before cross-article resolution."""
    return Output({"candidates": entities.mention_candidates(articles, sentences, gazetteer, ner, rules)})


def date_detections(articles: pl.DataFrame, rules: date_stage.DateRules) -> Output:
    """One date detection per article, read by both the quantities and the dates stage."""
    return Output({"date_detections": date_stage.detections(articles, rules=rules)})


def quantities(articles: pl.DataFrame, sentences: pl.DataFrame, date_detections: list, rules: quantity_stage.QuantityRules) -> Output:
    return Output({"quantities": quantity_stage.quantities(articles, sentences, date_detections, rules=rules)})


def dates(articles: pl.DataFrame, sentences: pl.DataFrame, date_detections: list, rules: date_stage.DateRules) -> Output:
    return Output({"dates": date_stage.dates(articles, sentences, date_detections, rules=rules)})


def sentence_signatures(sentences: pl.DataFrame, rules: duplicate_stage.DuplicateRules) -> Output:
    """Each sentence's words and MinHash signature, for duplicate sentences across the corpus."""
    return Output({"sentence_signatures": duplicate_stage.sentence_signatures(sentences, rules)})


def mentions(candidates: pl.DataFrame, gazetteer: Gazetteer, rules: entities.EntityRules) -> Output:
    """Every candidate linked to an entity, across all articles."""
    found, ents = entities.resolved_entities(candidates, gazetteer, rules)
    return Output({"mentions": found, "entities": ents})


def extracted_claims(articles: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, entities: pl.DataFrame, quantities: pl.DataFrame, dates: pl.DataFrame,
                     gazetteer: Gazetteer, rules: claim_stage.ClaimRules) -> Output:
    """Claims of each article, before grouping: per article once entities are resolved; places
    also from the build's gazetteer (a user's included)."""
    return Output({"extracted_claims": claim_stage.claims(articles, sentences, mentions, entities, quantities, dates, gazetteer, rules)})


def story_features(articles: pl.DataFrame, mentions: pl.DataFrame) -> Output:
    """Each article's words and salient entities, for stories across the corpus."""
    return Output({"story_features": story_stage.story_features(articles, mentions)})


def stories(story_features: pl.DataFrame, rules: story_stage.StoryRules) -> Output:
    found = story_stage.story_ids_from(story_features, rules)
    return Output({"stories": found}, counted=tally(found.select("story_id").unique(), "stories"))


def claims(extracted_claims: pl.DataFrame, stories: pl.DataFrame, rules: claim_stage.ClaimRules) -> Output:
    """Claims with their group, sources and conflicts, across all articles."""
    return Output({"claims": claim_stage.grouped_claims(extracted_claims, stories, rules)})


def duplicates(sentence_signatures: pl.DataFrame, rules: duplicate_stage.DuplicateRules) -> Output:
    """Each sentence's earliest near-duplicate, if any, across all articles."""
    found = duplicate_stage.duplicate_sentences_from(sentence_signatures, rules)
    return Output({"duplicates": found}, counted=tally(found.filter(pl.col("duplicate_of").is_not_null()), "sentences_marked_duplicate"))


INGEST = (
    Stage(documents, ("documents", "rejects"), "ingest", "files", rows_out="documents", rules="ingest"),
    Stage(lines, ("lines",)),
)
DOCUMENTS = (
    Stage(unique_documents, ("unique_documents", "duplicates"), "deduplicate", "documents", rows_out="unique_documents", rows_in="documents"),
    Stage(templates, ("templates",)),
)
ANNOTATIONS = (
    Stage(sentences, ("sentences",), "sentences", "sentences", rows_out="sentences", rules="sentences"),
    Stage(candidates, ("candidates",), "mention_candidates", "mentions", rows_out="candidates",
          cap=Cap("candidates", "article_id", "entities.max_mentions_per_article", "mentions_over_article_cap"), rules="entities"),
    Stage(date_detections, ("date_detections",), rules="dates"),
    Stage(quantities, ("quantities",), "quantities", "quantities", rows_out="quantities",
          cap=Cap("quantities", "sentence_id", "caps.max_quantities_per_sentence", "quantities_over_sentence_cap"), rules="quantities"),
    Stage(dates, ("dates",), "dates", "dates", rows_out="dates",
          cap=Cap("dates", "sentence_id", "caps.max_dates_per_sentence", "dates_over_sentence_cap"), rules="dates"),
    Stage(sentence_signatures, ("sentence_signatures",), rules="duplicates"),
)
SHARD = (
    Stage(articles, ("articles", "boilerplate", "rejects"), "clean", "documents", rows_out="articles", rows_in="unique_documents", rules="clean"),
    *ANNOTATIONS,
)
CORPUS = (
    Stage(mentions, ("mentions", "entities"), "entities", "mentions", rows_out="mentions", rows_in="candidates", rules="entities"),
    Stage(extracted_claims, ("extracted_claims",), "claims", "claims", rows_out="extracted_claims",
          cap=Cap("extracted_claims", "sentence_id", "caps.max_claims_per_sentence", "claims_over_sentence_cap"), rules="claims"),
    Stage(story_features, ("story_features",)),
    Stage(stories, ("stories",), "stories", "articles", rows_out="stories", rows_in="story_features", rules="stories"),
    Stage(claims, ("claims",), rules="claims"),
    Stage(duplicates, ("duplicates",), "duplicate_sentences", "sentences", rows_out="duplicates", rows_in="sentence_signatures", rules="duplicates"),
)
