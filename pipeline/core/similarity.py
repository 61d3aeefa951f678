"""Set-similarity building blocks of the stories and duplicates stages: MinHash signatures (multiply-shift
hashing, vectorised with numpy), LSH candidate pairs from signature bands, and exact overlaps of
candidate pairs, so that the cost grows with the number of items, not of pairs."""

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

# Fixed seed: signatures, and so the candidate pairs, are the same on every run and machine.
_SEED = 20210726
_NUM_PERM = 128
# Rows of the largest temporary arrays: chunks keep memory bounded whatever the input size.
CHUNK_ROWS = 1 << 17


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
        j = int(np.searchsorted(ends[nonempty], starts[nonempty[i]] + CHUNK_ROWS, side="right"))
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
    for lo in range(0, len(pairs), CHUNK_ROWS):
        chunk = pairs[lo : lo + CHUNK_ROWS]
        out[lo : lo + len(chunk)] = (signatures[chunk[:, 0]] == signatures[chunk[:, 1]]).mean(axis=1)
    return out


def candidate_pairs(signatures: np.ndarray, bands: int, rows: int, window: int) -> np.ndarray:
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
    step = max(1, int(CHUNK_ROWS * 8 / per_pair))
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
