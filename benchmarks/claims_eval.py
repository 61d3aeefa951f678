"""Claim extraction and grouping measured against the hand annotation of the seeds.

    python benchmarks/claims_eval.py [--gold tests/gold/seed_claims.jsonl] [--seeds seeds] [--speed-corpus PATH] [--show]
    python benchmarks/claims_eval.py --gold tests/gold/invented_claims.jsonl

Runs the real stages on the seed files (cleaning, sentences, entities, quantities, dates, claims,
grouping) and compares with `tests/gold/seed_claims.jsonl`, one line per gold claim: seed
prefix, the text of the sentence holding it, its kind, and a group label shared by the claims
that assert the same thing. A gold file may carry its own clean articles as lines
`{"article", "published_date", "text"}` (tests/gold/invented_claims.jsonl does); the seeds are
then not read and a claim line's "seed" names its article. A predicted claim matches an unused gold claim of the same seed and
kind whose sentence is the predicted claim's sentence (clause claims only: the gold has no action claims) (whitespace-insensitive; either may
contain the other, as sentence splitting may differ). Prints claim precision/recall/F1 (overall
and per kind), pairwise grouping precision/recall over matched claims, the number of sources
found for each multi-source gold group, and the MB/s of `claims` + `grouped_claims` on a larger
corpus (Wikinews, when present), timed apart from the stages before them.
"""

import argparse
import json
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.stages.boilerplate import cleaned  # noqa: E402
from pipeline.stages.claims import claims, grouped_claims  # noqa: E402
from pipeline.stages.dates import dates  # noqa: E402
from pipeline.stages.stories import story_ids  # noqa: E402
from pipeline.stages.entities import load_gazetteer, mention_candidates, resolved_entities  # noqa: E402
from pipeline.stages.quantities import quantities  # noqa: E402
from pipeline.stages.sentences import sentences  # noqa: E402

_QUOTES = str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"})


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split()).strip(" .;:").casefold()


def _articles(records: list[tuple[str, str]]) -> pl.DataFrame:
    """Articles frame (article_id, text, published_date) from (id, raw text) pairs."""
    rows = []
    for article_id, raw in records:
        clean = cleaned(unicodedata.normalize("NFC", raw.replace("\r\n", "\n")))
        rows.append({"article_id": article_id, "text": clean.text, "published_date": clean.published_date})
    return pl.DataFrame(rows, schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date})


def _stages(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, tuple[float, float]]:
    """(sentences, grouped claims, (wall, CPU) seconds spent in claims + grouped_claims)."""
    sents = sentences(articles)
    gazetteer = load_gazetteer()
    mentions, entities = resolved_entities(mention_candidates(articles, sents, gazetteer), gazetteer)
    found_quantities, found_dates = quantities(articles, sents), dates(articles, sents)
    stories = story_ids(articles, mentions)
    started, cpu = time.perf_counter(), time.process_time()
    grouped = grouped_claims(claims(articles, sents, mentions, entities, found_quantities, found_dates), stories)
    return sents, grouped, (time.perf_counter() - started, time.process_time() - cpu)


