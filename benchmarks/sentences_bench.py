"""Throughput of sentence_spans on the shared corpora (one core, MB = 10**6 bytes of UTF-8), and the golden-rule score.

Run: .venv/bin/python benchmarks/sentences_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.stages.sentences import sentence_spans  # noqa: E402
from tests.test_sentences import GOLDEN_RULES  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"  # the shared folder beside the repository
FOLDERS = ("bbc-news-txt", "reuters21578-txt")


def throughput(texts: list[str], repeat: int) -> tuple[int, float, float]:
    """Sentence count and the best CPU and wall seconds over `repeat` runs.

    CPU time of this process is the figure to compare: on a shared machine wall time also
    measures whoever else is running.
    """
    best_cpu = best_wall = float("inf")
    count = 0
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        count = sum(len(sentence_spans(t)) for t in texts)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return count, best_cpu, best_wall


def golden_score() -> int:
    return sum(
        [text[a:b] for a, b in sentence_spans(text)] == expected
        for text, expected in GOLDEN_RULES
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for name in FOLDERS:
        folder = CORPORA / name
        files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        if not files:
            print(f"{name}: absent, skipped")
            continue
        texts = [f.read_text(encoding="utf-8") for f in files]
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        count, cpu, wall = throughput(texts, args.repeat)
        print(f"{name}: {len(texts)} files, {megabytes:.2f} MB (UTF-8), {count} sentences, "
              f"{megabytes / cpu:.1f} MB/s CPU ({cpu:.3f} s), {megabytes / wall:.1f} MB/s wall")
    print(f"golden rules: {golden_score()}/{len(GOLDEN_RULES)}")


if __name__ == "__main__":
    main()
