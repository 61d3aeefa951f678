"""The learned entity tagger: an averaged structured perceptron over BIO tags (PER, ORG, LOC, MISC).

Tokens come from `tokens` (words, initials such as "U.S.", a possessive "'s" apart, punctuation).
Each token is described by features of its own word and of its neighbours: the word as written and
lower-cased, its shape ("Xxxx", "XX", "dd"), prefixes and suffixes, whether the gazetteer knows it
as a one-word name (and with which type), whether it is a common given name or one of the rules'
function words, and how often the training text writes it in lower case; plus features of its
position: sentence start, a headline-like sentence (no lower-case word), and the longest gazetteer
alias covering it (B/I and the entry's type). Tag transitions are learned too; decoding is Viterbi
with the BIO constraint (I-X only after B-X or I-X).

Speed: every feature of a word at a relative offset is a feature of that word form alone, so the
summed weights of a word form at each offset are computed once per process and cached; a sentence's
emission scores are then a few array lookups, and Viterbi runs over a batch of sentences at once.

The model is plain data (`pipeline/data/ner_tagger.npz`: feature strings, weights, transitions, the
lower-case ratios), loaded once per process with `allow_pickle=False`. `train` rebuilds it
byte-identically from the training files (sorted inputs, fixed seed); see `pipeline.train`.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
TYPES = ("PER", "ORG", "LOC", "MISC")
MODEL_PATH = Path(__file__).parent / "data" / "ner_tagger.npz"
_TAG_ID = {t: i for i, t in enumerate(TAGS)}
_N = len(TAGS)

_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"  # initials: U.S., D.C.
    r"|['’][sS]\b"  # a possessive, as the training data writes it
    r"|\w+(?:[-.&@]\w+|['’](?![sS]\b)\w+)*"  # words with inner hyphens, dots, apostrophes
    r"|[^\w\s]"
)
_OPENERS = frozenset("“‘«\"(:[-—–")
_BOUNDARY = ("<s>", "</s>")
# Offsets of neighbours whose words describe a token, and which of a neighbour's features count.
_NEAR = ("l", "s", "t", "g", "x3", "lc")
_FAR = ("l", "s")


@dataclass(frozen=True)
class Lexicon:
    """What the features look up besides the word itself."""

    gazetteer: dict[tuple[str, ...], str]  # folded alias words -> PER/ORG/LOC/MISC
    exact: dict[tuple[str, ...], str]  # all-capitals aliases, as written
    longest: int
    given: frozenset[str]
    function_words: frozenset[str]
    lower_ratio: dict[str, int]  # folded word -> 0..3: how often training text writes it in lower case


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each token of text[start:end]."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def _shape(word: str) -> str:
    out = []
    for c in word[:12]:
        k = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if len(out) < 2 or out[-1] != k or out[-2] != k:
            out.append(k)
    return "".join(out)


def word_features(word: str, lex: Lexicon) -> dict[str, list[str]]:
    """Features of one word form, by kind (the kinds `_NEAR`/`_FAR` select for neighbours)."""
    if word in _BOUNDARY:
        return {"l": [word], "s": [word], "t": [], "g": [], "x3": [], "lc": []}
    low = word.casefold()
    cap = word[:1].isupper()
    feats = {
        "w": [word], "l": [low], "s": [_shape(word)],
        "p": [low[:2], low[:3]], "x3": [low[-3:]], "x": [low[-2:], low[-4:]],
        "t": ["T" if cap else "t"] + (["U"] if len(word) > 1 and word.isupper() else []),
        "g": [], "lc": [],
    }
    gaz = lex.exact.get((word,)) or lex.gazetteer.get((low,))
    if gaz and (cap or not word.isalpha()):
        feats["g"].append(gaz)
    if low in lex.given and cap:
        feats["g"].append("given")
    if low in lex.function_words:
        feats["g"].append("func")
    if cap:
        feats["lc"].append(str(lex.lower_ratio.get(low, -1)))
    return feats


def _offset_features(word: str, lex: Lexicon) -> list[list[str]]:
    """Feature strings of a word at offsets -2, -1, 0, +1, +2 from the token they describe."""
    f = word_features(word, lex)
    out = []
    for off in (-2, -1, 0, 1, 2):
        kinds = f if off == 0 else _NEAR if abs(off) == 1 else _FAR
        # The word is at `off` from the token, so it is written as that token's feature at -off.
        out.append(list(dict.fromkeys(f"{-off}{k}={v}" for k in kinds for v in f[k])))
    return out


def position_features(words: Sequence[str], lex: Lexicon) -> list[list[str]]:
    """Features of each token's place in its sentence: start, headline, gazetteer span."""
    n = len(words)
    out: list[list[str]] = [[] for _ in range(n)]
    headline = n >= 5 and not any(w[:1].islower() and len(w) > 3 for w in words)
    folded = [w.casefold() for w in words]
    for i in range(n):
        if i == 0 or words[i - 1] in _OPENERS:
            out[i].append("first")
            if words[i][:1].isupper():
                out[i].append("first&lc=" + str(lex.lower_ratio.get(folded[i], -1)))
        if headline:
            out[i].append("headline")
    i = 0
    while i < n:
        hit = None
        if words[i][:1].isupper():
            for k in range(min(lex.longest, n - i), 1, -1):
                hit = lex.exact.get(tuple(words[i:i + k])) or lex.gazetteer.get(tuple(folded[i:i + k]))
                if hit:
                    break
        if hit:
            out[i].append("gB=" + hit)
            for j in range(i + 1, i + k):
                out[j].append("gI=" + hit)
            i += k
        else:
            i += 1
    return out


