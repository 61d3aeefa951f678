"""Claim extraction: the claims one sentence makes, found by a clause grammar over the earlier
stages' tables (`claims`), and the per-article records annotate returns (`claim_records`).

What a claim is and is not
--------------------------
A claim is one checkable assertion made in one sentence, kept with its exact clause span. Three kinds:

- `quantity`: a number about something, with the entities of its clause as subject, the counted
  noun as unit and the time it refers to when the clause states one. "There are currently 2,500
  US troops in Iraq" is one; "There are currently 2,500 US troops in Iraq, up from 170,000 in
  2007" holds two (2,500 now; 170,000 in 2007).
- `event`: a named actor doing something, with a date when given. "US President Joe Biden and
  Iraqi Prime Minister Mustafa al-Kazmi on Monday formally signed an agreement ending the US
  combat military mission in Iraq by the end of 2021" (predicate "sign").
- `statement`: words attributed to a speaker, quoted or reported: "“America helped Iraq,” said
  Al-Kasimi"; "Biden said U.S. soldiers would stay in Iraq"; "According to the details, ...".
  The speaker is linked to an entity (a "he"/"she" speaker to the article's last named person).
  The events and numbers inside the reported words are claims too, carrying the speaker; reported
  words that open with a pronoun ("The European Union said it would release €500,000") have the
  speaker as their actor. A statement reporting no words ("Pelosi said.") is no claim. The rest
  of the sentence is the writer's own words, read as such: "The administration issued two rules
  that environmentalists say weaken ..." claims "issued".

Each of these reads a whole clause (`scope` "clause"). Every further action of a clause is an
event claim of its own (`scope` "action"): the other verbs ("Lohan checked into rehab, dodging
arrest") and event nouns ("the arrest", "the quake", `EVENT_NOUNS`; "the shooting" has the
lemma "shoot"), each spanning from its action, with the words qualifying it ("drunken driving",
"the sixth round"; "drunk", also an adjective, qualifies "driving" rather than being an action),
to the next one, with the clause's actors, places and time; they are made even in clauses that
name no actor. Predicates are lemmas (lemminflect, plus the irregular forms below): "stabbed" ->
"stab"; an "-ed" adjective ("unprecedented") is no verb; a particle that makes another action
belongs to the lemma (`PHRASAL_VERBS`: "checked out" -> "check out", "ran away" -> "run away").

Not claims: questions ("What do we need?"); clauses with no named actor and no number ("It will
not be, even so, a placid transition."); states described with "to be" and no number ("Iraq is
far from being a stable ally"); durations ("after 18 years"), which are times, not counts; and
titles and boilerplate, which never reach the article text. A claim is what a source asserts,
not what is true: "the announcement marks the end of World War II" (a translation error) is an
event claim, and its group shows that only one source makes it.
"""

import functools
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

import polars as pl
from lemminflect import getAllLemmas, getLemma

from pipeline.core.ids import stable_id
from pipeline.core.lexicons import MONTH_ABBREVIATIONS
from pipeline.core.words import content_word, tokens
from pipeline.stages.claims.lexicon import (
    _ACTION_NOUN_SUFFIXES, _ACTIONS, _AUX_BE, _AUX_HAVE, _AUXILIARIES, _DETERMINERS, _GAP_OK, _KILLING, _LIGHT, _MODALS,
    _NOT_ACTIONS, _NOT_EVENTS, _PEOPLE, _REPORT_RE, _REPORTING, _SAME_PAST, _SKIPPABLE, _SYNONYMS, _TIME_UNITS,
    _TITLE_WORDS, _UNASSERTED, _UNIT_WORD, _UNITS, _VERB_FORMS, EVENT_NOUNS, _deverbal, _phrasal,
)
from pipeline.stages.claims.rules import ClaimRules
from pipeline.stages.entities import Gazetteer

KINDS = ("quantity", "event", "statement")
COLUMNS = (
    "claim_id", "article_id", "sentence_id", "kind", "text", "start", "end", "subject_entity_ids", "predicate",
    "object", "quantity_id", "date_id", "speaker_entity_id", "group_id", "n_sources", "conflicts_with", "scope", "conflict",
)


_SCHEMA = {
    "claim_id": pl.Utf8, "article_id": pl.Utf8, "sentence_id": pl.Utf8, "kind": pl.Utf8, "text": pl.Utf8,
    "start": pl.Int32, "end": pl.Int32, "subject_entity_ids": pl.Utf8, "predicate": pl.Utf8,
    "object": pl.Utf8, "quantity_id": pl.Utf8, "date_id": pl.Utf8, "speaker_entity_id": pl.Utf8, "scope": pl.Utf8,
    # Space- or "|"-separated: far cheaper to build than list columns, and only grouping reads them.
    "_words": pl.Utf8, "_actions": pl.Utf8, "_main": pl.Utf8, "_negated": pl.Boolean, "_places": pl.Utf8, "_persons": pl.Utf8,
}


