"""The learned line classifier of boilerplate removal: features of each line and its
neighbourhood, and a two-pass logistic regression over them (NumPy only).

The hand-written rules of `pipeline.stages.boilerplate` (line patterns, the document's body score,
zones, corpus template lines) become features beside the line's own shape; the first pass
scores every line alone, the second adds the first pass's scores of the lines around it (a
line inside a run of article lines is article). Weights are plain JSON under pipeline/data/,
made by `python -m pipeline train boilerplate` (see `pipeline.train`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Sequence

import numpy as np

from pipeline import DATA
from schemas.boilerplate import MODEL_FAMILIES

MODEL_PATH = DATA / "boilerplate_model.json"

# Rule reasons, in the order of their one-hot columns (None, kept by the rules, has no column).
RULE_REASONS: tuple[str, ...] = (
    "title", "metadata", "related_link", "call_to_action", "comments", "footer", "advertisement",
    "injected_headline", "template", "navigation", "caption",
)
# Words of link bars, share bars, sign-up boxes and footers; counted per line (whole words, lower case).
CALL_WORDS = frozenset(
    """share tweet email print subscribe newsletter sign login log register follow like comment
    comments reply click here download app cookie cookies privacy terms policy copyright rights
    reserved contact advertise advertisement sponsored donate support join menu search home
    skip navigation account password watch listen podcast video photo photos gallery image credit
    getty reuters editing reporting writing ap afp related read more next previous trending popular
    latest recommended tags topics filed posted updated published author""".split()
)
# ASCII punctuation to spaces, so that str.split gives the words
_PUNCT_TO_SPACE = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
_FIRST = itemgetter(0)
_NO_DIGITS = str.maketrans("", "", "0123456789")
_SEPARATORS_RE = re.compile(r" [|»›>/•·] | [-–—] ")
_BULLET_START = "*+•·-–—>»"
# The numbers below define the features the shipped weights were trained on: changing one
# changes what a weight means, so they are part of the model (retrain after changing them), not
# thresholds to tune at run time (those are `pipeline.stages.boilerplate.BoilerplateRules`).
# Word-level features (call words, capitals, digits, separators) are read on lines of at most this
# many words: longer lines are prose whatever their words, and reading them is most of the cost.
_SHORT_LINE = 40
OFF_TOPIC_SHARE = 0.35  # a short line sharing fewer of its content words with the body is about something else
_WINDOW = 4  # lines on each side whose rule decisions and scores describe a line's neighbourhood
_P2_WINDOW = 3  # the same for the first pass's scores


def _names() -> tuple[list[str], list[str]]:
    names: list[tuple[str, str]] = []
    names += [(f"shape:{n}", "shape") for n in ("log_units", "units1", "units_le3", "units_le6", "units_ge10",
                                                  "units_ge20", "units_ge40", "log_chars")]
    names += [(f"punct:{n}", "punctuation") for n in ("terminal", "colon_end", "question_end", "commas",
                                                       "separators", "digits", "bullet", "digit_start",
                                                       "url", "paren_start", "quote_start")]
    names += [(f"case:{n}", "case") for n in ("lower_start", "capitalised_share", "all_caps")]
    names += [(f"lex:{n}", "lexicon") for n in ("call_words", "call_share", "date", "topic_share", "off_topic")]
    names += [(f"rule:pattern_{r}", "rules") for r in RULE_REASONS]
    names += [(f"rule:final_{r}", "rules") for r in RULE_REASONS]
    names += [(f"rule:{n}", "rules") for n in ("kept", "gain", "gain_positive", "template")]
    names += [(f"pos:{n}", "position") for n in ("relative", "log_from_start", "log_from_end", "before_body",
                                                  "after_body", "log_doc_lines", "doc_kept_share", "wrapped")]
    for off in (-2, -1, 1, 2):
        names += [(f"nb:{n}{off:+d}", "neighbourhood") for n in ("kept", "log_units", "terminal", "exists")]
    names += [(f"nb:{n}", "neighbourhood") for n in ("window_kept", "window_gain", "gap_before", "gap_after",
                                                      "same_before", "same_after")]
    return [n for n, _ in names], [f for _, f in names]


FEATURE_NAMES, FEATURE_FAMILIES = _names()
# Second pass: the first pass's scores around the line (their log-odds), added to the features.
PASS2_NAMES = ["p1:self", "p1:prev", "p1:next", "p1:window_mean", "p1:left_max", "p1:right_max"]
PASS2_FAMILIES = ["neighbourhood"] * len(PASS2_NAMES)


@dataclass(frozen=True)
class LineView:
    """What the features read of a page's non-blank lines (parallel lists)."""

    text: Sequence[str]
    units: Sequence[int]
    terminal: Sequence[bool]
    row: Sequence[int]
    wrapped: Sequence[bool]
    pattern: Sequence[str | None]  # reason from the line patterns alone
    final: Sequence[str | None]  # reason after the rules' body detection (None: the rules keep it)
    gains: Sequence[float]  # the rules' body score of each line
    topic: Sequence[float]  # share of a short line's content words found in the rest of the body (1 for long lines)


