"""Near-duplicate sentences and stories (articles about the same event), by MinHash/LSH.

Both tasks compare sets of normalised content words (lower-cased, stop words dropped, a plural
"s" stripped): sentence restatements reuse most of their words in another order, and articles
about one event share their rare names and numbers. MinHash signatures (multiply-shift hashing,
vectorised with numpy) are cut into bands; items that share a band key are candidates, and only
candidates are compared exactly, so the cost grows with the number of items, not of pairs.

- `duplicate_sentences`: a sentence is a near-duplicate of another when both have at least
  `MIN_SENTENCE_WORDS` content words and their word sets have Jaccard similarity of at least
  `SENTENCE_JACCARD`; `duplicate_of` is the earliest such sentence by (article_id, position).
- `story_ids`: articles join the story of the earliest similar "anchor" article (never a chain of
  pairwise links). Similar: at least `STORY_MIN_SHARED_NAMES` shared names and numbers (resolved
  entity ids count as names) with Jaccard >= `STORY_NAMES_JACCARD`, content-word Jaccard >=
  `STORY_WORDS_JACCARD`, and publication dates, where both are known, at most `STORY_MAX_DAYS`
  apart. The story id derives from the anchor's id.
"""

import hashlib
import re
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from pipeline.ids import stable_id

MIN_SENTENCE_WORDS = 5
SENTENCE_JACCARD = 0.6
STORY_MAX_DAYS = 7
STORY_NAMES_JACCARD = 0.2
STORY_WORDS_JACCARD = 0.15
STORY_MIN_SHARED_NAMES = 3

# Fixed seed: signatures, and so the candidate pairs, are the same on every run and machine.
_SEED = 20210726
_NUM_PERM = 128
_WINDOW = 32
# 21 bands of 3 rows find pairs at Jaccard 0.6 with probability 0.99 (0.44 at 0.3).
_SENTENCE_BANDS, _SENTENCE_ROWS = 21, 3
# Candidates whose MinHash estimate is this far below a threshold are not checked exactly.
_ESTIMATE_MARGIN = 0.15
_NUMBER_WEIGHT = 3
# 48 bands of 2 rows find pairs at Jaccard 0.2 with probability 0.86 (0.99 at 0.3).
_STORY_BANDS, _STORY_ROWS = 48, 2
_STORY_ESTIMATE_MARGIN = 0.1
_CHUNK_ROWS = 1 << 17
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
_STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves said says say told
    would may might must shall new last next year years""".split()
)


def tokens(text: str) -> list[str]:
    """The lower-case word tokens of a text, numbers included ("2,500")."""
    return _WORD.findall(text.lower())


def content_word(token: str) -> str | None:
    """A token's normalised content word (plural s cut), or None for a stop word."""
    if token in _STOP_WORDS:
        return None
    if len(token) > 3 and token[-1] == "s" and token[-2] not in "su'’":
        return token[:-1]
    return token


def content_words(text: str) -> frozenset[str]:
    """The set of normalised content words of a text (lower-case, no stop words, plural s cut)."""
    return frozenset(w for w in map(content_word, tokens(text)) if w is not None)


def _feature_hashes(features: Iterable[str], cache: dict[str, int]) -> list[int]:
    hashes = []
    for feature in features:
        value = cache.get(feature)
        if value is None:
            value = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
            cache[feature] = value
        hashes.append(value)
    return hashes


def minhash_signatures(sets: Sequence[Iterable[str]], num_perm: int = _NUM_PERM) -> np.ndarray:
    """One row of `num_perm` uint32 MinHash values per feature set (an empty set gets all-max)."""
    rng = np.random.default_rng(_SEED)
    mult = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    add = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    cache: dict[str, int] = {}
    hashed = [_feature_hashes(s, cache) for s in sets]
    sizes = np.fromiter((len(h) for h in hashed), dtype=np.int64, count=len(hashed))
    flat = np.fromiter((x for h in hashed for x in h), dtype=np.uint64, count=int(sizes.sum()))
    # Permutations x features layout: reduceat along the contiguous axis is several times faster.
    signatures = np.full((num_perm, len(hashed)), np.iinfo(np.uint32).max, dtype=np.uint32)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    nonempty = np.flatnonzero(sizes)
    # Chunks of whole sets keep the (num_perm x rows) temporary array small.
    i = 0
    while i < len(nonempty):
        j = int(np.searchsorted(ends[nonempty], starts[nonempty[i]] + _CHUNK_ROWS, side="right"))
        chunk = nonempty[i : max(j, i + 1)]
        lo, hi = starts[chunk[0]], ends[chunk[-1]]
        with np.errstate(over="ignore"):
            values = ((mult[:, None] * flat[None, lo:hi] + add[:, None]) >> np.uint64(32)).astype(np.uint32)
        signatures[:, chunk] = np.minimum.reduceat(values, starts[chunk] - lo, axis=1)
        i = max(j, i + 1)
    return np.ascontiguousarray(signatures.T)