def spans_of(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, type) of each entity in a BIO tag sequence."""
    out = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind):
            if start is not None:
                out.append((start, i, kind))
            start, kind = (i, tag[2:]) if tag != "O" else (None, None)
    return out


def _allowed() -> tuple[np.ndarray, np.ndarray]:
    """Masks (0 or -inf) of allowed transitions and first tags under BIO."""
    trans = np.zeros((_N, _N))
    first = np.zeros(_N)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            first[j] = -np.inf
            for i, prev in enumerate(TAGS):
                if prev[2:] != tag[2:]:
                    trans[i, j] = -np.inf
    return trans, first


_TRANS_MASK, _FIRST_MASK = _allowed()


def viterbi(emission: np.ndarray, lengths: np.ndarray, trans: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Best tag ids for a batch: emission (B, T, N) padded, lengths (B,). Returns (B, T)."""
    b, t, _ = emission.shape
    trans = trans + _TRANS_MASK
    score = emission[:, 0] + first + _FIRST_MASK
    back = np.zeros((b, t, _N), dtype=np.int64)
    for k in range(1, t):
        cand = score[:, :, None] + trans[None]
        back[:, k] = cand.argmax(1)
        new = cand.max(1) + emission[:, k]
        live = (k < lengths)[:, None]
        score = np.where(live, new, score)
    best = np.zeros((b, t), dtype=np.int64)
    cur = score.argmax(1)
    rows = np.arange(b)
    for k in range(t - 1, -1, -1):
        live = k < lengths
        best[:, k] = np.where(live, cur, 0)
        if k > 0:
            cur = np.where(live, back[rows, k, cur], cur)
    return best