def _shifted(a: np.ndarray, off: int, fill: float) -> np.ndarray:
    out = np.full_like(a, fill)
    if off > 0:
        out[:-off] = a[off:]
    elif off < 0:
        out[-off:] = a[:off]
    else:
        out[:] = a
    return out


def _window_mean(a: np.ndarray, w: int) -> np.ndarray:
    c = np.concatenate(([0.0], np.cumsum(a)))
    n = len(a)
    idx = np.arange(n)
    lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w + 1, n)
    return (c[hi] - c[lo]) / (hi - lo)


def features(v: LineView) -> np.ndarray:
    """The (lines x FEATURE_NAMES) matrix of one page."""
    n = len(v.text)
    units = np.asarray(v.units, dtype=np.float64)
    terminal = np.asarray(v.terminal, dtype=np.float64)
    kept = np.asarray([r is None for r in v.final], dtype=np.float64)
    gains = np.asarray(v.gains, dtype=np.float64)
    row = np.asarray(v.row, dtype=np.float64)
    cols: list[np.ndarray] = []
    lu = np.log1p(units)
    chars = np.asarray([len(s) for s in v.text], dtype=np.float64)
    cols += [lu, units == 1, units <= 3, units <= 6, units >= 10, units >= 20, units >= 40, np.log1p(chars)]
    short = [s if u <= _SHORT_LINE else "" for s, u in zip(v.text, v.units)]
    last = [s[-1] for s in v.text]
    first = [s[0] for s in v.text]
    cols += [
        terminal,
        np.asarray([c == ":" for c in last]),
        np.asarray([c in "?!" for c in last]),
        np.asarray([s.count(",") for s in v.text]) / units,
        np.asarray([min(len(_SEPARATORS_RE.findall(s)), 5) for s in short]),
        np.asarray([len(s) - len(s.translate(_NO_DIGITS)) for s in short]) / chars,
        np.asarray([c in _BULLET_START for c in first]),
        np.asarray([c.isdigit() for c in first]),
        np.asarray(["http" in s or "www." in s or "@" in s for s in v.text]),
        np.asarray([c in "([" for c in first]),
        np.asarray([c in "\"'“‘«„" for c in first]),
    ]
    # per line, C-level passes only: its words, their first letters, its call words
    tokens = [s.translate(_PUNCT_TO_SPACE).split() for s in short]
    n_words = np.asarray([max(len(t), 1) for t in tokens], dtype=np.float64)
    caps = np.asarray([sum(map(str.isupper, map(_FIRST, t))) for t in tokens], dtype=np.float64)
    calls = np.asarray([sum(map(CALL_WORDS.__contains__, map(str.lower, t))) for t in tokens], dtype=np.float64)
    cols += [
        np.asarray([c.islower() for c in first]),
        caps / n_words,
        np.asarray([len(s) >= 3 and s.isupper() for s in v.text]),
        np.minimum(calls, 5),
        calls / n_words,
        np.asarray([r == "metadata" and any(ch.isdigit() for ch in s) for r, s in zip(v.pattern, v.text)]),
        np.asarray(v.topic, dtype=np.float64),
        np.asarray(v.topic, dtype=np.float64) < OFF_TOPIC_SHARE,
    ]
    for reasons in (v.pattern, v.final):
        cols += [np.asarray([r == name for r in reasons]) for name in RULE_REASONS]
    cols += [kept, np.clip(gains, -40, 60) / 10, gains > 0, np.asarray([r == "template" for r in v.pattern])]
    idx = np.arange(n, dtype=np.float64)
    kept_idx = np.flatnonzero(kept)
    a, b = (kept_idx[0], kept_idx[-1]) if len(kept_idx) else (n, -1)
    cols += [
        idx / max(n - 1, 1), np.log1p(idx), np.log1p(n - 1 - idx),
        np.log1p(np.maximum(a - idx, 0)), np.log1p(np.maximum(idx - b, 0)),
        np.full(n, math.log1p(n)), np.full(n, kept.mean() if n else 0.0),
        np.full(n, float(any(v.wrapped))),
    ]
    present = np.ones(n)
    for off in (-2, -1, 1, 2):
        cols += [_shifted(kept, off, 0.0), _shifted(lu, off, 0.0), _shifted(terminal, off, 0.0),
                 _shifted(present, off, 0.0)]
    gap_before = np.diff(row, prepend=row[0] - 2) if n else row
    gap_after = np.diff(row, append=row[-1] + 2) if n else row
    same = [line == other for line, other in zip(v.text, v.text[1:])]
    cols += [
        _window_mean(kept, _WINDOW), _window_mean(np.clip(gains, -10, 30) / 10, _WINDOW),
        np.minimum(gap_before, 4), np.minimum(gap_after, 4),
        np.asarray([False] + same), np.asarray(same + [False]),
    ]
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols]) if n else np.zeros((0, len(FEATURE_NAMES)))


