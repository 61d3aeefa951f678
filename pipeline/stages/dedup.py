"""Near-duplicate sentences and stories (articles about the same event), by MinHash/LSH.

Both tasks compare sets of normalised content words (lower-cased, stop words dropped, a plural
"s" stripped): sentence restatements reuse most of their words in another order, and articles
about one event share their rare names and numbers. MinHash signatures (multiply-shift hashing,
vectorised with numpy) are cut into bands; items that share a band key are candidates, and only
candidates are compared exactly, so the cost grows with the number of items, not of pairs.

- `duplicate_sentences`: a sentence is a near-duplicate of another when both have at least
  `MIN_SENTENCE_WORDS` content words and their word sets have Jaccard similarity of at least
  `SENTENCE_JACCARD`; `duplicate_of` is the earliest such sentence by (article_id, position).
- `story_ids`: articles about the same real event share a story. Each article is a weighted bag
  of who/what/where/when evidence: its content words (event words, places, dates and numbers as
  written) and its names and numbers (resolved entity ids count as names), the names weighing
  `STORY_NAME_WEIGHT` times more. Weights are inverse document frequencies over all articles, so
  rare shared evidence ("Promises Treatment Center", "6.1-magnitude", "Lindsay Lohan") counts far
  more than common words; similarity is the cosine of the two bags. Candidate pairs share one of
  each article's `_STORY_TOP_FEATURES` heaviest features (the latest `_STORY_WINDOW` articles
  per feature; features of very many articles find none), so the cost grows with the number of
  articles, not of pairs. A pair counts only with at least `STORY_MIN_SHARED_NAMES` shared names
  and publication dates, where both are known, at most `STORY_MAX_DAYS` apart. Articles are
  clustered by average linkage: two stories merge while the mean similarity over all their
  article pairs (pairs that are not candidates count 0) is at least `STORY_SIMILARITY` and their
  known publication dates span at most `STORY_MAX_DAYS`, so one loose pair never chains two
  stories, and two similar events (two earthquakes, two stays in rehab of one actress) stay
  apart when their own evidence (place, date, clinic) differs. The story id derives from its
  earliest article's id.
"""

import hashlib
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from pipeline.core.ids import stable_id
from pipeline.core.lexicons import STOP_WORDS
from schemas import polars_schema
from schemas.articles import Articles
from schemas.sentences import Sentences

MIN_SENTENCE_WORDS = 5
SENTENCE_JACCARD = 0.6
STORY_MAX_DAYS = 7
STORY_MIN_SHARED_NAMES = 3
# Tuned on the odd ECB+ development topics (benchmarks/ecb_eval.py); even topics held out.
STORY_SIMILARITY = 0.12
STORY_NAME_WEIGHT = 2.0

# Fixed seed: signatures, and so the candidate pairs, are the same on every run and machine.
_SEED = 20210726
_NUM_PERM = 128
_WINDOW = 32
# 21 bands of 3 rows find pairs at Jaccard 0.6 with probability 0.99 (0.44 at 0.3).
_SENTENCE_BANDS, _SENTENCE_ROWS = 21, 3
# Candidates whose MinHash estimate is this far below a threshold are not checked exactly.
_ESTIMATE_MARGIN = 0.15
_NUMBER_WEIGHT = 3
# Candidates: articles sharing one of each other's heaviest features, the latest per feature.
_STORY_TOP_FEATURES = 48
_STORY_WINDOW = 64
_STORY_EDGE_FLOOR = 0.5
_STORY_MAX_BLOCK_DF, _STORY_MAX_BLOCK_SHARE = 200, 0.01
_CHUNK_ROWS = 1 << 17
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
# Besides the shared stop words: the rest of the pronouns and adverbs of the usual English list,
# and "year": story and duplicate matching ignores them.
_STOP_WORDS = STOP_WORDS | frozenset(
    """above because below doing further having hers herself him himself itself myself now once ours
    ourselves theirs themselves too very year years yours yourself yourselves""".split()
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
        {"sentence_id": ids, "duplicate_of": duplicate_of}, schema=polars_schema(Sentences, ("sentence_id", "duplicate_of"))
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
    sorted content words and sorted salient words (resolved entity ids among them). Each row depends on its article's text, date and mentions only.
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
        }
    )


