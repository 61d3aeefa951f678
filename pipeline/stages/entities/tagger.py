"""The learned entity tagger: an averaged structured perceptron over BIO tags (PER, ORG, LOC, MISC).

Tokens come from `tokens` (words, initials such as "U.S.", a possessive "'s" apart, punctuation).
Each token is described by features of its own word and of its neighbours: the word as written and
lower-cased, its shape ("Xxxx", "XX", "dd"), prefixes and suffixes, whether the gazetteer knows it
as a one-word name (and with which type), whether it is a common given name or one of the rules'
function words, and how often the training text writes it in lower case; plus features of its
position: sentence start, a headline-like sentence (no lower-case word), its place in a run of
capitalised words and the type the run's head word gives it (the rules' candidates: Party, River,
Mount), and the longest gazetteer alias covering it (B/I and the entry's type). The gazetteer
here is the pipeline's plus pycountry's names of countries and subdivisions. Tag transitions are
learned too; decoding is Viterbi with the BIO constraint (I-X only after B-X or I-X).

Speed: every feature of a word at a relative offset is a feature of that word form alone, so the
summed weights of a word form at each offset are computed once per process and cached; a sentence's
emission scores are then a few array lookups, and Viterbi runs over a batch of sentences at once.

The model is plain data (`pipeline/data/ner_tagger.npz`: feature strings, weights, transitions, the
lower-case ratios, place words of the training data), read once per process with `allow_pickle=False`. `train` rebuilds it
byte-identically from the training files (sorted inputs, fixed seed); see `pipeline.train`.
"""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline import DATA
from pipeline.stages.entities.lexicon import _CALENDAR, _COMMON, _HEAD_TYPES, _PREFIX_TYPES

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
TYPES = ("PER", "ORG", "LOC", "MISC")
MODEL_PATH = DATA / "ner_tagger.npz"
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
class TaggerRules:
    """Tunables of tagging with a trained model."""

    max_tokens: int = 400
    """Longer sentences (a text without punctuation) are tagged in pieces of this many tokens, so
    that memory stays bounded."""
    article_types: bool = True
    """A name keeps one type in an article: a span takes the type its words (or, for a one-word
    span, the person it ends) get most often there, when that is strictly more often than the
    type it was tagged. Kept because it helped typed F1 on held-out Re-DocRED documents
    (`benchmarks/ner_eval.py --parts cross`); single-sentence sources are unaffected."""


def _pieces(text: str, sentences: Iterable[tuple[int, int]], size: int) -> list[list[tuple[int, int]]]:
    """Token spans of each sentence, cut into pieces of at most `size` tokens (an empty sentence: one empty piece)."""
    return [t[k:k + size] for s, e in sentences for t in [tokens(text, s, e)] for k in range(0, max(len(t), 1), size)]


@dataclass(frozen=True)
class Lexicon:
    """What the features look up besides the word itself."""

    gazetteer: dict[tuple[str, ...], str]  # folded alias words -> PER/ORG/LOC/MISC
    exact: dict[tuple[str, ...], str]  # all-capitals aliases, as written
    longest: int
    given: frozenset[str]
    function_words: frozenset[str]
    lower_ratio: dict[str, int]  # folded word -> 0..3: how often training text writes it in lower case
    places: frozenset[str]  # folded one-word place names (gazetteer and training data)
    demonyms: frozenset[str]  # folded demonyms the gazetteer knows
    trained_places: frozenset[str]  # the places of `places` learned from the training data (stored in the model)
    countries: bool  # whether pycountry's names are in `gazetteer`
    reach: dict[str, int]  # folded first word of a multi-word alias -> the most words of such an alias
    heads: dict[str, str]  # the rules' head words that type a run (party -> ORG, river -> LOC)
    prefixes: dict[str, str]  # the rules' first words that type a run (mount -> LOC)


