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
  The events and numbers inside the reported words are claims too, carrying the speaker.

Not claims: questions ("What do we need?"); clauses with no named actor and no number ("It will
not be, even so, a placid transition."); states described with "to be" and no number ("Iraq is
far from being a stable ally"); durations ("after 18 years"), which are times, not counts; and
titles and boilerplate, which never reach the article text. A claim is what a source asserts,
not what is true: "the announcement marks the end of World War II" (a translation error) is an
event claim, and its group shows that only one source makes it.

Grouping: claims of one kind that assert the same thing in any articles share a `group_id`, and
`n_sources` counts the group's distinct articles. Quantity claims agree when their units match
(troops and soldiers are one unit; "people" matches any count of people), their values agree
(2,500 and "around 2,500" do; 2,500 and 3,000 do not), their times overlap or one is unknown, and
they name a common entity. Event and statement claims agree when their times agree and their
words (entities, verb class, content words with synonyms folded: "end", "complete", "closure")
overlap by 60 % of the smaller claim, with a common entity (events) or the same speaker
(statements). Each claim joins the group of the earliest matching group founder (claims are
visited by article_id and offset), so a chain of loose pairs cannot merge two claims that do
not match. Candidates come from blocking (unit and value bucket) and MinHash/LSH (words), so
grouping is near-linear. `conflicts_with` lists quantity groups with the same unit and the same
entities whose values cannot both hold, at the same known time or with no time stated in either.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import polars as pl

from pipeline.dedup import candidate_pairs, content_words, estimated_jaccard, minhash_signatures
from pipeline.ids import stable_id

KINDS = ("quantity", "event", "statement")
COLUMNS = (
    "claim_id", "article_id", "sentence_id", "kind", "text", "start", "end", "subject_entity_ids", "predicate",
    "object", "quantity_id", "date_id", "speaker_entity_id", "group_id", "n_sources", "conflicts_with",
)
MIN_OVERLAP = 0.6
MIN_SHARED_WORDS = 3

_SCHEMA = {
    "claim_id": pl.Utf8, "article_id": pl.Utf8, "sentence_id": pl.Utf8, "kind": pl.Utf8, "text": pl.Utf8,
    "start": pl.Int32, "end": pl.Int32, "subject_entity_ids": pl.List(pl.Utf8), "predicate": pl.Utf8,
    "object": pl.Utf8, "quantity_id": pl.Utf8, "date_id": pl.Utf8, "speaker_entity_id": pl.Utf8,
    "_words": pl.List(pl.Utf8),
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
_REPORT_RE = re.compile(r"\b(?:[Aa]ccording to|[Ii]n h(?:is|er) own words|" + "|".join(sorted(map(re.escape, _REPORTING), key=len, reverse=True)) + r")\b")
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
# Verbs that only report words or state a condition never make an event.
_UNASSERTED = {"hope", "believe"}
_NOT_EVENTS = {lemma for lemma, needs_that in _REPORTING.values() if not needs_that} | {"be", "have"}

# --- Words folded together for grouping ------------------------------------------------------
_SYNONYMS = {
    **dict.fromkeys("end ended ending complete completed conclude concluded finish finished close closed closure terminate terminated over".split(), "end"),
    **dict.fromkeys("troop soldier force serviceman servicemen personnel".split(), "troop"),
    **dict.fromkeys("withdraw withdrew withdrawn withdrawal leave left pull pullout exit depart departure".split(), "withdraw"),
    **dict.fromkeys("kill killed killing dead death die died fatality".split(), "kill"),
    **dict.fromkeys("attack bomb bombing strike struck assault".split(), "attack"),
    **dict.fromkeys("agree agreed agreement deal accord sign signed".split(), "agree"),
    **dict.fromkeys("mission operation".split(), "mission"),
    **dict.fromkeys("advise advising advisory adviser".split(), "advise"),
    **dict.fromkeys("train training trainer".split(), "train"),
    **dict.fromkeys("assist assistance support help".split(), "assist"),
    **dict.fromkeys("announce announced announcement".split(), "announce"),
    **dict.fromkeys("invade invasion".split(), "invade"),
    **dict.fromkeys("deploy deployment".split(), "deploy"),
    **dict.fromkeys("elect election".split(), "elect"),
}
# Titles around names say who, not what: "former President George W. Bush" in two claims about
# different events must not count as shared words.
_TITLE_WORDS = set("president former prime minister then-president secretary spokeswoman spokesman chief leader "
                   "general official king queen premier chancellor".split())
# Counted nouns folded into one unit; "people" matches any unit in _PEOPLE.
_UNITS = {
    **dict.fromkeys("troop soldier force serviceman servicemen personnel marine".split(), "troop"),
    **dict.fromkeys("dead death fatality casualty victim life killed".split(), "death"),
    **dict.fromkeys("people person individual".split(), "people"),
}
_PEOPLE = {"troop", "death", "people", "protester", "civilian", "refugee", "worker", "student", "fighter",
           "militant", "child", "woman", "man", "resident", "prisoner", "migrant", "voter", "employee", "patient"}
_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century"}
_APPROX = 0.1
# Quantity group founders compared pairwise for conflicts per (unit, subjects) block, at most.
_MAX_CONFLICT_BLOCK = 500

# --- Clause scanning -------------------------------------------------------------------------
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|n't")
_CLAUSE_BREAK = re.compile(
    r";\s+|\s+[—–]\s+|\s+-\s+|,\s+(?=(?:but|although|though|while|whereas|which|who|when|after|because|since|"
    r"up from|down from|having|killing|leaving)\b)|\s+but\s+"
)
_TRIM = " \t\n,;:—–-"
_QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"'}
_OPENING = re.compile(
    r"\s*(?:as|after|before|following|speaking|ahead|in|on|at|by|with|since|during|prior|for|despite|although|though|if|"
    r"unless|because|when|while|earlier|previously|however|still|overall|last|this|today|yesterday)\b[^,;]{0,60},\s*",
    re.IGNORECASE,
)
# The main verb is looked for among a clause's first words only; later ones are rarely it.
_MAX_PREDICATE_WORDS = 40
_REFERRING = {"the", "these", "those", "both", "all", "its", "their", "his", "her", "our"}
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
    first = re.search(r"[“«\"”»]", text)
    i = 0
    if first and (first.group() in "”»" or (first.group() == '"' and text.count('"') % 2 and text[first.start() - 1:first.start()] in ",.!?")):
        spans.append((0, first.start()))
        i = first.end()
    while (match := re.compile(r"[“«\"]").search(text, i)) is not None:
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
    """Verb lemma of a known verb form, or of an unknown "-ed" form; else None."""
    lemma = _VERB_FORMS.get(word)
    if lemma is not None:
        return lemma
    if len(word) > 4 and word.endswith("ed"):
        stem = word[:-2]
        return stem + "e" if stem[-1] in "cvzug" else stem
    return None


def _predicate(text: str, start: int, end: int, masked: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    """(lemma, start, end) of the clause's main verb; lemma "be" for a copula. Names are masked.

    A short opening phrase ("As planned, ...", "Following the defeat, ...") is skipped.
    """
    opening = _OPENING.match(text, start, end)
    if opening:
        start = opening.end()
    masked = sorted(masked)
    words: list[tuple[str, int, int]] = []
    cursor = 0
    for m in _WORD_RE.finditer(text, start, end):
        while cursor < len(masked) and masked[cursor][1] <= m.start():
            cursor += 1
        if cursor < len(masked) and masked[cursor][0] <= m.start():
            continue
        words.append((m.group().lower(), m.start(), m.end()))
        if len(words) >= _MAX_PREDICATE_WORDS:
            break
    previous = ""
    for k, (word, w_start, w_end) in enumerate(words):
        if _plural_noun(text, words, k):
            previous = word
            continue
        if word in _AUX_BE or word in _AUX_HAVE or word in _MODALS:
            n = k + 1
            while n < len(words) and words[n][0] in _SKIPPABLE:
                n += 1
            if n < len(words) and words[n][0] in _AUX_BE:
                n += 1
                while n < len(words) and words[n][0] in _SKIPPABLE:
                    n += 1
                word = "be"
            following = words[n] if n < len(words) else None
            lemma = _lemma(following[0]) if following else None
            if lemma is not None and lemma not in _AUX_BE:
                return lemma, following[1], following[2]
            if word in _AUX_BE or word == "be":
                return "be", w_start, w_end
            if word in _AUX_HAVE:
                return "have", w_start, w_end
        elif previous not in _DETERMINERS and not word.endswith("ing") and (
            (word in _VERB_FORMS and word != _VERB_FORMS[word]) or (len(word) > 4 and word.endswith("ed"))
        ):
            return _lemma(word), w_start, w_end
        previous = word
    return None


def _plural_noun(text: str, words: list[tuple[str, int, int]], k: int) -> bool:
    """An "-s" word that reads as a plural noun: after a capitalised word ("Iraqi forces") or
    before a verb ("foreign forces invaded", "troops will")."""
    word = words[k][0]
    if not word.endswith("s") or _VERB_FORMS.get(word, word) == word:
        return False
    before = text[:words[k][1]].rstrip()
    if before and before.split()[-1][:1].isupper():
        return True
    following = words[k + 1][0] if k + 1 < len(words) else ""
    return following in _MODALS or following in _AUX_BE or following in _AUX_HAVE or (
        following in _VERB_FORMS and following != _VERB_FORMS[following] and not following.endswith(("s", "ing"))
    ) or following.endswith("ed")


# --- Frames to per-sentence lookups ----------------------------------------------------------
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
    words = set()
    for word in content_words(" ".join(pieces)):
        if word in _TITLE_WORDS:
            continue
        word = _VERB_FORMS.get(word, word)
        words.add(_SYNONYMS.get(word, word))
    return words


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
        before = text[:match.start()].split()
        if before and before[-1].lower() in _DETERMINERS:
            continue
        phrase = match.group().lower()
        lemma, needs_that = _REPORTING[phrase]
        if needs_that and not quotes and not re.match(r"\s+(?:\w+\s+){0,3}?that\b", text[match.end():]):
            continue
        speaker, index = _speaker(text, match.start(), match.end(), phrase, mentions, last_person)
        negated = bool(re.search(r"\b(?:not|never)\s+(?:\w+\s+)?$|n't\s+$", text[:match.start()]))
        return _Attribution(lemma, match.start(), match.end(), phrase, speaker, index, negated)
    return None


def _speaker(text: str, v_start: int, v_end: int, phrase: str, mentions: list[tuple],
             last_person: str | None) -> tuple[str | None, int | None]:
    """(entity_id, index into mentions) of who is reported; "he"/"she"/"his" is the last person named."""
    if phrase == "according to":
        for index, mention in enumerate(mentions):
            if mention[0] >= v_end and re.fullmatch(r"\s+(?:the\s+)?", text[v_end:mention[0]]):
                return mention[2], index
        return None, None
    if phrase.startswith("in h"):
        return last_person, None
    if re.search(r"[,”\"»]\s*$", text[:v_start]):
        for index, mention in enumerate(mentions):
            if 0 <= mention[0] - v_end <= 3:
                return mention[2], index
    for index in range(len(mentions) - 1, -1, -1):
        m_start, m_end = mentions[index][0], mentions[index][1]
        if m_end > v_start:
            continue
        gap = re.findall(r"[A-Za-z']+|[^\sA-Za-z',]", text[m_end:v_start])
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
    that = re.compile(r"\bthat\b").search(text, after, after + 120)
    if that and text[after:that.start()].count(",") == 0:
        after = that.end()
    if len(text[after:].split()) >= 2:
        return [_trimmed(text, after, len(text))]
    end = mentions[said.speaker_index][0] if said.speaker_index is not None and mentions[said.speaker_index][0] < said.start else said.start
    return [_trimmed(text, 0, end)]


def _sentence_claims(sentence: tuple, mentions: list[tuple], quantities: list[tuple], dates: list[tuple],
                     state: _Article) -> list[dict]:
    """Claims of one sentence; positions in mentions/quantities/dates are absolute offsets."""
    sentence_id, base, text = sentence
    if text.rstrip().rstrip("”\"»’').").endswith("?"):
        return []
    local = [(m[0] - base, m[1] - base, *m[2:]) for m in mentions]
    quotes = _quote_spans(text)
    said = _attribution(text, quotes, local, state.last_person)
    found: list[dict] = []
    speaker = None
    regions = [(0, len(text))]
    if said is not None:
        speaker = said.speaker
        content = [r for r in _content(text, said, local, quotes) if r[1] > r[0]]
        start, end = _trimmed(text, 0, len(text))
        masked = [(m[0], m[1]) for m in mentions] + [(d[0], d[1]) for d in dates]
        subjects = sorted({m[2] for i, m in enumerate(local) if i != said.speaker_index and _inside(m[0], content)})
        words = {w for s, e in content for w in _words_of(text, base, s, e, masked)}
        found.append(_claim(sentence_id, base, text, "statement", start, end, subjects, said.lemma,
                            " … ".join(text[s:e] for s, e in content), None,
                            _nearest(dates, base + start, base + end, base + said.start),
                            speaker, words | {"E:" + e for e in subjects} | ({"S:" + speaker} if speaker else set())))
        # Denied, hoped-for or believed words are not asserted: no claims inside them.
        regions = [] if said.negated or said.lemma in _UNASSERTED else content
        # "..., said X, who took office in May 2020": the writer's own words after the speaker.
        if said.speaker_index is not None and local[said.speaker_index][0] > said.end:
            regions.append((local[said.speaker_index][1], len(text)))
    for r_start, r_end in regions:
        for c_start, c_end in _clauses(text, r_start, r_end):
            found.extend(_clause_claims(sentence_id, base, text, c_start, c_end, local, quantities, dates,
                                        speaker if _inside(c_start, regions[:1]) or said is None else None))
    for m in local:
        if m[3] == "PERSON":
            state.last_person = m[2]
    return found


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


def _clause_claims(sentence_id: str, base: int, text: str, start: int, end: int, mentions: list[tuple],
                   quantities: list[tuple], dates: list[tuple], speaker: str | None) -> list[dict]:
    if text[start:end].rstrip("”\"»’').").endswith("?"):
        return []
    inside = [m for m in mentions if m[0] >= start and m[1] <= end]
    masked = [(m[0], m[1]) for m in inside]
    subjects = sorted({m[2] for m in inside})
    predicate = _predicate(text, start, end, masked)
    lemma = predicate[0] if predicate else "be"
    found = []
    counted = [q for q in quantities if q[0] >= base + start and q[1] <= base + end and _counted(text, base, q)]
    for q_start, q_end, quantity_id, _unit in counted:
        found.append(_claim(sentence_id, base, text, "quantity", start, end, subjects, lemma, text[q_start - base:q_end - base],
                            quantity_id, _nearest(dates, base + start, base + end, q_start), speaker, set()))
    if predicate and subjects and lemma not in _NOT_EVENTS:
        absolute = [(m[0] + base, m[1] + base) for m in inside]
        date_spans = [(d[0], d[1]) for d in dates]
        quantity_spans = [(q[0], q[1]) for q in quantities]
        words = _words_of(text, base, predicate[1], end, absolute + date_spans + quantity_spans)
        words |= {"E:" + e for e in subjects} | {"P:" + _SYNONYMS.get(lemma, lemma)}
        obj = text[slice(*_trimmed(text, predicate[2], end))]
        found.append(_claim(sentence_id, base, text, "event", start, end, subjects, lemma, obj, None,
                            _nearest(dates, base + start, base + end, base + predicate[1]), speaker, words))
    return found


def _claim(sentence_id: str, base: int, text: str, kind: str, start: int, end: int, subjects: list[str], predicate: str,
           obj: str, quantity_id: str | None, date_id: str | None, speaker: str | None, words: set[str]) -> dict:
    return {
        "sentence_id": sentence_id, "kind": kind, "text": text[start:end], "start": base + start, "end": base + end,
        "subject_entity_ids": subjects, "predicate": predicate, "object": obj, "quantity_id": quantity_id,
        "date_id": date_id, "speaker_entity_id": speaker, "_words": sorted(words),
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
    rows: list[dict] = []
    state = _Article("")
    ordered = sentences.sort("article_id", "position").select("article_id", "sentence_id", "start", "text")
    for article_id, sentence_id, start, text in ordered.iter_rows():
        if article_id != state.article_id:
            state = _Article(article_id)
        for row in _sentence_claims((sentence_id, start, text), by_mention.get(sentence_id, []),
                                    by_quantity.get(sentence_id, []), by_date.get(sentence_id, []), state):
            row["article_id"] = article_id
            row["claim_id"] = stable_id(article_id, row["kind"], row["start"], row["end"], row["quantity_id"])
            rows.append(tuple(row[c] for c in _SCHEMA))
    frame = pl.DataFrame(rows, schema=_SCHEMA, orient="row")
    frame = frame.join(_quantity_terms(quantities), on="quantity_id", how="left").join(_date_terms(dates), on="date_id", how="left")
    return frame.select(*COLUMNS[:13], pl.col("^_.*$")).sort("article_id", "start", "end", "claim_id")


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
    return dates.select("date_id", value.alias("_from"), last.alias("_to"))


# --- Grouping --------------------------------------------------------------------------------
def _times_agree(a: dict, b: dict) -> bool:
    """Overlapping intervals, or either time unknown."""
    if a["_from"] is None or b["_from"] is None:
        return True
    return a["_from"] <= b["_to"] and b["_from"] <= a["_to"]


def _units_agree(a: str | None, b: str | None) -> bool:
    return a == b or (a == "people" and b in _PEOPLE) or (b == "people" and a in _PEOPLE)


def _unit_block(unit: str | None) -> str:
    return "people" if unit in _PEOPLE else str(unit)


def _value_buckets(low: float, high: float) -> range:
    """Log-scale buckets (factor 1.25) an interval spans; values within 20 % share or touch one."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)) or low <= 0:
        return range(0)
    first, last = math.floor(math.log(low, 1.25)), math.floor(math.log(max(high, low), 1.25))
    return range(first, min(last, first + 8) + 1)


def _quantity_anchors(rows: list[dict], anchor: list[int], indices: list[int]) -> None:
    """Leader clustering of quantity claims, blocked by unit and value bucket."""
    founders: dict[tuple, list[int]] = defaultdict(list)
    for i in indices:
        row = rows[i]
        buckets = _value_buckets(row["_low"], row["_high"])
        block = _unit_block(row["_unit"])
        best, best_score = i, 0
        seen = set()
        for bucket in range(buckets.start - 1, buckets.stop + 1) if buckets else ():
            for a in founders.get((block, bucket), ()):
                if a in seen:
                    continue
                seen.add(a)
                other = rows[a]
                shared = len(set(row["subject_entity_ids"]) & set(other["subject_entity_ids"]))
                if (shared and _units_agree(row["_unit"], other["_unit"]) and row["_low"] <= other["_high"]
                        and other["_low"] <= row["_high"] and _times_agree(row, other)
                        and (shared, -a) > (best_score, -best)):
                    best, best_score = a, shared
        anchor[i] = best
        if best == i:
            for bucket in buckets:
                founders[(block, bucket)].append(i)


def _word_score(a: dict, b: dict) -> float:
    """Overlap of two claims' words (share of the smaller set), or 0 when they must not group."""
    words_a, words_b = set(a["_words"]), set(b["_words"])
    shared = words_a & words_b
    if len(shared) < MIN_SHARED_WORDS or not _times_agree(a, b):
        return 0.0
    if a["kind"] == "event" and not any(w.startswith("E:") for w in shared):
        return 0.0
    if a["kind"] == "statement" and a["speaker_entity_id"] != b["speaker_entity_id"]:
        return 0.0
    if all(w[:2] in ("E:", "S:", "P:") for w in shared):
        return 0.0
    overlap = len(shared) / min(len(words_a), len(words_b))
    return overlap if overlap >= MIN_OVERLAP else 0.0


def _word_anchors(rows: list[dict], anchor: list[int], indices: list[int]) -> None:
    """Leader clustering of event or statement claims; candidates from MinHash/LSH on their words."""
    if not indices:
        return
    signatures = minhash_signatures([rows[i]["_words"] for i in indices], num_perm=64)
    pairs = candidate_pairs(signatures, bands=32, rows=2)
    pairs = pairs[estimated_jaccard(signatures, pairs) >= 0.1]
    neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, j in pairs.tolist():
        score = _word_score(rows[indices[i]], rows[indices[j]])
        if score:
            neighbours[j].append((i, score))
    local_anchor = list(range(len(indices)))
    for j in range(len(indices)):
        options = [(-score, i) for i, score in neighbours.get(j, ()) if local_anchor[i] == i]
        if options:
            local_anchor[j] = min(options)[1]
        anchor[indices[j]] = indices[local_anchor[j]]


def _conflicts(rows: list[dict], anchor: list[int]) -> dict[int, list[int]]:
    """Quantity group founders whose values cannot both hold, per founder."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row["kind"] == "quantity" and anchor[i] == i and row["subject_entity_ids"] and row["_min"] is not None:
            blocks[(row["_unit"], tuple(row["subject_entity_ids"]))].append(i)
    found: dict[int, list[int]] = defaultdict(list)
    for members in blocks.values():
        for x, i in enumerate(members[:_MAX_CONFLICT_BLOCK]):
            for j in members[x + 1:_MAX_CONFLICT_BLOCK]:
                a, b = rows[i], rows[j]
                same_time = (a["_from"] is None and b["_from"] is None) or (
                    a["_from"] is not None and b["_from"] is not None and _times_agree(a, b))
                if same_time and (a["_max"] < b["_min"] or b["_max"] < a["_min"]):
                    found[i].append(j)
                    found[j].append(i)
    return found


def grouped_claims(claims: pl.DataFrame) -> pl.DataFrame:
    """All shards' claims with group_id, n_sources and conflicts_with; working columns dropped.

    Deterministic and independent of row order and sharding; sorted by article_id, start, end, claim_id.
    """
    ordered = claims.sort("article_id", "start", "end", "kind", "claim_id")
    rows = ordered.to_dicts()
    anchor = list(range(len(rows)))
    _quantity_anchors(rows, anchor, [i for i, r in enumerate(rows) if r["kind"] == "quantity"])
    for kind in ("event", "statement"):
        _word_anchors(rows, anchor, [i for i, r in enumerate(rows) if r["kind"] == kind])
    group_of = [stable_id("claim-group", rows[a]["claim_id"]) for a in anchor]
    conflicts = _conflicts(rows, anchor)
    conflict_groups = [sorted(group_of[c] for c in conflicts.get(a, ())) for a in anchor]
    grouped = ordered.select(*COLUMNS[:13]).with_columns(
        pl.Series("group_id", group_of, dtype=pl.Utf8),
        pl.Series("conflicts_with", conflict_groups, dtype=pl.List(pl.Utf8)),
    )
    grouped = grouped.with_columns(pl.col("article_id").n_unique().over("group_id").cast(pl.Int32).alias("n_sources"))
    return grouped.select(COLUMNS).sort("article_id", "start", "end", "claim_id")


def claim_records(claims: pl.DataFrame) -> dict[str, list[dict]]:
    """Per article_id, its grouped claims as dicts of every column but article_id, by offset."""
    records: dict[str, list[dict]] = defaultdict(list)
    for row in claims.select(COLUMNS).sort("article_id", "start", "end", "claim_id").iter_rows(named=True):
        records[row.pop("article_id")].append(row)
    return dict(records)
