"""Near-duplicate sentences, by MinHash/LSH over their content words.

Sentence restatements reuse most of their words in another order, so sentences compare as sets of
normalised content words (`pipeline.core.words`). A sentence is a near-duplicate of another when
both have at least `DuplicateRules.min_words` content words, their word sets have Jaccard
similarity of at least `DuplicateRules.jaccard`, and the numbers of one all appear in the other;
`duplicate_of` is the earliest such sentence by (article_id, position). MinHash signatures are cut
into bands; sentences that share a band key are candidates, and only candidates are compared
exactly (`pipeline.core.similarity`).
"""

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipeline.core.similarity import candidate_pairs, estimated_jaccard, jaccard, minhash_signatures
from pipeline.core.words import content_words


@dataclass(frozen=True)
class DuplicateRules:
    """Tunables of near-duplicate sentence detection (README, "Claims, stories and duplicates")."""

    min_words: int = 5
    """Sentences with fewer content words are never near-duplicates of anything."""
    jaccard: float = 0.6
    """Least Jaccard similarity of two sentences' content words for them to be near-duplicates."""
    bands: int = 21
    """LSH bands of the signature; 21 bands of `rows` 3 find pairs at Jaccard 0.6 with probability
    0.99 (0.44 at 0.3). Bands times rows is the signature width."""
    rows: int = 3
    """Signature values per band."""
    estimate_margin: float = 0.15
    """Candidates whose MinHash estimate is this far below `jaccard` are not checked exactly."""
    number_weight: int = 3
    """Each number counts this many times in the signature: lines of a results table share their
    words but not their numbers, and should rarely become candidates."""
    bucket_window: int = 32
    """Inside one LSH bucket, each sentence is paired with at most this many before it, so a bucket
    of thousands of near-identical lines costs linear work."""


_NUMBER_WORDS = frozenset("zero one two three four five six seven eight nine ten eleven twelve twenty hundred".split())


def _numbers(words: frozenset[str]) -> set[str]:
    return {w for w in words if w[0].isdigit() or w in _NUMBER_WORDS}


def _number_weighted(words: frozenset[str], weight: int) -> list[str]:
    """Words plus extra copies of each number (`weight` in all), for hashing only."""
    extra = [f"{copy}\x00{w}" for w in words if w[0].isdigit() for copy in range(weight - 1)]
    return [*words, *extra]


def _near_duplicate(a: frozenset[str], b: frozenset[str], threshold: float) -> bool:
    """Similar wording, and the numbers of one all appear in the other: "Shr 23 cts vs 95 cts" and
    "Shr 23 cts vs 24 cts" share most words but state different facts."""
    if jaccard(a, b) < threshold:
        return False
    numbers_a, numbers_b = _numbers(a), _numbers(b)
    return numbers_a <= numbers_b or numbers_b <= numbers_a


def _signature_column(signatures: np.ndarray) -> pl.Series:
    return pl.Series("signature", signatures, dtype=pl.Array(pl.UInt32, signatures.shape[1]))


def sentence_signatures(sentences: pl.DataFrame, rules: DuplicateRules = DuplicateRules()) -> pl.DataFrame:
    """Per-sentence features of `duplicate_sentences_from`: sentence_id, article_id, position, the
    sorted content words and their MinHash signature (all-max below `rules.min_words` words).

    Needs sentence_id, article_id, position, text; each row depends on its own sentence only, so
    the features of a document can be cached with it.
    """
    word_sets = [content_words(text) for text in sentences["text"].to_list()]
    width = rules.bands * rules.rows
    signatures = np.full((len(word_sets), width), np.iinfo(np.uint32).max, dtype=np.uint32)
    eligible = [i for i, words in enumerate(word_sets) if len(words) >= rules.min_words]
    signatures[eligible] = minhash_signatures([_number_weighted(word_sets[i], rules.number_weight) for i in eligible], num_perm=width)
    return sentences.select(
        pl.col("sentence_id").cast(pl.Utf8),
        pl.col("article_id").cast(pl.Utf8),
        pl.col("position").cast(pl.Int32),
        pl.Series("words", [sorted(words) for words in word_sets], dtype=pl.List(pl.Utf8)),
        _signature_column(signatures),
    )


def duplicate_sentences_from(features: pl.DataFrame, rules: DuplicateRules = DuplicateRules()) -> pl.DataFrame:
    """sentence_id and duplicate_of (the earliest near-duplicate sentence, else null), by sentence_id,
    from the `sentence_signatures` (made with the same rules) of all sentences (in any row order)."""
    ordered = features.sort("article_id", "position", "sentence_id")
    ids = ordered["sentence_id"].to_list()
    words = ordered["words"].to_list()
    # Identical word sets collapse onto their earliest sentence before hashing, so thousands of
    # copies of one line cost one signature and never fill an LSH bucket. Word lists are sorted,
    # so equal tuples are equal sets.
    representative: dict[tuple, int] = {}
    rep_of = np.empty(len(ids), dtype=np.int64)
    for index, row in enumerate(words):
        if len(row) < rules.min_words:
            rep_of[index] = -1
            continue
        rep_of[index] = representative.setdefault(tuple(row), index)
    reps = np.array(sorted(representative.values()), dtype=np.int64)
    signatures = ordered["signature"].gather(reps).to_numpy().reshape(len(reps), rules.bands * rules.rows)
    pairs = candidate_pairs(signatures, bands=rules.bands, rows=rules.rows, window=rules.bucket_window)
    pairs = pairs[estimated_jaccard(signatures, pairs) >= rules.jaccard - rules.estimate_margin]
    # Earliest verified neighbour of each representative (or itself when it has none).
    earliest = reps.copy()
    sets = {r: frozenset(words[reps[r]]) for r in np.unique(pairs).tolist()}
    for i, j in pairs.tolist():
        if _near_duplicate(sets[i], sets[j], rules.jaccard):
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


def duplicate_sentences(sentences: pl.DataFrame, rules: DuplicateRules = DuplicateRules()) -> pl.DataFrame:
    """sentence_id and duplicate_of (the earliest near-duplicate sentence, else null), by sentence_id.

    Needs sentence_id, article_id, position, text. Works within and across articles; the result
    does not depend on row order or on how the sentences were split into shards.
    """
    return duplicate_sentences_from(sentence_signatures(sentences, rules), rules)
