"""Score `pipeline.boilerplate.cleaned` on the boilerplate dev set: token P/R/F1 and speed.

Usage: python benchmarks/boilerplate_eval.py [--dev PATH] [--show ID_PREFIX] [--cv] [--corpus DIR ...]
The metric is the benchmark's own `metric.py`, imported from the dev file's folder.
--cv: 5-fold cross-validation of the hand-tuned numbers (short-line penalty, end-of-body
share, teaser-block topic share and block gap): each fold picks the best setting on 4/5 of
the pages and is scored on the rest.
--corpus: also time cleaning on the *.txt files of these folders (plain news text).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import boilerplate  # noqa: E402
from pipeline.boilerplate import cleaned  # noqa: E402

DEFAULT_DEV = Path("/work/shared/benchmarks/boilerplate/dev.jsonl")


def _metric(dev: Path):
    spec = importlib.util.spec_from_file_location("boilerplate_metric", dev.parent / "metric.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--show", help="print the clean text of pages whose id starts with this")
    parser.add_argument("--cv", action="store_true", help="5-fold cross-validation of the tuned numbers")
    parser.add_argument("--corpus", type=Path, nargs="*", default=[], help="folders of .txt files to time")
    args = parser.parse_args()
    if not args.dev.is_file():
        print(f"skipped: dev set not found at {args.dev}")
        return 0
    metric = _metric(args.dev)
    rows = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    golds = {r["id"]: r["gold_text"] for r in rows}
    raws = {r["id"]: r["raw_text"] for r in rows}

    preds = {k: cleaned(raw).text for k, raw in raws.items()}
    res = metric.evaluate(golds, preds, n_bootstrap=200)
    print(f"pages {res['n_pages']}  empty predictions {res['n_empty_pred']}")
    print(f"precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
          f"F1 {res['f1']:.3f} (+-{res['f1_std']:.3f})  accuracy {res['accuracy']:.3f}")
    print(_speed("dev pages", list(raws.values())))
    for folder in args.corpus:
        print(_speed(folder.name, [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]))
    if args.cv:
        _cross_validate(metric, golds, raws)
    if args.show:
        for k in sorted(k for k in preds if k.startswith(args.show)):
            p, r, f = _page_scores(metric, golds[k], preds[k])
            print(f"\n#### {k}  P {p:.2f} R {r:.2f} F {f:.2f}\n{preds[k]}")
    return 0


def _speed(name: str, texts: list[str], clock: Callable[[], float] = time.process_time) -> str:
    """MB/s of cleaning, best of three runs by CPU time (the machine is shared)."""
    best = float("inf")
    for _ in range(3):
        t0 = clock()
        for raw in texts:
            cleaned(raw)
        best = min(best, clock() - t0)
    megabytes = sum(len(raw.encode("utf-8")) for raw in texts) / 1e6
    return f"speed {name}: {megabytes / best:.1f} MB/s ({megabytes:.2f} MB in {best * 1000:.0f} ms CPU, one core)"


_TUNED = ("short", "_END_SHARE", "_TOPIC_SHARED", "_TOPIC_GAP")


def _set(values: tuple) -> None:
    boilerplate._PENALTY["short"] = values[0]
    for name, value in zip(_TUNED[1:], values[1:]):
        setattr(boilerplate, name, value)


def _cross_validate(metric, golds: dict[str, str], raws: dict[str, str], folds: int = 5) -> None:
    keys = sorted(golds)
    grid = list(itertools.product((-2.0, -3.0), (0.3, 0.5), (0.15, 0.2, 0.25, 0.3), (2, 3)))
    saved = (boilerplate._PENALTY["short"], *(getattr(boilerplate, n) for n in _TUNED[1:]))
    counts = {}
    try:
        for values in grid:
            _set(values)
            counts[values] = {k: metric.page_counts(golds[k], cleaned(raws[k]).text) for k in keys}
    finally:
        _set(saved)
    held_out = []
    for f in range(folds):
        test = set(keys[f::folds])
        train = [k for k in keys if k not in test]
        best = max(grid, key=lambda g: metric.aggregate([counts[g][k] for k in train])["f1"])
        print(f"fold {f}: chose " + " ".join(f"{n.strip('_').lower()}={v}" for n, v in zip(_TUNED, best)))
        held_out += [counts[best][k] for k in sorted(test)]
    res = metric.aggregate(held_out)
    print(f"5-fold held-out: precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}")


def _page_scores(metric, gold: str, pred: str) -> tuple[float, float, float]:
    tp, fp, fn = metric.page_counts(gold, pred)
    p, r = metric._prec(tp, fp, fn), metric._rec(tp, fp, fn)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


if __name__ == "__main__":
    raise SystemExit(main())
