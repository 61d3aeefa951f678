"""`python -m pipeline train TARGET`: rebuild a shipped model from the shared data.

Each target maps to a function (shared folder, output folder) -> None that writes its model as
plain data into the output folder: `ner` (the entity tagger, from training/ner) and
`boilerplate` (the line classifier and title scorer, from benchmarks/boilerplate). Inputs are
read in sorted order and seeds are fixed, so a rerun writes the same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import urlsplit

import numpy as np

from pipeline import DATA
from pipeline.stages import linemodel
from pipeline.stages.boilerplate import line_table, template_line_keys, title_table


# The NER training files (see ../shared/training/SOURCES.md); WNUT17's test split is kept for measuring.
NER_FILES = ("btc.jsonl", "redocred.jsonl", "wikigold.jsonl", "wnut17_dev.jsonl", "wnut17_train.jsonl")
NER_NOTICE = "ner_tagger.NOTICE.md"
BOILERPLATE_SETS = ("benchmarks/boilerplate/dev.jsonl", "benchmarks/boilerplate/wcxb/dev.jsonl")
WIKINEWS = "corpora/wikinews/wikinews-2019-2020.jsonl"  # titled, dated articles: title training only
_TOKEN_RE = re.compile(r"\w+")
# A line of at least this many tokens is article text when this share of its 4-token shingles
# is in the gold text; shorter lines must appear in the gold as they are.
_SHINGLE = 4
_LABEL_SHARE = 0.5
# Each page weighs the same in training (the benchmark's metric averages pages), and within a
# page a line weighs by its tokens up to this many (the metric counts shingles).
_MAX_LINE_WEIGHT = 60


@dataclass(frozen=True)
class Page:
    id: str
    group: str  # the site: cross-validation keeps a site's pages in one fold
    kind: str  # page type ("article", "forum", ...)
    raw: str
    gold: str  # article text ("" when unknown)
    title: str | None = None


def boilerplate_pages(shared: Path) -> list[Page]:
    """The development pages of both boilerplate benchmarks (those present), sorted by id."""
    pages = []
    for rel in BOILERPLATE_SETS:
        path = shared / rel
        if not path.is_file():
            continue
        prefix = path.parent.name
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                r = json.loads(line)
                site = r.get("domain") or urlsplit(r.get("url", "")).hostname or r["id"]
                pages.append(Page(f"{prefix}/{r['id']}", site.removeprefix("www."), r.get("page_type", "article"),
                                  r["raw_text"], r["gold_text"], r.get("title")))
    return sorted(pages, key=lambda p: p.id)


def wikinews_pages(shared: Path) -> list[Page]:
    """Wikinews articles as their .txt files are laid out (title, blank line, date line, text)."""
    path = shared / WIKINEWS
    if not path.is_file():
        return []
    pages = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            r = json.loads(line)
            pages.append(Page(f"wikinews/{r['id']}", "wikinews.org", "article", f"{r['title']}\n\n{r['text']}", "", r["title"]))
    return sorted(pages, key=lambda p: p.id)


def same_title(a: str | None, b: str | None) -> bool:
    """Titles compared as a reader would: spacing, case and curly quotes aside."""
    return a is not None and b is not None and _title_key(a) == _title_key(b)


def _title_key(s: str) -> str:
    return " ".join(s.translate(_QUOTES).split()).casefold()


_QUOTES = str.maketrans("‘’“”", "''\"\"")


def fit_title(model: linemodel.LineModel, pages: Sequence[Page], template_keys: frozenset[str]) -> linemodel.Logistic:
    """The title scorer: which header line of a page is its known title (or none is)."""
    groups = []
    for p in pages:
        texts, x = title_table(p.raw, template_keys, model)
        if texts:
            hits = [k for k, t in enumerate(texts) if same_title(t, p.title)]
            groups.append((x, hits[0] if hits else -1))
    return linemodel.fit_choice(groups)


def line_labels(lines: Sequence[str], gold: str) -> tuple[np.ndarray, np.ndarray]:
    """(label, weight) of each line: 1 for article text; lines without a token weigh nothing."""
    gold_tokens = _TOKEN_RE.findall(gold)
    joined = " " + " ".join(gold_tokens) + " "
    shingles = {tuple(gold_tokens[i:i + _SHINGLE]) for i in range(len(gold_tokens) - _SHINGLE + 1)}
    gold_lines = {" ".join(_TOKEN_RE.findall(g)) for g in gold.split("\n")}
    labels, weights = [], []
    for s in lines:
        toks = _TOKEN_RE.findall(s)
        if len(toks) >= 2 * _SHINGLE:
            grams = [tuple(toks[i:i + _SHINGLE]) for i in range(len(toks) - _SHINGLE + 1)]
            label = sum(g in shingles for g in grams) >= _LABEL_SHARE * len(grams)
        elif len(toks) >= 3:
            label = f" {' '.join(toks)} " in joined
        else:
            label = " ".join(toks) in gold_lines if toks else False
        labels.append(float(label))
        weights.append(float(min(len(toks), _MAX_LINE_WEIGHT)))
    w = np.asarray(weights)
    if w.sum() > 0:
        w = w / w.sum()
    return np.asarray(labels), w


def page_matrices(pages: Sequence[Page], keys: frozenset[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(features, labels, weights) of every page, with the template lines `keys` (those of all
    the pages: corpus template counts need no gold, as at build time)."""
    out = []
    for p in pages:
        lines, x = line_table(p.raw, keys)
        y, w = line_labels(lines, p.gold)
        out.append((x, y, w))
    return out