def _weighted_bags(content: list[list[str]], salient: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(feature ids, weights, starts, sizes) of each article's bag, flat and sorted by feature id per
    article: IDF-weighted content words and names (names weighing `STORY_NAME_WEIGHT`), L2-normalised."""
    vocabulary: dict[str, int] = {}
    rows = [sorted({vocabulary.setdefault("w" + w, len(vocabulary)) for w in c} | {vocabulary.setdefault("s" + w, len(vocabulary)) for w in n})
            for c, n in zip(content, salient)]
    sizes = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    flat = np.fromiter((f for r in rows for f in r), dtype=np.int64, count=int(sizes.sum()))
    starts = np.cumsum(sizes) - sizes
    df = np.bincount(flat, minlength=len(vocabulary))
    is_name = np.fromiter((k[0] == "s" for k in vocabulary), dtype=bool, count=len(vocabulary))
    # Smoothed IDF: evidence shared by every article of a small collection still counts a little.
    weight_of = np.log1p(len(rows) / np.maximum(df, 1)) * np.where(is_name, STORY_NAME_WEIGHT, 1.0)
    weights = weight_of[flat]
    owner = np.repeat(np.arange(len(rows)), sizes)
    norms = np.sqrt(np.bincount(owner, weights=weights * weights, minlength=len(rows)))
    return flat, weights / np.maximum(norms[owner], 1e-12), starts, sizes


def _story_candidates(flat: np.ndarray, weights: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Pairs (i, j), i < j, sharing one of each article's heaviest features seen in two articles or
    more, and in no more than 200 (or 1 %) of them."""
    n = len(sizes)
    owner = np.repeat(np.arange(n), sizes)
    df = np.bincount(flat)
    # Evidence that many articles share (template words, a country named everywhere) finds no story alone.
    shared = (df[flat] > 1) & (df[flat] <= max(_STORY_MAX_BLOCK_DF, _STORY_MAX_BLOCK_SHARE * n))
    # The heaviest shared features of each article: sort by (owner, -weight), keep the first few.
    order = np.lexsort((-weights, ~shared, owner))
    rank = np.arange(len(order)) - np.repeat(starts, sizes)
    keep = order[(rank < _STORY_TOP_FEATURES) & shared[order]]
    features, articles = flat[keep], owner[keep]
    by_feature = np.lexsort((articles, features))
    features, articles = features[by_feature], articles[by_feature]
    found = []
    for gap in range(1, _STORY_WINDOW + 1):
        same = features[:-gap] == features[gap:]
        if not same.any():
            break
        found.append(np.stack([articles[:-gap][same], articles[gap:][same]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    codes = np.unique(pairs.min(axis=1) * n + pairs.max(axis=1))
    return np.stack([codes // n, codes % n], axis=1)


def _pair_dots(flat: np.ndarray, weights: np.ndarray, starts: np.ndarray, sizes: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Dot product of the two weighted bags of each pair, by sorting their features together."""
    out = np.zeros(len(pairs), dtype=np.float64)
    width = int(flat.max()) + 1 if len(flat) else 1
    per_pair = 2 * max(1.0, float(sizes.mean())) if len(sizes) else 2.0
    step = max(1, int(_CHUNK_ROWS * 8 / per_pair))
    for lo in range(0, len(pairs), step):
        chunk = pairs[lo : lo + step]
        keys, values = [], []
        for side in (0, 1):
            rows_k = chunk[:, side]
            lengths = sizes[rows_k]
            offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            at = np.repeat(starts[rows_k], lengths) + offsets
            keys.append(np.repeat(np.arange(len(chunk)), lengths) * width + flat[at])
            values.append(weights[at])
        key, value = np.concatenate(keys), np.concatenate(values)
        order = np.argsort(key, kind="stable")
        key, value = key[order], value[order]
        same = key[1:] == key[:-1]
        out[lo : lo + len(chunk)] = np.bincount(key[1:][same] // width, weights=value[1:][same] * value[:-1][same], minlength=len(chunk))
    return out


def _average_linkage(n: int, pairs: np.ndarray, similarity: np.ndarray, threshold: float,
                     days: list[int | None], max_days: int) -> list[int]:
    """Per item, the smallest index of its cluster: clusters merge, best first, while the mean
    similarity over all their cross pairs (missing pairs count 0) is at least `threshold` and
    their known days span at most `max_days`."""
    members = {i: [i] for i in range(n)}
    span = {i: (d, d) for i, d in enumerate(days) if d is not None}
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in zip(pairs.tolist(), similarity.tolist()):
        links[i][j] = links[j][i] = s
    heap = [(-s, i, j) for (i, j), s in zip(pairs.tolist(), similarity.tolist()) if s >= threshold]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        mean = links[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if mean != -negative:
            continue  # stale: one side has grown since this entry was pushed
        keep, gone = min(a, b), max(a, b)
        if keep in span and gone in span:
            lo, hi = min(span[keep][0], span[gone][0]), max(span[keep][1], span[gone][1])
            if hi - lo > max_days:
                continue  # a story is not spread over weeks: the pair stays apart for good
            span[keep] = (lo, hi)
        elif gone in span:
            span[keep] = span[gone]
        members[keep] += members.pop(gone)
        for c, s in links.pop(gone).items():
            links[c].pop(gone, None)
            if c != keep:
                links[keep][c] = links[c][keep] = links[keep].get(c, 0.0) + s
        links[keep].pop(gone, None)
        for c in links[keep]:  # insertion order: deterministic for a given input
            mean = links[keep][c] / (len(members[keep]) * len(members[c]))
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(keep, c), max(keep, c)))
    root = list(range(n))
    for first, items in members.items():
        for i in items:
            root[i] = first
    return root


def story_ids_from(features: pl.DataFrame) -> pl.DataFrame:
    """article_id and story_id for every article, sorted by article_id, from the `story_features`
    of all articles (in any row order). Articles are ordered by (published_date, article_id); see
    the module docstring for the similarity and the average-linkage clustering.
    """
    ordered = features.sort("published_date", "article_id", nulls_last=True)
    ids = ordered["article_id"].to_list()
    days = ordered["published_date"].cast(pl.Int32).to_list()
    content, salient = ordered["content"].to_list(), ordered["salient"].to_list()
    flat, weights, starts, sizes = _weighted_bags(content, salient)
    pairs = _story_candidates(flat, weights, starts, sizes)
    if days and any(d is not None for d in days):
        day = np.array([np.nan if d is None else d for d in days], dtype=np.float64)
        gap = np.abs(day[pairs[:, 0]] - day[pairs[:, 1]])
        pairs = pairs[~(gap > STORY_MAX_DAYS)]
    names, _, _ = pair_overlaps(salient, pairs)
    pairs = pairs[names >= STORY_MIN_SHARED_NAMES]
    similarity = _pair_dots(flat, weights, starts, sizes, pairs)
    # Pairs far below the threshold barely move a mean: dropping them keeps the linkage small.
    keep = similarity >= STORY_SIMILARITY * _STORY_EDGE_FLOOR
    root = _average_linkage(len(ids), pairs[keep], similarity[keep], STORY_SIMILARITY, days, STORY_MAX_DAYS)
    story = [stable_id("story", ids[r]) for r in root]
    return pl.DataFrame({"article_id": ids, "story_id": story}, schema=polars_schema(Articles, ("article_id", "story_id"))).sort("article_id")


def story_ids(articles: pl.DataFrame, mentions: pl.DataFrame | None = None) -> pl.DataFrame:
    """article_id and story_id for every article, sorted by article_id (see `story_ids_from`).

    Needs article_id and text; uses published_date when present and mentions' entity_id when given.
    """
    return story_ids_from(story_features(articles, mentions))