# --- Clause scanning -------------------------------------------------------------------------
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|n't")
_CLAUSE_BREAK = re.compile(
    r"(?=[;,\s])(?:;\s+|\s+[—–]\s+|\s+-\s+|,\s+(?=(?:but|although|though|while|whereas|which|who|when|after|because|since|"
    r"up from|down from|having|killing|leaving)\b)|\s+but\s+)"
)
_TRIM = " \t\n,;:—–-"
_ADJUNCT = re.compile(r"\b(?:after|before|following|since|until|prior to|ahead of|amid)\b", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:is|are|was|were)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n't\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]*(?:\.[A-Z])*\.?")
_QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"'}
_OPENING = re.compile(
    r"\s*(?:as|after|before|following|speaking|ahead|in|on|at|by|with|since|during|prior|for|despite|although|though|if|"
    r"unless|because|when|while|earlier|previously|however|still|overall|last|this|today|yesterday)\b[^,;]{0,60},\s*",
    re.IGNORECASE,
)
_REFERRING = {"the", "these", "those", "both", "all", "its", "their", "his", "her", "our"}
_QUOTE_MARK = re.compile(r"[“«\"”»]")
_OPENING_QUOTE = re.compile(r"[“«\"]")
_THAT_FOLLOWS = re.compile(r"\s+(?:\w+\s+){0,3}?that\b")
_THAT_WORD = re.compile(r"\bthat\b")
_NEGATED_BEFORE = re.compile(r"\b(?:not|never)\s+(?:\w+\s+)?$|n't\s+$")
_THE_GAP = re.compile(r"\s+(?:the\s+)?")
# A quote or comma just before the reporting verb: the speaker follows it ("...,” said X").
_INVERTED = re.compile(r"[,”\"»]\s*$")
_GAP_WORDS = re.compile(r"[A-Za-z']+|[^\sA-Za-z',]")
_THAT = re.compile(r"\s*(?:(?:to\s+)?(?:reporters|journalists|the press|him|her|them|us|me|his \w+ counterpart)\s+)?(?:that|how|whether)?\b")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Inner spans of quotations of 4+ words (shorter ones are scare quotes, read as plain text).

    A sentence that opens inside a quote (its first mark closes one: ”, or " after punctuation)
    gets the span from its start; an unclosed quote runs to the end of the text.
    """
    spans = []
    first = _QUOTE_MARK.search(text)
    i = 0
    if first and (first.group() in "”»" or (first.group() == '"' and text.count('"') % 2 and text[first.start() - 1:first.start()] in ",.!?")):
        spans.append((0, first.start()))
        i = first.end()
    while (match := _OPENING_QUOTE.search(text, i)) is not None:
        opening = match.start()
        closing = text.find(_QUOTE_PAIRS[text[opening]], opening + 1)
        end = len(text) if closing < 0 else closing
        spans.append((opening + 1, end))
        if closing < 0:
            break
        i = closing + 1
    return [(s, e) for s, e in spans if len(text[s:e].split()) >= 4]


def _inside(position: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        pieces.append(_trimmed(text, start, match.start()))
        start = match.end()
    pieces.append(_trimmed(text, start, end))
    return [(s, e) for s, e in pieces if e - s >= 8]


def _lemma(word: str) -> str | None:
    """Verb lemma of a known verb form, or of an "-ed" form whose lemma lemminflect knows as a verb
    (from its dictionary, or by its rules: "livestreamed" -> "livestream" only if that is a verb); else None."""
    lemma = _VERB_FORMS.get(word)
    if lemma is not None:
        return lemma
    if len(word) > 4 and word.endswith("ed"):
        guess = _verb_lemma(word) or getLemma(word, upos="VERB")[0]
        # Rules alone turn adjectives into stems ("unprecedented" -> "unprecedent"): keep known verbs.
        return guess if getAllLemmas(guess, upos="VERB") else None
    return None


@functools.lru_cache(maxsize=1 << 16)
def _verb_lemma(word: str) -> str | None:
    """The verb lemma of an inflected verb form in lemminflect's dictionary ("stabbed" -> "stab",
    "buried" -> "bury"), else None (base forms and words it does not know as verbs)."""
    lemmas = getAllLemmas(word, upos="VERB").get("VERB")
    return lemmas[0] if lemmas and lemmas[0] != word else None


@functools.lru_cache(maxsize=1 << 16)
def _action_lemma(word: str, previous: str) -> str | None:
    """The lemma of an action word: an event noun ("quake", "arrest"), or an inflected verb that is
    not an auxiliary ("dodging", "fled", "dies"); a base form only after "to" or a modal."""
    noun = EVENT_NOUNS.get(word)
    if noun is not None:
        return noun
    # Nouns naming an action: "her decision", "the confusion", "his stay", "the placement".
    if previous in _DETERMINERS and len(word) > 4 and getAllLemmas(word, upos="NOUN"):
        if word.endswith(_ACTION_NOUN_SUFFIXES) or (
                getAllLemmas(word, upos="VERB").get("VERB", ("",))[0] == word and not getAllLemmas(word, upos="ADJ")):
            return _deverbal(word)
    if word in _AUXILIARIES or word in _SKIPPABLE or len(word) < 3:
        return None
    lemma = _VERB_FORMS.get(word) or _verb_lemma(word)
    if word in _SAME_PAST:
        lemma = word
    elif lemma == word or (lemma is None and getAllLemmas(word, upos="VERB")):
        # A base form is a verb after "to" or a modal only ("the end of 2024" is no action),
        # unless it is also the past tense ("the quake hit").
        lemma = word if previous in _MODALS else None
    # "the sources", "withdraw troops": an "-s" form after a determiner or a verb is a plural noun;
    # what is counted (troops, forces, people) is never an action.
    if lemma is None or lemma in _NOT_ACTIONS or lemma in _UNITS or lemma in _PEOPLE or (
            word.endswith("s") and (previous in _DETERMINERS or previous in _VERB_FORMS or _verb_lemma(previous))):
        return None
    return lemma


def _clause_words(text: str, start: int, end: int, masked: list[tuple[int, int]]) -> Iterator[tuple[str, int, int]]:
    """(lower-case word, start, end) of the words of text[start:end] outside masked spans."""
    masked = sorted(masked)
    cursor, n_masked = 0, len(masked)
    for m in _WORD_RE.finditer(text, start, end):
        w_start = m.start()
        while cursor < n_masked and masked[cursor][1] <= w_start:
            cursor += 1
        if cursor < n_masked and masked[cursor][0] <= w_start:
            continue
        yield m.group().lower(), w_start, m.end()


def _predicate(text: str, start: int, end: int, masked: list[tuple[int, int]], max_words: int) -> tuple[str, int, int] | None:
    """(lemma, start, end) of the clause's main verb among its first `max_words` words; lemma "be"
    for a copula. Names are masked.

    A short opening phrase ("As planned, ...", "Following the defeat, ...") is skipped.
    """
    opening = _OPENING.match(text, start, end)
    if opening:
        start = opening.end()
    # Words are read only as far as needed: the verb is usually among the first few.
    stream = islice(_clause_words(text, start, end, masked), max_words)
    words: list[tuple[str, int, int]] = []

    def at(n: int) -> tuple[str, int, int] | None:
        while len(words) <= n:
            word = next(stream, None)
            if word is None:
                return None
            words.append(word)
        return words[n]

    previous = ""
    k = 0
    while (current := at(k)) is not None:
        word, w_start, w_end = current
        k += 1
        if word[-1] == "s" and _plural_noun(text, word, w_start, at(k)):
            previous = word
            continue
        if word in _AUXILIARIES:
            n = k
            while (following := at(n)) is not None and following[0] in _SKIPPABLE:
                n += 1
            if following is not None and following[0] in _AUX_BE:
                n += 1
                while (following := at(n)) is not None and following[0] in _SKIPPABLE:
                    n += 1
                word = "be"
            lemma = _lemma(following[0]) if following else None
            if lemma is not None and lemma not in _AUX_BE:
                after = at(n + 1)
                return _phrasal(lemma, after[0] if after else ""), following[1], following[2]
            if word in _AUX_BE or word == "be":
                return "be", w_start, w_end
            if word in _AUX_HAVE:
                return "have", w_start, w_end
        elif previous not in _DETERMINERS and not word.endswith("ing") and (
            (word in _VERB_FORMS and word != _VERB_FORMS[word]) or (len(word) > 4 and word.endswith("ed") and _lemma(word))
        ):
            after = at(k)
            return _phrasal(_lemma(word), after[0] if after else ""), w_start, w_end
        previous = word
    return None


def _token_before(text: str, position: int) -> str:
    """The whitespace-delimited token before `position` ("" at the start): `text[:position].split()[-1]`
    without splitting the whole prefix."""
    end = position
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


# Words after which an "-s" word is a verb taking an object, not a plural noun.
_VERB_CUES = frozenset("into onto a an the his her their its my our your".split())


def _plural_noun(text: str, word: str, w_start: int, following: tuple[str, int, int] | None) -> bool:
    """An "-s" word that reads as a plural noun: after a capitalised word ("Iraqi forces") or
    before a verb ("foreign forces invaded", "troops will")."""
    if not word.endswith("s") or word in _AUXILIARIES or (_VERB_FORMS.get(word) or _verb_lemma(word) or word) == word:
        return False
    # No noun reads so ("withdraws", "says"): a verb, whatever precedes it.
    if not getAllLemmas(word, upos="NOUN"):
        return False
    following = following[0] if following else ""
    # An article or "into" right after it takes an object: "Lohan checks into rehab", "Lohan
    # rehires her lawyer" (no plural noun is followed so: "Iraqi forces the ..." is no English).
    if following in _VERB_CUES:
        return False
    # (In a headline every word is capitalised: "Lohan Checks Into Rehab" reads on.)
    if _token_before(text, w_start)[:1].isupper() and not text[w_start].isupper():
        return True
    return following in _MODALS or following in _AUX_BE or following in _AUX_HAVE or (
        following in _VERB_FORMS and following != _VERB_FORMS[following] and not following.endswith(("s", "ing"))
    ) or following.endswith("ed")


# --- Frames to per-sentence lookups ----------------------------------------------------------
_ROW = operator.itemgetter(*_SCHEMA)


def _per_sentence(frame: pl.DataFrame, columns: list[str]) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = defaultdict(list)
    for row in frame.sort("sentence_id", "start", "end").select(["sentence_id", *columns]).iter_rows():
        found[row[0]].append(row[1:])
    return found


def _words_of(text: str, base: int, start: int, end: int, masked: list[tuple[int, int]]) -> set[str]:
    """Content words of text[start:end] outside masked (absolute) spans, synonyms folded."""
    pieces, cursor = [], start
    for m_start, m_end in sorted(masked):
        m_start, m_end = m_start - base, m_end - base
        if m_end <= cursor or m_start >= end:
            continue
        pieces.append(text[cursor:max(cursor, m_start)])
        cursor = max(cursor, m_end)
    pieces.append(text[cursor:end])
    words = set(map(_folded, tokens(" ".join(pieces))))
    words.discard(None)
    return words


@functools.lru_cache(maxsize=1 << 16)
def _folded(token: str) -> str | None:
    """The word a token counts as for grouping (verb lemma, synonym class), or None: a stop word or title."""
    word = content_word(token)
    if word is None or word in _TITLE_WORDS:
        return None
    word = _VERB_FORMS.get(word, word)
    return _SYNONYMS.get(word, word)


class _Article:
    """Scanning state of one article: the last person named, for he/she speakers."""

    def __init__(self, article_id: str):
        self.article_id = article_id
        self.last_person: str | None = None


class _Attribution(NamedTuple):
    lemma: str
    start: int
    end: int
    phrase: str
    speaker: str | None
    speaker_index: int | None
    negated: bool


def _attribution(text: str, quotes: list[tuple[int, int]], mentions: list[tuple], last_person: str | None) -> _Attribution | None:
    """The first reporting verb outside quotes that reports words here, with its speaker."""
    for match in _REPORT_RE.finditer(text):
        if _inside(match.start(), quotes):
            continue
        if _token_before(text, match.start()).lower() in _DETERMINERS:
            continue
        phrase = match.group().lower()
        lemma, needs_that = _REPORTING[phrase]
        if needs_that and not quotes and not _THAT_FOLLOWS.match(text, match.end()):
            continue
        speaker, index = _speaker(text, match.start(), match.end(), phrase, mentions, last_person)
        negated = bool(_NEGATED_BEFORE.search(text[:match.start()]))
        return _Attribution(lemma, match.start(), match.end(), phrase, speaker, index, negated)
    return None


def _speaker(text: str, v_start: int, v_end: int, phrase: str, mentions: list[tuple],
             last_person: str | None) -> tuple[str | None, int | None]:
    """(entity_id, index into mentions) of who is reported; "he"/"she"/"his" is the last person named."""
    if phrase == "according to":
        for index, mention in enumerate(mentions):
            if mention[0] >= v_end and _THE_GAP.fullmatch(text, v_end, mention[0]):
                return mention[2], index
        return None, None
    if phrase.startswith("in h"):
        return last_person, None
    if _INVERTED.search(text[:v_start]):
        for index, mention in enumerate(mentions):
            if 0 <= mention[0] - v_end <= 3:
                return mention[2], index
    for index in range(len(mentions) - 1, -1, -1):
        m_end = mentions[index][1]
        if m_end > v_start:
            continue
        gap = _GAP_WORDS.findall(text, m_end, v_start)
        if all(w.lower() in _GAP_OK or w.endswith("ly") for w in gap):
            return mentions[index][2], index
        break
    before = [w.lower() for w in _WORD_RE.findall(text[:v_start])]
    while before and before[-1] in _GAP_OK:
        before.pop()
    if before and before[-1] in ("he", "she"):
        return last_person, None
    return None, None


def _content(text: str, said: _Attribution, mentions: list[tuple], quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the reported words: the quotes, else the words after (or before) the attribution."""
    if quotes:
        return [_trimmed(text, s, e) for s, e in quotes]
    if said.phrase == "according to":
        after = mentions[said.speaker_index][1] if said.speaker_index is not None else said.end
        comma = text.find(",", after)
        if said.start <= 2 and comma >= 0:
            return [_trimmed(text, comma + 1, len(text))]
        return [_trimmed(text, 0, said.start)]
    # "..., government circles said." / "..., it was said from ...": the words come first.
    comma = text.rfind(",", 0, said.start)
    if comma > 0 and len(text[comma:said.start].split()) <= 4:
        return [_trimmed(text, 0, comma)]
    after = _THAT.match(text, said.end).end()
    that = _THAT_WORD.search(text, after, after + 120)
    if that and text[after:that.start()].count(",") == 0:
        after = that.end()
    if len(text[after:].split()) >= 2:
        return [_trimmed(text, after, len(text))]
    end = mentions[said.speaker_index][0] if said.speaker_index is not None and mentions[said.speaker_index][0] < said.start else said.start
    return [_trimmed(text, 0, end)]


