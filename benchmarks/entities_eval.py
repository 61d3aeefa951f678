"""Entity figures: seed mentions and clusters against the hand annotation, name-variant clustering,
extraction speed and resolution scaling.

    .venv/bin/python benchmarks/entities_eval.py [--corpus-mb 10] [--mentions 100000]

Parts whose shared files are absent are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.stages.entities import load_gazetteer, mention_candidates, resolved_entities  # noqa: E402
from pipeline.core.ids import stable_id  # noqa: E402
from pipeline.stages.entities.names import name_clusters  # noqa: E402
from pipeline.stages.sentences import sentences  # noqa: E402

SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seed_mentions.jsonl"
SHARED = ROOT.parent / "shared"  # ../shared beside the repository, as in the other benchmarks
VARIANTS = SHARED / "benchmarks" / "entities" / "name_variants_dev.jsonl"
CORPORA = SHARED / "corpora"

def gold_records(path: Path = GOLD) -> tuple[dict[str, list[int]], list[dict]]:
    """(body line numbers per seed file, mention records) from the hand annotation."""
    bodies, mentions = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["kind"] == "article":
            bodies[rec["file"]] = rec["body_lines"]
        else:
            mentions.append(rec)
    return bodies, mentions


def seed_articles(bodies: dict[str, list[int]]) -> tuple[pl.DataFrame, dict[tuple[str, int], int]]:
    """Articles built from the seeds' body lines (as the cleaner would leave them), and line offsets."""
    ids, texts, offsets = [], [], {}
    for name, lines in sorted(bodies.items()):
        raw = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        parts, pos = [], 0
        for n in lines:
            line = raw[n - 1].strip()
            offsets[(name, n)] = pos
            parts.append(line)
            pos += len(line) + 2
        ids.append(name.split("_")[1].removesuffix(".txt"))
        texts.append("\n\n".join(parts))
    return pl.DataFrame({"article_id": ids, "text": texts, "published_date": [None] * len(ids)}, schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date}), offsets


def gold_spans(bodies: dict[str, list[int]], mentions: list[dict], articles: pl.DataFrame, offsets: dict) -> list[tuple[str, int, int, str, str]]:
    """Gold (article_id, start, end, type, entity), locating each surface string by occurrence in its line."""
    texts = dict(articles.select("article_id", "text").iter_rows())
    out = []
    for rec in mentions:
        aid = rec["file"].split("_")[1].removesuffix(".txt")
        base = offsets[(rec["file"], rec["line"])]
        line_text = texts[aid][base:]
        hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(rec['text'])}(?!\w)", line_text.split("\n\n")[0])]
        if len(hits) < rec.get("occurrence", 1):
            raise ValueError(f"gold mention not found: {rec}")
        start = base + hits[rec.get("occurrence", 1) - 1]
        out.append((aid, start, start + len(rec["text"]), rec["type"], rec["entity"]))
    return out


def bcubed(pred: dict, truth: dict) -> tuple[float, float]:
    """B-cubed precision and recall of clusterings given as item -> cluster label."""
    items = [i for i in truth if i in pred]
    if not items:
        return 0.0, 0.0
    by_pred, by_truth = defaultdict(set), defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_truth[truth[i]].add(i)
    p = sum(len(by_pred[pred[i]] & by_truth[truth[i]]) / len(by_pred[pred[i]]) for i in items) / len(items)
    r = sum(len(by_pred[pred[i]] & by_truth[truth[i]]) / len(by_truth[truth[i]]) for i in items) / len(items)
    return p, r


def seed_scores() -> dict[str, float]:
    """Mention P/R/F1 (exact span), typed accuracy, and B-cubed over correctly found mentions."""
    bodies, records = gold_records()
    articles, offsets = seed_articles(bodies)
    gold = gold_spans(bodies, records, articles, offsets)
    gazetteer = load_gazetteer()
    mentions, entities = resolved_entities(mention_candidates(articles, sentences(articles), gazetteer), gazetteer)
    names = dict(entities.select("entity_id", "name").iter_rows())
    found = {(a, s, e): (t, names[eid]) for a, s, e, t, eid in mentions.select("article_id", "start", "end", "type", "entity_id").iter_rows()}
    truth = {(a, s, e): (t, ent) for a, s, e, t, ent in gold}
    hits = found.keys() & truth.keys()
    p = len(hits) / len(found) if found else 0.0
    r = len(hits) / len(truth) if truth else 0.0
    cp, cr = bcubed({k: found[k][1] for k in hits}, {k: truth[k][1] for k in hits})
    return {
        "mention_precision": p, "mention_recall": r, "mention_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "type_accuracy": sum(found[k][0] == truth[k][0] for k in hits) / len(hits) if hits else 0.0,
        "cluster_precision": cp, "cluster_recall": cr, "n_gold": len(truth), "n_found": len(found),
        "missed": sorted((k, truth[k]) for k in truth.keys() - found.keys()), "spurious": sorted((k, found[k]) for k in found.keys() - truth.keys()),
    }


