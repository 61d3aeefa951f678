"""Benchmark: `python -m pipeline.bench PATH [--flow]`.

Runs the build's stages on a corpus (a directory or glob of .txt/.html files, or a .jsonl file
or directory of .jsonl shards with a "text" field) in one process and prints, per stage and in
total, the time, articles/s, MB/s of raw text, and the process's peak resident memory after the
stage. With `--flow` it also times the whole Prefect flow end to end into a temporary directory.
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
from pipeline.ingest import InputFile


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
    t0 = time.perf_counter()
    result = fn()
    dt = time.perf_counter() - t0
    rows.append((name, dt, n_articles / dt if dt else float("inf"), n_bytes / 1e6 / dt if dt else float("inf"), _peak_mb()))
    return result


def stage_figures(inputs: list[InputFile], shard_size: int = 1000) -> list[tuple]:
    """(stage, seconds, articles/s, MB/s, peak RSS MB) for each stage, then the total."""
    n, size = len(inputs), sum(i.n_bytes or 0 for i in inputs)
    rows: list[tuple] = []
    shards = [inputs[i : i + shard_size] for i in range(0, len(inputs), shard_size)] or [[]]
    ingested = _timed(rows, "ingest (decode)", n, size, lambda: [build.ingested(s) for s in shards])
    docs = build.concatenated(ingested, "documents")
    unique, _, _ = _timed(rows, "deduplicate", n, size, lambda: build.unique_documents(docs))
    templates = _timed(rows, "template lines", n, size, lambda: build.template_keys(unique))
    doc_shards = [unique.slice(i, shard_size) for i in range(0, unique.height, shard_size)] or [unique]
    _timed(rows, "clean + sentences", n, size, lambda: [build.analysed(d, templates) for d in doc_shards])
    total = sum(r[1] for r in rows)
    rows.append(("total", total, n / total, size / 1e6 / total, _peak_mb()))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.splitlines()[0])
    p.add_argument("path", help="corpus: directory/glob of .txt files, or .jsonl file/directory")
    p.add_argument("--flow", action="store_true", help="also time the whole Prefect flow")
    p.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    args = p.parse_args(argv)
    if not Path(args.path.split("*")[0]).exists():
        print(f"corpus {args.path} not found; nothing to measure")
        return 0
    inputs = corpus(args.path)[: args.limit]
    size = sum(i.n_bytes or 0 for i in inputs)
    print(f"corpus: {args.path}: {len(inputs)} articles, {size / 1e6:.1f} MB")
    print(f"{'stage':<22}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}{'peak RSS MB':>13}")
    for name, secs, aps, mbs, peak in stage_figures(inputs):
        print(f"{name:<22}{secs:>9.2f}{aps:>12.0f}{mbs:>8.2f}{peak:>13.0f}")
    if args.flow:
        from pipeline.flows import build_dataset

        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            build_dataset(input=args.path, out=str(Path(tmp) / "data"))
            dt = time.perf_counter() - t0
        print(f"{'prefect flow (total)':<22}{dt:>9.2f}{len(inputs) / dt:>12.0f}{size / 1e6 / dt:>8.2f}{_peak_mb():>13.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