class _Sentence:
    """What the clauses of one sentence are read against. Mentions have offsets into the sentence,
    quantities and dates into the article; `masked` holds the names and dates (article offsets),
    which are compared on their own rather than as words; `named` the places named in it."""

    __slots__ = ("id", "base", "text", "mentions", "quantities", "dates", "masked", "named", "_words")

    def __init__(self, sentence_id: str, base: int, text: str, mentions: list[tuple], quantities: list[tuple],
                 dates: list[tuple], named: list[tuple[int, str]]):
        self.id, self.base, self.text = sentence_id, base, text
        self.mentions = [(m[0] - base, m[1] - base, *m[2:]) for m in mentions]
        self.quantities, self.dates, self.named = quantities, dates, named
        self.masked = [(m[0], m[1]) for m in mentions] + [(d[0], d[1]) for d in dates]
        self._words: list[str] | None = None

    def words(self) -> list[str]:
        """The whole sentence's words, sorted; computed once."""
        if self._words is None:
            self._words = sorted(_words_of(self.text, self.base, 0, len(self.text), self.masked))
        return self._words


def _sentence_claims(sentence: _Sentence, state: _Article, rules: ClaimRules) -> list[dict]:
    """Claims of one sentence."""
    sentence_id, base, text, local, dates = sentence.id, sentence.base, sentence.text, sentence.mentions, sentence.dates
    if text.rstrip().rstrip("”\"»’').").endswith("?"):
        return []
    quotes = _quote_spans(text)
    said = _attribution(text, quotes, local, state.last_person)
    found: list[dict] = []
    # (start, end, speaker of the words there): disjoint, so no clause is read twice.
    regions: list[tuple[int, int, str | None]] = [(0, len(text), None)]
    # The reported words: a statement is never empty ("Pelosi said." reports nothing, so it is no claim).
    content = [r for r in _content(text, said, local, quotes) if r[1] > r[0] and _WORD_RE.search(text, *r)] if said else []
    if content:
        speaker = said.speaker
        start, end = _trimmed(text, 0, len(text))
        subjects = sorted({m[2] for i, m in enumerate(local) if i != said.speaker_index and _inside(m[0], content)}
                          | _pronoun_actor(text, content[0][0], speaker))
        words = {w for s, e in content for w in _words_of(text, base, s, e, sentence.masked)}
        found.append(_claim(sentence_id, base, text, "statement", start, end, subjects, said.lemma,
                            " … ".join(text[s:e] for s, e in content), None,
                            _nearest(dates, base + start, base + end, base + said.start),
                            speaker, words, negated=said.negated))
        # Denied, hoped-for or believed words are not asserted: no claims inside them.
        regions = [] if said.negated or said.lemma in _UNASSERTED else [(s, e, speaker) for s, e in content]
        # The rest of the sentence is the writer's own words: "..., said X, who took office in May
        # 2020"; "The administration issued two rules that environmentalists say weaken ...";
        # "Luck said after leading Indianapolis to a 20-13 victory" around a quote.
        attribution = [(said.start, said.end)]
        if said.speaker_index is not None:
            attribution.append(local[said.speaker_index][:2])
        attribution = [(min(s for s, _ in attribution), max(e for _, e in attribution))]
        regions.extend((s, e, None) for s, e in _uncovered(0, len(text), [*content, *attribution]))
    for r_start, r_end, by in regions:
        for c_start, c_end in _clauses(text, r_start, r_end):
            found.extend(_clause_claims(sentence, c_start, c_end, by, rules))
    for m in local:
        if m[3] == "PERSON":
            state.last_person = m[2]
    return found


