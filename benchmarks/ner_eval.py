"""NER figures of the learned tagger: typed PER/ORG/LOC F1 and span F1.

    nice -n 10 .venv/bin/python benchmarks/ner_eval.py [--parts cross,wikinews,wnut,speed] [--speed-mb 2]

- cross: train on two of wikigold / BTC / Re-DocRED, test on the third, each way (with the same
  nationality retagging as training, see `pipeline.stages.entities.tagger.training_sentences`), sentence by
  sentence; a source with documents (Re-DocRED) also by document, with the article-level rules of
  `Tagger.article_spans`, without and with `TaggerRules.article_types`.
- wikinews: the shipped model on tests/gold/wikinews_ner.jsonl (never trained on), by the tagger alone
  and through the pipeline's mention extraction (rules and learned), whose types are mapped back
  (PERSON->PER, ORG->ORG, GPE/LOC->LOC, others->MISC; demonyms are not mentions there).
- wnut: the shipped model on WNUT17's test split (not in its training data).
- speed: tagger MB/s on one core over Wikinews text (the pipeline's sentences), with the rules for comparison.
Typed F1 counts a span right when its boundaries and type match, over PER, ORG and LOC only;
span F1 counts boundaries only, over all four types. Parts whose files are absent are skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.stages.entities import tagger  # noqa: E402
from pipeline.stages.entities import load_gazetteer, mention_candidates  # noqa: E402
from pipeline.stages.sentences import sentences  # noqa: E402
from pipeline.train import NER_FILES  # noqa: E402

SHARED = ROOT / ".." / "shared"
NER = SHARED / "training" / "ner"
GOLD = ROOT / "tests" / "gold" / "wikinews_ner.jsonl"
WIKINEWS = SHARED / "corpora" / "wikinews" / "wikinews-2019-2020.jsonl"
CROSS = ("wikigold.jsonl", "btc.jsonl", "redocred.jsonl")
_TO_GOLD = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "EVENT": "MISC", "OTHER": "MISC"}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def scores(gold: list[set[tuple[int, int, str]]], found: list[set[tuple[int, int, str]]]) -> dict[str, dict[str, float]]:
    """Typed PER/ORG/LOC, span (all types, boundaries only) and per-type figures."""
    out = {}
    kinds = {"typed": ("PER", "ORG", "LOC"), "PER": ("PER",), "ORG": ("ORG",), "LOC": ("LOC",), "MISC": ("MISC",)}
    for name, types in kinds.items():
        tp = fp = fn = 0
        for g, f in zip(gold, found):
            g, f = {x for x in g if x[2] in types}, {x for x in f if x[2] in types}
            tp, fp, fn = tp + len(g & f), fp + len(f - g), fn + len(g - f)
        out[name] = prf(tp, fp, fn)
    tp = fp = fn = 0
    for g, f in zip(gold, found):
        g, f = {x[:2] for x in g}, {x[:2] for x in f}
        tp, fp, fn = tp + len(g & f), fp + len(f - g), fn + len(g - f)
    out["span"] = prf(tp, fp, fn)
    return out


def line(label: str, s: dict[str, dict[str, float]]) -> str:
    t, sp = s["typed"], s["span"]
    per_type = "  ".join(f"{k} {s[k]['f1']:.3f}" for k in ("PER", "ORG", "LOC", "MISC"))
    return (f"  {label:<34} typed P {t['p']:.3f} R {t['r']:.3f} F1 {t['f1']:.3f} | span P {sp['p']:.3f} R {sp['r']:.3f} F1 {sp['f1']:.3f}"
            f" | F1 by type: {per_type}")


def token_sets(data, model: tagger.Tagger) -> tuple[list, list]:
    predicted = model.tag([words for words, _ in data])
    return [set(tagger.spans_of(tags)) for _, tags in data], [set(tagger.spans_of(tags)) for tags in predicted]


def documents(path: Path) -> list[str]:
    """The document of each sentence of a training file, in `read_jsonl` order: Re-DocRED's ids
    are "<document>-<sentence>"; the other sources' sentences (tweets, wikigold's unsplit
    articles) stand alone."""
    ids = [json.loads(x)["id"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [i.rsplit("-", 1)[0] if i.startswith("redocred-") else i for i in ids]


def document_sets(data, docs: list[str], model: tagger.Tagger, rules: tagger.TaggerRules) -> tuple[list, list]:
    """Gold and found token spans per document, tagged with the article-level rules of
    `Tagger.article_spans` (tokens stand for characters: offsets are token positions)."""
    gold, found = [], []
    k = 0
    while k < len(data):
        end = k
        while end < len(data) and docs[end] == docs[k]:
            end += 1
        words = [w for w, _ in data[k:end]]
        offsets, toks = 0, []
        for w in words:
            toks.append([(offsets + i, offsets + i + 1) for i in range(len(w))])
            offsets += len(w)
        matches = [tagger.gazetteer_matches(w, model.lex) for w in words]
        tagged = model.tag(words, matches=matches)
        found.append(set(model.completed(toks, words, tagged, matches, rules)))
        gold.append({(t[i][0], t[j - 1][1], kind) for t, (_, tags) in zip(toks, data[k:end]) for i, j, kind in tagger.spans_of(tags)})
        k = end
    return gold, found


def cross_source(gazetteer, config: tagger.TrainConfig) -> None:
    if not all((NER / f).is_file() for f in CROSS):
        print("cross-source: training files absent, skipped")
        return
    print("Cross-source (train on two sources, test on the third):")
    for held in CROSS:
        train = tagger.training_sentences([NER / f for f in CROSS if f != held], gazetteer)
        test = tagger.training_sentences([NER / held], gazetteer)
        start = time.process_time()
        model = tagger.from_arrays(tagger.train_model(train, gazetteer, config), gazetteer)
        seconds = time.process_time() - start
        print(line(f"test {held.removesuffix('.jsonl')} ({seconds:.0f} s CPU)", scores(*token_sets(test, model))))
        docs = documents(NER / held)
        if len(set(docs)) < len(docs):
            for on in (False, True):
                label = f"  by document, article_types={on}"
                print(line(label, scores(*document_sets(test, docs, model, tagger.TaggerRules(article_types=on)))))


def gold_records() -> list[dict]:
    return [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]


def wikinews(gazetteer) -> None:
    records = gold_records()
    gold = [{(s["start"], s["end"], s["type"]) for s in r["spans"]} for r in records]
    model = tagger.load(tagger.MODEL_PATH, gazetteer)
    found = [set(model.spans(r["text"], [(0, len(r["text"]))])) for r in records]
    print(f"Wikinews gold ({len(records)} sentences, {sum(map(len, gold))} spans):")
    print(line("tagger alone", scores(gold, found)))
    articles = pl.DataFrame({"article_id": [r["id"] for r in records], "text": [r["text"] for r in records], "published_date": [None] * len(records)},
                            schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date})
    one = pl.DataFrame({"article_id": articles["article_id"], "sentence_id": articles["article_id"], "start": [0] * len(records),
                        "end": [len(r["text"]) for r in records]}, schema={"article_id": pl.Utf8, "sentence_id": pl.Utf8, "start": pl.Int32, "end": pl.Int32})
    for ner in ("rules", "learned"):
        # Each gold sentence is an article of one sentence: nothing from other sentences helps.
        cands = mention_candidates(articles, one, gazetteer, ner)
        by_id: dict[str, set] = {r["id"]: set() for r in records}
        for aid, s, e, t in cands.select("article_id", "start", "end", "type").iter_rows():
            by_id[aid].add((s, e, _TO_GOLD[t]))
        print(line(f"pipeline mentions, --ner {ner}", scores(gold, [by_id[r["id"]] for r in records])))


def wnut(gazetteer) -> None:
    path = NER / "wnut17_test.jsonl"
    if not path.is_file():
        print("WNUT17 test: absent, skipped")
        return
    model = tagger.load(tagger.MODEL_PATH, gazetteer)
    print("WNUT17 test split (social media; not trained on):")
    print(line("tagger alone", scores(*token_sets(tagger.training_sentences([path], gazetteer), model))))


def speed(gazetteer, megabytes: float) -> None:
    if not WIKINEWS.is_file():
        print("speed: Wikinews corpus absent, skipped")
        return
    texts = [json.loads(x)["text"] for x in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    corpus, size = [], 0
    while size < megabytes * 1e6:
        for t in texts:
            corpus.append(t)
            size += len(t.encode("utf-8"))
    articles = pl.DataFrame({"article_id": [f"a{i}" for i in range(len(corpus))], "text": corpus, "published_date": [None] * len(corpus)},
                            schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date})
    sents = sentences(articles)
    bounds: dict[str, list] = {}
    for aid, s, e in sents.select("article_id", "start", "end").iter_rows():
        bounds.setdefault(aid, []).append((s, e))
    fresh = tagger.load(tagger.MODEL_PATH, gazetteer)
    start = time.process_time()
    fresh.articles_spans([(text, bounds.get(aid, [])) for aid, text in zip(articles["article_id"], corpus)])
    tagger_s = time.process_time() - start
    print(f"Speed on {size / 1e6:.1f} MB of Wikinews text, one core (CPU time):")
    print(f"  tagger alone (fresh word cache)      {size / 1e6 / tagger_s:.2f} MB/s")
    start = time.process_time()
    fresh.articles_spans([(text, bounds.get(aid, [])) for aid, text in zip(articles["article_id"], corpus)])
    print(f"  tagger alone, again (warm cache)     {size / 1e6 / (time.process_time() - start):.2f} MB/s")
    for ner in ("rules", "learned"):
        start = time.process_time()
        mention_candidates(articles, sents, gazetteer, ner)
        print(f"  mention extraction, --ner {ner:<8}  {size / 1e6 / (time.process_time() - start):.2f} MB/s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", default="cross,wikinews,wnut,speed")
    ap.add_argument("--speed-mb", type=float, default=2.0)
    ap.add_argument("--epochs", type=int, default=tagger.TrainConfig().epochs, help="epochs of the cross-source trainings")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    gazetteer = load_gazetteer()
    print(f"shipped model trained on: {', '.join(NER_FILES)}")
    if "cross" in parts:
        cross_source(gazetteer, tagger.TrainConfig(epochs=args.epochs))
    if "wikinews" in parts and GOLD.is_file():
        wikinews(gazetteer)
    if "wnut" in parts:
        wnut(gazetteer)
    if "speed" in parts:
        speed(gazetteer, args.speed_mb)


if __name__ == "__main__":
    main()
