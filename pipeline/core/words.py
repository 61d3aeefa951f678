"""Content words: the normalised words (lower-cased, stop words dropped, a plural "s" cut) that
near-duplicate sentences, stories and claim grouping compare."""

import re

_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
STOP_WORDS = frozenset(
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
    if token in STOP_WORDS:
        return None
    if len(token) > 3 and token[-1] == "s" and token[-2] not in "su'’":
        return token[:-1]
    return token


def content_words(text: str) -> frozenset[str]:
    """The set of normalised content words of a text (lower-case, no stop words, plural s cut)."""
    return frozenset(w for w in map(content_word, tokens(text)) if w is not None)
