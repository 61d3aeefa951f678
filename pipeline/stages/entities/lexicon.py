"""The word lists and patterns of names: title and role words, head and prefix words that type a
name, common words, months and days, connectors and particles. Candidates, the gazetteer,
resolution and the tagger all read them. Names with a leading underscore belong to the entities
package, not to the stage's interface."""

from __future__ import annotations

import re

from pipeline.core.lexicons import MONTH_NUMBERS, WEEKDAYS

TYPES = ("PERSON", "ORG", "GPE", "LOC", "EVENT", "OTHER")

_UPPER = "".join(re.escape(chr(c)) for c in range(0x2000) if chr(c).isupper())
_L = r"[^\W\d_]"
_UP = f"[{_UPPER}]"
_WORD = rf"(?:(?:al|el|ad|ar|as|ash|at|az|an|ul|bin|ibn|abu|abd)[-’']?)?{_UP}(?:{_L}|\d)*(?:['’](?!s\b){_L}+)*(?:-(?:{_UP}|\d)(?:{_L}|\d)*)*"
_INIT = rf"{_UP}\.(?:{_UP}\.)*"
_TOK = rf"(?:{_INIT}|{_WORD})"
_CONNECTOR = r"(?:al|el|bin|ibn|bint|ben|abu|de|da|di|du|del|della|der|den|van|von|le|la|of|of the|y|dos|das|and|and the|&)"
_CHUNK = re.compile(
    rf"(?<![\w'’.-])(?:(?:al|el|bin|ibn|de|van|von)[ \t\u00a0]+(?={_UP}))?{_TOK}(?:[ \t\u00a0]+(?:{_CONNECTOR}[ \t\u00a0]+)*{_TOK})*"
)
_LETTER = re.compile(_L)
_INITIAL = re.compile(rf"{_UP}\.")
# A lower-case word other than the short function words Title Case leaves in lower case.
_LOWER_WORD = re.compile(r"\b(?!(?:a|an|and|as|at|by|for|from|in|of|on|or|the|to|vs|with)\b)[a-z][a-z]+\b")
_WORDS = re.compile(r"\S+")