# The endings of nationality words, and how their place names are spelled from the stem:
# Paraguay-an, Ital-ian (Italy), German (Germany), Americ-an, Mexic-an (Mexico), Chin-ese,
# Japan-ese, Turk-ish (Turkey), Pol-ish (Poland), Brit-ish (Britain), Iraq-i.
_DEMONYM_SHAPE = re.compile(r"^[a-z]+(?:an|ese|ish|i|ic|ch)$")
_STEMS = ((0, "y"), (1, ""), (2, ""), (3, "y"), (2, "o"), (3, "a"), (3, ""), (3, "ey"), (3, "and"), (3, "ain"), (4, "y"), (2, "a"))


def demonym_of_known_place(word: str, places: frozenset[str] | set[str]) -> bool:
    """Whether a capitalised word is a nationality word formed from a known place ("Paraguayan")."""
    low = word.casefold()
    if not word[:1].isupper() or low in places:
        return False
    stem = low[:-1] if low.endswith("s") and not low.endswith("ss") else low
    return _DEMONYM_SHAPE.match(stem) is not None and any(
        len(c) >= 3 and c in places for c in ((stem[:-cut] if cut else stem) + add for cut, add in _STEMS)
    )


def is_demonym(word: str, lex: Lexicon) -> bool:
    return word.casefold() in lex.demonyms or demonym_of_known_place(word, lex.places)


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


def position_features(words: Sequence[str], lex: Lexicon, matches: list[tuple[int, int, str]] | None = None) -> list[list[str]]:
    """Features of each token's place in its sentence: start, headline, gazetteer span of two or
    more words (`matches`: the sentence's `gazetteer_matches`, when at hand)."""
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
    for i, j in capitalised_runs(words):
        # The rules' candidates, cheaply: runs of capitalised words and the type their head word
        # (Party, River, City) or first word (Mount, Lake) gives them.
        size = j - i
        head = lex.heads.get(words[j - 1].casefold()) if size > 1 else None
        head = head or (lex.prefixes.get(words[i].casefold()) if size > 1 else None)
        for k in range(i, j):
            pos = "S" if size == 1 else "B" if k == i else "E" if k == j - 1 else "I"
            out[k].append(f"run={pos}{min(size, 4)}")
            if head:
                out[k].append(f"runhead={pos}{head}")
    for i, j, kind in gazetteer_matches(words, lex) if matches is None else matches:
        if j - i < 2:
            continue
        out[i].append("gB=" + kind)
        for k in range(i + 1, j):
            out[k].append("gI=" + kind)
    return out


_RUN_CONNECTORS = frozenset("of the de del da di du van von der bin ibn al el and &".split())


