"""Mention candidates (per shard, `mention_candidates`), without downloaded models. The default,
`ner="learned"`, is the project's tagger (`pipeline.stages.entities.tagger`, trained by `python -m pipeline train
ner`): its PER/ORG/LOC/MISC spans become PERSON, ORG, GPE or LOC (LOC by a head or first word such
as River or Mount), and EVENT or OTHER (EVENT by a head word such as War or Summit); nationality
words (gazetteer demonyms, MISC words of their shape, LOC words formed from a known place such
as "Paraguayan") are not mentions; a leading "the" and titles ("Senator Kamala Harris") leave the
span and type it PERSON; one-word spans the rules would drop (function words, months,
interjections, contractions) are dropped, except a one-word assembly the model types ORG inside
a sentence ("the Senate", "Congress"); an "X of/for Y" organisation the model stops at "and"
goes on through the capitalised words after it that no span covers ("Centers for Disease
Control and Prevention"). The gazetteer still links and types what it knows, and the roles and
in-article linking below apply as for the rules.
`ner="rules"` is the hand-written extractor:
- Candidate spans are runs of capitalised words, initials (W., U.S.) and acronyms joined by
  spaces and connectors (al-, bin, ibn, de, van, von, of, of the, and), found sentence by sentence.
- The gazetteer (pipeline/data/gazetteer.csv, extensible with a user file) is matched longest
  first inside each run; all-capitals aliases (US, IS, UN) only in capitals, others in any case.
- Titles and roles before a name (President, Prime Minister, Gen., spokeswoman, "Iraqi Prime
  Minister", "Prime Minister of Iraq,") are not part of the mention: they type it PERSON and are
  kept in `role`. Demonyms ("Iraqi") are not mentions; they name the role's affiliation.
- Other runs are typed by their last word (Party, Ministry, Corp, Airlines -> ORG; River, Sea ->
  LOC; City, Province -> GPE; War, Summit -> EVENT) or a first word (Mount, Lake -> LOC; Bank ->
  ORG), as acronyms (ORG); PERSON needs evidence: a name particle, a title or role before it, a
  first word in the shipped list of common given names (pipeline/data/given_names.txt) or an
  initial, or the article naming it later by its last word alone; else OTHER ("Buenos Aires" and
  "Standard Chartered", unknown to the gazetteer, are OTHER, not people).
- Title words before a name, also in the plural ("Presidents George W. Bush and ..."), are not
  part of the mention or of the canonical name.
- A run with "and" is two names ("Iraq and Syria") unless one word precedes "and" and a head word
  ends it ("Securities and Exchange Commission"); "X of Y" with a head word before "of" is one.
- A known surname after other name words ("Hunter Biden", "Qasim Soleimani") is left to
  resolution rather than linked on the surname alone.
- A capitalised word at a sentence start, and any run in a headline-like sentence (Title Case,
  all capitals), is kept only when the gazetteer knows it or the article uses it elsewhere.
  Common words, months, days, demonyms and religious or political adjectives alone are dropped.
- "X of Y" where X is a person ("Elizabeth Warren of Massachusetts") is a person and a place;
  a run of one name that pycountry knows as a country or subdivision is GPE.
With either extractor, interjections and contractions ("Well", "Yeah", "I'm") are never mentions,
nor a currency code before an amount ("USD 1 million").
Within an article, a short form takes the full name used in it: a surname ("Biden", "Kazmi") the
nearest PERSON name ending with it when spelled alike (equal transliteration key: "Sealed" is not
Seager), an acronym the name it follows in parentheses ("Voice of America (VOA)"), else the one
name of the article whose initials are its letters.
Roles: a current (not "former"/"then") role with an affiliation ("White House spokeswoman",
"Iraqi Prime Minister", "Prime Minister of Iraq,") links the name after it to a gazetteer person
who held that role on the article's date (any date when the article has none) and whose names are
loosely alike (rapidfuzz ratio of transliteration keys >= 65), when exactly one such person
exists: a garbled "Jane Sackie" after "White House spokeswoman" in 2021 is Jen Psaki, while
"Andrea Bates" with the same title, or "Jane Sackie" in 2023, is not.
Alternatively `ner="spacy:NAME_OR_PATH"` takes spans and labels from an installed spaCy pipeline;
the gazetteer, roles and in-article linking then apply in the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from datetime import date
from functools import lru_cache

import polars as pl
from rapidfuzz import fuzz

from pipeline.stages.entities.gazetteer import Gazetteer, GazetteerEntry, _role_parts, _strip_the
from pipeline.stages.entities.lexicon import (
    _ADJECTIVES, _ASSEMBLIES, _CALENDAR, _CHUNK, _COMMON, _CONNECTOR_WORDS, _CONTRACTION, _CONTRACTION_NAME, _HEAD_TYPES,
    _HYPHEN_PREFIXES, _INITIAL, _INTERJECTIONS, _L, _LETTER, _LOWER_WORD, _OPENERS, _PERSON_PARTICLES, _PREFIX_TYPES, _ROLE,
    _ROLE_LAST_WORDS, _TITLE_FORMS, _TITLE_HEAD_FORMS, _UP, _WORDS,
)
from pipeline.stages.entities.names import acronym, initials, person_keys
from pipeline.stages.entities.rules import EntityRules
from pipeline.stages.entities.tagger import MODEL_PATH, TaggerRules, country_names, is_demonym
from pipeline.stages.entities.tagger import load as load_tagger

CANDIDATE_SCHEMA = {
    "article_id": pl.Utf8, "sentence_id": pl.Utf8, "start": pl.Int32, "end": pl.Int32, "text": pl.Utf8,
    "type": pl.Utf8, "name": pl.Utf8, "gazetteer": pl.Utf8, "role": pl.Utf8,
}


class _Candidate:
    __slots__ = ("start", "end", "text", "type", "gaz", "initial", "headline", "role", "role_key", "past", "sentence", "sentence_start", "name")

    def __init__(self, start: int, end: int, text: str, type_: str, gaz: str | None, initial: bool, headline: bool, sentence: tuple[str, int]):
        self.start, self.end, self.text, self.type, self.gaz = start, end, text, type_, gaz
        self.initial, self.headline = initial, headline
        self.sentence, self.sentence_start = sentence
        self.role: str | None = None
        self.role_key: tuple[str, str] | None = None
        self.past = False
        self.name = text


def _is_initial(text: str, sent_start: int, pos: int, first: bool) -> bool:
    """Whether `pos` (of the sentence's `first` run or not) starts a sentence, a quotation or a
    clause after a colon."""
    if first and not _LETTER.search(text, sent_start, pos):
        return True
    j = pos - 1
    while j > sent_start and text[j] in " \t\u00a0":
        j -= 1
    return text[j] in _OPENERS


def _is_headline(text: str, start: int, end: int) -> bool:
    """Title Case or all-capitals sentences of five words or more: capitals say nothing there."""
    if _LOWER_WORD.search(text, start, end):
        return False
    return len(text[start:end].split()) >= 5


def _title_run(words: list[str], i: int, j: int, gazetteer: Gazetteer) -> int:
    """Index after the titles that lead words[i:j] ("Iraqi Prime Minister", "Trade Commissioner",
    "Chancellor of the Exchequer"), or i when there are none; a name must remain after them."""
    k = i
    while k < j:
        w = words[k].casefold()
        if not (w in _TITLE_FORMS or w in gazetteer.demonyms):
            break
        k += 1
    heads = [h for h in range(i, j - 1) if words[h].casefold() in _TITLE_HEAD_FORMS]
    if not heads:
        return i
    end = heads[-1] + 1
    # Words before the last head belong to the title only when they are capitalised.
    if not all(w[:1].isupper() or w in ("of", "the") for w in words[i:end]):
        return i
    if end + 2 < j and words[end] == "of":
        end += 3 if words[end + 1] == "the" and end + 3 < j else 2
    return max(end, k) if k < j else end


def _name_start(words: list[str], i: int, j: int, gazetteer: Gazetteer) -> int:
    """Start of the name in words[i:j] once titles, connectors, demonyms and adjectives are skipped."""
    a = _title_run(words, i, j, gazetteer)
    while a < j and (_connector(words[a]) or words[a].casefold() in gazetteer.demonyms or words[a].casefold() in _ADJECTIVES):
        a += 1
    return a


def _kept_word(word: str, gazetteer: Gazetteer) -> bool:
    w = word.casefold()
    return not (w in _COMMON or w in _CALENDAR or w in _ADJECTIVES or w in gazetteer.demonyms or w in _TITLE_FORMS or _speech_word(word))


def _speech_word(word: str) -> bool:
    """An interjection or a contraction ("Well", "I'm"): never a mention on its own."""
    return word.casefold() in _INTERJECTIONS or (_CONTRACTION.match(word) is not None and not _CONTRACTION_NAME.match(word))


def _run_type(words: list[str], gazetteer: Gazetteer) -> str:
    """Type of a run of words that the gazetteer does not know.

    PERSON needs evidence: a name particle (al-, bin, abu), a first word that is a common given
    name or an initial ("J. Okafor"); a title before the run or a later bare surname also make
    it PERSON (see `_with_role`, `_linked`). Else cue words: a head word at the end (Bank, Party,
    River, Province, War) or a place word at the start (Mount, Lake); else OTHER.
    """
    last = words[-1].casefold()
    if len(words) > 1 and last in _HEAD_TYPES:
        return _HEAD_TYPES[last]
    if len(words) == 1:
        return "ORG" if acronym(words[0]) and len(words[0].replace(".", "")) >= 2 else _place_type(words)
    first = words[0].casefold()
    if first in _PREFIX_TYPES:
        return _PREFIX_TYPES[first]
    if any(w.casefold().split("-")[0] in _PERSON_PARTICLES for w in words):
        return "PERSON"
    plain = all(w[:1].isupper() and w.replace(".", "").replace("-", "").replace("'", "").replace("’", "").isalpha()
                and not (len(w) > 1 and w.isupper() and not _INITIAL.fullmatch(w)) for w in words if w.casefold() not in _CONNECTOR_WORDS)
    if (plain and len(words) <= 4 and not any(w.casefold() in _COMMON or w.casefold() in _CALENDAR for w in words)
            and (first.split("-")[0] in gazetteer.given_names or _INITIAL.fullmatch(words[0]))):
        return "PERSON"
    return _place_type(words)


def _place_type(words: list[str]) -> str:
    """GPE for the name of a country or subdivision (pycountry's ISO 3166 names), else OTHER."""
    return "GPE" if tuple(w.casefold() for w in words) in country_names() else "OTHER"


def _chunk_candidates(text: str, m: re.Match, gazetteer: Gazetteer, initial: bool, headline: bool, sentence: tuple[str, int]) -> list[_Candidate]:
    spans = [(w.start(), w.end()) for w in _WORDS.finditer(text, m.start(), m.end())]
    words = [text[s:e] for s, e in spans]
    folded = [w.casefold() for w in words]
    out: list[_Candidate] = []
    n = len(words)
    i = 0
    if initial and words[0].casefold() in _COMMON and _gazetteer_hit(words, folded, 0, gazetteer) is None:
        i = 1

    def emit(a: int, b: int, type_: str, gaz: str | None) -> None:
        out.append(_Candidate(spans[a][0], spans[b - 1][1], text[spans[a][0]:spans[b - 1][1]], type_, gaz, initial and a == 0, headline, sentence))

    # "Ministry of Defense", "Gulf of Mexico": a head word before "of" keeps the run whole.
    if "of" in words[i + 1:]:
        j = words.index("of", i + 1)
        a = _title_run(words, i, j, gazetteer)
        head = words[j - 1].casefold()
        if head in _HEAD_TYPES and a < j and gazetteer.entry_for(tuple(words[a:j])) is None and gazetteer.entry_for(tuple(words[a:])) is None:
            emit(a, n, _HEAD_TYPES[head], None)
            return out
    run_start = i
    while i < n:
        hit = _gazetteer_hit(words, folded, i, gazetteer)
        if hit is None:
            i += 1
            continue
        length, name = hit
        a = _name_start(words, run_start, i, gazetteer)
        if gazetteer.entries[name].type == "PERSON" and a < i and all(_name_word(w, gazetteer) for w in words[a:i]):
            # "Hunter Biden", "Qasim Soleimani": a known surname after other name words is another
            # spelling or another person; resolution decides, not the surname alone.
            _emit_run(words, run_start, a, emit, gazetteer)
            emit(a, i + length, "PERSON", None)
        else:
            _emit_run(words, run_start, i, emit, gazetteer)
            emit(i, i + length, gazetteer.entries[name].type, name)
        i += length
        run_start = i
    _emit_run(words, run_start, n, emit, gazetteer)
    return out


def _gazetteer_hit(words: list[str], folded: list[str], i: int, gazetteer: Gazetteer) -> tuple[int, str] | None:
    """(length, entry name) of the longest gazetteer alias starting at words[i], or None."""
    for length in range(min(gazetteer.longest, len(words) - i), 0, -1):
        name = gazetteer.entry_for(tuple(words[i:i + length]), tuple(folded[i:i + length]))
        if name is not None:
            return length, name
    return None


def _connector(word: str) -> bool:
    """A connector between name words; capitalised "Al"/"El" begin a name ("Al Kazemi")."""
    return word.casefold() in _CONNECTOR_WORDS and (word.islower() or word.casefold() not in _PERSON_PARTICLES)


def _name_word(word: str, gazetteer: Gazetteer) -> bool:
    return _kept_word(word, gazetteer) and word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _emit_run(words: list[str], i: int, j: int, emit, gazetteer: Gazetteer) -> None:
    """Emit the name candidates of words[i:j], a run the gazetteer did not match."""
    a = _title_run(words, i, j, gazetteer)
    while a < j and _connector(words[a]):
        a += 1
    while j > a and words[j - 1].casefold() in _CONNECTOR_WORDS:
        j -= 1
    if a >= j:
        return
    if "and" in words[a:j] or "&" in words[a:j]:
        cut = next(k for k in range(a, j) if words[k] in ("and", "&"))
        # "Securities and Exchange Commission" is one name; "Iraq and Syria" are two.
        if not (cut == a + 1 and words[cut + 1] != "the" and j - cut > 2 and words[j - 1].casefold() in _HEAD_TYPES):
            _emit_run(words, a, cut, emit, gazetteer)
            _emit_run(words, cut + 1, j, emit, gazetteer)
            return
    if words[j - 1].casefold() not in _HEAD_TYPES:
        a = _name_start(words, a, j, gazetteer)
        if a >= j:
            return
    # "Elizabeth Warren of Massachusetts" is a person and a place.
    cut = next((k for k in range(a + 1, j - 1) if words[k] == "of"), None)
    if cut is not None and _run_type(words[a:cut], gazetteer) == "PERSON":
        _emit_run(words, a, cut, emit, gazetteer)
        _emit_run(words, cut + 1, j, emit, gazetteer)
        return
    run = words[a:j]
    if all(w.casefold() in _TITLE_FORMS for w in run):
        return
    if len(run) == 1:
        word = run[0]
        if (not _kept_word(word, gazetteer) or word.casefold() in _HEAD_TYPES or word.split("-")[0].casefold() in _HYPHEN_PREFIXES
                or len(_LETTER.findall(word)) < 2):
            return
    emit(a, j, _run_type(run, gazetteer), None)


def _with_role(cand: _Candidate, text: str, gazetteer: Gazetteer, lookback: int) -> None:
    before = text[max(cand.sentence_start, cand.start - lookback):cand.start].rstrip(" ,\t\u00a0")
    # Most names have no title before them: check the last word before running the full pattern.
    if before.rpartition(" ")[2].rpartition("-")[2].casefold() not in _ROLE_LAST_WORDS:
        return
    m = _ROLE.search(text, max(cand.sentence_start, cand.start - lookback), cand.start)
    if m is None or m.end() != cand.start:
        return
    aff = m.group("aff")
    # A capitalised pronoun or adverb before the title ("His successor") is no affiliation.
    begin = m.start("head") if aff and aff.split()[0].casefold() in _COMMON else m.start()
    cand.role = _strip_the(text[begin:m.end()].strip(" ,\t\u00a0"))
    cand.role_key = _role_parts(m, gazetteer)
    cand.past = bool(m.group("past") or m.group("past2"))
    if cand.gaz is None and cand.type in ("PERSON", "OTHER"):
        cand.type = "PERSON"


def _role_holder(cand: _Candidate, when: date | None, gazetteer: Gazetteer, similarity: int) -> str | None:
    """The one gazetteer person holding the candidate's current role (on the article's date, when
    known) whose names are loosely alike the candidate's, or None."""
    if not cand.role_key or not cand.role_key[1] or cand.past:
        return None
    holders = {
        name for name, r in gazetteer.roles.get(cand.role_key, ())
        if when is None or ((r.start is None or r.start <= when) and (r.end is None or when < r.end))
    }
    alike = [name for name in sorted(holders) if _loosely_alike(cand.text, gazetteer.entries[name], similarity)]
    return alike[0] if len(alike) == 1 else None


def _loosely_alike(name: str, entry: GazetteerEntry, similarity: int) -> bool:
    key = " ".join(person_keys(name))
    return any(fuzz.ratio(key, " ".join(person_keys(alias))) >= similarity for alias in (entry.name, *entry.aliases))


def _article_candidates(text: str, sentences: list[tuple[str, int, int]], gazetteer: Gazetteer, spans) -> list[_Candidate]:
    """Raw candidates of one article from the rules, or from `spans` (start, end, type) of a model."""
    out: list[_Candidate] = []
    if spans is None:
        for sid, s, e in sentences:
            headline = _is_headline(text, s, e)
            first = True
            for m in _CHUNK.finditer(text, s, e):
                initial = headline or _is_initial(text, s, m.start(), first)
                first = False
                out.extend(_chunk_candidates(text, m, gazetteer, initial, headline, (sid, s)))
        return out
    starts = [s for _, s, _ in sentences]
    for start, end, type_ in spans:
        k = bisect_right(starts, start) - 1
        if k < 0 or end > sentences[k][2]:
            continue
        start, type_ = _without_title(text, start, end, type_, gazetteer)
        if start is None:
            continue
        surface = text[start:end]
        gaz = gazetteer.entry_for(tuple(_strip_the(surface).split()))
        if (gaz is None and " " not in surface and not _kept_word(surface, gazetteer)
                and not (type_ == "ORG" and surface.casefold() in _ASSEMBLIES and not _is_initial(text, sentences[k][1], start, True))):
            continue
        out.append(_Candidate(start, end, surface, gazetteer.entries[gaz].type if gaz else type_, gaz, False, False, sentences[k][:2]))
    return out


def _without_title(text: str, start: int, end: int, type_: str, gazetteer: Gazetteer) -> tuple[int | None, str]:
    """A model span without a leading "the" or title ("Senator Kamala Harris" -> "Kamala Harris",
    then a PERSON), and its type; (None, type) when nothing is left."""
    spans = [(m.start(), m.end()) for m in _WORDS.finditer(text, start, end)]
    words = [text[a:b] for a, b in spans]
    a = 1 if len(words) > 1 and words[0].casefold() == "the" else 0
    if type_ in ("PERSON", "OTHER"):
        b = _title_run(words, a, len(words), gazetteer)
        if b > a:
            a, type_ = b, "PERSON"
    # "Sunni Islamic State": a leading demonym or adjective is no part of a name, unless a head
    # word ends it ("Iraqi Army") or the gazetteer knows it with it ("Islamic State").
    if words[-1].casefold() not in _HEAD_TYPES:
        while (a < len(words) - 1 and (words[a].casefold() in gazetteer.demonyms or words[a].casefold() in _ADJECTIVES)
               and gazetteer.entry_for(tuple(words[a:])) is None):
            a += 1
    if a >= len(words):
        return None, type_
    return spans[a][0], type_


def _linked(cands: list[_Candidate], text: str, when: date | None, gazetteer: Gazetteer, rules: EntityRules) -> list[_Candidate]:
    """Apply roles, drop unconfirmed sentence-initial and headline words, link short forms."""
    for c in cands:
        if c.gaz is None or gazetteer.entries[c.gaz].type == "PERSON":
            _with_role(c, text, gazetteer, rules.role_lookback)
    # A run referred to later by its last word alone ("Okafor ... Okafor said") names a person.
    bare = {c.text for c in cands if c.gaz is None and " " not in c.text}
    for c in cands:
        if c.gaz is None and c.type == "OTHER" and " " in c.text and c.text.rsplit(" ", 1)[1] in bare and c.text[:1].isupper():
            c.type = "PERSON"
    # "USD 1 million": a currency code before an amount is no organisation.
    cands = [c for c in cands if not (c.text in _currency_codes() and text[c.end:c.end + 2].strip()[:1].isdigit())]
    confirmed = {c.text for c in cands if not c.initial and not c.headline}
    surnames = {person_keys(c.text)[-1] for c in cands if c.type == "PERSON" and len(person_keys(c.text)) > 1 and not c.headline}
    kept = []
    for c in cands:
        if c.gaz is None and (c.headline or (c.initial and " " not in c.text)):
            keys = person_keys(c.text)
            if c.text not in confirmed and not (len(keys) == 1 and keys[0] in surnames):
                continue
        kept.append(c)
    full = [c for c in kept if c.type == "PERSON" and len(person_keys(c.text)) > 1]
    for c in kept:
        if c.gaz is None and c.type == "PERSON" and (holder := _role_holder(c, when, gazetteer, rules.role_name_similarity)):
            c.gaz = holder
    for c in kept:
        keys = person_keys(c.text)
        # A lone word is a person's surname only when spelled as in the full name (same
        # transliteration key): "Sealed" is not Seager, "Borat" not Barrett.
        if c.type in ("PERSON", "OTHER") and len(keys) == 1 and len(keys[0]) > 1 and (c.gaz is None or gazetteer.entries[c.gaz].type == "PERSON"):
            matches = [f for f in full if person_keys(f.text)[-1] == keys[0] and f is not c]
            if matches:
                before = [f for f in matches if f.start < c.start]
                target = before[-1] if before else matches[0]
                if c.gaz is None or c.gaz == target.gaz:
                    c.type, c.name, c.gaz = "PERSON", target.text, target.gaz
    # An acronym takes the name it abbreviates when the article writes that name: the one just
    # before it in parentheses ("Voice of America (VOA)"), else the one name of the article whose
    # initials are its letters (several: none).
    expansions: dict[str, set[tuple[str, str, str | None]]] = defaultdict(set)
    for c in kept:
        if " " in c.text and c.type in ("ORG", "GPE", "LOC", "EVENT", "OTHER"):
            expansions[initials(c.text)].add((c.type, c.name, c.gaz))
    for k, c in enumerate(kept):
        letters = acronym(c.text)
        if not letters or c.gaz is not None:
            continue
        if k > 0 and text[c.start - 2:c.start] == " (" and kept[k - 1].end == c.start - 2 and initials(kept[k - 1].text) == letters:
            prev = kept[k - 1]
            c.type, c.name, c.gaz = prev.type, prev.name, prev.gaz
        elif len(letters) >= 3 and len(expansions.get(letters, ())) == 1:
            c.type, c.name, c.gaz = next(iter(expansions[letters]))
    return kept


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@lru_cache(maxsize=4)
def _spacy_pipeline(name: str):
    import spacy

    return spacy.load(name)


_SPACY_TYPES = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC", "EVENT": "EVENT",
                "NORP": None, "DATE": None, "TIME": None, "PERCENT": None, "MONEY": None, "QUANTITY": None, "ORDINAL": None,
                "CARDINAL": None}


# Mention types of the learned tagger's PER/ORG/LOC (MISC is typed by `_misc_type`).
_LEARNED_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_EVENT_WORDS = frozenset(w for w, t in _HEAD_TYPES.items() if t == "EVENT")


def _learned_type(words: list[str], kind: str) -> str:
    """Mention type of a learned span: places typed LOC or GPE by a head word (River, Province),
    else GPE; MISC an EVENT by its head word (War, Summit), else OTHER."""
    last, first = words[-1].casefold(), words[0].casefold()
    if kind == "LOC":
        head = _HEAD_TYPES.get(last)
        if head in ("LOC", "GPE"):
            return head
        return "LOC" if _PREFIX_TYPES.get(first) == "LOC" else "GPE"
    if kind == "MISC":
        return "EVENT" if last in _EVENT_WORDS else "OTHER"
    return _LEARNED_TYPES[kind]


# A one-word MISC span of this shape is a nationality or religion word ("Paraguayan", "Iraqi",
# "Sunnis"): like the demonyms the gazetteer knows, not a mention.
_DEMONYM_LIKE = re.compile(r"^[A-Z][a-z]+(?:an|ans|ese|ish|i|is|ic|ch)$")
_TAGGERS: dict[int, tuple[Gazetteer, object]] = {}
# Names inside a token the tagger sees whole: "US-led", "UN-backed" (a known name before a
# lower-case suffix), "al-Kazmi" (a particle before a capitalised name).
_PREFIX_NAME = re.compile(r"(?<![\w.-])([A-Z][\w.]*?)-(?=[a-z])")
_PARTICLE_NAME = re.compile(rf"(?<![\w-])(?:al|el|ad|ash|as|az)-{_UP}{_L}+(?![\w-])")


# "Centers for Disease Control and Prevention": an organisation name built with of/for goes on
# after "and" through capitalised words the model left untagged (it stops at the "and").
_JOINED_ORG = re.compile(r"[ \t\u00a0]+and[ \t\u00a0]+((?:[A-Z][\w'’-]*[ \t\u00a0]+){0,2}[A-Z][\w'’-]*)(?![\w'’-]|[ \t\u00a0]+[A-Z])")


def _joined_orgs(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Model spans with an "X of/for Y" organisation carried on over "and Z" (see `_JOINED_ORG`)
    when no other span starts within Z."""
    starts = sorted(a for a, _, _ in found)
    out = []
    for a, b, kind in found:
        if kind == "ORG" and (" of " in text[a:b] or " for " in text[a:b]) and (m := _JOINED_ORG.match(text, b)):
            k = bisect_right(starts, b)
            if k == len(starts) or starts[k] >= m.end():
                b = m.end()
        out.append((a, b, kind))
    return out


def _word_parts(text: str, spans: list[tuple[int, int, str]], gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """Mentions inside tokens that no span covers: a gazetteer name before a lower-case suffix
    (its entry's type), a particle name (PERSON, as the rules type a run with a name particle)."""
    covered = [(a, b) for a, b, _ in spans]

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in covered)

    out = []
    for m in _PREFIX_NAME.finditer(text):
        gaz = gazetteer.entry_for((m.group(1),))
        if gaz is not None and free(m.start(1), m.end(1)):
            out.append((m.start(1), m.end(1), gazetteer.entries[gaz].type))
    for m in _PARTICLE_NAME.finditer(text):
        if free(m.start(), m.end()):
            out.append((m.start(), m.end(), "PERSON"))
    return out


def learned_tagger(gazetteer: Gazetteer):
    """The shipped tagger with this gazetteer's features, built once per gazetteer and process."""
    hit = _TAGGERS.get(id(gazetteer))
    if hit is None or hit[0] is not gazetteer:
        hit = _TAGGERS[id(gazetteer)] = (gazetteer, load_tagger(MODEL_PATH, gazetteer))
    return hit[1]


def _model_spans(ner: str, texts: list[str], sentences: list[list[tuple[str, int, int]]], gazetteer: Gazetteer, rules: TaggerRules) -> list[list[tuple[int, int, str]]] | None:
    if ner == "rules":
        return None
    if ner == "learned":
        model = learned_tagger(gazetteer)
        out = []
        for text, found in zip(texts, model.articles_spans([(text, [(s, e) for _, s, e in sents]) for text, sents in zip(texts, sentences)], rules)):
            # Nationality words are not mentions (as with the rules): one-word MISC of their shape,
            # or LOC formed from a known place ("Paraguayan").
            spans = [(a, b, _learned_type(text[a:b].split(), kind)) for a, b, kind in _joined_orgs(text, found)
                     if not (kind == "MISC" and _DEMONYM_LIKE.match(text[a:b])) and not (kind == "LOC" and is_demonym(text[a:b], model.lex))]
            out.append(sorted(spans + _word_parts(text, spans, gazetteer)))
        return out
    kind, _, target = ner.partition(":")
    if kind != "spacy" or not target:
        raise ValueError(f"unknown extractor {ner!r}: use 'learned', 'rules' or 'spacy:NAME_OR_PATH'")
    nlp = _spacy_pipeline(target)
    out = []
    for doc in nlp.pipe(texts):
        spans = []
        for ent in doc.ents:
            type_ = _SPACY_TYPES.get(ent.label_, "OTHER")
            if type_ is not None:
                spans.append((ent.start_char, ent.end_char, type_))
        out.append(spans)
    return out


def mention_candidates(articles: pl.DataFrame, sentences: pl.DataFrame, gazetteer: Gazetteer, ner: str = "learned", rules: EntityRules = EntityRules()) -> pl.DataFrame:
    """Per shard: every entity mention found in the articles' sentences, before cross-article resolution.

    Columns: article_id, sentence_id, start, end, text (== articles.text[start:end]), type, name
    (the fullest form of the name in the article), gazetteer (linked entry name or null), role
    (the title written before the mention, or null). Sorted by article_id, start, end.
    """
    by_article: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    ordered = sentences.select("article_id", "sentence_id", "start", "end").sort("article_id", "start")
    for aid, sid, s, e in ordered.iter_rows():
        by_article[aid].append((sid, s, e))
    ids = articles["article_id"].to_list()
    texts = articles["text"].to_list()
    dates = articles["published_date"].to_list() if "published_date" in articles.columns else [None] * len(ids)
    model = _model_spans(ner, texts, [by_article.get(aid, []) for aid in ids], gazetteer, rules.tagger)
    rows: dict[str, list] = {k: [] for k in CANDIDATE_SCHEMA}
    for n, (aid, text, when) in enumerate(zip(ids, texts, dates)):
        raw = _article_candidates(text, by_article.get(aid, []), gazetteer, None if model is None else model[n])
        for c in _linked(raw, text, when, gazetteer, rules):
            for key, value in (("article_id", aid), ("sentence_id", c.sentence), ("start", c.start), ("end", c.end), ("text", c.text),
                               ("type", c.type), ("name", c.name), ("gazetteer", c.gaz), ("role", c.role)):
                rows[key].append(value)
    return pl.DataFrame(rows, schema=CANDIDATE_SCHEMA).sort("article_id", "start", "end")