class Tagger:
    """A trained model: feature weights, transitions and the lexicon it was trained with."""

    def __init__(self, features: Sequence[str], weights: np.ndarray, trans: np.ndarray, first: np.ndarray, lex: Lexicon):
        self.index = {f: i for i, f in enumerate(features)}
        self.weights = np.vstack([weights, np.zeros((1, _N), dtype=weights.dtype)])  # last row: unknown features
        self.trans, self.first, self.lex = trans, first, lex
        self._cache: dict[str, np.ndarray] = {}

    def _word_scores(self, word: str) -> np.ndarray:
        """(5, N) summed weights of a word form's features at offsets -2..+2."""
        hit = self._cache.get(word)
        if hit is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            unknown = len(self.weights) - 1
            hit = np.stack([self.weights[[self.index.get(f, unknown) for f in fs] or [unknown]].sum(0) for fs in _offset_features(word, self.lex)])
            self._cache[word] = hit
        return hit

    def emission(self, words: Sequence[str]) -> np.ndarray:
        n = len(words)
        padded = [_BOUNDARY[0]] * 2 + list(words) + [_BOUNDARY[1]] * 2
        table = np.stack([self._word_scores(w) for w in padded])  # (n + 4, 5, N)
        out = np.zeros((n, _N))
        for o in range(5):
            # A word at offset `o - 2` from token i is padded[i + o].
            out += table[o:o + n, 4 - o]
        unknown = len(self.weights) - 1
        for i, fs in enumerate(position_features(words, self.lex)):
            if fs:
                out[i] += self.weights[[self.index.get(f, unknown) for f in fs]].sum(0)
        return out

    def tag(self, sentences: Sequence[Sequence[str]], batch: int = 256) -> list[list[str]]:
        """BIO tags for each sentence (a list of token strings)."""
        out: list[list[str] | None] = [None] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for a in range(0, len(order), batch):
            ids = [i for i in order[a:a + batch] if sentences[i]]
            for i in order[a:a + batch]:
                if not sentences[i]:
                    out[i] = []
            if not ids:
                continue
            lengths = np.array([len(sentences[i]) for i in ids])
            em = np.zeros((len(ids), lengths.max(), _N))
            for r, i in enumerate(ids):
                em[r, :lengths[r]] = self.emission(sentences[i])
            best = viterbi(em, lengths, self.trans, self.first)
            for r, i in enumerate(ids):
                out[i] = [TAGS[k] for k in best[r, :lengths[r]]]
        return out  # type: ignore[return-value]

    def spans(self, text: str, sentences: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """(start, end, PER/ORG/LOC/MISC) character spans of entities in the given sentences of text."""
        toks = [tokens(text, s, e) for s, e in sentences]
        tagged = self.tag([[text[a:b] for a, b in t] for t in toks])
        return [(t[i][0], t[j - 1][1], kind) for t, tags in zip(toks, tagged) for i, j, kind in spans_of(tags)]


def save(path: Path, tagger_data: dict[str, np.ndarray]) -> None:
    """Write arrays as an .npz with fixed zip metadata, so equal models give equal bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(tagger_data):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(tagger_data[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def _strings(arr: np.ndarray) -> list[str]:
    return bytes(arr).decode("utf-8").split("\n") if len(arr) else []


def _string_array(items: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def pack(features: Sequence[str], weights: np.ndarray, trans: np.ndarray, first: np.ndarray, lex: Lexicon) -> dict[str, np.ndarray]:
    """The arrays of a model file (the gazetteer is not stored: it is the one passed at load time)."""
    words = sorted(lex.lower_ratio)
    meta = {"tags": list(TAGS), "format": 1}
    return {
        "features": _string_array(features), "weights": weights.astype(np.float32), "trans": trans.astype(np.float32),
        "first": first.astype(np.float32), "lower_words": _string_array(words),
        "lower_ratio": np.array([lex.lower_ratio[w] for w in words], dtype=np.int8),
        "meta": _string_array([json.dumps(meta, sort_keys=True)]),
    }


@lru_cache(maxsize=4)
def _arrays(path: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """The contents of a model file, read once per process."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(_strings(z["meta"])[0])
        if tuple(meta["tags"]) != TAGS:
            raise ValueError(f"{path}: tags {meta['tags']} are not {TAGS}")
        ratio = dict(zip(_strings(z["lower_words"]), z["lower_ratio"].tolist()))
        return _strings(z["features"]), z["weights"].astype(np.float64), z["trans"].astype(np.float64), z["first"].astype(np.float64), ratio


def load(path: Path, gazetteer) -> Tagger:
    """A tagger from a model file, with the lexicon of `gazetteer` (a pipeline.entities.Gazetteer)."""
    features, weights, trans, first, ratio = _arrays(Path(path))
    return Tagger(features, weights, trans, first, lexicon(gazetteer, ratio))


_GAZ_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "EVENT": "MISC", "OTHER": "MISC"}


