"""Exact-sentence F1 of the splitter on real web text with gold boundaries (UD English-EWT dev), against pySBD.

Run: .venv/bin/python benchmarks/sentences_eval.py [--shared DIR]
The documents are split in two halves by a hash of their id: "tune" (the half the splitter's
rules were adjusted on) and "held-out" (looked at only for these figures); both are reported.
A predicted sentence counts when its whitespace-trimmed text equals a gold sentence's at the
same place (spans are compared, so a repeated sentence is not counted twice).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.stages.sentences import sentence_spans  # noqa: E402

DEV = "benchmarks/sentences/ewt_dev.jsonl"


def half(doc_id: str) -> str:
    return "tune" if int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "held-out"


def trimmed_spans(text: str, spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    out = set()
    for a, b in spans:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.add((a + lead, a + lead + len(piece.strip())))
    return out


def gold_spans(text: str, sentences: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for s in sentences:
        s = s.strip()
        i = text.index(s, pos)
        out.add((i, i + len(s)))
        pos = i + len(s)
    return out


def pysbd_spans(segmenter, text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s in segmenter.segment(text):
        s = s.strip()
        if not s:
            continue
        i = text.find(s, pos)
        if i < 0:
            continue
        out.append((i, i + len(s)))
        pos = i + len(s)
    return out


def f1(pairs: list[tuple[set, set]]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in pairs)
    n_pred = sum(len(p) for _, p in pairs)
    n_gold = sum(len(g) for g, _ in pairs)
    prec, rec = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return prec, rec, 2 * prec * rec / max(prec + rec, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    path = args.shared / DEV
    if not path.is_file():
        print(f"skipped: {path} not found")
        return 0
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
    except ImportError:
        segmenter = None
    for part in ("tune", "held-out", "all"):
        chosen = [d for d in docs if part == "all" or half(d["id"]) == part]
        gold = [gold_spans(d["text"], d["sentences"]) for d in chosen]
        ours = [trimmed_spans(d["text"], sentence_spans(d["text"])) for d in chosen]
        p, r, f = f1(list(zip(gold, ours)))
        line = f"{part:9s} {len(chosen):3d} docs {sum(map(len, gold)):5d} sentences  ours P {p:.3f} R {r:.3f} F1 {f:.3f}"
        if segmenter is not None:
            theirs = [set(pysbd_spans(segmenter, d["text"])) for d in chosen]
            p, r, f = f1(list(zip(gold, theirs)))
            line += f"  |  pySBD P {p:.3f} R {r:.3f} F1 {f:.3f}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