def variant_scores(path: Path = VARIANTS, half: int | None = None) -> dict[str, tuple[float, float, float]]:
    """B-cubed P/R/F1 of `name_clusters` on the name-variant set: all, people, orgs, shared-token subset.

    `half` 0 or 1 keeps only the even or odd lines: the rules were tuned on half 0, half 1 is held out.
    """
    names, kinds, truth, shares = [], [], [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if half is not None and n % 2 != half:
            continue
        rec = json.loads(line)
        for variant, share in zip(rec["variants"], rec["shares_token_with_primary"]):
            names.append(variant)
            kinds.append("PERSON" if rec["type"] == "PER" else "ORG")
            truth.append(rec["entity_id"])
            shares.append(share)
    pred = name_clusters(names, kinds)
    out = {}
    for label, keep in (("all", lambda i: True), ("people", lambda i: kinds[i] == "PERSON"), ("organisations", lambda i: kinds[i] == "ORG"), ("shares_token_with_primary", lambda i: shares[i])):
        idx = [i for i in range(len(names)) if keep(i)]
        p, r = bcubed({i: pred[i] for i in idx}, {i: truth[i] for i in idx})
        out[label] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def corpus_articles(limit_mb: float) -> pl.DataFrame:
    """Articles from the shared Reuters and BBC corpora, up to `limit_mb` of text (read, never copied)."""
    ids, texts, size = [], [], 0
    for path in sorted((CORPORA / "reuters21578").glob("*.jsonl")) + sorted((CORPORA / "bbc-news").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            text = rec.get("text") or ""
            if not text.strip():
                continue
            ids.append(stable_id(path.name, rec.get("id"), len(ids)))
            texts.append(text)
            size += len(text.encode("utf-8"))
            if size >= limit_mb * 1e6:
                return pl.DataFrame({"article_id": ids, "text": texts, "published_date": [None] * len(ids)}, schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date})
    return pl.DataFrame({"article_id": ids, "text": texts, "published_date": [None] * len(ids)}, schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-mb", type=float, default=10.0, help="MB of corpus text for the speed run")
    parser.add_argument("--mentions", type=int, default=100_000, help="mentions for the resolution scaling run")
    args = parser.parse_args()

    s = seed_scores()
    print(f"seeds: {s['n_gold']} gold mentions, {s['n_found']} found")
    print(f"  mentions  P {s['mention_precision']:.3f}  R {s['mention_recall']:.3f}  F1 {s['mention_f1']:.3f}  type accuracy {s['type_accuracy']:.3f}")
    print(f"  clusters (B-cubed over found gold mentions)  P {s['cluster_precision']:.3f}  R {s['cluster_recall']:.3f}")
    for label in ("missed", "spurious"):
        print(f"  {label}: " + "; ".join(f"{k[1]}-{k[2]} {v}" for k, v in s[label][:20]))

    if VARIANTS.exists():
        for half, title in ((None, "all"), (0, "tuning half"), (1, "held-out half")):
            for label, (p, r, f) in variant_scores(half=half).items():
                print(f"name variants, {title} [{label}]  B-cubed P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    else:
        print(f"name variants: skipped ({VARIANTS} absent)")

    if not CORPORA.exists():
        print(f"speed and scaling: skipped ({CORPORA} absent)")
        return
    articles = corpus_articles(args.corpus_mb)
    split = sentences(articles)
    gazetteer = load_gazetteer()
    mb = sum(len(t.encode("utf-8")) for t in articles["text"]) / 1e6
    # CPU time as well as wall time: the machine is shared, and wall time counts the neighbours' load.
    t0, c0 = time.perf_counter(), time.process_time()
    candidates = mention_candidates(articles, split, gazetteer)
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    print(f"extraction: {mb:.2f} MB, {articles.height} articles, {candidates.height} mentions: wall {dt:.2f} s = {mb / dt:.2f} MB/s, CPU {dc:.2f} s = {mb / dc:.2f} MB/s (one core)")
    for n in (args.mentions // 4, args.mentions // 2, args.mentions):
        if candidates.height < n:
            print(f"resolution: only {candidates.height} mentions extracted; raise --corpus-mb for {n}")
            break
        t0, c0 = time.perf_counter(), time.process_time()
        mentions, entities = resolved_entities(candidates.head(n), gazetteer)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        print(f"resolution: {mentions.height} mentions -> {entities.height} entities: wall {dt:.2f} s, CPU {dc:.2f} s ({dc / n * 1e6:.1f} us/mention)")

if __name__ == "__main__":
    main()