def pass2_features(logit1: np.ndarray) -> np.ndarray:
    """Neighbourhood of the first pass's log-odds."""
    z = np.clip(logit1, -8, 8)
    n = len(z)
    left = np.full(n, -8.0)
    right = np.full(n, -8.0)
    for off in range(1, _P2_WINDOW + 1):
        left = np.maximum(left, _shifted(z, -off, -8.0))
        right = np.maximum(right, _shifted(z, off, -8.0))
    return np.column_stack([z, _shifted(z, -1, -8.0), _shifted(z, 1, -8.0), _window_mean(z, _P2_WINDOW), left, right])


# --- logistic regression ------------------------------------------------------------


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def contributions(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) * self.weights

    def to_json(self) -> dict:
        return {"mean": _rounded(self.mean), "scale": _rounded(self.scale), "weights": _rounded(self.weights),
                "bias": round(float(self.bias), 8)}

    @classmethod
    def from_json(cls, d: dict) -> "Logistic":
        return cls(np.asarray(d["mean"]), np.asarray(d["scale"]), np.asarray(d["weights"]), float(d["bias"]))


def _rounded(a: np.ndarray) -> list[float]:
    # fixed precision: the JSON is byte-identical across runs and platforms' last-bit differences
    return [round(float(x), 8) for x in a]


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1.0, iterations: int = 25) -> Logistic:
    """Weighted, L2-regularised logistic regression by Newton's method (deterministic)."""
    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    z1 = np.column_stack([z, np.ones(len(z))])
    w = w / w.mean()
    beta = np.zeros(z1.shape[1])
    reg = np.full(z1.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z1 @ beta, -30, 30)))
        grad = z1.T @ (w * (p - y)) + reg * beta
        hess = (z1 * (w * p * (1 - p))[:, None]).T @ z1 + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-5:
            break
    return Logistic(mean, scale, beta[:-1], float(beta[-1]))


def fit_choice(groups: Sequence[tuple[np.ndarray, int]], l2: float = 1.0, iterations: int = 30) -> Logistic:
    """Conditional logit for picking one row of each group, or none: group (rows, index of the
    right row or -1). "None" is an alternative of score `b0`; the result's logit is a row's
    score minus b0, so a row is picked when it is the best one and its logit is >= 0."""
    x = np.concatenate([g for g, _ in groups])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    d = x.shape[1]
    zs = []
    for g, target in groups:
        z = np.vstack([np.column_stack([(g - mean) / scale, np.zeros(len(g))]), np.eye(1, d + 1, d)])
        t = np.zeros(len(z))
        t[target if target >= 0 else len(g)] = 1.0
        zs.append((z, t))
    beta = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        grad = reg * beta
        hess = np.diag(reg + 1e-9)
        for z, t in zs:
            e = np.exp(z @ beta - (z @ beta).max())
            p = e / e.sum()
            grad = grad + z.T @ (p - t)
            zp = z.T @ p
            hess = hess + (z * p[:, None]).T @ z - np.outer(zp, zp)
        step = np.linalg.solve(hess, grad)
        step *= min(1.0, 1.0 / max(np.abs(step).max(), 1e-12))  # damped: no overshoot on near-separable data
        beta -= step
        if np.abs(step).max() < 1e-5:
            break
    return Logistic(mean, scale, beta[:-1], -float(beta[-1]))