def lexicon(gazetteer, lower_ratio: dict[str, int]) -> Lexicon:
    """The lookups of the features from a pipeline gazetteer and a trained lower-case table."""
    from pipeline.entities import _COMMON, _CALENDAR

    folded = {k: _GAZ_TYPES[gazetteer.entries[v].type] for k, v in gazetteer.folded.items()}
    exact = {k: _GAZ_TYPES[gazetteer.entries[v].type] for k, v in gazetteer.exact.items()}
    for demonym in gazetteer.demonyms:
        folded.setdefault(tuple(demonym.split()), "MISC")
    return Lexicon(folded, exact, gazetteer.longest, gazetteer.given_names, frozenset(_COMMON | _CALENDAR), lower_ratio)



# Training -----------------------------------------------------------------------------------------

# Ratios of lower-case spellings are kept for words seen at least this often; below it, "-1".
LOWER_MIN_COUNT = 3


@dataclass(frozen=True)
class TrainConfig:
    """Perceptron training settings. `min_count`: a feature must occur this often to get a weight;
    `prune`: averaged weights below this (absolute, on every tag) are dropped from the model."""

    epochs: int = 8
    seed: int = 12
    min_count: int = 2
    prune: float = 0.01


def lower_ratios(sentences: Iterable[Sequence[str]], min_count: int = LOWER_MIN_COUNT) -> dict[str, int]:
    """Folded word -> 0..3, the share (in quarters, capped) of its non-initial uses written in lower case."""
    seen: dict[str, list[int]] = {}
    for words in sentences:
        for i, w in enumerate(words):
            if i == 0 or not w[:1].isalpha() or words[i - 1] in _OPENERS:
                continue
            c = seen.setdefault(w.casefold(), [0, 0])
            c[0] += 1
            c[1] += w[:1].islower()
    return {w: min(3, int(4 * low / n)) for w, (n, low) in seen.items() if n >= min_count}


def _sentence_features(words: Sequence[str], lex: Lexicon) -> list[list[str]]:
    padded = [_BOUNDARY[0]] * 2 + list(words) + [_BOUNDARY[1]] * 2
    per_word = [_offset_features(w, lex) for w in padded]
    out = []
    for i, pos in enumerate(position_features(words, lex)):
        fs = [f for o in range(5) for f in per_word[i + o][4 - o]]
        out.append(list(dict.fromkeys(fs + pos)))
    return out


def fit(data: Sequence[tuple[Sequence[str], Sequence[str]]], lex: Lexicon, config: TrainConfig = TrainConfig()):
    """Train on (tokens, BIO tags) sentences. Returns (features, weights, trans, first) of the averaged model."""
    featurised = [_sentence_features(words, lex) for words, _ in data]
    counts: dict[str, int] = {}
    for sent in featurised:
        for fs in sent:
            for f in fs:
                counts[f] = counts.get(f, 0) + 1
    features = sorted(f for f, c in counts.items() if c >= config.min_count)
    index = {f: i for i, f in enumerate(features)}
    n_feat = len(features)
    encoded = []
    for sent, (_, tags) in zip(featurised, data):
        ids, starts = [], []
        for fs in sent:
            starts.append(len(ids))
            row = [index[f] for f in fs if f in index]
            ids.extend(row or [n_feat])
        encoded.append((np.array(ids, dtype=np.int64), np.array(starts, dtype=np.int64), np.array([_TAG_ID[t] for t in tags], dtype=np.int64)))
    del featurised, counts
    w = np.zeros((n_feat + 1, _N))
    u = np.zeros_like(w)  # sum of c * update, for averaging: avg = w - u / c
    trans, utrans = np.zeros((_N, _N)), np.zeros((_N, _N))
    first, ufirst = np.zeros(_N), np.zeros(_N)
    rng = np.random.RandomState(config.seed)
    c = 1
    for _ in range(config.epochs):
        for k in rng.permutation(len(encoded)):
            ids, starts, gold = encoded[k]
            if not len(gold):
                continue
            em = np.add.reduceat(w[ids], starts, axis=0)
            pred = viterbi(em[None], np.array([len(gold)]), trans, first)[0]
            if not np.array_equal(pred, gold):
                ends = np.append(starts[1:], len(ids))
                for t in np.nonzero(pred != gold)[0]:
                    rows = ids[starts[t]:ends[t]]
                    for tag, d in ((gold[t], 1.0), (pred[t], -1.0)):
                        w[rows, tag] += d
                        u[rows, tag] += c * d
                for seq, d in ((gold, 1.0), (pred, -1.0)):
                    first[seq[0]] += d
                    ufirst[seq[0]] += c * d
                    np.add.at(trans, (seq[:-1], seq[1:]), d)
                    np.add.at(utrans, (seq[:-1], seq[1:]), c * d)
                w[n_feat] = u[n_feat] = 0
            c += 1
    avg = (w - u / c)[:n_feat]
    trans_avg, first_avg = trans - utrans / c, first - ufirst / c
    keep = np.nonzero(np.abs(avg).max(1) >= config.prune)[0]
    return [features[i] for i in keep], avg[keep], trans_avg, first_avg


