"""Claims: checkable assertions found in sentences, grouped across sources.

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
  speaker as their actor. A statement reporting no words ("Pelosi said.") is no claim.

Each of these reads a whole clause (`scope` "clause"). Every further action of a clause is an
event claim of its own (`scope` "action"): the other verbs ("Lohan checked into rehab, dodging
arrest") and event nouns ("the arrest", "the quake", `EVENT_NOUNS`; "the shooting" has the
lemma "shoot"), each spanning from its action
to the next one, with the clause's actors, places and time; they are made even in clauses that
name no actor. Predicates are lemmas (lemminflect, plus the irregular forms below): "stabbed" ->
"stab"; an "-ed" adjective ("unprecedented") is no verb.

Not claims: questions ("What do we need?"); clauses with no named actor and no number ("It will
not be, even so, a placid transition."); states described with "to be" and no number ("Iraq is
far from being a stable ally"); durations ("after 18 years"), which are times, not counts; and
titles and boilerplate, which never reach the article text. A claim is what a source asserts,
not what is true: "the announcement marks the end of World War II" (a translation error) is an
event claim, and its group shows that only one source makes it.

Grouping: claims of one kind that assert the same thing in any articles share a `group_id`, and
`n_sources` counts the group's distinct articles. Given the stories (`dedup.story_ids`), two event
claims of one story are the same event when their actions are the same verb or synonyms
(`NEWS_VERBS`: say/tell/state/announce, enter/check into, kill/murder, ...; a framing verb such as
"decide" also needs a shared word) and their places, times and polarity agree (checked against
the group's founder); an undated article speaks of its story's time. Every claim has places: the countries and
places it names, by entity or by nationality ("Iraqi Army", "American forces" and "U.S." name
Iraq and the United States), and, for a count that names none ("the 2,500 remaining soldiers in
the Asian country"), those its article names most. Two claims can group only when nothing keeps
them apart: times overlap (a claim with no date speaks of its article's time, within a year;
"in April" and "by the end of the year" differ even with the year unknown), places nest or both
articles name them all ("Canada, Kenya" never joins "Canada, Lithuania"), polarity agrees ("will
not end" never joins "will end"), and different people doing the same thing stay apart.
Quantity claims must also count the same thing (troops, soldiers and forces are military
personnel; the dead are a class of their own; "people" matches protesters but not troops; a
count with no noun takes one named in its clause, "the number of US troops ... around 2,500",
or the previous number's, "2,500 US troops, up from 170,000") with values that can both hold
(2,500 and "around 2,500" do; 2,500 and 3,000 do not; "at least 30" allows 300); counts under
100 also need a shared word beyond the unit ("bomb attack" and "bombing"). Event claims must
share an action class (end/complete/conclude, withdraw/leave/pull out, train/advise/assist,
agree/sign/deal, ...) that is the main verb of each unless that verb only frames another action
("decided to withdraw", "announced the end of", "the withdrawal will be completed"), and 30 % of
the smaller claim's words; statements need the same named speaker and 60 % of words (or the
event rule). Dated claims are visited first, then by article and offset; each joins the best
supported group founder it is compatible with, checked against every member, so a chain of
loose pairs cannot merge claims that disagree. Candidates come from blocks (unit, value bucket
and subject or place; action and place; speaker and word), the latest 200 per key; claims that
share no block with another claim are settled in Polars without a Python comparison, so grouping
is near-linear. A count describes a lasting state: its time may be half a year off ("around 2,500
since late last year" joins "2,500 as of the end of 2021"). `conflicts_with` lists the quantity
groups about the same thing whose values cannot both hold (see `_conflicts`: same story, unit,
places and entities, one total per clause, the same measured thing, the same time), and
`conflict` names what differs ("value: 30 people vs 45 people"); groups sharing an article never
conflict (an article giving two values describes a change).
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

from pipeline.core.words import content_word, content_words, tokens
from pipeline.stages.entities import load_gazetteer
from pipeline.core.ids import stable_id

KINDS = ("quantity", "event", "statement")
COLUMNS = (
    "claim_id", "article_id", "sentence_id", "kind", "text", "start", "end", "subject_entity_ids", "predicate",
    "object", "quantity_id", "date_id", "speaker_entity_id", "group_id", "n_sources", "conflicts_with", "scope", "conflict",
)
MIN_SHARED_WORDS = 2

_SCHEMA = {
    "claim_id": pl.Utf8, "article_id": pl.Utf8, "sentence_id": pl.Utf8, "kind": pl.Utf8, "text": pl.Utf8,
    "start": pl.Int32, "end": pl.Int32, "subject_entity_ids": pl.Utf8, "predicate": pl.Utf8,
    "object": pl.Utf8, "quantity_id": pl.Utf8, "date_id": pl.Utf8, "speaker_entity_id": pl.Utf8, "scope": pl.Utf8,
    # Space- or "|"-separated: far cheaper to build than list columns, and only grouping reads them.
    "_words": pl.Utf8, "_actions": pl.Utf8, "_main": pl.Utf8, "_negated": pl.Boolean, "_places": pl.Utf8, "_persons": pl.Utf8,
}

# --- Verbs -----------------------------------------------------------------------------------
# Reporting verbs: the lemma, and whether the verb needs "that" or a quote to report words
# ("announced the withdrawal" is an event, "announced that ..." a statement).
_REPORTING = {
    "said": ("say", False), "says": ("say", False), "say": ("say", False), "told": ("tell", False),
    "tells": ("tell", False), "added": ("add", False), "adds": ("add", False), "stated": ("state", False),
    "explained": ("explain", False), "explains": ("explain", False), "insisted": ("insist", False),
    "insists": ("insist", False), "noted": ("note", False), "argued": ("argue", False), "argues": ("argue", False),
    "stressed": ("stress", False), "declared": ("declare", True), "believes": ("believe", False),
    "believed": ("believe", False), "according to": ("say", False), "made it clear": ("say", False),
    "expressed hope": ("hope", False), "in his own words": ("say", False), "in her own words": ("say", False), "announced": ("announce", True), "announces": ("announce", True),
    "confirmed": ("confirm", True), "confirms": ("confirm", True), "claimed": ("claim", True),
    "claims": ("claim", True), "promised": ("promise", True), "promises": ("promise", True),
    "vowed": ("vow", True), "vows": ("vow", True), "warned": ("warn", True), "warns": ("warn", True),
    "admitted": ("admit", True), "acknowledged": ("acknowledge", True), "denied": ("deny", True),
    "denies": ("deny", True),
}
# The lookahead on first letters lets the scan skip most positions at once (twice as fast).
_REPORT_RE = re.compile(
    r"\b(?=[" + "".join(sorted({p[0] for p in _REPORTING} | {"A", "I"})) + r"])(?:[Aa]ccording to|[Ii]n h(?:is|er) own words|"
    + "|".join(sorted(map(re.escape, _REPORTING), key=len, reverse=True)) + r")\b"
)
_IRREGULAR = {
    "begin": "began begun", "break": "broke broken", "bring": "brought", "build": "built", "buy": "bought",
    "come": "came", "cut": "cut", "do": "did done", "fall": "fell fallen", "fight": "fought", "find": "found",
    "give": "gave given", "go": "went gone", "hold": "held", "keep": "kept", "lead": "led", "leave": "left",
    "lose": "lost", "make": "made", "meet": "met", "pay": "paid", "put": "put", "rise": "rose risen",
    "run": "ran", "see": "saw seen", "seek": "sought", "sell": "sold", "send": "sent", "set": "set",
    "shoot": "shot", "spend": "spent", "stand": "stood", "strike": "struck stricken", "take": "took taken",
    "tell": "told", "think": "thought", "win": "won", "withdraw": "withdrew withdrawn", "write": "wrote written",
    "drive": "drove driven", "flee": "fled", "grow": "grew grown", "hit": "hit", "know": "knew known",
    "oust": "ousted", "overthrow": "overthrew overthrown", "rebuild": "rebuilt", "say": "said", "speak": "spoke spoken",
}
_REGULAR = """accept accuse add advise agree aim allow announce appoint approve arrest assist attack back ban
    call capture carry cause change claim close commit complete conclude confirm confront consider continue
    count cross decide declare defeat defend deliver deny deploy describe destroy discuss displace elect
    eliminate end erupt escalate establish expand expect face fire focus follow force form free hand help
    hope increase invade join kill launch limit mark move name need occupy offer open order oust plan
    pledge present press prevent promise propose protest provide pull push raise reach receive recognize
    reduce reject release remain remove replace report request resign respond retain return reverse
    sign start state stay suggest support suspend switch target thank threaten train transform try turn
    urge use visit vote vow want warn welcome withdraw work""".split()
_DOUBLING = {"commit": "committed committing", "plan": "planned planning", "stop": "stopped stopping",
             "ban": "banned banning", "drop": "dropped dropping", "admit": "admitted admitting"}
_AUX_BE = {"is", "are", "was", "were", "be", "been", "being", "am", "'s"}
_AUX_HAVE = {"has", "have", "had", "having"}
_MODALS = {"will", "would", "shall", "should", "can", "could", "may", "might", "must", "do", "does", "did", "to"}
_SKIPPABLE = {"not", "also", "already", "still", "now", "then", "again", "never", "just", "even", "finally",
              "formally", "officially", "previously", "recently", "soon", "later", "ever", "no", "longer", "n't"}
_AUXILIARIES = _AUX_BE | _AUX_HAVE | _MODALS
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "of",
                "my", "your", "whose", "every", "each", "some", "any", "no"}
_GAP_OK = _AUX_HAVE | _SKIPPABLE | {"who", "which", "did", "does", "will", "would", "could", "himself", "herself",
                                     "itself", "themselves", "reportedly", "once", "too", "however"}


def _verb_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for base in _REGULAR:
        stem = base[:-1] if base.endswith("e") else base
        past = base + "d" if base.endswith("e") else (stem[:-1] + "ied" if base.endswith("y") and base[-2] not in "aeiou" else base + "ed")
        third = base + "es" if base.endswith(("s", "sh", "ch", "x", "z")) else (base[:-1] + "ies" if past.endswith("ied") else base + "s")
        for form in (base, past, third, stem + "ing"):
            forms.setdefault(form, base)
    for base, irregular in {**_IRREGULAR, **_DOUBLING}.items():
        forms[base] = base
        forms.setdefault(base + "s", base)
        for form in irregular.split():
            forms[form] = base
    return forms


_VERB_FORMS = _verb_forms()
_SAME_PAST = frozenset({base for base, forms in _IRREGULAR.items() if base in forms.split()} | {"beat", "hurt", "shut", "spread", "quit", "burst"})
# Verbs that only report words or state a condition never make an event.
_UNASSERTED = {"hope", "believe"}
_NOT_EVENTS = {lemma for lemma, needs_that in _REPORTING.values() if not needs_that} | {"be", "have"}

# --- Words folded together for grouping ------------------------------------------------------
# News verbs (and their nouns) that report one action in different words, by lemma: two event
# claims whose actions share a class can be the same event. Kept small and general; checked on
# the tuning topics of ECB+ (benchmarks/ecb_eval.py).
NEWS_VERBS = {
    "say": "say tell state add note explain report announce declare confirm statement",
    "enter": "enter check admit checkin check-in",
    "treat": "rehab treatment rehabilitation",
    "attack": "hit",
    "kill": "murder slay homicide",
    "threaten": "threaten endanger",
    "win": "win victory beat defeat triumph",
    "flee": "flee escape",
    "release": "release issue publish unveil",
    "injure": "injure hurt wound injury",
    "crash": "crash accident collision collide",
    "arrest": "arrest detain apprehend",
    "charge": "charge accuse indict",
    "fix": "fix patch plug repair",
    "place": "place put",
    "overturn": "overturn rescind repeal",
}
_SYNONYMS = {
    **dict.fromkeys("end ended ending complete completed conclude concluded finish finished close closed closure terminate terminated over".split(), "end"),
    **dict.fromkeys("troop soldier force serviceman servicemen personnel".split(), "troop"),
    **dict.fromkeys("withdraw withdrew withdrawn withdrawal leave left pull pullout exit depart departure".split(), "withdraw"),
    **dict.fromkeys("kill killed killing dead death die died fatality".split(), "kill"),
    **dict.fromkeys("attack bomb bombing strike struck assault".split(), "attack"),
    **dict.fromkeys("agree agreed agreement deal accord sign signed treaty pact".split(), "agree"),
    **dict.fromkeys("mission operation".split(), "mission"),
    # Training, advising and assisting an army are one role in news wording.
    **dict.fromkeys("train training trainer instructor advise advising advisory adviser advisor assist assistance".split(), "train"),
    **dict.fromkeys("stay remain keep present presence station stationed".split(), "stay"),
    **dict.fromkeys("meet met meeting talks summit".split(), "meet"),
    **dict.fromkeys("invade invasion overthrow oust topple".split(), "invade"),
    **dict.fromkeys("return back".split(), "return"),
    **dict.fromkeys("deploy deployment".split(), "deploy"),
    **dict.fromkeys("elect election vote poll".split(), "elect"),
    **{word: name for name, words in NEWS_VERBS.items() for word in words.split()},
}
# Nouns that name an event: each is an action of its own in a clause ("dodging arrest", "the quake
# hit"), with the lemma it folds to.
EVENT_NOUNS = {
    **{w: w for w in """attack bombing shooting killing murder homicide manslaughter death earthquake quake tremor aftershock
        fire blaze arson explosion blast crash accident collision arrest trial sentence verdict conviction charge rehab
        election vote deal agreement merger acquisition takeover launch release announcement statement resignation
        appointment injury surgery victory defeat win loss strike protest riot war invasion withdrawal raid storm flood
        hurricane tsunami eruption outbreak visit meeting summit interview ceremony wedding funeral escape theft robbery
        hijacking kidnapping rescue evacuation investigation probe lawsuit treatment overdose suicide stabbing
        hearing ruling playoff championship game vigil damage assault dui dwi rally march parade concert festival sale
        layoff bankruptcy scandal fraud bribery abuse rape burglary relapse recovery retirement transfer suspension ban fine
        penalty goal touchdown testimony""".split()},
}
# Endings of nouns made from verbs, and what replaces them to give the verb back.
_DEVERBAL = (("ing", ""), ("ment", ""), ("ion", ""), ("ation", "ate"), ("sion", "de"), ("al", ""), ("al", "e"), ("ure", ""), ("ure", "e"))


def _deverbal(noun: str) -> str:
    """The verb a noun names the action of, when lemminflect knows it: "the shooting" is what
    "shot" reports, "the decision" what "decided" does ("shoot", "decide"); else the noun."""
    for ending, replacement in _DEVERBAL:
        if noun.endswith(ending) and len(noun) > len(ending) + 2:
            verb = noun[: -len(ending)] + replacement
            if len(verb) > 3 and verb in getAllLemmas(verb, upos="VERB").get("VERB", ()):
                return verb
    return noun


EVENT_NOUNS.update({n: _deverbal(n) for n in EVENT_NOUNS})
# Plurals count too ("arrests", "riots", "injuries").
EVENT_NOUNS.update({(n[:-1] + "ies" if n.endswith("y") and n[-2] not in "aeiou" else n + ("es" if n.endswith(("s", "sh", "ch", "x")) else "s")): lemma
                    for n, lemma in list(EVENT_NOUNS.items())})
_ACTION_NOUN_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "ure")
# Lemmas that name no action of their own (auxiliaries, copulas, hedges).
_NOT_ACTIONS = frozenset("be have do get seem appear become accord include".split())
# Folded words that name what happens; an event claim's actions are these among its words.
_ACTIONS = frozenset("end withdraw kill attack agree train stay meet invade return deploy elect".split())
# Verbs that frame another action rather than being it: in "decided to withdraw" or "signed an
# agreement ending the mission" the action is in the object, so they need not match.
_LIGHT = frozenset("""announce decide order call plan start begin continue make take put succeed try want seek vow
    promise expect aim come confirm declare allow reach agree sign stay remain keep present limit transform help
    dedicate follow hold carry launch claim need face see mark set""".split())
# Framing verbs that name no action of their own never count as shared words.
_FRAMING = _LIGHT - _ACTIONS
# Titles around names say who, not what: "former President George W. Bush" in two claims about
# different events must not count as shared words.
_TITLE_WORDS = set("president former prime minister then-president secretary spokeswoman spokesman chief leader "
                   "general official king queen premier chancellor".split())
# Counted nouns folded into one class. Generic "people" matches any other count of people; the
# military and the dead are classes of their own (600 protesters are not 600 troops).
_UNITS = {
    **dict.fromkeys("troop soldier force serviceman servicemen personnel marine fighter sailor airman".split(), "military"),
    **dict.fromkeys("dead death fatality casualty killed life".split(), "death"),
    **dict.fromkeys("people person individual".split(), "people"),
}
_PEOPLE = {"people", "protester", "civilian", "refugee", "worker", "student", "militant", "child", "woman", "man",
           "resident", "prisoner", "migrant", "voter", "employee", "patient", "victim"}
# A count of people in a clause about killing is a death toll: "killing at least 30 people".
_KILLING = re.compile(r"\b(?:kill(?:s|ed|ing)?|dead|died|dies|deaths?|lost (?:their|the) li(?:fe|ves))\b", re.IGNORECASE)
_UNIT_WORD = re.compile(r"[a-z]+")
_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century"}
_APPROX = 0.1
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# Counts below this are common enough that matching needs a shared word besides the unit.
_DISTINCT_VALUE = 100
# An undated claim is taken to speak of its article's time: within a year of publication for
# grouping, within a month for conflicts.
_UNDATED_GROUP_DAYS = 365
_UNDATED_CONFLICT_DAYS = 31
_COUNT_SLACK_DAYS = 183
# Places of an article used for claims that name none themselves ("in the Asian country").
_CONTEXT_PLACES = 3
# Claims compared per block key (the latest ones), and quantity claims compared for conflicts per block.
_MAX_BLOCK = 200
_MAX_CONFLICT_BLOCK = 500
# Conflicts: share of the smaller claim's words (beyond what is counted) two claims must share to
# measure the same thing; how many differing values a claim's `conflict` names.
MIN_CONFLICT_CONTEXT = 0.5
_MAX_CONFLICT_NAMES = 3
_NOT_A_TOTAL = r"(?i)\b(?:per|each|every|a (?:day|week|month|year)|daily|weekly|annually|more|fewer|less|additional|another|increase[ds]?|rise|rose|up from|down from)\b"
# Share of the smaller claim's words two event or statement claims must have in common.
MIN_OVERLAP = 0.3
MIN_WORD_OVERLAP = 0.6


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
# The main verb is looked for among a clause's first words only; later ones are rarely it.
_MAX_PREDICATE_WORDS = 40
# In a sentence longer than this, a quantity claim keeps the part of its clause around its number
# (and that part's words), not the whole clause: a copy per number made one long sentence of
# numbers cost the square of its length.
MAX_CLAIM_CHARS = 2_000
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
    if (lemma == word and word not in _SAME_PAST) or (lemma is None and getAllLemmas(word, upos="VERB")):
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


def _predicate(text: str, start: int, end: int, masked: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    """(lemma, start, end) of the clause's main verb; lemma "be" for a copula. Names are masked.

    A short opening phrase ("As planned, ...", "Following the defeat, ...") is skipped.
    """
    opening = _OPENING.match(text, start, end)
    if opening:
        start = opening.end()
    # Words are read only as far as needed: the verb is usually among the first few.
    stream = islice(_clause_words(text, start, end, masked), _MAX_PREDICATE_WORDS)
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
                return lemma, following[1], following[2]
            if word in _AUX_BE or word == "be":
                return "be", w_start, w_end
            if word in _AUX_HAVE:
                return "have", w_start, w_end
        elif previous not in _DETERMINERS and not word.endswith("ing") and (
            (word in _VERB_FORMS and word != _VERB_FORMS[word]) or (len(word) > 4 and word.endswith("ed") and _lemma(word))
        ):
            return _lemma(word), w_start, w_end
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


def _plural_noun(text: str, word: str, w_start: int, following: tuple[str, int, int] | None) -> bool:
    """An "-s" word that reads as a plural noun: after a capitalised word ("Iraqi forces") or
    before a verb ("foreign forces invaded", "troops will")."""
    if not word.endswith("s") or word in _AUXILIARIES or (_VERB_FORMS.get(word) or _verb_lemma(word) or word) == word:
        return False
    # No noun reads so ("withdraws", "says"): a verb, whatever precedes it.
    if not getAllLemmas(word, upos="NOUN"):
        return False
    if _token_before(text, w_start)[:1].isupper():
        return True
    following = following[0] if following else ""
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


def _sentence_claims(sentence: _Sentence, state: _Article) -> list[dict]:
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
        # "..., said X, who took office in May 2020": the writer's own words after the speaker, but
        # not the reported words that may follow it ("According to X, ...", "said X, “...”").
        if said.speaker_index is not None and local[said.speaker_index][0] > said.end:
            regions.extend((s, e, None) for s, e in _uncovered(local[said.speaker_index][1], len(text), content))
    for r_start, r_end, by in regions:
        for c_start, c_end in _clauses(text, r_start, r_end):
            found.extend(_clause_claims(sentence, c_start, c_end, by))
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


def _clause_claims(sentence: _Sentence, start: int, end: int, speaker: str | None) -> list[dict]:
    sentence_id, base, text, dates = sentence.id, sentence.base, sentence.text, sentence.dates
    if text[start:end].rstrip("”\"»’').").endswith("?"):
        return []
    inside = [m for m in sentence.mentions if m[0] >= start and m[1] <= end]
    subjects = sorted({m[2] for m in inside} | _pronoun_actor(text, start, speaker))
    counted = [q for q in sentence.quantities if q[0] >= base + start and q[1] <= base + end and _counted(text, base, q)]
    places = any(start <= at < end for at, _ in sentence.named)
    masked = [(m[0], m[1]) for m in inside]
    predicate = _predicate(text, start, end, masked)
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
            if len(text) > MAX_CLAIM_CHARS:
                c_start, c_end = _around(text, start, end, q_start - base, q_end - base)
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
        # "US troops", "forces invaded": plural nouns, not verbs ("dies", "checks into" are verbs).
        if action is not None and word not in EVENT_NOUNS and _plural_noun(text, word, w_start, words[k + 1] if k + 1 < len(words) else None):
            continue
        if action is not None:
            actions.append((w_start, action))
    boundaries = sorted({at for at, _ in actions} | ({main_at} if main_at is not None else set()) | {end})
    found = []
    for a_start, lemma in actions:
        a_end = boundaries[boundaries.index(a_start) + 1]
        a_start, a_end = _trimmed(text, a_start, a_end)
        if a_end <= a_start:
            continue
        folded = _SYNONYMS.get(lemma, lemma)
        words = _words_of(text, base, a_start, a_end, sentence.masked) | {folded}
        verb_end = a_start + len(_WORD_RE.match(text, a_start).group())
        found.append(_claim(sentence.id, base, text, "event", a_start, a_end, subjects, lemma,
                            text[slice(*_trimmed(text, verb_end, a_end))], None,
                            _nearest(sentence.dates, base + start, base + end, base + a_start), speaker, words, folded,
                            bool(_NEGATED_BEFORE.search(text, max(start, a_start - 24), a_start)), {folded}, "action"))
    return found


def _around(text: str, start: int, end: int, q_start: int, q_end: int) -> tuple[int, int]:
    """The words of text[start:end] within MAX_CLAIM_CHARS / 2 of the number at [q_start, q_end)."""
    half = MAX_CLAIM_CHARS // 2
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
           quantities: pl.DataFrame, dates: pl.DataFrame) -> pl.DataFrame:
    """Claims of one shard, without the group columns, sorted by article_id, start, end, claim_id.

    Besides the table's columns it carries working columns (prefixed "_": the quantity's value
    and unit, the time interval, the claim's words) that `grouped_claims` uses and drops.
    """
    typed = mentions.select("sentence_id", "start", "end", "entity_id").join(
        entities.select("entity_id", "type"), on="entity_id", how="left"
    )
    by_mention = _per_sentence(typed, ["start", "end", "entity_id", "type"])
    by_quantity = _per_sentence(quantities, ["start", "end", "quantity_id", "unit"])
    by_date = _per_sentence(dates, ["start", "end", "date_id"])
    place_of = _entity_places(entities)
    people = frozenset(entities.filter(pl.col("type") == "PERSON")["entity_id"].to_list())
    rows: list[tuple] = []
    state = _Article("")
    ordered = sentences.sort("article_id", "position").select("article_id", "sentence_id", "start", "text")
    for article_id, sentence_id, start, text in ordered.iter_rows():
        if article_id != state.article_id:
            state = _Article(article_id)
        named = _named_places(text)
        found = _sentence_claims(_Sentence(sentence_id, start, text, by_mention.get(sentence_id, []),
                                           by_quantity.get(sentence_id, []), by_date.get(sentence_id, []), named), state)
        for row in found:
            subjects = row["subject_entity_ids"]
            row["article_id"] = article_id
            row["claim_id"] = stable_id(article_id, row["kind"], row["start"], row["end"], row["quantity_id"])
            # Subjects travel "|"-joined: far cheaper than a list column built row by row.
            row["subject_entity_ids"] = "|".join(subjects)
            row["_places"] = "|".join(sorted({place_of[e] for e in subjects if e in place_of} | {
                place for at, place in named if row["start"] - start <= at < row["end"] - start}))
            row["_persons"] = "|".join(e for e in subjects if e in people)
            rows.append(_ROW(row))
    frame = pl.DataFrame(rows, schema=_SCHEMA, orient="row").with_columns(
        pl.when(pl.col("subject_entity_ids") == "").then(pl.lit([], dtype=pl.List(pl.Utf8)))
        .otherwise(pl.col("subject_entity_ids").str.split("|")).alias("subject_entity_ids"))
    frame = frame.join(_quantity_terms(quantities), on="quantity_id", how="left").join(_date_terms(dates), on="date_id", how="left")
    frame = frame.join(_context_places(mentions, place_of), on="article_id", how="left").join(
        articles.select("article_id", pl.col("published_date").alias("_published")), on="article_id", how="left")
    return _with_inferred_units(frame.select(*COLUMNS[:13], "scope", pl.col("^_.*$")).sort("article_id", "start", "end", "claim_id"))


@functools.cache
def _place_lexicon() -> tuple[dict[str, str], frozenset[str]]:
    """(demonym or country short form, case-folded -> country name; names of places) from the gazetteer."""
    gazetteer = load_gazetteer()
    names = {}
    for words, name in gazetteer.exact.items():
        if gazetteer.entries[name].type == "GPE":
            names[" ".join(words).casefold()] = name
    # Countries only: "the Asian country" names no place to match on.
    names.update((d, n) for d, n in gazetteer.demonyms.items() if gazetteer.entries[n].type == "GPE")
    return names, frozenset(n for n, e in gazetteer.entries.items() if e.type in ("GPE", "LOC"))


def _named_places(text: str) -> list[tuple[int, str]]:
    """(offset, country) of countries named by nationality or short form: "Iraqi army", "U.S. soldiers"."""
    names = _place_lexicon()[0]
    found = []
    for m in _CAPITALISED.finditer(text):
        place = names.get(m.group().rstrip(".").casefold())
        if place is not None:
            found.append((m.start(), place))
    return found


def _entity_places(entities: pl.DataFrame) -> dict[str, str]:
    """Entity id -> the place it is or belongs to: a GPE or LOC itself, or the country an
    organisation's leading nationality names ("Iraqi Army" -> Iraq, "US Army" -> United States)."""
    names, places = _place_lexicon()
    found = {}
    for entity_id, name, type_ in entities.select("entity_id", "name", "type").iter_rows():
        if type_ in ("GPE", "LOC") or name in places:
            found[entity_id] = name
        elif type_ != "PERSON" and name:
            first = name.split()[0].rstrip(".").casefold()
            if first in names:
                found[entity_id] = names[first]
    return found