_ACTOR_PRONOUN = re.compile(r"\s*[“\"«]?(?:it|he|she|they|we|i)\b", re.IGNORECASE)


def _pronoun_actor(text: str, start: int, speaker: str | None) -> set[str]:
    """The speaker, when the reported words open with a pronoun for them: in "The European Union
    said it would release €500,000" the actor of "it would release" is the European Union."""
    return {speaker} if speaker is not None and _ACTOR_PRONOUN.match(text, start) else set()


def _uncovered(start: int, end: int, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces of [start, end) outside every span."""
    pieces = []
    for s, e in sorted(spans):
        if s > start:
            pieces.append((start, min(s, end)))
        start = max(start, e)
    if start < end:
        pieces.append((start, end))
    return [(s, e) for s, e in pieces if e > s]


def _nearest(dates: list[tuple], start: int, end: int, anchor: int) -> str | None:
    inside = [d for d in dates if d[0] >= start and d[1] <= end]
    if not inside:
        return None
    return min(inside, key=lambda d: (abs(d[0] - anchor), d[0]))[2]


def _counted(text: str, base: int, quantity: tuple) -> bool:
    """A quantity worth a claim: not a duration, not "the two leaders" (a spelled-out reference)."""
    q_start, q_end, _, unit = quantity
    if (unit or "") in _TIME_UNITS:
        return False
    before = text[max(0, q_start - base - 12):q_start - base].split()
    return any(c.isdigit() for c in text[q_start - base:q_end - base]) or not (before and before[-1].lower() in _REFERRING)


def _clause_claims(sentence: _Sentence, start: int, end: int, speaker: str | None, rules: ClaimRules) -> list[dict]:
    sentence_id, base, text, dates = sentence.id, sentence.base, sentence.text, sentence.dates
    if text[start:end].rstrip("”\"»’').").endswith("?"):
        return []
    inside = [m for m in sentence.mentions if m[0] >= start and m[1] <= end]
    subjects = sorted({m[2] for m in inside} | _pronoun_actor(text, start, speaker))
    counted = [q for q in sentence.quantities if q[0] >= base + start and q[1] <= base + end and _counted(text, base, q)]
    places = any(start <= at < end for at, _ in sentence.named)
    masked = [(m[0], m[1]) for m in inside]
    predicate = _predicate(text, start, end, masked, rules.max_predicate_words)
    found = []
    main_at = None
    # No number, no name, no nationality: no clause-wide claim, whatever the verb (its actions
    # may still be claims of their own, below).
    if counted or subjects or places:
        lemma = predicate[0] if predicate else "be"
        for q_start, q_end, quantity_id, _unit in counted:
            # A number is matched by what its whole sentence is about ("a bomb attack ..., killing 30");
            # in a very long sentence, by the part around it, so claims never copy the clause per number.
            c_start, c_end, words = start, end, sentence.words()
            if len(text) > rules.max_claim_chars:
                c_start, c_end = _around(text, start, end, q_start - base, q_end - base, rules.max_claim_chars)
                words = _words_of(text, base, c_start, c_end, sentence.masked)
            found.append(_claim(sentence_id, base, text, "quantity", c_start, c_end, subjects, lemma, text[q_start - base:q_end - base],
                                quantity_id, _nearest(dates, base + c_start, base + c_end, q_start), speaker, words))
        # A named actor, or a nationality standing for one ("Canadian trainers will ..."); with only a
        # nationality, a present or past passive ("is needed", "were battle-tested") is a judgement.
        if predicate and lemma not in _NOT_EVENTS and (subjects or (places and not _PASSIVE.search(text, start, predicate[1]))):
            spans = sentence.masked
            words = _words_of(text, base, start, end, spans)
            folded = _SYNONYMS.get(lemma, lemma)
            words.add(folded)
            # What happens is named before a time adjunct: "... train the army after the withdrawal".
            adjunct = _ADJUNCT.search(text, predicate[2], end)
            acts = {folded} | (_words_of(text, base, start, adjunct.start(), spans) if adjunct else words)
            obj = text[slice(*_trimmed(text, predicate[2], end))]
            main = "" if lemma in _LIGHT or folded in _LIGHT else folded
            # "The withdrawal will be completed": ending another action is that action.
            if main == "end" and acts & (_ACTIONS - {"end"}):
                main = ""
            found.append(_claim(sentence_id, base, text, "event", start, end, subjects, lemma, obj, None,
                                _nearest(dates, base + start, base + end, base + predicate[1]), speaker, words, main,
                                bool(_NEGATION.search(text, start, predicate[1])), acts))
            main_at = predicate[1]
    found.extend(_action_claims(sentence, start, end, subjects, speaker, masked, main_at))
    return found


# Words that never qualify an action that follows them: function words, pronouns, auxiliaries.
_NOT_MODIFIERS = _DETERMINERS | _AUXILIARIES | _SKIPPABLE | _GAP_OK | set(
    """in on at for with by from into onto over under after before during about against between as than and or but nor
    so if because since until while when where who whom what he she it they we i you him them us me""".split())


@functools.lru_cache(maxsize=1 << 16)
def _adjective(word: str) -> bool:
    """Whether lemminflect knows the word as an adjective ("drunk", "armed")."""
    return bool(getAllLemmas(word, upos="ADJ"))


def _action_claims(sentence: _Sentence, start: int, end: int, subjects: list[str], speaker: str | None,
                   masked: list[tuple[int, int]], main_at: int | None) -> list[dict]:
    """One event claim per further action of the clause (verbs besides its main one, event nouns
    of `EVENT_NOUNS`): "Lohan checked into rehab, dodging arrest" also claims "dodging" and
    "arrest". Each spans from its action to the next one (or the clause's end), so the claims of a
    clause never overlap and their text costs no more than the clause's; the actor, places and
    time are the clause's."""
    base, text = sentence.base, sentence.text
    actions = []
    words = list(_clause_words(text, start, end, masked))
    for k, (word, w_start, _w_end) in enumerate(words):
        previous = words[k - 1][0] if k else ""
        if w_start == main_at or (previous == "to" and word in _AUXILIARIES):
            continue
        action = _action_lemma(word, previous)
        if action is not None:
            action = _phrasal(action, words[k + 1][0] if k + 1 < len(words) else "")
        # "US troops", "forces invaded": plural nouns, not verbs ("dies", "checks into" are verbs).
        if action is not None and word not in EVENT_NOUNS and _plural_noun(text, word, w_start, words[k + 1] if k + 1 < len(words) else None):
            continue
        if action is not None:
            actions.append((k, action))
    # A word that is also an adjective, right before another action, qualifies it: "drunk
    # driving", "armed robbery" are one action each.
    actions = [(k, action) for n, (k, action) in enumerate(actions)
               if not (n + 1 < len(actions) and actions[n + 1][0] == k + 1 and _adjective(words[k][0])
                       and text[words[k][2]:words[k + 1][1]].strip(" -") == "")]
    starts = {words[k][1] for k, _ in actions} | ({main_at} if main_at is not None else set())
    # An action's claim opens with the words that qualify it: "drunken driving", "the sixth
    # round", "police shot": modifiers right before it, up to a function word or another action.
    opening = {}
    for k, _ in actions:
        j = k
        while j > 0 and words[j - 1][1] not in starts and words[j - 1][0] not in _NOT_MODIFIERS and not words[j - 1][0].endswith("ly") \
                and text[words[j - 1][2]:words[j][1]].strip(" -") == "":
            j -= 1
        opening[k] = words[j][1]
    boundaries = sorted(set(opening.values()) | ({main_at} if main_at is not None else set()) | {end})
    found = []
    for k, lemma in actions:
        verb_start = words[k][1]
        a_start = opening[k]
        a_end = boundaries[boundaries.index(a_start) + 1]
        a_start, a_end = _trimmed(text, a_start, a_end)
        if a_end <= a_start:
            continue
        folded = _SYNONYMS.get(lemma, lemma)
        words_in = _words_of(text, base, a_start, a_end, sentence.masked) | {folded}
        verb_end = words[k][2]
        found.append(_claim(sentence.id, base, text, "event", a_start, a_end, subjects, lemma,
                            text[slice(*_trimmed(text, verb_end, a_end))], None,
                            _nearest(sentence.dates, base + start, base + end, base + verb_start), speaker, words_in, folded,
                            bool(_NEGATED_BEFORE.search(text, max(start, verb_start - 24), verb_start)), {folded}, "action"))
    return found


def _around(text: str, start: int, end: int, q_start: int, q_end: int, max_chars: int) -> tuple[int, int]:
    """The words of text[start:end] within max_chars / 2 of the number at [q_start, q_end)."""
    half = max_chars // 2
    left, right = max(start, q_start - half), min(end, q_end + half)
    if left > start:
        left = text.find(" ", left, q_start) + 1 or left
    if right < end:
        cut = text.rfind(" ", q_end, right)
        right = cut if cut >= 0 else right
    return _trimmed(text, left, right)


def _claim(sentence_id: str, base: int, text: str, kind: str, start: int, end: int, subjects: list[str], predicate: str,
           obj: str, quantity_id: str | None, date_id: str | None, speaker: str | None, words: Iterable[str],
           main: str = "", negated: bool = False, acts: Iterable[str] | None = None, scope: str = "clause") -> dict:
    words = sorted(words)
    return {
        "sentence_id": sentence_id, "kind": kind, "text": text[start:end], "start": base + start, "end": base + end,
        "subject_entity_ids": subjects, "predicate": predicate, "object": obj, "quantity_id": quantity_id,
        "date_id": date_id, "speaker_entity_id": speaker, "_words": " ".join(words),
        "_actions": " ".join(sorted({w for w in (words if acts is None else acts) if w in _ACTIONS} | ({main} if main else set()))),
        "_main": main, "_negated": negated, "scope": scope,
    }


def claims(articles: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, entities: pl.DataFrame,
           quantities: pl.DataFrame, dates: pl.DataFrame, gazetteer: Gazetteer, rules: ClaimRules = ClaimRules()) -> pl.DataFrame:
    """Claims of one shard, without the group columns, sorted by article_id, start, end, claim_id.
    `gazetteer` is the build's (the one entities were resolved with): its places are those claims are about.

    Besides the table's columns it carries working columns (prefixed "_": the quantity's value
    and unit, the time interval, the claim's words) that `grouped_claims` uses and drops.
    """
    typed = mentions.select("sentence_id", "start", "end", "entity_id").join(
        entities.select("entity_id", "type"), on="entity_id", how="left"
    )
    by_mention = _per_sentence(typed, ["start", "end", "entity_id", "type"])
    by_quantity = _per_sentence(quantities, ["start", "end", "quantity_id", "unit"])
    by_date = _per_sentence(dates, ["start", "end", "date_id"])
    lexicon = _place_lexicon(gazetteer)
    place_of = _entity_places(entities, lexicon)
    surname = _surnames(entities)
    rows: list[tuple] = []
    state = _Article("")
    ordered = sentences.sort("article_id", "position").select("article_id", "sentence_id", "start", "text")
    for article_id, sentence_id, start, text in ordered.iter_rows():
        if article_id != state.article_id:
            state = _Article(article_id)
        named = _named_places(text, lexicon[0])
        found = _sentence_claims(_Sentence(sentence_id, start, text, by_mention.get(sentence_id, []),
                                           by_quantity.get(sentence_id, []), by_date.get(sentence_id, []), named), state, rules)
        for row in found:
            subjects = row["subject_entity_ids"]
            row["article_id"] = article_id
            row["claim_id"] = stable_id(article_id, row["kind"], row["start"], row["end"], row["quantity_id"])
            # Subjects travel "|"-joined: far cheaper than a list column built row by row.
            row["subject_entity_ids"] = "|".join(subjects)
            row["_places"] = "|".join(sorted({place_of[e] for e in subjects if e in place_of} | {
                place for at, place in named if row["start"] - start <= at < row["end"] - start}))
            row["_persons"] = "|".join(sorted({surname[e] for e in subjects if e in surname}))
            rows.append(_ROW(row))
    frame = pl.DataFrame(rows, schema=_SCHEMA, orient="row").with_columns(
        pl.when(pl.col("subject_entity_ids") == "").then(pl.lit([], dtype=pl.List(pl.Utf8)))
        .otherwise(pl.col("subject_entity_ids").str.split("|")).alias("subject_entity_ids"))
    frame = frame.join(_quantity_terms(quantities, rules.approximate), on="quantity_id", how="left").join(_date_terms(dates), on="date_id", how="left")
    frame = frame.join(_context_places(mentions, place_of, rules.context_places), on="article_id", how="left").join(
        articles.select("article_id", pl.col("published_date").alias("_published")), on="article_id", how="left")
    # Countries: the ISO names and the gazetteer's (a user's included) demonym countries.
    countries = _iso_country_names() | frozenset(lexicon[0].values())
    return _with_countries(_with_inferred_units(frame.select(*COLUMNS[:13], "scope", pl.col("^_.*$")).sort("article_id", "start", "end", "claim_id")), countries)


def _place_lexicon(gazetteer: Gazetteer) -> tuple[dict[str, str], frozenset[str]]:
    """(demonym or country short form, case-folded -> country name; names of places) from the gazetteer."""
    names = {}
    for words, name in gazetteer.exact.items():
        if gazetteer.entries[name].type == "GPE":
            names[" ".join(words).casefold()] = name
    # Countries only: "the Asian country" names no place to match on.
    names.update((d, n) for d, n in gazetteer.demonyms.items() if gazetteer.entries[n].type == "GPE")
    return names, frozenset(n for n, e in gazetteer.entries.items() if e.type in ("GPE", "LOC"))


def _named_places(text: str, names: dict[str, str]) -> list[tuple[int, str]]:
    """(offset, country) of countries named by nationality or short form: "Iraqi army", "U.S. soldiers"
    (`names`: the place lexicon's first part)."""
    found = []
    for m in _CAPITALISED.finditer(text):
        place = names.get(m.group().rstrip(".").casefold())
        if place is not None:
            found.append((m.start(), place))
    return found


@functools.cache
def _iso_country_names() -> frozenset[str]:
    """pycountry's ISO 3166 names of countries (data the package carries)."""
    import pycountry

    return frozenset(n for c in pycountry.countries for k in ("name", "common_name", "official_name") if (n := getattr(c, k, None)))


def _with_countries(frame: pl.DataFrame, countries: frozenset[str]) -> pl.DataFrame:
    """`_countries` and `_context_countries`: the claim's places and its article's context places
    that are countries, "|"-joined (grouping splits one action only by different countries)."""
    listed = pl.Series(sorted(countries), dtype=pl.Utf8)

    def of(column: str) -> pl.Expr:
        return pl.col(column).fill_null("").str.split("|").list.eval(pl.element().filter(pl.element().is_in(listed))).list.join("|")

    return frame.with_columns(of("_places").alias("_countries"), of("_context").alias("_context_countries"))


def _surnames(entities: pl.DataFrame) -> dict[str, str]:
    """Person entity id -> the person's surname, case-folded: articles name one person in full
    and by surname ("Vincent Jackson", "Jackson"), which the entities stage may keep apart."""
    return {entity_id: name.split()[-1].casefold() for entity_id, name in
            entities.filter(pl.col("type") == "PERSON").select("entity_id", "name").iter_rows() if name and name.split()}


def _entity_places(entities: pl.DataFrame, lexicon: tuple[dict[str, str], frozenset[str]]) -> dict[str, str]:
    """Entity id -> the place it is or belongs to: a GPE or LOC itself, or the country an
    organisation's leading nationality names ("Iraqi Army" -> Iraq, "US Army" -> United States)."""
    names, places = lexicon
    found = {}
    for entity_id, name, type_ in entities.select("entity_id", "name", "type").iter_rows():
        if type_ in ("GPE", "LOC") or name in places:
            found[entity_id] = name
        elif type_ != "PERSON" and name:
            first = name.split()[0].rstrip(".").casefold()
            if first in names:
                found[entity_id] = names[first]
    return found


def _context_places(mentions: pl.DataFrame, place_of: dict[str, str], n_places: int) -> pl.DataFrame:
    """(article_id, _context): the article's `n_places` most mentioned places, sorted and "|"-separated."""
    return (
        mentions.select("article_id", pl.col("entity_id").replace_strict(place_of, default=None, return_dtype=pl.Utf8).alias("place"))
        .drop_nulls().group_by("article_id", "place").len()
        .sort("article_id", "len", "place", descending=[False, True, False])
        .group_by("article_id", maintain_order=True).agg(pl.col("place").head(n_places).sort().str.join("|").alias("_context"))
    )


def _with_inferred_units(frame: pl.DataFrame) -> pl.DataFrame:
    """Quantity claims get a unit class when the quantity stage found no counted noun: a counted
    noun named in the clause ("the number of US troops ... has been around 2,500"), else the unit
    and places of the sentence's previous number ("2,500 US troops, up from 170,000 in 2007").
    A count of people in a clause about killing becomes a death toll."""
    if frame.is_empty():
        return frame
    units, places = frame["_unit"].to_list(), frame["_places"].to_list()
    previous: tuple[str, str, str] | None = None
    for i, (kind, sentence_id, text) in enumerate(frame.select("kind", "sentence_id", "text").iter_rows()):
        if kind != "quantity":
            continue
        if units[i] is None:
            named = [_UNITS.get(w) or _UNITS[w[:-1]] for w in _UNIT_WORD.findall(text.lower())
                     if w in _UNITS or (w.endswith("s") and w[:-1] in _UNITS)]
            if named:
                units[i] = named[0]
            elif previous is not None and previous[0] == sentence_id:
                units[i] = previous[1]
                places[i] = places[i] or previous[2]
        if units[i] in _PEOPLE and _KILLING.search(text):
            units[i] = "death"
        if units[i] is not None:
            previous = (sentence_id, units[i], places[i])
    return frame.with_columns(pl.Series("_unit", units, dtype=pl.Utf8), pl.Series("_places", places, dtype=pl.Utf8))


def _quantity_terms(quantities: pl.DataFrame, approximate: float) -> pl.DataFrame:
    """Per quantity: the unit class and the value interval used to group and to find conflicts
    ("about" and "at least" widened by `approximate`)."""
    unit = pl.col("unit").str.to_lowercase()
    folded = pl.when(pl.col("currency").is_not_null()).then(pl.lit("money:") + pl.col("currency")).otherwise(
        unit.replace_strict(_UNITS, default=unit)
    )
    value, low, high = pl.col("value").cast(pl.Float64), pl.col("low").cast(pl.Float64), pl.col("high").cast(pl.Float64)
    qualifier = pl.col("qualifier")
    ranged = (qualifier == "range") & low.is_not_null() & high.is_not_null()
    return quantities.select(
        "quantity_id",
        folded.alias("_unit"),
        pl.when(ranged).then(low).when(qualifier == "approximate").then(value * (1 - approximate))
        .when(qualifier == "at_most").then(value * (1 - approximate)).otherwise(value).alias("_low"),
        pl.when(ranged).then(high).when(qualifier.is_in(["approximate", "at_least"])).then(value * (1 + approximate))
        .otherwise(value).alias("_high"),
        pl.when(ranged).then(low).when(qualifier == "approximate").then(value * (1 - 2 * approximate))
        .when(qualifier == "at_most").then(float("-inf")).otherwise(value).alias("_min"),
        pl.when(ranged).then(high).when(qualifier == "approximate").then(value * (1 + 2 * approximate))
        .when(qualifier == "at_least").then(float("inf")).otherwise(value).alias("_max"),
    )


def _date_terms(dates: pl.DataFrame) -> pl.DataFrame:
    """Per date: the first and last day it covers (null when unresolved)."""
    value = pl.col("value")
    granularity = pl.col("granularity")
    last = (
        pl.when(pl.col("end_value").is_not_null()).then(pl.col("end_value"))
        .when(granularity == "month").then(value.dt.month_end())
        .when(granularity == "year").then(value.dt.offset_by("1y").dt.offset_by("-1d"))
        .when(granularity == "decade").then(value.dt.offset_by("10y").dt.offset_by("-1d"))
        .otherwise(value)
    )
    # The month alone still tells dates apart when the year is unresolved: "in April" is not "by
    # the end of the year", whatever the year.
    text = pl.col("text").str.to_lowercase()
    named = pl.lit(None, dtype=pl.Int8)
    for number, name in reversed(list(enumerate(MONTH_ABBREVIATIONS, 1))):
        named = pl.when(text.str.contains(rf"\b{name}")).then(pl.lit(number, dtype=pl.Int8)).otherwise(named)
    month = (
        pl.when(granularity.is_in(["day", "month"]) & value.is_not_null()).then(value.dt.month().cast(pl.Int8))
        .when(granularity.is_in(["day", "month"])).then(
            pl.when(text.str.contains(r"\bend of (?:the |this |next |last )?year\b")).then(pl.lit(12, dtype=pl.Int8)).otherwise(named))
    )
    return dates.select("date_id", value.alias("_from"), last.alias("_to"), month.alias("_month"), pl.col("start").alias("_dstart"))


def claim_records(claims: pl.DataFrame) -> dict[str, list[dict]]:
    """Per article_id, its grouped claims as dicts of every column but article_id, by offset."""
    records: dict[str, list[dict]] = defaultdict(list)
    for row in claims.select(COLUMNS).sort("article_id", "start", "end", "claim_id").iter_rows(named=True):
        records[row.pop("article_id")].append(row)
    return dict(records)