def fit_model(pages: Sequence[Page], titled: Sequence[Page], keys: frozenset[str],
              matrices: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None) -> linemodel.LineModel:
    """The line model trained on `pages` (their `matrices` when already computed) and its title
    scorer on the `titled` pages."""
    model = linemodel.fit(matrices if matrices is not None else page_matrices(pages, keys))
    return replace(model, title=fit_title(model, titled, keys))


def boilerplate(shared: Path, out: Path) -> None:
    pages = boilerplate_pages(shared)
    if not pages:
        raise FileNotFoundError(f"no boilerplate development pages under {shared / 'benchmarks/boilerplate'}")
    titled = [p for p in pages + wikinews_pages(shared) if p.title]
    keys = template_line_keys([p.raw for p in pages])
    model = fit_model(pages, titled, keys)
    out.mkdir(parents=True, exist_ok=True)
    linemodel.save(model, out / linemodel.MODEL_PATH.name)
    counts = Counter(p.kind for p in pages)
    print(f"boilerplate: trained on {len(pages)} pages and the titles of {len(titled)} ({', '.join(f'{k} {n}' for k, n in sorted(counts.items()))}); "
          f"wrote {out / linemodel.MODEL_PATH.name}")


def train_ner(shared: Path, out: Path) -> None:
    """The entity tagger (pipeline/data/ner_tagger.npz) from training/ner, with its NOTICE."""
    from pipeline.stages.entities import tagger
    from pipeline.stages.entities import load_gazetteer

    folder = Path(shared) / "training" / "ner"
    missing = [name for name in NER_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"training data not found in {folder}: {', '.join(missing)}")
    data = tagger.training_sentences([folder / name for name in NER_FILES], load_gazetteer())
    arrays = tagger.train_model(data, load_gazetteer())
    out.mkdir(parents=True, exist_ok=True)
    tagger.save(out / tagger.MODEL_PATH.name, arrays)
    if out.resolve() != DATA.resolve():
        (out / NER_NOTICE).write_text((DATA / NER_NOTICE).read_text(encoding="utf-8"), encoding="utf-8")


def default_shared() -> Path:
    return Path(__file__).resolve().parents[1] / ".." / "shared"


TARGETS: dict[str, Callable[[Path, Path], None]] = {"boilerplate": boilerplate, "ner": train_ner}