def read_jsonl(paths: Iterable[Path]) -> list[tuple[list[str], list[str]]]:
    """(tokens, tags) of every sentence of the NER training files, in file then line order."""
    out = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                out.append((rec["tokens"], rec["tags"]))
    return out


def train_model(data: Sequence[tuple[Sequence[str], Sequence[str]]], gazetteer, config: TrainConfig = TrainConfig()) -> dict[str, np.ndarray]:
    """The arrays of a model trained on `data` with the features of `gazetteer`."""
    lex = lexicon(gazetteer, lower_ratios(words for words, _ in data))
    features, weights, trans, first = fit(data, lex, config)
    return pack(features, weights, trans, first, lex)


def from_arrays(arrays: dict[str, np.ndarray], gazetteer) -> Tagger:
    """A tagger from the arrays of `train_model` (without writing them to a file)."""
    ratio = dict(zip(_strings(arrays["lower_words"]), arrays["lower_ratio"].tolist()))
    return Tagger(_strings(arrays["features"]), arrays["weights"].astype(np.float64), arrays["trans"].astype(np.float64),
                  arrays["first"].astype(np.float64), lexicon(gazetteer, ratio))


# Nationality words as the training files write them when they tag them LOC (Re-DocRED, BTC):
# CoNLL's guidelines, which wikigold and WNUT17 follow and our gold set too, make them MISC.
_DEMONYM_SHAPE = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish|ican)s?$")


def training_sentences(paths: Iterable[Path], gazetteer) -> list[tuple[list[str], list[str]]]:
    """The training sentences, with one-word LOC spans that are nationality words retagged MISC:
    a gazetteer demonym, a word wikigold tags MISC on its own, or a demonym-shaped word
    ("Italian", "Japanese") the gazetteer does not know as a place."""
    paths = list(paths)
    data = read_jsonl(paths)
    misc_words = {
        words[a] for path in paths if Path(path).name.startswith("wikigold")
        for words, tags in read_jsonl([path]) for a, b, kind in spans_of(tags) if b - a == 1 and kind == "MISC"
    }
    places = {k[0] for k, v in gazetteer.folded.items() if len(k) == 1 and gazetteer.entries[v].type in ("GPE", "LOC")}

    def demonym(word: str) -> bool:
        low = word.casefold()
        return low in gazetteer.demonyms or (low not in places and (word in misc_words or _DEMONYM_SHAPE.match(word) is not None))

    out = []
    for words, tags in data:
        tags = list(tags)
        for a, b, kind in spans_of(tags):
            if kind == "LOC" and b - a == 1 and demonym(words[a]):
                tags[a] = "B-MISC"
        out.append((words, tags))
    return out
