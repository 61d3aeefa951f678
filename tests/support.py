"""Helpers shared by stage tests: small article/sentence frames and CPU-time guards."""

import time
from collections.abc import Callable
from datetime import date

import polars as pl

# Long strings built to make a scan quadratic or a regex backtrack; linear code takes well under
# a second on each, the scans these guard against took minutes.
PATHOLOGICAL_CHARS = 100_000
CPU_SECONDS = 10.0  # generous for shared CI machines: the quadratic versions took minutes


def cpu_seconds(call: Callable[[], object]) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


def repeated(piece: str) -> str:
    return piece * (PATHOLOGICAL_CHARS // len(piece))


def article_frames(texts: dict[str, str], published: dict[str, date | None] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(articles, sentences) for texts keyed by article id, sentences split naively at ". "."""
    articles = pl.DataFrame(
        {"article_id": list(texts), "text": list(texts.values()), "published_date": [(published or {}).get(a) for a in texts]},
        schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date},
    )
    rows = []
    for aid, text in texts.items():
        start = 0
        for i, part in enumerate(text.split(". ")):
            end = start + len(part) + (1 if start + len(part) < len(text) else 0)
            rows.append({"sentence_id": f"{aid[:8]}{i:08d}", "article_id": aid, "position": i, "text": text[start:end], "start": start, "end": end})
            start = end + 1
    return articles, pl.DataFrame(rows, schema={"sentence_id": pl.Utf8, "article_id": pl.Utf8, "position": pl.Int32, "text": pl.Utf8, "start": pl.Int32, "end": pl.Int32})