def capitalised_runs(words: Sequence[str]) -> list[tuple[int, int]]:
    """(first, end) of runs of capitalised words, joined by connectors ("Bank of the West")."""
    n = len(words)
    out = []
    i = 0
    while i < n:
        if not words[i][:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n:
            if words[j][:1].isupper():
                j += 1
                continue
            k = j
            while k < n and words[k] in _RUN_CONNECTORS:
                k += 1
            if k > j and k < n and words[k][:1].isupper():
                j = k + 1
            else:
                break
        out.append((i, j))
        i = j
    return out


def gazetteer_matches(words: Sequence[str], lex: Lexicon, min_length: int = 1) -> list[tuple[int, int, str]]:
    """(first, end, type) of the longest gazetteer aliases starting with a capital, left to right."""
    n = len(words)
    out = []
    i = 0
    while i < n:
        w = words[i]
        hit, k = None, 0
        if w[:1].isupper():
            low = w.casefold()
            for k in range(min(lex.reach.get(low, 1), n - i), 1, -1):
                hit = lex.exact.get(tuple(words[i:i + k])) or lex.gazetteer.get((low, *(x.casefold() for x in words[i + 1:i + k])))
                if hit:
                    break
            if hit is None and min_length <= 1:
                k, hit = 1, lex.exact.get((w,)) or lex.gazetteer.get((low,))
        if hit:
            out.append((i, i + k, hit))
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
        self._ids: dict[str, int] = {}
        self._new: list[str] = []  # word forms whose rows are not computed yet
        self._table = np.zeros((0, 5, _N))
        self._size = 0
        # The word-score cache grows in place: tasks sharing this tagger in threads (a Dask
        # worker, Prefect's thread pool) take turns to grow and read it.
        self._lock = threading.Lock()

    def _word_ids(self, words: Iterable[str]) -> list[int]:
        """Rows of the word-score table for these words; new word forms get rows (see `_scores_table`)."""
        ids = self._ids
        out = []
        for w in words:
            k = ids.get(w)
            if k is None:
                k = ids[w] = self._size + len(self._new)
                self._new.append(w)
            out.append(k)
        return out

    def _scores_table(self) -> np.ndarray:
        """The (words, 5, N) table, grown by doubling so that adding rows stays cheap."""
        if self._new:
            need = self._size + len(self._new)
            if need > len(self._table):
                grown = np.zeros((max(need, 2 * len(self._table), 1024), 5, _N))
                grown[:self._size] = self._table[:self._size]
                self._table = grown
            # The summed weights of each new word's features at offsets -2..+2, in one reduction.
            unknown = len(self.weights) - 1
            flat, starts = [], []
            for w in self._new:
                for fs in _offset_features(w, self.lex):
                    starts.append(len(flat))
                    flat.extend([self.index.get(f, unknown) for f in fs] or [unknown])
            sums = np.add.reduceat(self.weights[np.array(flat, dtype=np.int64)], np.array(starts, dtype=np.int64), axis=0)
            self._table[self._size:need] = sums.reshape(len(self._new), 5, _N)
            self._size, self._new = need, []
        return self._table

    def emissions(self, sentences: Sequence[Sequence[str]], matches: Sequence[list] | None = None) -> list[np.ndarray]:
        """(n, N) emission scores of each sentence (`matches`: their `gazetteer_matches`, if at hand)."""
        flat: list[str] = []
        starts = []
        for words in sentences:
            flat += _BOUNDARY[:1] * 2
            starts.append(len(flat))
            flat += words
            flat += _BOUNDARY[1:] * 2
        with self._lock:
            if len(self._ids) > 500_000:  # a bound on the per-process cache of word forms
                self._ids, self._new, self._table, self._size = {}, [], np.zeros((0, 5, _N)), 0
            rows = self._word_ids(flat)
            g = self._scores_table()[np.array(rows, dtype=np.int64)]  # (L, 5, N), a copy
        size = len(flat)
        total = np.zeros((size, _N))
        for o in range(5):
            # The word at offset o - 2 from the token at p is flat[p - 2 + o], scored in its slot 4 - o.
            total[2:size - 2] += g[o:size - 4 + o, 4 - o]
        index = self.index
        at, feats = [], []
        for n, (words, start) in enumerate(zip(sentences, starts)):
            for i, fs in enumerate(position_features(words, self.lex, None if matches is None else matches[n])):
                for f in fs:
                    k = index.get(f)
                    if k is not None:
                        at.append(start + i)
                        feats.append(k)
        if at:
            np.add.at(total, np.array(at, dtype=np.int64), self.weights[np.array(feats, dtype=np.int64)])
        return [total[start:start + len(words)] for words, start in zip(sentences, starts)]

    def tag(self, sentences: Sequence[Sequence[str]], batch: int = 256, matches: Sequence[list] | None = None) -> list[list[str]]:
        """BIO tags for each sentence (a list of token strings)."""
        out: list[list[str]] = [[] for _ in sentences]
        order = sorted((i for i in range(len(sentences)) if sentences[i]), key=lambda i: len(sentences[i]))
        for a in range(0, len(order), batch):
            ids = order[a:a + batch]
            lengths = np.array([len(sentences[i]) for i in ids])
            em = np.zeros((len(ids), lengths.max(), _N))
            for r, e in enumerate(self.emissions([sentences[i] for i in ids], None if matches is None else [matches[i] for i in ids])):
                em[r, :lengths[r]] = e
            best = viterbi(em, lengths, self.trans, self.first)
            for r, i in enumerate(ids):
                out[i] = [TAGS[k] for k in best[r, :lengths[r]]]
        return out

    def spans(self, text: str, sentences: Iterable[tuple[int, int]], rules: TaggerRules = TaggerRules()) -> list[tuple[int, int, str]]:
        """(start, end, PER/ORG/LOC/MISC) character spans of entities in the given sentences of text,
        tagged sentence by sentence (see `article_spans` for the whole-article additions)."""
        toks = _pieces(text, sentences, rules.max_tokens)
        tagged = self.tag([[text[a:b] for a, b in t] for t in toks])
        return [(t[i][0], t[j - 1][1], kind) for t, tags in zip(toks, tagged) for i, j, kind in spans_of(tags)]

    def article_spans(self, text: str, sentences: Iterable[tuple[int, int]], rules: TaggerRules = TaggerRules()) -> list[tuple[int, int, str]]:
        """`spans`, plus what the article as a whole says about tokens the tagger left out: an
        untagged capitalised token sequence that the article tags elsewhere takes that tag
        (the most frequent one), a lone last word of a person's name is that person ("Saadoun
        spoke"), and a gazetteer alias is its entry's type. Sorted by start."""
        return self.articles_spans([(text, sentences)], rules)[0]

    def articles_spans(self, articles: Sequence[tuple[str, Iterable[tuple[int, int]]]], rules: TaggerRules = TaggerRules()) -> list[list[tuple[int, int, str]]]:
        """`article_spans` of each (text, sentences), tagged in one batch (faster)."""
        toks = [_pieces(text, sents, rules.max_tokens) for text, sents in articles]
        words = [[[text[a:b] for a, b in t] for t in ts] for (text, _), ts in zip(articles, toks)]
        flat = [w for ws in words for w in ws]
        gazetteer = [gazetteer_matches(w, self.lex) for w in flat]
        tagged = iter(self.tag(flat, matches=gazetteer))
        matched = iter(gazetteer)
        return [self.completed(ts, ws, [next(tagged) for _ in ws], [next(matched) for _ in ws], rules) for ts, ws in zip(toks, words)]

    @staticmethod
    def completed(toks, words, tagged, gazetteer, rules: TaggerRules = TaggerRules()) -> list[tuple[int, int, str]]:
        """The article's spans (start of the first token, end of the last, type) from its
        sentences' token offsets `toks`, words, tags and gazetteer matches: see `article_spans`."""
        found = [spans_of(tags) for tags in tagged]
        seen: dict[tuple[str, ...], dict[str, int]] = {}
        for w, spans in zip(words, found):
            for i, j, kind in spans:
                forms = [tuple(w[i:j])] + ([(w[j - 1],)] if kind == "PER" and j - i > 1 else [])
                for form in forms:
                    counts = seen.setdefault(form, {})
                    counts[kind] = counts.get(kind, 0) + 1
        known = {form: max(sorted(c), key=c.get) for form, c in seen.items()}
        if rules.article_types:
            def kept_type(form: tuple[str, ...], kind: str) -> str:
                counts, best = seen[form], known[form]
                return best if counts[best] > counts[kind] else kind

            found = [[(i, j, kept_type(tuple(w[i:j]), kind)) for i, j, kind in spans] for w, spans in zip(words, found)]
        longest = max(map(len, known), default=0)
        out = []
        for t, w, spans, matched in zip(toks, words, found, gazetteer):
            taken = [False] * len(w)
            for i, j, _ in spans:
                taken[i:j] = [True] * (j - i)
            extra = []
            i = 0
            while i < len(w):
                hit = None
                if not taken[i] and w[i][:1].isupper():
                    for k in range(min(longest, len(w) - i), 0, -1):
                        form = tuple(w[i:i + k])
                        if form in known and not any(taken[i:i + k]) and (i + k == len(w) or not w[i + k][:1].isupper()):
                            hit = (i, i + k, known[form])
                            break
                if hit:
                    extra.append(hit)
                    taken[hit[0]:hit[1]] = [True] * (hit[1] - hit[0])
                    i = hit[1]
                else:
                    i += 1
            for i, j, kind in matched:
                if not any(taken[i:j]) and (j - i > 1 or w[i].isupper() or not (i == 0 or w[i - 1] in _OPENERS)):
                    extra.append((i, j, kind))
            out.extend((t[i][0], t[j - 1][1], kind) for i, j, kind in spans + extra)
        return sorted(out)


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
    meta = {"tags": list(TAGS), "format": 1, "countries": lex.countries}
    return {
        "features": _string_array(features), "weights": weights.astype(np.float32), "trans": trans.astype(np.float32),
        "first": first.astype(np.float32), "lower_words": _string_array(words),
        "lower_ratio": np.array([lex.lower_ratio[w] for w in words], dtype=np.int8),
        "place_words": _string_array(sorted(lex.trained_places)),
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
        return (_strings(z["features"]), z["weights"].astype(np.float64), z["trans"].astype(np.float64), z["first"].astype(np.float64), ratio,
                frozenset(_strings(z["place_words"])), meta["countries"])


def load(path: Path, gazetteer) -> Tagger:
    """A tagger from a model file, with the lexicon of `gazetteer` (a pipeline.stages.entities.Gazetteer)."""
    features, weights, trans, first, ratio, places, countries = _arrays(Path(path))
    return Tagger(features, weights, trans, first, lexicon(gazetteer, ratio, places, countries))


_GAZ_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "EVENT": "MISC", "OTHER": "MISC"}


@lru_cache(maxsize=1)
def country_names() -> dict[tuple[str, ...], str]:
    """Folded words of the names of countries and their subdivisions (pycountry's ISO 3166 data) -> LOC."""
    import pycountry

    names = set()
    for c in pycountry.countries:
        names.update(getattr(c, k, None) for k in ("name", "common_name", "official_name"))
    names.update(s.name for s in pycountry.subdivisions)
    # "Korea, Republic of" and "Bolivia (Plurinational State of)" are not how text names them.
    return {tuple(n.casefold().split()): "LOC" for n in names if n and not any(c in n for c in ",()")}


def lexicon(gazetteer, lower_ratio: dict[str, int], trained_places: frozenset[str] = frozenset(), countries: bool = True) -> Lexicon:
    """The lookups of the features from a pipeline gazetteer, a trained lower-case table and places,
    and (when `countries`) pycountry's names of countries and subdivisions, minus words that the
    training text mostly writes in lower case or the rules' function words."""
    folded: dict[tuple[str, ...], str] = {}
    if countries:
        folded.update((k, v) for k, v in country_names().items() if not (len(k) == 1 and (lower_ratio.get(k[0], 0) >= 2 or k[0] in _COMMON)))
    folded.update({k: _GAZ_TYPES[gazetteer.entries[v].type] for k, v in gazetteer.folded.items()})
    exact = {k: _GAZ_TYPES[gazetteer.entries[v].type] for k, v in gazetteer.exact.items()}
    for demonym in gazetteer.demonyms:
        folded.setdefault(tuple(demonym.split()), "MISC")
    places = frozenset(k[0] for k, v in folded.items() if len(k) == 1 and v == "LOC")
    return Lexicon(folded, exact, max(gazetteer.longest, max(map(len, folded), default=1)), gazetteer.given_names, frozenset(_COMMON | _CALENDAR), lower_ratio,
                   places | trained_places, frozenset(gazetteer.demonyms), trained_places, countries, _reach([*folded, *(tuple(w.casefold() for w in k) for k in exact)]),
                   {w: _GAZ_TYPES[t] for w, t in _HEAD_TYPES.items()}, {w: _GAZ_TYPES[t] for w, t in _PREFIX_TYPES.items()})


def _reach(aliases: Iterable[tuple[str, ...]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for words in aliases:
        if len(words) > 1:
            out[words[0]] = max(out.get(words[0], 0), len(words))
    return out



# Training -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrainConfig:
    """Perceptron training settings. `min_count`: a feature must occur this often to get a weight;
    `prune`: averaged weights below this (absolute, on every tag) are dropped from the model;
    `countries`: use pycountry's names as gazetteer features."""

    epochs: int = 8
    seed: int = 12
    min_count: int = 2
    prune: float = 0.01
    countries: bool = True  # pycountry's country and subdivision names as gazetteer features
    lower_min_count: int = 3  # ratios of lower-case spellings are kept for words seen at least this often
    place_min_count: int = 2  # one-word places must be seen this often in the training data to count as known places


def lower_ratios(sentences: Iterable[Sequence[str]], min_count: int = TrainConfig.lower_min_count) -> dict[str, int]:
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
    ratios = lower_ratios((words for words, _ in data), config.lower_min_count)
    known = lexicon(gazetteer, ratios, countries=config.countries).places
    lex = lexicon(gazetteer, ratios, training_places(data, known, config.place_min_count), config.countries)
    features, weights, trans, first = fit(data, lex, config)
    return pack(features, weights, trans, first, lex)


def from_arrays(arrays: dict[str, np.ndarray], gazetteer) -> Tagger:
    """A tagger from the arrays of `train_model` (without writing them to a file)."""
    ratio = dict(zip(_strings(arrays["lower_words"]), arrays["lower_ratio"].tolist()))
    return Tagger(_strings(arrays["features"]), arrays["weights"].astype(np.float64), arrays["trans"].astype(np.float64),
                  arrays["first"].astype(np.float64),
                  lexicon(gazetteer, ratio, frozenset(_strings(arrays["place_words"])), json.loads(_strings(arrays["meta"])[0])["countries"]))


def training_places(data: Iterable[tuple[Sequence[str], Sequence[str]]], known: frozenset[str] = frozenset(), min_count: int = TrainConfig.place_min_count) -> frozenset[str]:
    """Folded one-word LOC names of the training data, without the nationality words some sources
    tag LOC ("German" goes when "Germany" is there, or among the `known` places)."""
    counts: dict[str, int] = {}
    for words, tags in data:
        for a, b, kind in spans_of(tags):
            if kind == "LOC" and b - a == 1 and words[a][:1].isupper() and words[a].isalpha():
                counts[words[a].casefold()] = counts.get(words[a].casefold(), 0) + 1
    raw = {w for w, c in counts.items() if c >= min_count}
    return frozenset(w for w in raw if not demonym_of_known_place(w.capitalize(), (raw | known) - {w}))


def training_sentences(paths: Iterable[Path], gazetteer, countries: bool = True) -> list[tuple[list[str], list[str]]]:
    """The training sentences, with one-word LOC spans that are nationality words retagged MISC
    (Re-DocRED and BTC tag "German" LOC; CoNLL's guidelines, which wikigold and WNUT17 follow and
    our gold set too, make it MISC): a gazetteer demonym, or a word formed from a known place."""
    data = read_jsonl(list(paths))
    lex = lexicon(gazetteer, {}, training_places(data, lexicon(gazetteer, {}, countries=countries).places), countries)
    out = []
    for words, tags in data:
        tags = list(tags)
        for a, b, kind in spans_of(tags):
            if kind == "LOC" and b - a == 1 and is_demonym(words[a], lex):
                tags[a] = "B-MISC"
        out.append((words, tags))
    return out