def estimated_jaccard(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """MinHash estimate of the Jaccard similarity of each pair (share of equal signature values)."""
    out = np.empty(len(pairs), dtype=np.float64)
    for lo in range(0, len(pairs), _CHUNK_ROWS):
        chunk = pairs[lo : lo + _CHUNK_ROWS]
        out[lo : lo + len(chunk)] = (signatures[chunk[:, 0]] == signatures[chunk[:, 1]]).mean(axis=1)
    return out


def candidate_pairs(signatures: np.ndarray, bands: int, rows: int, window: int = _WINDOW) -> np.ndarray:
    """Pairs (i, j), i < j, of rows sharing at least one band key; shape (n, 2), sorted, unique.

    Inside one bucket, each item is paired with at most `window` items before it (by index): a
    bucket of thousands of near-identical items then costs linear, not quadratic, work. Callers
    index items in their canonical order, so the earliest items of a bucket are the ones kept.
    """
    n = signatures.shape[0]
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    rng = np.random.default_rng(_SEED + 1)
    mix = rng.integers(1, 2**63, size=rows, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    empty = (signatures == np.iinfo(np.uint32).max).all(axis=1)
    found = []
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        with np.errstate(over="ignore"):
            keys = (block * mix[None, :]).sum(axis=1, dtype=np.uint64) + np.uint64(band)
        keys[empty] = np.arange(n, dtype=np.uint64)[empty] | np.uint64(1 << 63)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        for gap in range(1, window + 1):
            same = sorted_keys[:-gap] == sorted_keys[gap:]
            if not same.any():
                break
            found.append(np.stack([order[:-gap][same], order[gap:][same]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    codes = np.sort(pairs.min(axis=1) * n + pairs.max(axis=1))
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    return np.stack([codes // n, codes % n], axis=1)


def pair_overlaps(sets: Sequence[Iterable[str]], pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(|a & b|, |a|, |b|) for each pair of rows (i, j) of `sets`, computed with numpy."""
    vocabulary: dict[str, int] = {}
    rows = [sorted({vocabulary.setdefault(f, len(vocabulary)) for f in s}) for s in sets]
    sizes = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    flat = np.fromiter((f for r in rows for f in r), dtype=np.int64, count=int(sizes.sum()))
    starts = np.cumsum(sizes) - sizes
    shared = np.zeros(len(pairs), dtype=np.int64)
    width = max(len(vocabulary), 1)
    # About a million feature ids per chunk, whatever the set sizes.
    per_pair = 2 * max(1.0, float(sizes.mean())) if len(sizes) else 2.0
    step = max(1, int(_CHUNK_ROWS * 8 / per_pair))
    for lo in range(0, len(pairs), step):
        chunk = pairs[lo : lo + step]
        keys = []
        for side in (0, 1):
            rows_k = chunk[:, side]
            lengths = sizes[rows_k]
            owner = np.repeat(np.arange(len(chunk)), lengths)
            offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            keys.append(owner * width + flat[np.repeat(starts[rows_k], lengths) + offsets])
        merged = np.sort(np.concatenate(keys))
        repeats = merged[1:][merged[1:] == merged[:-1]] // width
        shared[lo : lo + len(chunk)] = np.bincount(repeats, minlength=len(chunk))
    return shared, sizes[pairs[:, 0]], sizes[pairs[:, 1]]


def jaccard(a: frozenset, b: frozenset) -> float:
    """|a & b| / |a | b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


_NUMBER_WORDS = frozenset("zero one two three four five six seven eight nine ten eleven twelve twenty hundred".split())


def _numbers(words: frozenset[str]) -> set[str]:
    return {w for w in words if w[0].isdigit() or w in _NUMBER_WORDS}


def _number_weighted(words: frozenset[str]) -> list[str]:
    """Words plus extra copies of each number, for hashing only: lines of a results table share
    their words but not their numbers, and should rarely become candidates."""
    extra = [f"{copy}\x00{w}" for w in words if w[0].isdigit() for copy in range(_NUMBER_WEIGHT - 1)]
    return [*words, *extra]


def _near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    """Similar wording, and the numbers of one all appear in the other: "Shr 23 cts vs 95 cts" and
    "Shr 23 cts vs 24 cts" share most words but state different facts."""
    if jaccard(a, b) < SENTENCE_JACCARD:
        return False
    numbers_a, numbers_b = _numbers(a), _numbers(b)
    return numbers_a <= numbers_b or numbers_b <= numbers_a


def _signature_column(signatures: np.ndarray) -> pl.Series:
    return pl.Series("signature", signatures, dtype=pl.Array(pl.UInt32, signatures.shape[1]))


def sentence_signatures(sentences: pl.DataFrame) -> pl.DataFrame:
    """Per-sentence features of `duplicate_sentences_from`: sentence_id, article_id, position, the
    sorted content words and their MinHash signature (all-max below `MIN_SENTENCE_WORDS` words).

    Needs sentence_id, article_id, position, text; each row depends on its own sentence only, so
    the features of a document can be cached with it.
    """
    word_sets = [content_words(text) for text in sentences["text"].to_list()]
    width = _SENTENCE_BANDS * _SENTENCE_ROWS
    signatures = np.full((len(word_sets), width), np.iinfo(np.uint32).max, dtype=np.uint32)
    eligible = [i for i, words in enumerate(word_sets) if len(words) >= MIN_SENTENCE_WORDS]
    signatures[eligible] = minhash_signatures([_number_weighted(word_sets[i]) for i in eligible], num_perm=width)
    return sentences.select(
        pl.col("sentence_id").cast(pl.Utf8),
        pl.col("article_id").cast(pl.Utf8),
        pl.col("position").cast(pl.Int32),
        pl.Series("words", [sorted(words) for words in word_sets], dtype=pl.List(pl.Utf8)),
        _signature_column(signatures),
    )


def duplicate_sentences_from(features: pl.DataFrame) -> pl.DataFrame:
    """sentence_id and duplicate_of (the earliest near-duplicate sentence, else null), by sentence_id,
    from the `sentence_signatures` of all sentences (in any row order)."""
    ordered = features.sort("article_id", "position", "sentence_id")
    ids = ordered["sentence_id"].to_list()
    words = ordered["words"].to_list()
    # Identical word sets collapse onto their earliest sentence before hashing, so thousands of
    # copies of one line cost one signature and never fill an LSH bucket. Word lists are sorted,
    # so equal tuples are equal sets.
    representative: dict[tuple, int] = {}
    rep_of = np.empty(len(ids), dtype=np.int64)
    for index, row in enumerate(words):
        if len(row) < MIN_SENTENCE_WORDS:
            rep_of[index] = -1
            continue
        rep_of[index] = representative.setdefault(tuple(row), index)
    reps = np.array(sorted(representative.values()), dtype=np.int64)
    signatures = ordered["signature"].gather(reps).to_numpy().reshape(len(reps), _SENTENCE_BANDS * _SENTENCE_ROWS)
    pairs = candidate_pairs(signatures, bands=_SENTENCE_BANDS, rows=_SENTENCE_ROWS)
    pairs = pairs[estimated_jaccard(signatures, pairs) >= SENTENCE_JACCARD - _ESTIMATE_MARGIN]
    # Earliest verified neighbour of each representative (or itself when it has none).
    earliest = reps.copy()
    sets = {r: frozenset(words[reps[r]]) for r in np.unique(pairs).tolist()}
    for i, j in pairs.tolist():
        if _near_duplicate(sets[i], sets[j]):
            earliest[j] = min(earliest[j], reps[i])
            earliest[i] = min(earliest[i], reps[j])
    earliest_of_rep = dict(zip(reps.tolist(), earliest.tolist()))
    duplicate_of: list[str | None] = []
    for index, rep in enumerate(rep_of.tolist()):
        if rep < 0:
            duplicate_of.append(None)
            continue
        target = earliest_of_rep[rep] if rep == index else min(rep, earliest_of_rep[rep])
        duplicate_of.append(ids[target] if target < index else None)
    return pl.DataFrame(
        {"sentence_id": ids, "duplicate_of": duplicate_of}, schema={"sentence_id": pl.Utf8, "duplicate_of": pl.Utf8}
    ).sort("sentence_id")


def duplicate_sentences(sentences: pl.DataFrame) -> pl.DataFrame:
    """sentence_id and duplicate_of (the earliest near-duplicate sentence, else null), by sentence_id.

    Needs sentence_id, article_id, position, text. Works within and across articles; the result
    does not depend on row order or on how the sentences were split into shards.
    """
    return duplicate_sentences_from(sentence_signatures(sentences))


_NAME_OR_NUMBER = re.compile(r"(?<=[\w,;:)\]] )[A-Z][\w'’.-]*\w|\d[\d,.]*\d")


def salient_words(text: str) -> frozenset[str]:
    """Names (capitalised words not opening a sentence) and numbers of two digits or more."""
    return frozenset(word.lower() for word in _NAME_OR_NUMBER.findall(text))


def story_features(articles: pl.DataFrame, mentions: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per-article features of `story_ids_from`: article_id, published_date (null when unknown),
    sorted content words, sorted salient words (resolved entity ids among them) and the salient
    words' MinHash signature. Each row depends on its article's text, date and mentions only.
    """
    entity_ids: dict[str, list[str]] = {}
    if mentions is not None and mentions.height:
        grouped = mentions.group_by("article_id").agg(pl.col("entity_id").unique())
        entity_ids = dict(zip(grouped["article_id"].to_list(), grouped["entity_id"].to_list()))
    ids, texts = articles["article_id"].to_list(), articles["text"].to_list()
    content = [sorted(content_words(text)) for text in texts]
    # Resolved entities make transliterated names ("al-Kazmi", "al-Kadhimi") count as shared.
    salient = [sorted(salient_words(text) | {"\x00" + e for e in entity_ids.get(a, ())}) for a, text in zip(ids, texts)]
    dates = articles["published_date"] if "published_date" in articles.columns else pl.Series([None] * len(ids), dtype=pl.Date)
    return pl.DataFrame(
        {
            "article_id": pl.Series(ids, dtype=pl.Utf8),
            "published_date": dates.cast(pl.Date),
            "content": pl.Series(content, dtype=pl.List(pl.Utf8)),
            "salient": pl.Series(salient, dtype=pl.List(pl.Utf8)),
            "signature": _signature_column(minhash_signatures(salient, num_perm=_STORY_BANDS * _STORY_ROWS)),
        }
    )


def story_ids_from(features: pl.DataFrame) -> pl.DataFrame:
    """article_id and story_id for every article, sorted by article_id, from the `story_features`
    of all articles (in any row order). Articles are visited by (published_date, article_id); each
    joins the most similar earlier anchor it matches, else becomes an anchor, so one loose pair
    cannot chain two stories.
    """
    ordered = features.sort("published_date", "article_id", nulls_last=True)
    ids = ordered["article_id"].to_list()
    days = ordered["published_date"].cast(pl.Int32).to_list()
    content, salient = ordered["content"].to_list(), ordered["salient"].to_list()
    signatures = ordered["signature"].to_numpy().reshape(len(ids), _STORY_BANDS * _STORY_ROWS)
    pairs = candidate_pairs(signatures, bands=_STORY_BANDS, rows=_STORY_ROWS)
    pairs = pairs[estimated_jaccard(signatures, pairs) >= STORY_NAMES_JACCARD - _STORY_ESTIMATE_MARGIN]
    if days and any(d is not None for d in days):
        day = np.array([np.nan if d is None else d for d in days], dtype=np.float64)
        gap = np.abs(day[pairs[:, 0]] - day[pairs[:, 1]])
        pairs = pairs[~(gap > STORY_MAX_DAYS)]
    names, size_a, size_b = pair_overlaps(salient, pairs)
    keep = (names >= STORY_MIN_SHARED_NAMES) & (names >= STORY_NAMES_JACCARD * (size_a + size_b - names))
    pairs, names = pairs[keep], names[keep] / (size_a + size_b - names)[keep]
    words, size_a, size_b = pair_overlaps(content, pairs)
    words = words / np.maximum(size_a + size_b - words, 1)
    keep = words >= STORY_WORDS_JACCARD
    neighbours: dict[int, list[tuple[int, float]]] = {}
    for (i, j), score in zip(pairs[keep].tolist(), (names[keep] + words[keep]).tolist()):
        neighbours.setdefault(j, []).append((i, score))
    anchor = list(range(len(ids)))
    for j in range(len(ids)):
        options = [(-score, i) for i, score in neighbours.get(j, ()) if anchor[i] == i]
        if options:
            anchor[j] = min(options)[1]
    story = [stable_id("story", ids[a]) for a in anchor]
    return pl.DataFrame({"article_id": ids, "story_id": story}, schema={"article_id": pl.Utf8, "story_id": pl.Utf8}).sort("article_id")


def story_ids(articles: pl.DataFrame, mentions: pl.DataFrame | None = None) -> pl.DataFrame:
    """article_id and story_id for every article, sorted by article_id (see `story_ids_from`).

    Needs article_id and text; uses published_date when present and mentions' entity_id when given.
    """
    return story_ids_from(story_features(articles, mentions))
