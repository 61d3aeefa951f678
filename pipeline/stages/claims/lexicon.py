"""The word lists of claims, which extraction and grouping both read: reporting and news verbs and
their synonyms, verb forms, phrasal verbs, event nouns, counted nouns. Names with a leading
underscore belong to the claims package, not to the stage's interface."""

import re

from lemminflect import getAllLemmas

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
    count cross decide declare defeat defend deliver deny deploy describe destroy die discuss displace elect
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
    "kill": "murder slay",
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
    "overturn": "overturn rescind repeal reverse revoke",
    "damage": "damage destroy devastate wreck",
    "fire": "blaze inferno",
}
_SYNONYMS = {
    **dict.fromkeys("end ended ending complete completed conclude concluded finish finished close closed closure terminate terminated over".split(), "end"),
    **dict.fromkeys("troop soldier force serviceman servicemen personnel".split(), "troop"),
    **dict.fromkeys("withdraw withdrew withdrawn withdrawal leave left pull pullout exit depart departure".split(), "withdraw"),
    # Killing names who did it, dying only who died: "police killed him" and "he died in hospital"
    # are two claims (often of one story).
    **dict.fromkeys("kill killed killing".split(), "kill"),
    **dict.fromkeys("dead death die died fatality".split(), "die"),
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
# Verbs whose particle makes another action: checking out of rehab is leaving it, not entering
# it; running away is fleeing. The phrase is the predicate's lemma ("check out").
PHRASAL_VERBS = {
    "check out": "withdraw", "run away": "flee", "run off": "flee", "walk away": "flee", "walk off": "flee",
    "get away": "flee", "roll back": "overturn", "strike down": "overturn", "step down": "resign", "pull out": "withdraw",
    "turn down": "reject", "go into": "enter", "show up": "arrive", "turn up": "arrive",
}
_SYNONYMS.update(PHRASAL_VERBS)


def _phrasal(lemma: str, following: str) -> str:
    """The lemma of a verb and the word after it: a phrasal verb ("checked out" -> "check out"), else the verb's."""
    phrase = f"{lemma} {following}"
    return phrase if phrase in PHRASAL_VERBS else lemma


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
        penalty goal touchdown testimony suspicion incident round bout clash shootout standoff gunfire jailbreak""".split()},
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
_ACTIONS = frozenset("end withdraw kill die attack agree train stay meet invade return deploy elect".split())
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
_NOT_A_TOTAL = r"(?i)\b(?:per|each|every|a (?:day|week|month|year)|daily|weekly|annually|more|fewer|less|additional|another|increase[ds]?|rise|rose|up from|down from)\b"