def _context_places(mentions: pl.DataFrame, place_of: dict[str, str]) -> pl.DataFrame:
    """(article_id, _context): the article's most mentioned places, sorted and "|"-separated."""
    return (
        mentions.select("article_id", pl.col("entity_id").replace_strict(place_of, default=None, return_dtype=pl.Utf8).alias("place"))
        .drop_nulls().group_by("article_id", "place").len()
        .sort("article_id", "len", "place", descending=[False, True, False])
        .group_by("article_id", maintain_order=True).agg(pl.col("place").head(_CONTEXT_PLACES).sort().str.join("|").alias("_context"))
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


def _quantity_terms(quantities: pl.DataFrame) -> pl.DataFrame:
    """Per quantity: the unit class and the value interval used to group and to find conflicts."""
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
        pl.when(ranged).then(low).when(qualifier == "approximate").then(value * (1 - _APPROX))
        .when(qualifier == "at_most").then(value * (1 - _APPROX)).otherwise(value).alias("_low"),
        pl.when(ranged).then(high).when(qualifier.is_in(["approximate", "at_least"])).then(value * (1 + _APPROX))
        .otherwise(value).alias("_high"),
        pl.when(ranged).then(low).when(qualifier == "approximate").then(value * (1 - 2 * _APPROX))
        .when(qualifier == "at_most").then(float("-inf")).otherwise(value).alias("_min"),
        pl.when(ranged).then(high).when(qualifier == "approximate").then(value * (1 + 2 * _APPROX))
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
    for number, name in reversed(list(enumerate(_MONTHS, 1))):
        named = pl.when(text.str.contains(rf"\b{name}")).then(pl.lit(number, dtype=pl.Int8)).otherwise(named)
    month = (
        pl.when(granularity.is_in(["day", "month"]) & value.is_not_null()).then(value.dt.month().cast(pl.Int8))
        .when(granularity.is_in(["day", "month"])).then(
            pl.when(text.str.contains(r"\bend of (?:the |this |next |last )?year\b")).then(pl.lit(12, dtype=pl.Int8)).otherwise(named))
    )
    return dates.select("date_id", value.alias("_from"), last.alias("_to"), month.alias("_month"), pl.col("start").alias("_dstart"))


# --- Grouping --------------------------------------------------------------------------------
# Words that only say what is counted; two counts sharing nothing else share no context.
_COUNTED_WORDS = frozenset(set(_UNITS) | _PEOPLE | {"troop", "kill", "number"})


def _windows(claims: pl.DataFrame) -> pl.DataFrame:
    """Adds the time windows used to group (_gfrom, _gto) and to find conflicts (_cfrom, _cto):
    the claim's own date, else a window around its article's publication, else null (unknown)."""
    # An undated article's time is its story's (the latest publication date in it): "at the end of
    # the year" in an undated report of a July 2021 story is then not 2011.
    published = pl.coalesce("_published", pl.col("_published").max().over("_story"))
    # "around 2,500 since late last year": from then until the article's time.
    since = pl.col("text").str.slice(0, pl.max_horizontal(pl.col("_dstart") - pl.col("start"), 0)).str.contains(r"\bsince\s*$")
    # A count describes a state that lasts: "around 2,500 since late last year" and "2,500 as of the
    # end of 2021" can group; events need their own times to overlap.
    slack = pl.when(pl.col("kind") == "quantity").then(pl.duration(days=_COUNT_SLACK_DAYS)).otherwise(pl.duration(days=0))
    claims = claims.with_columns(pl.when(since & published.is_not_null()).then(pl.max_horizontal("_to", published))
                                 .otherwise(pl.col("_to")).alias("_to"))
    return claims.with_columns(
        pl.coalesce(pl.col("_from") - slack, published - pl.duration(days=_UNDATED_GROUP_DAYS)).alias("_gfrom"),
        pl.coalesce(pl.col("_to") + slack, published + pl.duration(days=_UNDATED_GROUP_DAYS)).alias("_gto"),
        pl.coalesce("_from", published - pl.duration(days=_UNDATED_CONFLICT_DAYS)).alias("_cfrom"),
        pl.coalesce("_to", published + pl.duration(days=_UNDATED_CONFLICT_DAYS)).alias("_cto"),
    )


def _overlap(a_from: int | None, a_to: int | None, b_from: int | None, b_to: int | None) -> bool:
    """Overlapping intervals, or either unknown."""
    return a_from is None or b_from is None or (a_from <= b_to and b_from <= a_to)


def _units_agree(a: str | None, b: str | None) -> bool:
    return a is not None and (a == b or (a == "people" and b in _PEOPLE) or (b == "people" and a in _PEOPLE))


def _prepared(row: dict) -> dict:
    """The row with the sets grouping compares, built once."""
    row["_words"] = frozenset(row["_words"].split()) - _FRAMING
    row["_actions"] = frozenset(row["_actions"].split())
    row["_places"] = frozenset(filter(None, row["_places"].split("|")))
    row["_context"] = frozenset(filter(None, (row["_context"] or "").split("|")))
    row["_persons"] = frozenset(filter(None, row["_persons"].split("|")))
    row["_subjects"] = frozenset(row["subject_entity_ids"])
    row["_class"] = _SYNONYMS.get(row["predicate"], row["predicate"])
    # The quantity's own words ("five miles") say what is counted, not what it is about.
    row["_counted"] = content_words(row["object"]) if row["kind"] == "quantity" else frozenset()
    return row


def _quantity_places(row: dict) -> frozenset[str]:
    """A count's places: its clause's, else its article's ("the soldiers in the Asian country")."""
    return row["_places"] or row["_context"]


def _places_agree(a: dict, b: dict) -> bool:
    """Places that can describe one thing: one claim's places are all named by the other claim
    or its article. "Iraq" and "United States, Iraq" can; "Canada, Kenya" and "Canada,
    Lithuania" cannot. Else each claim's article must name the other's places too: "US
    soldiers in the country" can join "troops in Iraq" when both articles are about both."""
    own_a, own_b = a["_places"], b["_places"]
    if own_a <= own_b or own_b <= own_a:
        return True
    both = own_a | own_b
    return both <= own_a | a["_context"] and both <= own_b | b["_context"]


def _coexist(a: dict, b: dict) -> bool:
    """The cheap half of `_compatible`: times, polarity, and for counts unit and value, agree."""
    if not _overlap(a["_gfrom"], a["_gto"], b["_gfrom"], b["_gto"]) or a["_negated"] != b["_negated"]:
        return False
    if (a["_from"] is None or b["_from"] is None) and None not in (a["_month"], b["_month"]) and a["_month"] != b["_month"]:
        return False
    return a["kind"] != "quantity" or (
        _units_agree(a["_unit"], b["_unit"]) and a["_low"] is not None and b["_low"] is not None
        and a["_low"] <= b["_high"] and b["_low"] <= a["_high"])


def _compatible(a: dict, b: dict) -> bool:
    """Nothing keeps the two claims apart: times, places, speaker, unit and value all agree."""
    if not _coexist(a, b):
        return False
    if a["kind"] == "quantity":
        return _places_agree(a, b)
    # Unattributed words ("one resident told ...") are nobody's in particular.
    if a["kind"] == "statement" and (a["speaker_entity_id"] is None or a["speaker_entity_id"] != b["speaker_entity_id"]):
        return False
    # Different people doing the same thing are different events: "Parker spoke with ..." vs "Patel spoke with ...".
    # (Within a story, the people named around one action are its actor, its object or its
    # reporter: "Reid checked in, her rep Ketsoyan said" and "Reid entered rehab" are one event.)
    if a["kind"] == "event" and a["_persons"] and b["_persons"] and not a["_persons"] & b["_persons"] and not _same_story(a, b):
        return False
    return _places_agree(a, b)


def _same_story(a: dict, b: dict) -> bool:
    return a["_story"] is not None and a["_story"] == b["_story"]


def _support(a: dict, b: dict) -> float:
    """How much says the two claims assert the same thing (0: nothing does); compatibility apart."""
    words_a, words_b = a["_words"], b["_words"]
    shared = words_a & words_b
    if a["kind"] == "event" and _same_story(a, b) and a["_main"] and a["_main"] == b["_main"] and (
            a["_main"] not in _LIGHT or shared - {a["_main"]}):
        # One story, one action (the same verb or a synonym; a framing verb such as "decide" with
        # a shared word): the same event unless its arguments disagree, which `_compatible`
        # checks. Matches on most of the wording (below) weigh more.
        return 0.5 + len(shared) / max(1, min(len(words_a), len(words_b)))
    same_subject = bool(a["_subjects"] & b["_subjects"])
    if a["kind"] == "quantity":
        if not (same_subject or _quantity_places(a) & _quantity_places(b)):
            return 0.0
        # Shares, sums and distances ("20% of the vote", "US$1 million") are about someone in particular.
        if not same_subject and a["_unit"] not in _PEOPLE and a["_unit"] not in ("military", "death"):
            return 0.0
        context = {w for w in shared - _COUNTED_WORDS - a["_counted"] - b["_counted"] if not w[0].isdigit()}
        if min(abs(a["_low"]), abs(b["_low"])) < _DISTINCT_VALUE and not context:
            return 0.0
        return 1.0 + len(context) / (1 + min(len(words_a), len(words_b)))
    overlap = len(shared) / max(1, min(len(words_a), len(words_b)))
    if len(shared) < MIN_SHARED_WORDS:
        return 0.0
    if a["kind"] == "statement" and overlap >= (MIN_OVERLAP if _same_story(a, b) else MIN_WORD_OVERLAP):
        # One speaker in one story: less of the wording need be the same.
        return overlap
    actions = a["_actions"] & b["_actions"]
    if not actions or (a["_main"] and a["_main"] not in actions) or (b["_main"] and b["_main"] not in actions):
        return 0.0
    if not (same_subject or a["_places"] & b["_places"]):
        return 0.0
    # A verb outside the action classes ("tweeted", "served") needs the rest of the wording too.
    if overlap < (MIN_OVERLAP if actions & _ACTIONS else MIN_WORD_OVERLAP):
        return 0.0
    # Between groups, prefer the one doing the same things: "will train" joins "will continue to
    # train" before "agreed in April to train".
    return overlap * (1 + len(actions) / len(a["_actions"] | b["_actions"]))


def _block_keys(claims: pl.DataFrame) -> pl.DataFrame:
    """(_i, _key): keys under which a claim's possible matches are found; claims sharing none never
    group. Counts: unit class, log-scale value bucket (factor 1.25, with the neighbours, so values
    within 20 % share one) and a subject, or for people a place too (_support needs one in common);
    no keys for counts of one or less ("one thing" asserts no number worth matching). Events: an
    action and a place (else a subject). Statements: the speaker and a word."""
    low, high = pl.col("_low"), pl.col("_high")
    first = low.log(1.25).floor().cast(pl.Int64)
    last = pl.min_horizontal(pl.max_horizontal(high, low).log(1.25).floor().cast(pl.Int64), first + 8)
    block = pl.when(pl.col("_unit").is_in(list(_PEOPLE))).then(pl.lit("people")).otherwise(pl.col("_unit"))
    places = pl.when(pl.col("_places") != "").then(pl.col("_places")).otherwise(pl.col("_context"))
    quantity = (
        claims.filter((pl.col("kind") == "quantity") & pl.col("_unit").is_not_null() & (low > 1) & low.is_finite() & high.is_finite())
        .select(
            "_i", block.alias("_block"), pl.int_ranges(first - 1, last + 2).alias("_bucket"),
            pl.concat_list(
                pl.col("subject_entity_ids"),
                pl.when(block.is_in(["people", "military", "death"]))
                .then(places.fill_null("").str.split("|").list.eval(pl.lit("P:") + pl.element().filter(pl.element() != "")))
                .otherwise(pl.lit([], dtype=pl.List(pl.Utf8))),
            ).alias("_anchor"),
        )
        .explode("_bucket").explode("_anchor").drop_nulls("_anchor")
        .select("_i", pl.concat_str(pl.lit("q"), "_block", pl.col("_bucket").cast(pl.Utf8), "_anchor", separator="\x1f").alias("_key"))
    )
    event = (
        claims.filter((pl.col("kind") == "event") & (pl.col("_actions") != ""))
        .select(
            "_i", pl.col("_actions").str.split(" ").alias("_action"),
            pl.when(pl.col("_places") != "").then(pl.col("_places").str.split("|"))
            .otherwise(pl.col("subject_entity_ids").list.eval(pl.lit("E:") + pl.element())).alias("_anchor"),
        )
        .explode("_action").explode("_anchor").drop_nulls("_anchor")
        .select("_i", pl.concat_str(pl.lit("e"), "_action", "_anchor", separator="\x1f").alias("_key"))
    )
    in_story = (
        claims.filter((pl.col("kind") == "event") & pl.col("_story").is_not_null())
        .select("_i", pl.concat_str(pl.lit("t"), "_story", pl.col("predicate").replace(_SYNONYMS), separator="\x1f").alias("_key"))
    )
    statement = (
        claims.filter((pl.col("kind") == "statement") & pl.col("speaker_entity_id").is_not_null())
        .select("_i", "speaker_entity_id", pl.col("_words").str.split(" ").alias("_word"))
        .explode("_word").filter(pl.col("_word").is_not_null() & (pl.col("_word") != "") & ~pl.col("_word").is_in(list(_FRAMING)))
        .select("_i", pl.concat_str(pl.lit("s"), "speaker_entity_id", "_word", separator="\x1f").alias("_key"))
    )
    return pl.concat([quantity, event, in_story, statement]).unique()


def _anchors(ordered: pl.DataFrame) -> list[int]:
    """Per claim (by position in `ordered`), the position of its group's founder.

    Claims, in order, join the group they are best supported by, provided they are compatible with
    every member (so a chain of loose pairs cannot merge claims that disagree); else they found a
    group. Candidate founders come from blocks, the latest _MAX_BLOCK per key; only keys that two
    claims share are kept, so claims with no possible match cost no Python work at all."""
    keys = _block_keys(ordered).filter(pl.len().over("_key") > 1)
    per_claim = keys.group_by("_i").agg("_key").sort("_i")
    active = per_claim["_i"].to_list()
    # Only what the comparisons read; dates as day numbers, which convert and compare faster.
    needed = ordered[active].select(
        "kind", "speaker_entity_id", "subject_entity_ids", "object", "predicate", "_words", "_actions", "_main", "_negated", "_places",
        "_context", "_persons", "_story", "_unit", "_low", "_high", "_month", pl.col("_from", "_gfrom", "_gto").cast(pl.Int32))
    found = dict(zip(active, map(_prepared, needed.to_dicts())))
    anchor = list(range(ordered.height))
    members: dict[int, list[int]] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, row_keys in zip(active, per_claim["_key"].to_list()):
        row = found[i]
        scores: dict[int, float] = {}
        for j in sorted({j for key in row_keys for j in blocks.get(key, ())[-_MAX_BLOCK:]}):
            # A founder the claim cannot coexist with is never joined: skip weighing its support.
            score = _coexist(row, found[j]) and _support(row, found[j])
            if score:
                scores[j] = score
        for founder, _ in sorted(scores.items(), key=lambda fs: (-fs[1], fs[0])):
            # In one story, an event is checked against the group's founder only: its members are
            # reports of one event whose wording (places named, people quoted) varies.
            checked = members[founder][:1] if _same_story(row, found[founder]) and row["kind"] == "event" else members[founder][:_MAX_BLOCK]
            if all(_compatible(row, found[m]) for m in checked):
                anchor[i] = founder
                members[founder].append(i)
                break
        else:
            members[i] = [i]
            for key in row_keys:
                blocks[key].append(i)
    return anchor


def _conflicts(ordered: pl.DataFrame) -> pl.DataFrame:
    """(group_id, conflicts_with, conflict): the quantity groups each group disagrees with, and
    what differs ("value: 30 vs 45"). Two claims conflict only when they are about the same thing
    at the same place and time and their values cannot both hold: the same story (when stories
    are known), unit and places, the same entities named (who or what the number is about: the
    "two boats" of INS Mysore are not the "three boats" of INS Sukanya); one number in each clause,
    a total rather than a rate or a change (`_NOT_A_TOTAL`); unless the unit names who is counted
    (troops, the dead, people), at least `MIN_CONFLICT_CONTEXT` of the smaller claim's other words
    in common (what is measured: "37% of the pollution that reaches Ohio" is not "57 percent of
    the public"); the same time (known and overlapping, or unknown in
    both). Groups sharing an article are skipped: an article giving two values ("2,500 now, up
    from 170,000") describes a change, not a dispute. The first _MAX_CONFLICT_BLOCK claims of a
    story, unit and places are compared."""
    places = pl.when(pl.col("_places") != "").then(pl.col("_places")).otherwise(pl.col("_context"))
    quantity = ordered.filter(pl.col("kind") == "quantity")
    counts = (
        quantity.filter(pl.col("_unit").is_not_null() & pl.col("_min").is_not_null() & (pl.col("subject_entity_ids").list.len() > 0)
                        # One number in its clause ("12 of the state's 41 delegates" is two things), and
                        # a total, not a rate or a change ("1,000 deaths per day", "32,000 more deaths").
                        & (pl.len().over("sentence_id", "start", "end") == 1) & ~pl.col("text").str.contains(_NOT_A_TOTAL))
        .select("_i", "group_id", "_unit", places.alias("_where"), pl.col("_story").fill_null(""),
                pl.col("subject_entity_ids").list.join("|").alias("_about"), "_min", "_max", "_cfrom", "_cto",
                pl.col("_cfrom").is_null().alias("_undated"), "object",
                pl.col("_words").str.split(" ").list.set_difference(list(_COUNTED_WORDS))
                .list.eval(pl.element().filter(~pl.element().str.contains(r"^\d"))).alias("_measured"))
        .filter(pl.col("_where").is_not_null() & (pl.col("_where") != ""))
        .sort("_i").filter(pl.int_range(pl.len()).over("_story", "_unit", "_where") < _MAX_CONFLICT_BLOCK)
    )
    # Undated claims meet only undated ones; dated ones must overlap.
    same_time = pl.col("_undated") | ((pl.col("_cfrom") <= pl.col("_cto_b")) & (pl.col("_cfrom_b") <= pl.col("_cto")))
    shared = pl.col("_measured").list.set_intersection("_measured_b").list.len()
    smaller = pl.min_horizontal(pl.col("_measured").list.len(), pl.col("_measured_b").list.len())
    pairs = (
        counts.join(counts, on=["_story", "_unit", "_where", "_about", "_undated"], suffix="_b")
        .filter(pl.col("_i") < pl.col("_i_b"), pl.col("group_id") != pl.col("group_id_b"), same_time,
                (pl.col("_max") < pl.col("_min_b")) | (pl.col("_max_b") < pl.col("_min")),
                pl.col("_unit").is_in(list(_PEOPLE | {"military", "death"})) | (shared >= MIN_CONFLICT_CONTEXT * pl.max_horizontal(smaller, 1)))
        .select("group_id", "group_id_b", "object", "object_b")
    )
    articles = ordered.select("group_id", "article_id").unique()
    sharing = pairs.join(articles, on="group_id").join(
        articles.rename({"group_id": "group_id_b"}), on=["group_id_b", "article_id"], how="semi")
    pairs = pairs.join(sharing, on=["group_id", "group_id_b"], how="anti")
    both_ways = pl.concat([pairs, pairs.select(pl.col("group_id_b").alias("group_id"), pl.col("group_id").alias("group_id_b"),
                                               pl.col("object_b").alias("object"), pl.col("object").alias("object_b"))])
    return (
        both_ways.with_columns(pl.concat_str(pl.lit("value: "), "object", pl.lit(" vs "), "object_b").alias("conflict"))
        .group_by("group_id").agg(pl.col("group_id_b").unique().sort().alias("conflicts_with"),
                                  pl.col("conflict").unique().sort().head(_MAX_CONFLICT_NAMES).str.join("; "))
    )


def grouped_claims(claims: pl.DataFrame, stories: pl.DataFrame | None = None) -> pl.DataFrame:
    """All shards' claims with group_id, n_sources and conflicts_with; working columns dropped.

    `stories` (article_id, story_id; `dedup.story_ids`) lets event claims of one story group on
    their action alone. Deterministic and independent of row order and sharding; sorted by
    article_id, start, end, claim_id.
    """
    if stories is None:
        claims = claims.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_story"))
    else:
        claims = claims.join(stories.select("article_id", pl.col("story_id").alias("_story")), on="article_id", how="left")
    # Dated claims found groups first, so that an undated claim cannot tie together claims
    # about different years by coming first.
    ordered = _windows(claims).sort(pl.col("_from").is_null(), "article_id", "start", "end", "kind", "claim_id").with_row_index("_i")
    founder = ordered["claim_id"].gather(_anchors(ordered))
    group_of = {c: stable_id("claim-group", c) for c in founder.unique().to_list()}
    ordered = ordered.with_columns(founder.replace_strict(group_of, return_dtype=pl.Utf8).alias("group_id"))
    grouped = ordered.join(_conflicts(ordered), on="group_id", how="left").with_columns(
        pl.col("conflicts_with").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
        pl.col("article_id").n_unique().over("group_id").cast(pl.Int32).alias("n_sources"),
    )
    return grouped.select(COLUMNS).sort("article_id", "start", "end", "claim_id")


def claim_records(claims: pl.DataFrame) -> dict[str, list[dict]]:
    """Per article_id, its grouped claims as dicts of every column but article_id, by offset."""
    records: dict[str, list[dict]] = defaultdict(list)
    for row in claims.select(COLUMNS).sort("article_id", "start", "end", "claim_id").iter_rows(named=True):
        records[row.pop("article_id")].append(row)
    return dict(records)
