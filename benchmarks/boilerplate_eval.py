"""Score boilerplate removal, titles and dates on the shared development pages.

Usage: python benchmarks/boilerplate_eval.py [--shared DIR] [--cv] [--html] [--show ID_PREFIX] [--corpus DIR ...] [--speed-only]

Sets: Zyte's 95 article pages (benchmarks/boilerplate/dev.jsonl) and WCXB's 1,358 pages of seven
kinds (benchmarks/boilerplate/wcxb/dev.jsonl); the metric is the benchmark's own `metric.py`
(4-token-shingle F1, each page weighing the same), reported by set and page kind.
Default: the plain-text route with the shipped line classifier and with the rules alone. The
shipped model was trained on these very pages: those figures are on tuned data.
--cv: grouped 5-fold cross-validation (a site's pages in one fold): each fold trains the line
classifier and the title scorer on the other folds' pages; held-out figures.
--html: the HTML route (trafilatura, then our cleaning of its text) against trafilatura alone,
on the same pages; titles from the page's markup.
Titles: exact match (spacing, case and curly quotes aside) on the pages with a gold title
(WCXB, Wikinews), and apart on those whose gold title is a line of the text; dates: Wikinews articles whose date line is read, and read right.
--corpus: also time cleaning on the *.txt files of these folders (plain news text).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import train  # noqa: E402
from pipeline.stages.boilerplate import cleaned, template_line_keys  # noqa: E402

FOLDS = 5


def _metric(shared: Path):
    spec = importlib.util.spec_from_file_location("boilerplate_metric", shared / "benchmarks/boilerplate/metric.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _set(page: train.Page) -> str:
    return page.id.split("/")[0].replace("boilerplate", "zyte")


def _fold(page: train.Page) -> int:
    return int(hashlib.sha256(page.group.encode()).hexdigest(), 16) % FOLDS


def _report(name: str, metric, counts: dict[str, list]) -> None:
    """One line per set and kind (articles first), and every WCXB kind together."""
    print(f"{name}:")
    for key in sorted(counts, key=lambda k: (k.split()[0], k.split()[1] != "article", k)):
        r = metric.aggregate(counts[key])
        print(f"  {key:22s} pages {len(counts[key]):4d}  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    wcxb = [c for k, v in counts.items() if k.startswith("wcxb") for c in v]
    if wcxb:
        print(f"  {'wcxb all kinds':22s} pages {len(wcxb):4d}  F1 {metric.aggregate(wcxb)['f1']:.3f}")


def _score(metric, pages: list[train.Page], texts: dict[str, str]) -> dict[str, list]:
    counts: dict[str, list] = defaultdict(list)
    for p in pages:
        counts[f"{_set(p)} {p.kind}"].append(metric.page_counts(p.gold, texts[p.id]))
    return counts


def _titles(name: str, pages: list[train.Page], titles: dict[str, str | None]) -> None:
    """Exact titles on every page with a gold title, and apart on those whose gold title is a
    line of the text (the only ones a line picker can get right)."""
    by_set: dict[str, list[bool]] = defaultdict(list)
    for p in pages:
        if p.title and p.id in titles:
            hit = train.same_title(titles[p.id], p.title)
            by_set[_set(p)].append(hit)
            if any(train.same_title(line, p.title) for line in p.raw.split("\n")):
                by_set[f"{_set(p)}, gold title a line of the text"].append(hit)
    for s, hits in sorted(by_set.items()):
        print(f"  title {name} {s}: {sum(hits)}/{len(hits)} = {sum(hits) / len(hits):.1%} exact")


def _wikinews_dates(shared: Path, run: Callable[[str], object]) -> None:
    path = shared / train.WIKINEWS
    if not path.is_file():
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    found = right = 0
    for r in rows:
        c = run(f"{r['title']}\n\n{r['text']}")
        found += c.published_date is not None
        right += str(c.published_date) == r["date"]
    print(f"  wikinews dates: {found}/{len(rows)} found, {right}/{len(rows)} equal to the gold date")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cv", action="store_true", help="grouped 5-fold cross-validation (held-out figures)")
    parser.add_argument("--html", action="store_true", help="HTML route against trafilatura alone")
    parser.add_argument("--show", help="print the clean text of pages whose id starts with this")
    parser.add_argument("--corpus", type=Path, nargs="*", default=[], help="folders of .txt files to time")
    parser.add_argument("--speed-only", action="store_true", help="only time cleaning on the --corpus folders")
    args = parser.parse_args()
    if args.speed_only:
        for folder in args.corpus:
            print(_speed(folder.name, [f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.txt"))]))
        return 0
    pages = train.boilerplate_pages(args.shared)
    if not pages:
        print(f"skipped: no development pages under {args.shared / 'benchmarks/boilerplate'}")
        return 0
    metric = _metric(args.shared)
    keys = template_line_keys([p.raw for p in pages])
    wikinews = train.wikinews_pages(args.shared)

    if args.cv:
        _cross_validate(metric, pages, wikinews, keys)
    else:
        results = {p.id: cleaned(p.raw, keys) for p in pages}
        _report("text route, shipped model (TUNED: trained on these pages)", metric,
                _score(metric, pages, {k: c.text for k, c in results.items()}))
        _titles("text (tuned)", pages, {k: c.title for k, c in results.items()})
        _report("text route, rules alone", metric, _score(metric, pages, {p.id: cleaned(p.raw, keys, learned=False).text for p in pages}))
        _titles("text (tuned)", wikinews, {p.id: cleaned(p.raw).title for p in wikinews})
        _wikinews_dates(args.shared, cleaned)
        print(_speed("dev pages", [p.raw for p in pages]))
        for folder in args.corpus:
            print(_speed(folder.name, [f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.txt"))]))
    if args.html:
        _html(metric, args.shared, pages, keys)
    if args.show:
        for p in pages:
            if p.id.split("/", 1)[1].startswith(args.show):
                text = cleaned(p.raw, keys).text
                r = metric.aggregate([metric.page_counts(p.gold, text)])
                print(f"\n#### {p.id}  P {r['precision']:.2f} R {r['recall']:.2f} F {r['f1']:.2f}\n{text}")
    return 0


def _cross_validate(metric, pages: list[train.Page], wikinews: list[train.Page], keys: frozenset[str]) -> None:
    matrices = dict(zip((p.id for p in pages), train.page_matrices(pages, keys)))
    texts, titles, rules = {}, {}, {}
    wiki_titles: dict[str, str | None] = {}
    wiki_folds = [wikinews[f::FOLDS] for f in range(FOLDS)]
    for f in range(FOLDS):
        fit_on = [p for p in pages if _fold(p) != f]
        titled = [p for p in fit_on if p.title] + [p for g in range(FOLDS) if g != f for p in wiki_folds[g]]
        model = train.fit_model(fit_on, titled, keys, [matrices[p.id] for p in fit_on])
        for p in pages:
            if _fold(p) == f:
                c = cleaned(p.raw, keys, model=model)
                texts[p.id], titles[p.id] = c.text, c.title
                rules[p.id] = cleaned(p.raw, keys, learned=False).text
        for p in wiki_folds[f]:
            wiki_titles[p.id] = cleaned(p.raw, model=model).title
        print(f"fold {f}: trained on {len(fit_on)} pages", flush=True)
    _report(f"text route, line classifier, grouped {FOLDS}-fold held-out", metric, _score(metric, pages, texts))
    _titles("text (held-out)", pages, titles)
    _titles("text (held-out)", wikinews, wiki_titles)
    _report("text route, rules alone (the rules were tuned on the Zyte pages)", metric, _score(metric, pages, rules))


def _html(metric, shared: Path, pages: list[train.Page], keys: frozenset[str]) -> None:
    from pipeline.stages.decode import decoded
    from pipeline.stages.htmlmeta import html_document

    ours, alone, titles = {}, {}, {}
    t0 = time.process_time()
    for p in pages:
        set_dir = "wcxb" if p.id.startswith("wcxb/") else ""
        path = shared / "benchmarks/boilerplate" / set_dir / "html" / f"{p.id.split('/', 1)[1]}.html.gz"
        doc = html_document(decoded(gzip.decompress(path.read_bytes())).text)
        alone[p.id] = doc.text
        ours[p.id] = cleaned(doc.text, keys, extracted=True).text if doc.text.strip() else ""
        titles[p.id] = doc.title
    print(f"HTML route on {len(pages)} pages, {time.process_time() - t0:.0f} s CPU")
    _report("trafilatura alone", metric, _score(metric, pages, alone))
    _report("HTML route (trafilatura, then cleaning)", metric, _score(metric, pages, ours))
    _titles("html", pages, titles)


def _speed(name: str, texts: list[str], clock: Callable[[], float] = time.process_time) -> str:
    """MB/s of cleaning with the classifier and with the rules alone, best of three runs by CPU
    time (the machine is shared)."""
    megabytes = sum(len(raw.encode("utf-8")) for raw in texts) / 1e6
    out = []
    for learned in (True, False):
        best = float("inf")
        for _ in range(3):
            t0 = clock()
            for raw in texts:
                cleaned(raw, learned=learned)
            best = min(best, clock() - t0)
        out.append(f"{megabytes / best:.1f} MB/s {'with the classifier' if learned else 'rules alone'}")
    return f"speed {name} ({megabytes:.2f} MB, CPU time, one core): " + ", ".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