def _matched(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one (gold index, predicted index) matches."""
    free = defaultdict(list)
    for p, claim in enumerate(predicted):
        free[(claim["seed"], claim["kind"])].append(p)
    pairs = []
    for g, item in enumerate(gold):
        sentence = _norm(item["sentence"])
        for p in free[(item["seed"], item["kind"])]:
            found = _norm(predicted[p]["sentence"])
            if found == sentence or (found and found in sentence) or sentence in found:
                pairs.append((g, p))
                free[(item["seed"], item["kind"])].remove(p)
                break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> str:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp}, predicted {n_pred}, gold {n_gold})"


def _report(gold: list[dict], predicted: list[dict], show: bool) -> None:
    pairs = _matched(gold, predicted)
    print("claims, all kinds:", _prf(len(pairs), len(predicted), len(gold)))
    for kind in ("quantity", "event", "statement"):
        tp = sum(1 for g, _ in pairs if gold[g]["kind"] == kind)
        print(f"  {kind:<9}", _prf(tp, sum(c["kind"] == kind for c in predicted), sum(g["kind"] == kind for g in gold)))
    group_of = {g: predicted[p]["group_id"] for g, p in pairs}
    same_gold = {(a, b) for a, b in combinations(range(len(gold)), 2) if gold[a]["group"] == gold[b]["group"]}
    matched = sorted(group_of)
    same_pred = {(a, b) for a, b in combinations(matched, 2) if group_of[a] == group_of[b]}
    tp = len(same_gold & same_pred)
    print("grouping, pairs of claims:", _prf(tp, len(same_pred), len(same_gold)))
    sources = Counter(g["group"] for g in {(g["seed"], g["group"]): g for g in gold}.values())
    print("multi-source gold groups: gold sources -> largest predicted n_sources among its matched claims")
    for label, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0])):
        if n > 1:
            found = [predicted[p]["n_sources"] for g, p in pairs if gold[g]["group"] == label]
            print(f"  {label:<24} {n} -> {max(found) if found else '-'}")
    if show:
        for title, pairs_shown in (("FP pair", same_pred - same_gold), ("FN pair", same_gold - same_pred)):
            for a, b in sorted(pairs_shown):
                if a in group_of and b in group_of:
                    print(f"{title} {gold[a]['group']:<22} {gold[b]['group']:<22} {gold[a]['seed']} {gold[a]['sentence'][:50]!r} | {gold[b]['seed']} {gold[b]['sentence'][:50]!r}")
        used = {p for _, p in pairs}
        for p, claim in enumerate(predicted):
            mark = "  " if p in used else "FP"
            print(f"{mark} {claim['seed']} {claim['kind']:<9} {claim['predicate']:<10} n={claim['n_sources']} {claim['text'][:110]!r}")
        hit = {g for g, _ in pairs}
        for g, item in enumerate(gold):
            if g not in hit:
                print(f"FN {item['seed']} {item['kind']:<9} {item['group']:<22} {item['sentence'][:100]!r}")


def _speed(corpus: Path) -> None:
    if not corpus.is_file():
        print(f"speed: skipped, {corpus} not found")
        return
    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    articles = _articles([(r["id"], r["text"]) for r in records])
    _, grouped, (wall, cpu) = _stages(articles)
    megabytes = articles["text"].str.len_bytes().sum() / 1e6
    # CPU time is reported beside wall time: on a shared machine the wall clock also counts waiting.
    print(f"speed on {corpus.name}: {megabytes:.2f} MB of clean text, {grouped.height:,} claims; claims + grouped_claims: "
          f"wall {wall:.2f} s = {megabytes / wall:.2f} MB/s, CPU {cpu:.2f} s = {megabytes / cpu:.2f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(ROOT / "tests" / "gold" / "seed_claims.jsonl"))
    parser.add_argument("--seeds", default=str(ROOT / "seeds"))
    parser.add_argument("--speed-corpus", default=str(ROOT.parent / "shared" / "corpora" / "wikinews" / "wikinews-2019-2020.jsonl"))
    parser.add_argument("--show", action="store_true", help="list every predicted claim and every missed gold claim")
    args = parser.parse_args()
    lines = [json.loads(line) for line in Path(args.gold).open(encoding="utf-8")]
    gold = [line for line in lines if "article" not in line]
    own = [line for line in lines if "article" in line]
    if own:
        articles = pl.DataFrame(
            [{"article_id": r["article"], "text": r["text"], "published_date": r.get("published_date")} for r in own],
            schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Utf8},
        ).with_columns(pl.col("published_date").str.to_date())
        seed_of = {r["article"]: r["article"] for r in own}
    else:
        files = sorted(Path(args.seeds).glob("*.txt"))
        articles = _articles([(f.stem.split("_")[1], f.read_text(encoding="utf-8")) for f in files])
        seed_of = {f.stem.split("_")[1]: f.stem.split("_")[0] for f in files}
    sents, grouped, _ = _stages(articles)
    sentence_text = dict(zip(sents["sentence_id"].to_list(), sents["text"].to_list()))
    # The gold reads whole clauses: action claims (one action inside a clause) are not scored here
    # (benchmarks/ecb_eval.py scores them against gold event mentions).
    predicted = [
        {**row, "seed": seed_of[row["article_id"]], "sentence": sentence_text[row["sentence_id"]]}
        for row in grouped.filter(pl.col("scope") == "clause").iter_rows(named=True)
    ]
    _report(gold, predicted, args.show)
    _speed(Path(args.speed_corpus))


if __name__ == "__main__":
    main()
