"""Clean: decoded documents become articles and the boilerplate spans removed from them."""

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

import polars as pl

from pipeline.stages.boilerplate import BoilerplateRules, cleaned
from pipeline.core.ids import stable_id
from pipeline.stages.ingest import REJECT_SCHEMA
from schemas import polars_schema
from schemas.articles import Articles
from schemas.boilerplate import Boilerplate

# story_id is the corpus stage's (pipeline.stages.stories.story_ids), added once every shard is clean.
ARTICLE_SCHEMA = polars_schema(Articles, without=("story_id",))
BOILERPLATE_SCHEMA = polars_schema(Boilerplate)


@dataclass(frozen=True)
class CleanRules:
    """Tunables of turning a cleaned document into an article."""

    min_words_without_sentence: int = 12
    """What boilerplate removal leaves of a page of menus and labels ("Home | World | Sport") is not
    an article: one needs a sentence (a word then terminal punctuation) or this many words of running
    text (README, Limits)."""
    boilerplate: BoilerplateRules = BoilerplateRules()
    """How boilerplate is found and removed (`pipeline.stages.boilerplate`)."""


_SENTENCE_END = re.compile(r"\w[\"'”’»)\]]*[.!?…](?:\s|$)|[。！？؟۔।።]")
_WORD = re.compile(r"\w+")


def article_id(raw_sha256: str) -> str:
    return raw_sha256[:16]


def has_prose(text: str, rules: CleanRules = CleanRules()) -> bool:
    """True when the text holds a sentence or enough words to be running text."""
    if _SENTENCE_END.search(text):
        return True
    need = rules.min_words_without_sentence
    return len(list(islice(_WORD.finditer(text), need))) == need


def articles(documents: pl.DataFrame, template_keys: frozenset[str], rules: CleanRules = CleanRules()) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(articles, boilerplate, rejects): rejects are documents with no prose left after cleaning."""
    kept, removed, rejects = [], [], []
    for doc in documents.iter_rows(named=True):
        # HTML went through trafilatura, whose choice of text stands but for clear boilerplate lines
        from_html = doc["encoding"] == "html"
        result = cleaned(doc["raw_text"], template_keys, extracted=from_html, rules=rules.boilerplate)
        aid = article_id(doc["raw_sha256"])
        if not has_prose(result.text, rules):
            reasons = Counter(r.reason for r in result.removals)
            counts = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())) or "nothing removed"
            left = f"only {result.text.strip()[:80]!r} is left" if result.text.strip() else "nothing is left"
            rejects.append(
                {
                    "source_file": doc["source_file"],
                    "reason": "no_content",
                    "detail": f"no article text: {left} after removing boilerplate ({counts})",
                    "raw_sha256": doc["raw_sha256"],
                    "n_bytes": doc["n_bytes"],
                }
            )
            continue
        removed.extend(
            {"boilerplate_id": stable_id(aid, r.start, r.end), "article_id": aid, "start": r.start, "end": r.end, "text": r.text, "reason": r.reason}
            for r in result.removals
        )
        kept.append(
            {
                "article_id": aid,
                "source_file": doc["source_file"],
                # the page's markup names its headline, date and author better than its text
                "title": (doc["html_title"] or result.title) if from_html else result.title,
                "published_date": (doc["html_date"] or result.published_date) if from_html else result.published_date,
                "source_name": result.source_name or doc["html_site"],
                "author": (doc.get("html_author") or result.author) if from_html else result.author,
                "text": result.text,
                "raw_sha256": doc["raw_sha256"],
                "n_chars_raw": len(doc["raw_text"]),
                "n_chars_clean": len(result.text),
                "encoding": doc["encoding"],
                "warnings": doc["warnings"],
            }
        )
    return (
        pl.DataFrame(kept, schema=ARTICLE_SCHEMA),
        pl.DataFrame(removed, schema=BOILERPLATE_SCHEMA),
        pl.DataFrame(rejects, schema=REJECT_SCHEMA),
    )
