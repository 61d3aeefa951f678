"""Throughput and yield of near-duplicate sentences and stories on the benchmark corpora.

    python benchmarks/dedup_bench.py [--corpora DIR] [--limit N] [--examples K]

Prints, per corpus (Reuters-21578, BBC News): MB/s (wall and CPU time) of `duplicate_sentences` and `story_ids`, how
many sentences are marked (within one article / across articles), how many multi-article
stories, and K random examples of each for a precision spot-check. Sentences come from
`pipeline.stages.sentences` when that stage exists, else from a plain period-and-paragraph splitter
(reported in the output). Skips cleanly when the corpora are absent.
"""

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.stages.duplicates import duplicate_sentences  # noqa: E402
from pipeline.stages.stories import story_ids  # noqa: E402
from pipeline.core.ids import stable_id  # noqa: E402

CORPORA = {"reuters21578": "Reuters-21578, Distribution 1.0", "bbc-news": "BBC News (Greene & Cunningham 2006)"}
_PARAGRAPH = re.compile(r"\n\s*\n|\n {3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _plain_sentences(articles: pl.DataFrame) -> pl.DataFrame:
    rows = []
    for article_id, text in articles.select("article_id", "text").iter_rows():
        position = 0
        for paragraph in _PARAGRAPH.split(text):
            for sentence in _SENTENCE_END.split(paragraph):
                sentence = " ".join(sentence.split())
                if sentence:
                    rows.append((stable_id(article_id, position), article_id, position, sentence))
                    position += 1
    return pl.DataFrame(rows, schema=["sentence_id", "article_id", "position", "text"], orient="row")


def _sentences(articles: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    try:
        from pipeline.stages.sentences import sentences
    except ImportError:
        return _plain_sentences(articles), "plain regex splitter (pipeline.stages.sentences absent)"
    return sentences(articles), "pipeline.stages.sentences"


def _load(folder: Path, limit: int | None) -> pl.DataFrame:
    records = []
    for shard in sorted(folder.glob("part-*.jsonl")):
        with shard.open(encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines)
    records = records[:limit] if limit else records
    return pl.DataFrame(
        {
            "article_id": [r["id"] for r in records],
            "title": [r["title"] for r in records],
            "text": [r["text"] for r in records],
            "published_date": [(r["published"] or "")[:10] or None for r in records],
        },
        schema={"article_id": pl.Utf8, "title": pl.Utf8, "text": pl.Utf8, "published_date": pl.Utf8},
    ).with_columns(pl.col("published_date").str.to_date())


def _report(name: str, articles: pl.DataFrame, examples: int, rng: random.Random) -> None:
    megabytes = articles["text"].str.len_bytes().sum() / 1e6
    sentences, splitter = _sentences(articles)
    started, cpu = time.perf_counter(), time.process_time()
    duplicates = duplicate_sentences(sentences)
    sentence_seconds, sentence_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    stories = story_ids(articles)
    story_seconds, story_cpu = time.perf_counter() - started, time.process_time() - cpu

    marked = duplicates.filter(pl.col("duplicate_of").is_not_null()).join(
        sentences.select("sentence_id", "article_id", "text"), on="sentence_id"
    ).join(
        sentences.select(pl.col("sentence_id").alias("duplicate_of"), pl.col("article_id").alias("of_article"), pl.col("text").alias("of_text")),
        on="duplicate_of",
    )
    exact = marked.filter(pl.col("text") == pl.col("of_text")).height
    within = marked.filter(pl.col("article_id") == pl.col("of_article")).height
    story_sizes = stories.group_by("story_id").len().filter(pl.col("len") > 1)
    print(f"\n== {name}: {articles.height:,} articles, {megabytes:.1f} MB, {sentences.height:,} sentences ({splitter})")
    # CPU time beside wall time: on a shared machine the wall clock also counts waiting.
    print(f"duplicate_sentences: wall {sentence_seconds:.2f} s = {megabytes / sentence_seconds:.1f} MB/s, "
          f"CPU {megabytes / sentence_cpu:.1f} MB/s; "
          f"{marked.height:,} marked ({within:,} within an article, {marked.height - within:,} across; {exact:,} textually identical)")
    print(f"story_ids: wall {story_seconds:.2f} s = {megabytes / story_seconds:.1f} MB/s, CPU {megabytes / story_cpu:.1f} MB/s; "
          f"{story_sizes.height:,} stories with 2+ articles, holding {story_sizes['len'].sum() or 0:,} articles; largest {story_sizes['len'].max() or 0}")
    near = marked.filter(pl.col("text") != pl.col("of_text")).rows(named=True)
    print(f"-- {examples} random non-identical duplicate sentences:")
    for row in rng.sample(near, min(examples, len(near))):
        print(f"  {row['text'][:110]!r}\n    ~ {row['of_text'][:110]!r}")
    titled = articles.select("article_id", "title").join(stories, on="article_id")
    groups = titled.join(story_sizes, on="story_id").group_by("story_id").agg(pl.col("title").sort()).rows()
    print(f"-- {examples} random multi-article stories (titles):")
    for _, titles in rng.sample(sorted(groups), min(examples, len(groups))):
        print("  " + " | ".join((t or "(no title)")[:45] for t in titles[:4]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpora"))
    parser.add_argument("--limit", type=int, default=None, help="articles per corpus (default: all)")
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args()
    root = Path(args.corpora)
    rng = random.Random(0)
    found = False
    for folder, credit in CORPORA.items():
        if not (root / folder).is_dir():
            print(f"skip {folder}: not found under {root}")
            continue
        found = True
        _report(f"{folder} ({credit})", _load(root / folder, args.limit), args.examples, rng)
    if not found:
        print("no corpora found; nothing measured")


if __name__ == "__main__":
    main()
