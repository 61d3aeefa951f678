"""Stories: articles about the same real event, by weighted evidence and average linkage.

Each article is a weighted bag of who/what/where/when evidence: its content words
(`pipeline.core.words`: event words, places, dates and numbers as written) and its names and
numbers (resolved entity ids count as names), the names weighing `StoryRules.name_weight` times
more. Weights are inverse document frequencies over all articles, so rare shared evidence
("Promises Treatment Center", "6.1-magnitude", "Lindsay Lohan") counts far more than common words;
similarity is the cosine of the two bags. Candidate pairs share one of each article's
`StoryRules.top_features` heaviest features (the latest `StoryRules.feature_window` articles per
feature; features of very many articles find none), so the cost grows with the number of
articles, not of pairs. A pair counts only with at least `StoryRules.min_shared_names` shared
names and publication dates, where both are known, at most `StoryRules.max_days` apart. Articles
are clustered by average linkage: two stories merge while the mean similarity over all their
article pairs (pairs that are not candidates count 0) is at least `StoryRules.similarity` and
their known publication dates span at most `StoryRules.max_days`, so one loose pair never chains
two stories, and two similar events (two earthquakes, two stays in rehab of one actress) stay
apart when their own evidence (place, date, clinic) differs. The story id derives from its
earliest article's id.
"""

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipeline.core.ids import stable_id
from pipeline.core.similarity import CHUNK_ROWS, pair_overlaps
from pipeline.core.words import content_words


@dataclass(frozen=True)
class StoryRules:
    """Tunables of story clustering. `similarity` and `name_weight` were tuned on the odd ECB+
    development topics (benchmarks/ecb_eval.py; even topics held out); see README, "Claims, stories
    and duplicates"."""

    max_days: int = 7
    """Known publication dates of one story span at most this many days."""
    min_shared_names: int = 3
    """A candidate pair counts only when the two articles share at least this many names or numbers."""
    similarity: float = 0.12
    """Two stories merge while the mean cosine similarity over all their article pairs is at least this."""
    name_weight: float = 2.0
    """Names and numbers weigh this many times more than content words."""
    top_features: int = 48
    """Candidates share one of each article's this many heaviest features..."""
    feature_window: int = 64
    """...among the latest this many articles with that feature."""
    edge_floor: float = 0.5
    """Pairs below this share of `similarity` barely move a mean and are left out of the linkage."""
    max_block_articles: int = 200
    """A feature of more articles than this..."""
    max_block_share: float = 0.01
    """...and than this share of all articles finds no candidates (template words, a country named everywhere)."""


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


def _weighted_bags(content: list[list[str]], salient: list[list[str]], name_weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(feature ids, weights, starts, sizes) of each article's bag, flat and sorted by feature id per
    article: IDF-weighted content words and names (names weighing `name_weight`), L2-normalised."""
    vocabulary: dict[str, int] = {}
    rows = [sorted({vocabulary.setdefault("w" + w, len(vocabulary)) for w in c} | {vocabulary.setdefault("s" + w, len(vocabulary)) for w in n})
            for c, n in zip(content, salient)]
    sizes = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    flat = np.fromiter((f for r in rows for f in r), dtype=np.int64, count=int(sizes.sum()))
    starts = np.cumsum(sizes) - sizes
    df = np.bincount(flat, minlength=len(vocabulary))
    is_name = np.fromiter((k[0] == "s" for k in vocabulary), dtype=bool, count=len(vocabulary))
    # Smoothed IDF: evidence shared by every article of a small collection still counts a little.
    weight_of = np.log1p(len(rows) / np.maximum(df, 1)) * np.where(is_name, name_weight, 1.0)
    weights = weight_of[flat]
    owner = np.repeat(np.arange(len(rows)), sizes)
    norms = np.sqrt(np.bincount(owner, weights=weights * weights, minlength=len(rows)))
    return flat, weights / np.maximum(norms[owner], 1e-12), starts, sizes


def _story_candidates(flat: np.ndarray, weights: np.ndarray, starts: np.ndarray, sizes: np.ndarray, rules: StoryRules) -> np.ndarray:
    """Pairs (i, j), i < j, sharing one of each article's heaviest features seen in two articles or
    more, and in no more than `rules.max_block_articles` (or `rules.max_block_share`) of them."""
    n = len(sizes)
    owner = np.repeat(np.arange(n), sizes)
    df = np.bincount(flat)
    # Evidence that many articles share (template words, a country named everywhere) finds no story alone.
    shared = (df[flat] > 1) & (df[flat] <= max(rules.max_block_articles, rules.max_block_share * n))
    # The heaviest shared features of each article: sort by (owner, -weight), keep the first few.
    order = np.lexsort((-weights, ~shared, owner))
    rank = np.arange(len(order)) - np.repeat(starts, sizes)
    keep = order[(rank < rules.top_features) & shared[order]]
    features, articles = flat[keep], owner[keep]
    by_feature = np.lexsort((articles, features))
    features, articles = features[by_feature], articles[by_feature]
    found = []
    for gap in range(1, rules.feature_window + 1):
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
    step = max(1, int(CHUNK_ROWS * 8 / per_pair))
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


def story_ids_from(features: pl.DataFrame, rules: StoryRules = StoryRules()) -> pl.DataFrame:
    """article_id and story_id for every article, sorted by article_id, from the `story_features`
    of all articles (in any row order). Articles are ordered by (published_date, article_id); see
    the module docstring for the similarity and the average-linkage clustering.
    """
    ordered = features.sort("published_date", "article_id", nulls_last=True)
    ids = ordered["article_id"].to_list()
    days = ordered["published_date"].cast(pl.Int32).to_list()
    content, salient = ordered["content"].to_list(), ordered["salient"].to_list()
    flat, weights, starts, sizes = _weighted_bags(content, salient, rules.name_weight)
    pairs = _story_candidates(flat, weights, starts, sizes, rules)
    if days and any(d is not None for d in days):
        day = np.array([np.nan if d is None else d for d in days], dtype=np.float64)
        gap = np.abs(day[pairs[:, 0]] - day[pairs[:, 1]])
        pairs = pairs[~(gap > rules.max_days)]
    names, _, _ = pair_overlaps(salient, pairs)
    pairs = pairs[names >= rules.min_shared_names]
    similarity = _pair_dots(flat, weights, starts, sizes, pairs)
    # Pairs far below the threshold barely move a mean: dropping them keeps the linkage small.
    keep = similarity >= rules.similarity * rules.edge_floor
    root = _average_linkage(len(ids), pairs[keep], similarity[keep], rules.similarity, days, rules.max_days)
    story = [stable_id("story", ids[r]) for r in root]
    return pl.DataFrame({"article_id": ids, "story_id": story}, schema={"article_id": pl.Utf8, "story_id": pl.Utf8}).sort("article_id")


def story_ids(articles: pl.DataFrame, mentions: pl.DataFrame | None = None, rules: StoryRules = StoryRules()) -> pl.DataFrame:
    """article_id and story_id for every article, sorted by article_id (see `story_ids_from`).

    Needs article_id and text; uses published_date when present and mentions' entity_id when given.
    """
    return story_ids_from(story_features(articles, mentions), rules)
