"""Content words: the normalised words (lower-cased, stop words dropped, a plural "s" cut) that
near-duplicate sentences, stories and claim grouping compare."""

import re

from pipeline.core.lexicons import STOP_WORDS as SHARED_STOP_WORDS

_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
# Besides the shared stop words: the rest of the pronouns and adverbs of the usual English list,
# and "year": story, duplicate and claim matching ignore them.
STOP_WORDS = SHARED_STOP_WORDS | frozenset(
    """above because below doing further having hers herself him himself itself myself now once ours
    ourselves theirs themselves too very year years yours yourself yourselves""".split()
)


def tokens(text: str) -> list[str]:
    """The lower-case word tokens of a text, numbers included ("2,500")."""
    return _WORD.findall(text.lower())


def content_word(token: str) -> str | None:
    """A token's normalised content word (plural s cut), or None for a stop word."""
    if token in STOP_WORDS:
        return None
    if len(token) > 3 and token[-1] == "s" and token[-2] not in "su'’":
        return token[:-1]
    return token


def content_words(text: str) -> frozenset[str]:
    """The set of normalised content words of a text (lower-case, no stop words, plural s cut)."""
    return frozenset(w for w in map(content_word, tokens(text)) if w is not None)