@dataclass(frozen=True)
class LineModel:
    first: Logistic
    second: Logistic
    threshold: float  # a line is kept when its log-odds reach this
    title: Logistic | None = None  # scores the header's lines as the headline (see fit_choice)

    def scores(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(log-odds of keeping, the second pass's input) of each line."""
        x2 = np.column_stack([x, pass2_features(self.first.logit(x))])
        return self.second.logit(x2), x2

    def family_against(self, x2_row: np.ndarray) -> str:
        """The feature family that argues most for removing the line."""
        contrib = self.second.contributions(x2_row)
        totals = {f: 0.0 for f in MODEL_FAMILIES}
        for c, fam in zip(contrib, FEATURE_FAMILIES + PASS2_FAMILIES):
            totals[fam] += c
        return min(MODEL_FAMILIES, key=lambda f: (totals[f], f))

    def to_json(self) -> dict:
        return {"features": FEATURE_NAMES, "pass2_features": PASS2_NAMES, "threshold": self.threshold,
                "first": self.first.to_json(), "second": self.second.to_json(), "title_features": TITLE_NAMES,
                "title": self.title.to_json() if self.title else None}

    @classmethod
    def from_json(cls, d: dict) -> "LineModel":
        if d["features"] != FEATURE_NAMES or d["pass2_features"] != PASS2_NAMES or d["title_features"] != TITLE_NAMES:
            raise ValueError("boilerplate model was trained on other features: run `python -m pipeline train boilerplate`")
        title = Logistic.from_json(d["title"]) if d["title"] else None
        return cls(Logistic.from_json(d["first"]), Logistic.from_json(d["second"]), float(d["threshold"]), title)


def fit(pages: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], threshold: float = 0.0, l2: float = 1.0) -> LineModel:
    """Train both passes on (features, labels, weights) of each page. The second pass learns from
    first-pass scores of pages it was not fitted on (two halves, by page order), as at run time."""
    x = np.concatenate([p[0] for p in pages])
    y = np.concatenate([p[1] for p in pages])
    w = np.concatenate([p[2] for p in pages])
    first = fit_logistic(x, y, w, l2)
    halves = [pages[0::2], pages[1::2]]
    x2s = []
    for k in (0, 1):
        other = halves[1 - k]
        m = fit_logistic(np.concatenate([p[0] for p in other]), np.concatenate([p[1] for p in other]),
                         np.concatenate([p[2] for p in other]), l2) if other else first
        x2s += [(i, np.column_stack([p[0], pass2_features(m.logit(p[0]))])) for i, p in zip(range(k, len(pages), 2), halves[k])]
    x2 = np.concatenate([a for _, a in sorted(x2s, key=lambda t: t[0])])
    second = fit_logistic(x2, y, w, l2)
    return LineModel(first, second, threshold)


@lru_cache(maxsize=1)
def shipped_model() -> LineModel | None:
    """The model under pipeline/data/, or None when it has not been trained."""
    if not MODEL_PATH.is_file():
        return None
    return LineModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def save(model: LineModel, path: Path) -> None:
    path.write_text(json.dumps(model.to_json(), indent=0, sort_keys=True) + "\n", encoding="utf-8")


# --- titles -----------------------------------------------------------------------
# The headline is one line of the page's header: the lines before the body (and the first lines
# of it, where the headline was kept as text). A second small model scores these candidates.

TITLE_ZONE_BEFORE = 40  # candidate lines before the body's first line
TITLE_ZONE_AFTER = 2  # and its first lines
TITLE_MAX_UNITS = 30
_TITLE_REASONS = ("navigation", "metadata", "call_to_action", "related_link", "template", "caption", "title", "footer")
TITLE_NAMES = [
    "log_units", "units_le3", "units_ge15", "terminal", "question_end", "colon_end", "capitalised_share", "all_caps",
    "lower_start", "before_body", "log_lines_before_body", "in_body", "log_rank", "first_line", "relative",
    *(f"pattern_{r}" for r in _TITLE_REASONS), "pattern_none", "repeated", "inside_other_line", "separators",
    "body_share", "log_content_words", "gap_before", "gap_after", "next_metadata", "prev_metadata", "call_words",
    "keep_logit", "date", "metadata_after", "log_to_next_prose", "headline_shaped",
]


def title_features(v: LineView, cand: np.ndarray, body_start: int, keep_logit: np.ndarray,
                   raw_counts: Sequence[int], body_share: Sequence[float], n_content: Sequence[int]) -> np.ndarray:
    """(candidates x TITLE_NAMES) of the candidate lines `cand` (indices into the lines)."""
    n = len(v.text)
    x = features(LineView(*(_take(seq, cand) for seq in (v.text, v.units, v.terminal, v.row, v.wrapped, v.pattern,
                                                          v.final, v.gains, v.topic))))
    col = {name: k for k, name in enumerate(FEATURE_NAMES)}
    before = body_start - cand
    order = np.argsort(np.abs(before), kind="stable")
    rank = np.empty(len(cand))
    rank[order] = np.arange(len(cand))
    text = [v.text[i] for i in cand]
    same = [sum(1 for t in text if t == s) for s in text]
    row = np.asarray(v.row)
    gap_before = np.asarray([row[i] - row[i - 1] if i > 0 else 4 for i in cand])
    gap_after = np.asarray([row[i + 1] - row[i] if i + 1 < n else 4 for i in cand])
    cols = [
        x[:, col["shape:log_units"]], x[:, col["shape:units_le3"]], np.asarray([v.units[i] >= 15 for i in cand]),
        x[:, col["punct:terminal"]], x[:, col["punct:question_end"]], x[:, col["punct:colon_end"]],
        x[:, col["case:capitalised_share"]], x[:, col["case:all_caps"]], x[:, col["case:lower_start"]],
        before > 0, np.log1p(np.maximum(before, 0)), before <= 0, np.log1p(rank), cand == 0, cand / max(n - 1, 1),
        *(np.asarray([v.pattern[i] == r for i in cand]) for r in _TITLE_REASONS),
        np.asarray([v.pattern[i] is None for i in cand]),
        np.minimum(np.asarray(same) - 1, 3), np.minimum(np.asarray(raw_counts) - np.asarray(same), 3),
        x[:, col["punct:separators"]], np.asarray(body_share), np.log1p(np.asarray(n_content)),
        np.minimum(gap_before, 4), np.minimum(gap_after, 4),
        np.asarray([i + 1 < n and v.pattern[i + 1] == "metadata" for i in cand]),
        np.asarray([i > 0 and v.pattern[i - 1] == "metadata" for i in cand]),
        x[:, col["lex:call_words"]], np.clip(keep_logit[cand], -8, 8), x[:, col["lex:date"]],
        np.asarray([sum(1 for j in range(i + 1, min(i + 1 + _TITLE_META_REACH, n)) if v.pattern[j] == "metadata") for i in cand]),
        np.log1p(np.asarray([_to_next_prose(v, i) for i in cand])),
        np.asarray([not v.terminal[i] and 3 <= v.units[i] <= 20 for i in cand]),
    ]
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols])