_ROLE_HEADS = r"""prime minister|deputy prime minister|foreign minister|defen[cs]e minister|interior minister|
finance minister|oil minister|minister|vice[- ]president|president|premier|secretary of state|
secretary of defen[cs]e|defen[cs]e secretary|secretary[- ]general|press secretary|secretary|
spokes(?:wo)?man|spokesperson|national security adviser|adviser|advisor|chancellor|crown prince|king|queen|
prince|emir|supreme leader|leader|grand ayatollah|ayatollah|cleric|commander|chief|chairman|chairwoman|
director|ambassador|envoy|lt\. gen\.|maj\. gen\.|general|gen\.|colonel|col\.|lt\.|major|maj\.|captain|capt\.|
sgt\.|admiral|adm\.|senator|sen\.|rep\.|congressman|congresswoman|governor|gov\.|mayor|judge|pope|
cardinal|bishop|imam|sheikh|mullah|mr\.|mrs\.|ms\.|dr\.|prof\.|professor|sir|counterpart|predecessor|
successor|official|officer"""
_SP = r"[ \t\u00a0]+"
# Words that open a multi-word title ("Prime Minister") are never part of the affiliation before it.
_AFF_WORD = rf"(?!(?i:prime|deputy|foreign|defen[cs]e|interior|finance|oil|vice|secretary|press|national|crown|supreme|grand|lt\.|maj\.)\b){_UP}[\w.'’-]*"
_AFFILIATION = rf"{_AFF_WORD}(?:{_SP}(?:of{_SP}(?:the{_SP})?)?{_AFF_WORD}){{0,3}}"
_ROLE = re.compile(
    rf"(?P<past>(?i:former|then|ex|late|outgoing)(?:{_SP}|-))?(?:(?i:the){_SP})?(?:(?P<aff>{_AFFILIATION})(?:['’]s)?{_SP})?"
    rf"(?P<past2>(?i:former|then|ex|outgoing)(?:{_SP}|-))?(?P<head>(?i:{_ROLE_HEADS.replace(chr(10), '')}))"
    rf"(?:{_SP}of{_SP}(?:the{_SP})?(?P<aff2>{_AFFILIATION}))?[ \t\u00a0]*,?[ \t\u00a0]*$"
)
# Last words of the role heads above: a cheap test before the full role pattern runs.
_ROLE_LAST_WORDS = frozenset(
    """minister president vice-president premier state defense defence secretary secretary-general spokesman
    spokeswoman spokesperson adviser advisor chancellor prince king queen emir leader ayatollah cleric commander
    chief chairman chairwoman director ambassador envoy gen. general colonel col. lt. major maj. captain capt.
    sgt. admiral adm. senator sen. rep. congressman congresswoman governor gov. mayor judge pope cardinal bishop
    imam sheikh mullah mr. mrs. ms. dr. prof. professor sir counterpart predecessor successor official officer""".split()
)
_HEAD_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "gen.": "general", "defence minister": "defense minister",
    "secretary of defence": "secretary of defense", "defence secretary": "defense secretary", "secretary general": "secretary-general",
    "vice president": "vice-president", "premier": "prime minister", "advisor": "adviser",
}
# Words of a title run before a name ("Secretary of State", "Lt. Gen."); a run is stripped only
# when it holds one of the role heads.
_TITLE_WORDS = frozenset(
    """prime minister foreign defense defence interior finance oil president vice premier secretary general gen.
    press spokesman spokeswoman spokesperson national security adviser advisor chancellor crown king queen prince
    emir supreme leader grand ayatollah commander chief chairman chairwoman director ambassador envoy colonel col.
    lt. maj. major capt. captain sgt. admiral adm. senator sen. rep. congressman congresswoman governor gov. mayor
    judge pope cardinal bishop imam sheikh mullah mr. mrs. ms. dr. prof. professor sir former then acting deputy
    state defense treasury staff joint chiefs justice affairs of the mr mrs ms dr gen lt col sgt capt""".split()
)
_TITLE_HEADS = frozenset(
    """minister president premier secretary general gen. spokesman spokeswoman spokesperson adviser advisor
    chancellor king queen prince emir leader ayatollah commander chief chairman chairwoman director ambassador
    envoy colonel col. lt. maj. capt. captain sgt. admiral adm. senator sen. rep. congressman congresswoman
    governor gov. mayor judge pope cardinal bishop imam sheikh mullah mr. mrs. ms. dr. prof. professor sir mr mrs
    ms dr gen lt col sgt capt commissioner attorney""".split()
)
# Titles in the plural ("Presidents George W. Bush and Barack Obama") are titles too.
_TITLE_FORMS = frozenset({*_TITLE_WORDS, *(w + "s" for w in _TITLE_WORDS if w.isalpha()), *(w + "es" for w in _TITLE_WORDS if w.endswith("s"))})
_TITLE_HEAD_FORMS = frozenset({*_TITLE_HEADS, *(w + "s" for w in _TITLE_HEADS if w.isalpha())})
_HEAD_TYPES = {
    **dict.fromkeys(
        """party army ministry council corporation corp inc ltd company bank university agency service services
        organization organisation group committee front forces force administration court association institute
        foundation union league movement brigade brigades authority commission parliament assembly congress senate
        department office police navy guard guards times post news network club airlines airways holdings fund trust
        exchange press media television tv radio church academy college school corps militia coalition alliance
        federation directorate bureau board cabinet government industries enterprises society centre center
        institution consortium team channel partners investments securities capital economics holdings insurance
        systems technologies communications resources pharmaceuticals motors electric energy airline mills works
        steel co llc plc gmbh limited incorporated corporation brigade battalion regiment division fleet
        ministries institutes""".split(), "ORG"),
    **dict.fromkeys(
        """river sea ocean gulf bay mountains mountain lake valley desert island islands peninsula strait canal
        coast plain plains basin square street bridge airport base palace zone park dam port""".split(), "LOC"),
    **dict.fromkeys("city province county governorate district republic kingdom emirate prefecture municipality".split(), "GPE"),
    **dict.fromkeys(
        "war election elections summit olympics games cup championship revolution crisis conference festival uprising massacre offensive pandemic lecture awards prize".split(),
        "EVENT"),
}
# A first word that types the run it opens ("Mount Sinjar", "Lake Tharthar", "Bank Melli").
_PREFIX_TYPES = {
    **dict.fromkeys("mount mt lake cape isle fort gulf wadi jabal jebel".split(), "LOC"),
    **dict.fromkeys("bank university".split(), "ORG"),
}
_COMMON = frozenset(
    """a an the this that these those there here it its he she they we you i me him her his hers them their our
    your my mine who whom whose what which when where why how if as at by for from in into on of off out over to
    with without after before during since until while although though because but and or nor so not no yes
    all any both each every few many more most much some such other another same own only just also even still
    yet then now today yesterday tomorrow tonight last next first second third final new old earlier later
    however meanwhile moreover furthermore therefore thus hence indeed instead otherwise overall previously
    currently recently initially eventually finally additionally besides despite among amid against between
    under above below around about across along beyond within through throughout toward towards upon via per
    except unlike like near outside inside once again already perhaps maybe nevertheless nonetheless regardless
    according following ahead prior speaking asked told said says say do does did done be is are was were been
    being have has had will would shall should can could may might must let please thank thanks dear mr mrs
    ms read watch click see also note update updated photo video source sources report reports state states
    government army president minister official officials police forces force troops soldiers people country
    countries nation city capital region province party group committee council court ministry department
    agency office administration house senate parliament congress war attack attacks operation mission deal
    agreement election elections summit talks crisis news press time times day week month year years morning
    afternoon evening night north south east west northern southern eastern western central middle world
    international national global local public private general chief deputy senior top former acting
    breaking exclusive live more read comment comments share follow subscribe advertisement related tags
    islamic democratic republican liberal conservative royal federal united great grand holy saint st
    mission combat troop withdrawal announces end""".split()
)
_CALENDAR = frozenset((*MONTH_NUMBERS, *WEEKDAYS))
_ADJECTIVES = frozenset(
    """shiite shiites shia shi'ite sunni sunnis muslim muslims christian christians jewish jew jews islamic
    islamist islamists jihadist jihadists arab arabs arabic western eastern persian catholic catholics protestant
    orthodox hindu hindus buddhist democrat democrats democratic republican republicans conservative
    conservatives liberal liberals english latin kurdish""".split()
)
# Words of speech, not names, whatever their case: interjections and fillers ("Well", "Yeah", "Um").
_INTERJECTIONS = frozenset(
    """well yeah yep yes no nope oh ooh ah aha uh um umm hmm huh hey hi hello ok okay wow alas oops gosh sure right
    good great fine thanks sorry please anyway anyways actually basically honestly really so now look listen""".split()
)
# "I'm", "We've", "Don't": contractions are never names.
_CONTRACTION = re.compile(r"(?i)^\w+['’](?:m|re|ve|ll|d|t)$")
# ...but "O'Neill" or "D'Souza" are names.
_CONTRACTION_NAME = re.compile(r"^[A-Z][a-z]*['’][A-Z]")
_HYPHEN_PREFIXES = frozenset("pro anti non ex post pre then former neo mid self co multi inter trans sub super semi pan".split())
# Assemblies named by one common word: capitalised inside a sentence and tagged ORG by the model,
# "the Senate", "the House" and "Congress" are organisations, unlike "Senate leaders said" at a
# sentence start, where the capital says nothing.
_ASSEMBLIES = frozenset("senate house congress parliament assembly".split())
_PERSON_PARTICLES = frozenset("al el bin ibn bint abu abd ul".split())
_CONNECTOR_WORDS = frozenset("al el bin ibn bint ben abu de da di du del della der den van von le la of the y dos das and &".split())
_OPENERS = frozenset("“‘«\"(:")
_TYPE_ORDER = {t: i for i, t in enumerate(TYPES)}
