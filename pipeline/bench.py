"""Benchmark: `python -m pipeline.bench PATH [--flow]`.

Runs the build's stages on a corpus (a directory or glob of .txt/.html files, or a .jsonl file
or directory of .jsonl shards with a "text" field) in one process and prints, per stage and in
total, the CPU time, articles/s, MB/s of raw text, and the process's peak resident memory after
the stage. With `--flow` it also times the whole Prefect flow end to end (wall clock) into a
temporary directory.
Figures go to the README; no test asserts on time.
"""

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pipeline import build, io
from pipeline.stages import claims, clean, dates, duplicates, entities, quantities, sentences, stories
from pipeline.stages.ingest import InputFile


def _jsonl_inputs(path: Path) -> list[InputFile]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    inputs = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                rec = json.loads(line)
                text = (rec.get("title", "") + "\n\n" if rec.get("title") else "") + rec["text"]
                data = text.encode("utf-8")
                inputs.append(InputFile(f"{f.stem}/{rec.get('id', n)}.txt", data, len(data)))
    return inputs


def corpus(path: str) -> list[InputFile]:
    p = Path(path)
    if p.suffix == ".jsonl" or (p.is_dir() and any(p.glob("*.jsonl"))):
        return _jsonl_inputs(p)
    root, files = io.input_files(path)
    return [io.read_input(root, f) for f in files]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(rows: list, name: str, n_articles: int, n_bytes: int, fn: Callable):
    """Run fn, recording CPU seconds (wall time is noise on a shared machine) and peak memory."""
    t0 = time.process_time()
    result = fn()
    dt = max(time.process_time() - t0, 1e-9)
    rows.append((name, dt, n_articles / dt, n_bytes / 1e6 / dt, _peak_mb()))
    return result


def stage_figures(inputs: list[InputFile], options: build.BuildOptions = build.BuildOptions()) -> list[tuple]:
    """(stage, CPU seconds, articles/s, MB/s of raw input, peak RSS MB) per stage, then the total.

    Stages run once over the whole corpus, in the build's order, so each figure is that stage alone.
    """
    n, size = len(inputs), sum(i.n_bytes or 0 for i in inputs)
    rows: list[tuple] = []

    def step(name, fn):
        return _timed(rows, name, n, size, fn)

    rules = options.rules
    docs = build.concatenated([step("ingest (decode)", lambda: build.ingested(inputs, rules.ingest))], "documents")
    unique, _, _ = step("deduplicate", lambda: build.unique_documents(docs))
    templates = step("template lines", lambda: build.template_keys(unique))
    articles, _, _ = step("clean", lambda: clean.articles(unique, templates, rules.clean))
    sents = step("sentences", lambda: sentences.sentences(articles, rules.sentences))
    gazetteer = build.gazetteer(options)
    candidates = step("entity candidates", lambda: entities.mention_candidates(articles, sents, gazetteer, options.ner, rules.entities))
    detected = step("date detection", lambda: dates.detections(articles))  # shared by the next two, as in the build
    found_quantities = step("quantities", lambda: quantities.quantities(articles, sents, detected))
    found_dates = step("dates", lambda: dates.dates(articles, sents, detected))
    mentions, ents = step("entity resolution", lambda: entities.resolved_entities(candidates, gazetteer, rules.entities))
    found_claims = step("claims", lambda: claims.claims(articles, sents, mentions, ents, found_quantities, found_dates))
    step("claim groups", lambda: claims.grouped_claims(found_claims))
    step("stories", lambda: stories.story_ids(articles, mentions, rules.stories))
    step("duplicate sentences", lambda: duplicates.duplicate_sentences(sents, rules.duplicates))
    total = sum(r[1] for r in rows)
    rows.append(("total", total, n / total, size / 1e6 / total, _peak_mb()))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.splitlines()[0])
    p.add_argument("path", help="corpus: directory/glob of .txt files, or .jsonl file/directory")
    p.add_argument("--flow", action="store_true", help="also time the whole Prefect flow (a directory or glob of files only)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    args = p.parse_args(argv)
    if not Path(args.path.split("*")[0]).exists():
        print(f"corpus {args.path} not found; nothing to measure")
        return 0
    inputs = corpus(args.path)[: args.limit]
    size = sum(i.n_bytes or 0 for i in inputs)
    print(f"corpus: {args.path}: {len(inputs)} articles, {size / 1e6:.1f} MB")
    print(f"{'stage':<22}{'CPU s':>9}{'articles/s':>12}{'MB/s':>8}{'peak RSS MB':>13}")
    for name, secs, aps, mbs, peak in stage_figures(inputs):
        print(f"{name:<22}{secs:>9.2f}{aps:>12.0f}{mbs:>8.2f}{peak:>13.0f}")
    if args.flow:
        from pipeline.orchestration.flows import build_dataset

        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            build_dataset(input=args.path, out=str(Path(tmp) / "data"))
            dt = time.perf_counter() - t0
        print(f"prefect flow, wall clock: {dt:.2f} s, {len(inputs) / dt:.0f} articles/s, {size / 1e6 / dt:.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