_TITLE_META_REACH = 4  # bylines and date lines follow a headline within this many lines
_PROSE_UNITS = 12  # a line of running text: this many words, ending a sentence


def _is_prose(v: LineView, i: int) -> bool:
    return v.units[i] >= _PROSE_UNITS and v.terminal[i]


def _to_next_prose(v: LineView, i: int) -> int:
    """Lines from i to the next line of running text (capped)."""
    for j in range(i + 1, min(i + 1 + TITLE_ZONE_BEFORE, len(v.text))):
        if _is_prose(v, j):
            return j - i
    return TITLE_ZONE_BEFORE


def _take(seq: Sequence, idx: np.ndarray) -> list:
    return [seq[i] for i in idx]


def title_anchor(v: LineView) -> int:
    """Where the header ends: the body's first line of running text (else its first line)."""
    kept = [i for i, r in enumerate(v.final) if r is None]
    return next((i for i in kept if _is_prose(v, i)), kept[0] if kept else len(v.text))


def title_candidates(v: LineView, body_start: int) -> np.ndarray:
    lo = max(0, body_start - TITLE_ZONE_BEFORE)
    hi = min(len(v.text), body_start + TITLE_ZONE_AFTER)
    return np.asarray([i for i in range(lo, hi) if 2 <= v.units[i] <= TITLE_MAX_UNITS and v.text[i][0] not in _BULLET_START
                       and any(ch.isalpha() for ch in v.text[i])], dtype=np.int64)
