"""Quantities in clean article text: numbers resolved to values with qualifier, unit and currency.

Conventions (copied to the README):
- `value` is the number as written, scaled ("$100 million" -> 1e8, "2.3bn" -> 2.3e9, "a dozen"
  -> 12, "one point three" -> 1.3); percentages keep their number (`20%` -> 20, unit "percent").
- `qualifier` is one of exact, approximate ("around", "about", "nearly", "almost", "some", ...),
  at_least ("at least", "more than", "over", ...), at_most ("up to", "less than", "under", ...)
  and range ("between 30 and 40", "30-40", "30 to 40": `low`/`high` set, `value` their midpoint).
  Vague plurals ("hundreds of rockets", "tens of thousands") are at_least twice the scale
  (200, 20000).
- `unit` is the counted noun, lower-case and singular ("2,500 US troops" -> "troop"), a
  measurement unit's name ("10 km" -> "kilometre", "a 5-mile walk" -> "mile"), "percent", or a
  time unit for durations ("18 years" -> "year"); ages get a unit that says so ("a 28-year-old",
  "28 years old" -> value 28, unit "year of age"; "3-month-old" -> "month of age"); null when no
  noun follows. `currency` is the ISO 4217 code when a symbol, code or name states it, before or
  after the number ("$5", "5$", "20 €", "USD3.14", "42 KWD", "Rs20", "RM 42", "LE 42", "ringgit 42",
  "malaysian ringgit 42", "42 saudiriyal"; codes in lower case too, "gbp 3.42", "500 jpy", except
  those that are words, "try 5 times"; lower-case letter symbols only at the end of a clause; capitalised names before a number are names, "Euro 2016"; newswire's "150
  mln dlrs", "2.4 bln stg" and "Swedish crowns" too); "$" alone is USD;
  "pounds" is GBP only beside a scale word, a country or "sterling", else a weight). A letter
  before "$" narrows it only in capitals and touching the sign ("A$5" is AUD, "a $ 1 billion" is
  USD; "c $ 100" of tokenised newswire is CAD). Minor units alone ("50 cents", "470 pence", "10¢") keep their own unit and a null
  currency; names that do not say the country ("dinars", "francs", "bucks") are the unit with a
  null currency (`CURRENCY_UNITS`).
- Compound amounts are one amount in the main unit: "3 dollars 50 cents" -> 3.5 USD,
  "thirteen dollars and forty-five cents" -> 13.45, "20 ringgit and 43 sen" -> 20.43, "one kuai
  and five mao five" -> 1.55 (a mao is a tenth, the bare number after it a fen); a bare
  number after an amount joins it only at the end of the clause ("US$3 and fourteen" -> 3.14, but
  "$20 43 times" stays two numbers).
- "a"/"an"/"half a" before a named unit count one or half of it ("less than a dollar" -> at_most
  1 USD, "half a litre" -> 0.5 litre), but not after an amount, where "a" means "per" ("$80 a
  barrel"), nor before units with other senses ("a yard", "a foot", "a degree").
- Measures written as a sum of units, largest first, are one measure in the smallest unit ("6
  feet 2 inches" -> 74 inch, "2 km and 300 metres" -> 2300 metre); "2 degrees below zero" -> -2.
- Ranges keep their unit and scale: "from 10 dollars to 20 dollars", "3km-5km", "between 2 km and
  about 7 km", "between 10 and 50, say, million years" (a scale word after the range, past a hedge,
  scales both ends).
- Not quantities: years, dates and times (whatever `pipeline.stages.dates` detects as a date, except a
  duration inside it, "18 years ago", and every time of day: "2100 UTC", "4 oclock"), ordinals
  ("first", "21st"), "one" used as a pronoun or in compounds ("one-on-one"), ages after names
  ("Smith, 45,"), phone numbers, ids and codes (digits joined to letters or slashes: "COVID-19",
  "F-16", "9/11", "192.168.1.2"), versions and bill numbers (a number with no unit after an
  acronym, a name with an inner capital or "version": "CentOS 8", "iPhone 12", "HR 6819", "H.R.
  1"; "NATO 30 members" keeps its count), leading-zero strings ("007"), plain runs of 9+ digits,
  numbers after "No."/"#"/"number", and scores ("3-1").
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple

import polars as pl

from collections.abc import Callable

from pipeline.stages.dates import Detection, detect, detect_all, sentence_index, spans_in_sentences
from pipeline.stages.dates.scan import Intervals, Scan, Trigger, Vocabulary, windowed
from pipeline.core.ids import stable_id
from pipeline.core.lexicons import STOP_WORDS
from pipeline.core.numwords import FRACTIONS, NUMBER_WORDS, SCALE_ABBREVIATIONS, SCALES, TEENS, TENS, UNITS, digits_value, small_number, words_value
from schemas import polars_schema
from schemas.quantities import Quantities


@dataclass(frozen=True)
class QuantityRules:
    """The tunable choices of the quantities grammar (its lexicons stay module constants)."""

    max_age_after_name: float = 120
    """A number below this between a name and a comma or bracket is an age and no quantity ("Smith, 45,").
    Default: the longest human lifespans."""
    min_id_digits: int = 9
    """Plain runs of at least this many digits are ids (phone, account, record numbers), not counts.
    Default: longer than any count in the development sets written without separators."""
    max_fraction_count: float = 20
    """Number words up to this before a fraction word divide ("three quarters" -> 0.75); larger ones
    count ("forty thirds" stays 40). Default: the fractions spelled out in the development sets."""
    vague_factor: float = 2
    """A vague plural counts this many of its scale ("hundreds of" -> 200, "tens of thousands" -> 20000),
    as an at_least value. Default: the smallest plural, two."""
    qualifier_window: int = 25
    """Characters before a number searched for a qualifier ("no fewer than"). Default: the longest qualifier
    with its spaces."""


class Quantity(NamedTuple):
    start: int
    end: int
    text: str
    value: float
    low: float | None
    high: float | None
    unit: str | None
    currency: str | None
    qualifier: str


_I = re.IGNORECASE

# Symbols before the number; a letter prefix narrows "$" ("HK$", "US$", "C$").
_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY",
            "₦": "NGN", "₱": "PHP", "₪": "ILS", "₫": "VND", "₴": "UAH", "฿": "THB", "rs": "INR", "rs.": "INR", "rm": "MYR",
            "dm": "DEM", "sfr": "CHF", "ffr": "FRF",
            "le": "EGP", "l.e.": "EGP", "ج.م": "EGP", "ج.م.": "EGP", "₡": "CRC", "₲": "PYG", "₸": "KZT",
            "₾": "GEL", "₼": "AZN", "₭": "LAK", "₮": "MNT", "៛": "KHR", "৳": "BDT", "₵": "GHS"}
# The one-character signs, for the regexes ("$" is also the dollar of the prefixed forms, "HK$").
_SIGN_CHARS = "".join(sign for sign in _SYMBOLS if len(sign) == 1)
# The symbols written in letters ("Rs 20", "RM 42", "LE 42", "42 L.E.", "DM 5", "SFr 12"): in capitals only, since
# "le", "rm" are words; after the number a lower-case one counts only at the end of the clause.
_CLAUSE_END = r"(?=\s*(?:[.,;:!?)]|$))"
_LETTER_SIGNS = r"RM|LE|L\.E\.|DM|SFr|SFR|FFr|FFR"
_LETTER_SYMBOLS = rf"(?-i:Rs\.?|{_LETTER_SIGNS})"
_LETTER_SYMBOLS_AFTER = rf"(?:(?-i:Rs|{_LETTER_SIGNS})(?!\w)|(?i:rs|rm|le|l\.e\.){_CLAUSE_END}|ج\.م\.?)"
_DOLLAR_PREFIXES = {"us": "USD", "u.s.": "USD", "u.s": "USD", "hk": "HKD", "a": "AUD", "au": "AUD", "c": "CAD",
                    "ca": "CAD", "nz": "NZD", "s": "SGD", "sg": "SGD", "nt": "TWD", "r": "BRL", "z": "ZWL"}
_ISO_CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "RUB", "CHF", "CAD", "AUD", "HKD", "SEK", "NOK",
              "DKK", "KRW", "TRY", "BRL", "MXN", "ZAR", "NGN", "PKR", "IQD", "IRR", "SAR", "AED", "EGP", "ILS",
              "PLN", "UAH", "NZD", "SGD", "THB", "IDR", "MYR", "PHP", "VND", "KES", "ARS", "CLP", "COP", "BTC",
              "KWD", "LBP", "QAR", "BGN", "MNT", "OMR", "BHD", "JOD", "CZK", "HUF", "RON", "ISK", "LKR", "NPR",
              "BDT", "KZT", "TND", "DZD", "LYD", "ETB", "GHS", "UGX", "TZS", "XOF", "XAF", "PEN", "UYU", "SYP")
# Left out although ISO codes: capitalised words and names ("TRY", "ALL", "CUP", "MAD", "AMD") unless listed above.
# Codes also count in lower case ("gbp 3.42", "500 jpy"), except those that are English words ("try 5 times").
_WORD_CODES = frozenset({"TRY", "CAD", "RUB", "PEN", "COP", "PHP"})
_LOWER_CODES = "|".join(code.lower() for code in _ISO_CODES if code not in _WORD_CODES)
# Currency names after the number; the adjective before the name narrows generic names.
_CURRENCY_NAMES = {
    "dollar": "USD", "euro": "EUR", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "元": "CNY",
    "rupee": "INR", "ruble": "RUB", "rouble": "RUB", "peseta": "ESP", "rand": "ZAR", "naira": "NGN",
    "baht": "THB", "ringgit": "MYR", "rupiah": "IDR", "hryvnia": "UAH", "zloty": "PLN", "forint": "HUF",
    "shekel": "ILS", "lira": "TRY", "sterling": "GBP", "pound": "GBP", "franc": None, "peso": None,
    "dinar": None, "riyal": "SAR", "rial": None, "dirham": None, "krona": "SEK", "krone": None,
    "won": "KRW", "real": "BRL", "reais": "BRL", "taka": "BDT", "afghani": "AFN", "cedi": "GHS",
    "shilling": None, "kuai": "CNY", "deutschmark": "DEM", "mark": None, "bitcoin": None, "tugrik": "MNT",
    "buck": None, "geneh": "EGP", "quid": "GBP", "guilder": "NLG", "crown": None, "stg": "GBP",
    # The other currencies of ISO 4217 by name (those also words, "sol", "colon", are in _AMBIGUOUS_CURRENCY).
    "kwacha": None, "dong": "VND", "kip": "LAK", "riel": "KHR", "lek": "ALL", "lev": "BGN", "leu": None,
    "kuna": "HRK", "dram": "AMD", "manat": None, "som": None, "tenge": "KZT", "lari": "GEL", "bolivar": "VES",
    "sol": "PEN", "guarani": "PYG", "quetzal": "GTQ", "lempira": "HNL", "colon": "CRC", "cordoba": "NIO",
    "balboa": "PAB", "birr": "ETB", "nakfa": "ERN", "dalasi": "GMD", "leone": "SLL", "ouguiya": "MRU",
    "ariary": "MGA", "loti": "LSL", "lilangeni": "SZL", "pula": "BWP", "metical": "MZN", "kyat": "MMK",
    "ngultrum": "BTN", "rufiyaa": "MVR", "kina": "PGK", "vatu": "VUV", "tala": "WST", "koruna": "CZK",
    "denar": "MKD", "somoni": "TJS", "gourde": "HTG", "kwanza": "AOA", "escudo": None, "boliviano": "BOB",
}
_CURRENCY_ADJECTIVES = {
    ("us", "dollar"): "USD", ("u.s.", "dollar"): "USD", ("american", "dollar"): "USD",
    ("australian", "dollar"): "AUD", ("canadian", "dollar"): "CAD", ("hong kong", "dollar"): "HKD",
    ("new zealand", "dollar"): "NZD", ("singapore", "dollar"): "SGD", ("taiwan", "dollar"): "TWD",
    ("zimbabwe", "dollar"): "ZWL", ("zimbabwean", "dollar"): "ZWL", ("jamaican", "dollar"): "JMD",
    ("pakistani", "rupee"): "PKR", ("sri lankan", "rupee"): "LKR", ("nepalese", "rupee"): "NPR",
    ("indian", "rupee"): "INR", ("malaysian", "ringgit"): "MYR", ("egyptian", "pound"): "EGP", ("lebanese", "pound"): "LBP",
    ("syrian", "pound"): "SYP", ("british", "pound"): "GBP", ("iraqi", "dinar"): "IQD",
    ("kuwaiti", "dinar"): "KWD", ("jordanian", "dinar"): "JOD", ("bahraini", "dinar"): "BHD",
    ("serbian", "dinar"): "RSD", ("libyan", "dinar"): "LYD", ("tunisian", "dinar"): "TND",
    ("algerian", "dinar"): "DZD", ("mexican", "peso"): "MXN", ("philippine", "peso"): "PHP",
    ("argentine", "peso"): "ARS", ("argentinian", "peso"): "ARS", ("chilean", "peso"): "CLP",
    ("colombian", "peso"): "COP", ("cuban", "peso"): "CUP", ("swiss", "franc"): "CHF",
    ("cfa", "franc"): "XOF", ("saudi", "riyal"): "SAR", ("qatari", "riyal"): "QAR",
    ("iranian", "rial"): "IRR", ("omani", "rial"): "OMR", ("uae", "dirham"): "AED",
    ("emirati", "dirham"): "AED", ("moroccan", "dirham"): "MAD", ("norwegian", "krone"): "NOK",
    ("danish", "krone"): "DKK", ("swedish", "krona"): "SEK", ("kenyan", "shilling"): "KES",
    ("ugandan", "shilling"): "UGX", ("tanzanian", "shilling"): "TZS", ("german", "mark"): "DEM",
    ("deutsche", "mark"): "DEM", ("chinese", "yuan"): "CNY", ("japanese", "yen"): "JPY",
    ("south korean", "won"): "KRW", ("korean", "won"): "KRW", ("brazilian", "real"): "BRL",
    ("turkish", "lira"): "TRY", ("russian", "ruble"): "RUB", ("russian", "rouble"): "RUB",
    ("south african", "rand"): "ZAR", ("nigerian", "naira"): "NGN", ("israeli", "shekel"): "ILS",
    ("new israeli", "shekel"): "ILS", ("dutch", "guilder"): "NLG", ("swedish", "crown"): "SEK",
    ("danish", "crown"): "DKK", ("norwegian", "crown"): "NOK", ("czech", "crown"): "CZK",
    ("czech", "koruna"): "CZK", ("zambian", "kwacha"): "ZMW", ("malawian", "kwacha"): "MWK",
    ("vietnamese", "dong"): "VND", ("lao", "kip"): "LAK", ("laotian", "kip"): "LAK", ("cambodian", "riel"): "KHR",
    ("albanian", "lek"): "ALL", ("bulgarian", "lev"): "BGN", ("romanian", "leu"): "RON", ("moldovan", "leu"): "MDL",
    ("croatian", "kuna"): "HRK", ("armenian", "dram"): "AMD", ("azerbaijani", "manat"): "AZN",
    ("turkmen", "manat"): "TMT", ("kyrgyz", "som"): "KGS", ("uzbek", "som"): "UZS", ("kazakh", "tenge"): "KZT",
    ("georgian", "lari"): "GEL", ("venezuelan", "bolivar"): "VES", ("peruvian", "sol"): "PEN",
    ("costa rican", "colon"): "CRC", ("nicaraguan", "cordoba"): "NIO", ("ethiopian", "birr"): "ETB",
    ("thai", "baht"): "THB", ("indonesian", "rupiah"): "IDR", ("bangladeshi", "taka"): "BDT",
    ("ukrainian", "hryvnia"): "UAH", ("polish", "zloty"): "PLN", ("hungarian", "forint"): "HUF",
    ("icelandic", "krona"): "ISK", ("ghanaian", "cedi"): "GHS", ("north korean", "won"): "KPW",
    ("taiwanese", "dollar"): "TWD", ("new taiwan", "dollar"): "TWD", ("fijian", "dollar"): "FJD",
    ("namibian", "dollar"): "NAD", ("liberian", "dollar"): "LRD", ("brunei", "dollar"): "BND",
    ("east caribbean", "dollar"): "XCD", ("dominican", "peso"): "DOP", ("uruguayan", "peso"): "UYU",
    ("sudanese", "pound"): "SDG", ("south sudanese", "pound"): "SSP", ("yemeni", "rial"): "YER",
    ("saudi", "rial"): "SAR", ("macedonian", "denar"): "MKD", ("nepali", "rupee"): "NPR",
    ("mauritian", "rupee"): "MUR", ("congolese", "franc"): "CDF", ("rwandan", "franc"): "RWF",
    ("burundian", "franc"): "BIF", ("guinean", "franc"): "GNF", ("djiboutian", "franc"): "DJF",
    ("somali", "shilling"): "SOS", ("cape verdean", "escudo"): "CVE", ("angolan", "kwanza"): "AOA",
}
# Other spellings of a name ("150 mln dlrs" of newswire).
_NAME_ALIASES = {"dlr": "dollar", "sole": "sol"}
# The adjective and name written as one word ("egyptianpound", "saudiriyal").
_GLUED_NAMES = {adjective.replace(" ", "") + name: code for (adjective, name), code in _CURRENCY_ADJECTIVES.items()}
# Names that are also ordinary words: a currency only beside a scale word or their adjective.
_AMBIGUOUS_CURRENCY = {"pound", "won", "real", "mark", "rand", "sol", "colon", "cordoba", "dram", "kip", "dong", "tala", "kina", "lev", "leone", "pula"}
# A currency named right before the number ("ringgit 42", "malaysian ringgit 42", "yen 100 billion").
_NAME_BEFORE = re.compile(
    rf"(?:\b(?P<adj>{'|'.join(sorted({re.escape(a) for a, _ in _CURRENCY_ADJECTIVES}, key=len, reverse=True))})\s+)?"
    rf"\b(?P<name>{'|'.join(sorted((n for n in _CURRENCY_NAMES if n.isalpha() and n.isascii()), key=len, reverse=True))})s?\s?\Z",
    _I,
)
_MINOR_UNITS = {"cent": "cent", "cents": "cent", "pence": "penny", "penny": "penny", "pennies": "penny", "p": "penny"}
# Minor units after a main amount ("3 dollars 50 cents", "$20 and 43c", "20 ringgit 43 sen").
_MINOR_AFTER = r"(?:cents?\b|c\b|¢|pence\b|p\b|sens?\b|kopiykas?\b|kopecks?\b|kopeks?\b|paise\b|paisa\b|centavos?\b|centimes?\b|fils\b|halalas?\b|mao\b|jiao\b|fen\b)"
# Minor units that are not hundredths: the Chinese mao (jiao) is a tenth of a yuan, and a bare
# number after it counts the next unit down, fen ("one kuai and five mao five" -> 1.55).
_MINOR_PER_MAIN = {"mao": 10, "jiao": 10}

_MEASURES = {
    "km": "kilometre", "kilometre": "kilometre", "kilometer": "kilometre", "kms": "kilometre",
    "m": "metre", "metre": "metre", "meter": "metre", "cm": "centimetre", "centimetre": "centimetre",
    "centimeter": "centimetre", "mm": "millimetre", "millimetre": "millimetre", "millimeter": "millimetre",
    "mile": "mile", "mi": "mile", "foot": "foot", "feet": "foot", "ft": "foot", "inch": "inch", "inches": "inch",
    "yard": "yard", "yd": "yard", "kg": "kilogram", "kilogram": "kilogram", "kilo": "kilogram", "g": "gram",
    "gram": "gram", "gramme": "gram", "mg": "milligram", "milligram": "milligram", "μg": "microgram",
    "microgram": "microgram", "mcg": "microgram", "lb": "pound", "lbs": "pound", "oz": "ounce", "ounce": "ounce",
    "tonne": "tonne", "ton": "ton", "metric ton": "tonne", "t": "tonne", "litre": "litre", "liter": "litre",
    "l": "litre", "ml": "millilitre", "millilitre": "millilitre", "milliliter": "millilitre", "gallon": "gallon",
    "barrel": "barrel", "bpd": "barrel per day", "hectare": "hectare", "ha": "hectare", "acre": "acre",
    "square metre": "square metre", "square meter": "square metre", "sq m": "square metre", "m2": "square metre",
    "m²": "square metre", "square kilometre": "square kilometre", "square kilometer": "square kilometre",
    "sq km": "square kilometre", "km2": "square kilometre", "km²": "square kilometre", "square mile": "square mile",
    "sq mi": "square mile", "square foot": "square foot", "square feet": "square foot", "sq ft": "square foot",
    "mph": "mile per hour", "km/h": "kilometre per hour", "kph": "kilometre per hour", "kmh": "kilometre per hour",
    "mile per hour": "mile per hour", "miles per hour": "mile per hour", "miles an hour": "mile per hour",
    "kilometres per hour": "kilometre per hour", "kilometers per hour": "kilometre per hour",
    "kilometres an hour": "kilometre per hour", "knot": "knot", "°c": "degree celsius", "°f": "degree fahrenheit",
    "celsius": "degree celsius", "fahrenheit": "degree fahrenheit", "° celsius": "degree celsius", "° fahrenheit": "degree fahrenheit",
    "gal": "gallon", "gals": "gallon", "mls": "millilitre", "hectolitre": "hectolitre", "hectoliter": "hectolitre",
    "degrees celsius": "degree celsius", "degrees fahrenheit": "degree fahrenheit", "°": "degree", "degree": "degree",
    "kw": "kilowatt", "kilowatt": "kilowatt", "mw": "megawatt", "megawatt": "megawatt", "gw": "gigawatt",
    "gigawatt": "gigawatt", "kwh": "kilowatt hour", "mwh": "megawatt hour", "gwh": "gigawatt hour", "bit": "bit",
    "byte": "byte", "kb": "kilobyte", "mb": "megabyte", "gb": "gigabyte", "tb": "terabyte", "hz": "hertz",
    "mhz": "megahertz", "ghz": "gigahertz", "calorie": "calorie", "kcal": "kilocalorie", "storey": "storey",
}
# Measurement units written as words (may follow after a space); the rest must be attached or abbreviations.
MEASUREMENT_UNITS = frozenset(_MEASURES.values())
# Units of money amounts with no ISO code: minor units and names that do not say the country.
CURRENCY_UNITS = frozenset({*_MINOR_UNITS.values(), *(name for name, code in _CURRENCY_NAMES.items() if code is None)})
_TIME_UNITS = {"second": "second", "sec": "second", "minute": "minute", "min": "minute", "hour": "hour", "hr": "hour",
               "day": "day", "week": "week", "fortnight": "fortnight", "month": "month", "year": "year", "yr": "year",
               "decade": "decade", "century": "century", "centurie": "century", "millennium": "millennium",
               "millennia": "millennium"}

_APPROXIMATE = ("around", "about", "approximately", r"approx\.", "roughly", "nearly", "almost", "some", "an estimated",
                "estimated", "close to", "circa", "more or less", r"c\.")
_AT_LEAST = ("at least", "more than", "higher than", "over", "upwards of", "in excess of", "no fewer than", "no less than", "not less than",
             "greater than", "above", "exceeding", "just over", "well over", "a minimum of", "at a minimum")
_AT_MOST = ("up to", "less than", "lower than", "fewer than", "under", "at most", "no more than", "not more than", "below", "as many as",
            "as much as", "just under", "a maximum of", "a little under")
_QUALIFIER_BEFORE = re.compile(
    rf"(?:\b(?P<approx>{'|'.join(_APPROXIMATE)})|\b(?P<least>{'|'.join(_AT_LEAST)})|\b(?P<most>{'|'.join(_AT_MOST)})"
    r"|(?P<tilde>~))\s*$",
    _I,
)
# The word a qualifier ends with: any other word before a number rules the regex search out.
_QUALIFIER_LAST_WORDS = frozenset(p.split()[-1].replace("\\", "") for p in (*_APPROXIMATE, *_AT_LEAST, *_AT_MOST))

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!,\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d+(?:\.\d+)?(?:e[+-]?\d+\b)?|\.\d+)"
# Scale words, and the abbreviations of newswire that may stand apart from the digits ("150 mln dlrs", "$5.3 bn").
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion|lakhs?|crores?|dozens?|bn|bln|mln|mil|trn)"
_SCALE_SUFFIX = r"(?:bn|bln|mn|mln|mil|trn|tn|k|m|b|mm)"
_CURRENCY_PREFIX = (
    # Single-letter prefixes only in capitals and touching the "$": "A$5" is Australian, "a $ 1 billion" not.
    # Tokenised newswire writes "c $ 100" for C$100: "c" is no word, unlike the article "a".
    # Two letters narrow it in either case: tokenised newswire is often lower-cased ("nz $ 5").
    r"(?:(?<![\w.])(?:(?P<dprefix>u\.\s?s\.?|(?-i:US|us|HK|hk|AU|au|CA|ca|NZ|nz|SG|sg|NT|nt|C\s|c\s))\s?\$|(?P<dprefix1>(?-i:A|C|S|R|Z))\$)"
    rf"|(?P<sym>[{_SIGN_CHARS}]|(?<![\w.]){_LETTER_SYMBOLS}(?=\s?\d))"
    rf"|(?<![\w.])(?P<isopre>(?-i:{'|'.join(_ISO_CODES)}|{_LOWER_CODES}))(?=\s?\d))"
)
_SIGN = r"(?P<sign>(?:(?<![\w\d.,)-])[-−](?=\d))|\b(?:minus|negative)\s+)?"

# The digits after a decimal point said as words ("one point three", "1 point two five").
_DIGIT_NAMES = {"oh": 0, **{w: v for w, v in UNITS.items()}}
_DIGIT_WORD = rf"(?:{'|'.join(_DIGIT_NAMES)})"
_FRACTION = r"(?:halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
_NUMBER = re.compile(
    rf"(?:{_CURRENCY_PREFIX}\s?)?{_SIGN}"
    rf"(?:(?P<digits>(?:(?<![\w.,/:-])|(?<=(?-i:[A-Z]{{3}}))|(?<=(?-i:Rs|RM)))(?<![\d.,]){_DIGITS}|(?<=[-−])(?:{_DIGITS}))(?:(?P<suffix>{_SCALE_SUFFIX})\b|\s?(?P<scale>{_SCALE_WORD})\b)?"
    rf"|(?P<afrac>\ba\s+(?P<den1>{_FRACTION})(?=\s+of\b))"
    rf"|(?P<words>(?:\b(?P<article>a|an|half\s+a)\s+(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?{NUMBER_WORDS}))"
    rf"(?:(?P<half>\s+and\s+a\s+half(?:\s+(?P<halfscale>{_SCALE_WORD}))?)|[\s-]+(?P<den>{_FRACTION})\b"
    rf"|(?P<pointed>\s+point\s+(?P<point>\d+|{_DIGIT_WORD}(?:\s+{_DIGIT_WORD})*)\b(?:\s+(?P<pointscale>{_SCALE_WORD})\b)?))?",
    _I,
)
# What may stand before a number's first digit or word: currency, sign, "a"/"half a".
# It is searched with the number's start as its end, where a look-ahead for the digit cannot see it.
_CURRENCY_BEFORE = _CURRENCY_PREFIX.replace(r"(?=\s?\d)", "")
_PREFIX = re.compile(rf"(?:{_CURRENCY_BEFORE}\s?)?(?:[-−]|\b(?:minus|negative)\s+)?(?:\b(?:a|an|half\s+a)\s+)?\Z", _I)
_PLURAL_NEXT = re.compile(r"\s+(?:[a-z]+s|people|children|men|women)\b")
_VAGUE = re.compile(
    r"\b(?P<base>tens|dozens|hundreds|thousands|millions|billions)(?:\s+of\s+(?P<mult>thousands|millions|billions))?\s+of\b", _I
)
# The scale of each vague plural; `QuantityRules.vague_factor` says how many of it are meant.
_VAGUE_SCALES = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 1e6, "billions": 1e9}
_VAGUE_MULT = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}

_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to)\s*|\s+(?P<and>and)\s+", _I)
_RANGE_LEAD = re.compile(r"\b(?P<lead>between|from)\s+$", _I)
# Between two amounts with their units: "3km-5km" needs no "from"; a hedge may stand before the second.
_UNIT_RANGE_JOIN = re.compile(r"(?:\s*(?P<dash>-|–|—)\s*|\s*to\s+|\s+and\s+)(?:(?:about|around|approximately|roughly|some)\s+|~\s*)?", _I)
_PERCENT = re.compile(r"\s?(?:%|percent\b|per\s?cent\b|percentage points?\b|percentage\b|pct\b)", _I)
_WORD = re.compile(r"(?-i:[A-Z]\.){2,}|[^\W\d_][\w'’]*(?:-[^\W\d_]+)*")  # "U.S." is one word
_PHONE = re.compile(r"\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s?\d{3}[-.\s]\d{4}|\d{3}[-.]\d{3,4}[-.]\d{4}(?!\d)|\d{3,4}-\d{4}(?:/\d+)?(?!\d)")
_URL_TOKEN = re.compile(r"https?://|www\.|@|%[0-9A-F]{2}", _I)
_NUMBER_TRIGGERS = ("0", *UNITS, *TEENS, *TENS, "hundred", "thousand", "million", "billion", "trillion", "dozen",
                    "lakh", "crore", "half", "third", "quarter")
# Number words count only as whole words ("one", not "once"; "ten", not "tend").
_NUMBER_VOCABULARY = Vocabulary(_NUMBER_TRIGGERS, frozenset((*_NUMBER_TRIGGERS, "dozens", "lakhs", "crores", "halves", "thirds", "quarters")))
_VAGUE_TRIGGERS = ("tens", "dozens", "hundreds", "thousands", "millions", "billions")
_ID_AFTER = re.compile(r"(?:[/.:]\d|-(?:on-|to-|by-)|(?:st|nd|rd|th)\b|[A-Za-z])", _I)
_AGE_AFTER_NAME = re.compile(r"[A-Z][\w'’.-]+,\s*$")
_ID_BEFORE = re.compile(r"(?:\b(?:no|nos|number|nr|nrs|#|article|section|chapter|page|room|flight|route|highway|exit|resolution|paragraph|clause|rule)\.?\s*|#)$", _I)
_TIME_AFTER = re.compile(r"\s?(?:[ap]\.m\.|[ap]m\b|o'?clock\b|h\b|hrs\b(?=\s+(?:GMT|UTC|local)))", _I)
_LEADING_ZERO = re.compile(r"0\d+")
_DIGIT_HYPHEN_END = re.compile(r"\d-$")
_UNIT_HYPHEN_END = re.compile(r"\d\s?(?:km|m|cm|mm|kg|g|mg|mi|ft|l|ml)-$", _I)  # "3km-5km"
_HYPHEN_DIGIT = re.compile(r"-\d")
_LETTER_END = re.compile(r"[A-Za-z]$")
_COMMA_OR_PAREN = re.compile(r"\s*[,)]")
_COLON_DIGIT = re.compile(r":\d")
# Codes after the number in capitals, or in lower case at the end of the clause ("10 usd.").
_ISO_AFTER = re.compile(rf"\s?(?-i:({'|'.join(_ISO_CODES)}|{_LOWER_CODES}))\b")
# A currency sign after the number ("10$", "20 €", "10k$", "3.14US$", "20Rs", "10¢"), not the
# sign of a next amount ("5 $10 bills").
_SYMBOL_AFTER = re.compile(rf"\s?(?:(?P<dp>(?-i:US|HK|AU|CA|NZ|SG|A|C))?\$|(?P<sym>[{_SIGN_CHARS.replace('$', '')}]|{_LETTER_SYMBOLS_AFTER})|(?P<cent>¢))(?!\s?\d)(?:(?<=€)(?i:ur)\b)?")
_ATTACHED_UNIT = re.compile(r"(?:-|\s?)(°[CF]?|[a-zμ²]+\d?(?:/[a-z]+)?)(?!\w|-(?!\d))", _I)  # "10km", "3km-5km"; not "10km-long"
_STERLING = re.compile(r"\s+sterling\b", _I)
# Measures written as a sum of units, largest first: "7 feet 10 inches", "2 km and 1 metre".
_SUBUNITS = {
    ("mile", "yard"): 1760, ("mile", "foot"): 5280, ("yard", "foot"): 3, ("yard", "inch"): 36, ("foot", "inch"): 12,
    ("kilometre", "metre"): 1000, ("metre", "centimetre"): 100, ("metre", "millimetre"): 1000, ("centimetre", "millimetre"): 10,
    ("kilogram", "gram"): 1000, ("gram", "milligram"): 1000, ("pound", "ounce"): 16, ("tonne", "kilogram"): 1000,
}
_BELOW_ZERO = re.compile(r"\s+below\s+zero\b", _I)
_COMPOUND_GAP = re.compile(r"\s*,?\s*(?:and\s+)?", _I)
# A scale word after a range, maybe past a hedge: "between 10 and 50, say, million years".
_SCALE_AFTER_RANGE = re.compile(r"(?:\s*,\s*(?:say|perhaps|maybe|possibly|roughly)\s*,)?\s+(?P<scale>thousand|million|billion|trillion)\b", _I)
# Minor units after a main amount: "3 dollars 50 cents", "$20 and 43c", "US$3 and fourteen" (a bare
# number only at the end of the clause, so "$20 43 times" stays two numbers).
_MINOR_AMOUNT = re.compile(
    rf"\s*,?\s*(?:and\s+)?(?P<n>\d{{1,2}}(?![\d.,])|{NUMBER_WORDS})\s*(?:(?P<minor>{_MINOR_AFTER})|(?P<close>{_CLAUSE_END}))", _I
)
# What makes the number after it an identifier when no unit follows: an acronym ("HR 6819",
# "H.R. 1"), a name with an inner capital ("CentOS 8", "iPhone 12"), or a version word.
_CODE_BEFORE = re.compile(r"(?:\b(?-i:[A-Z]{2,5})|\b(?-i:[A-Z]\.){2,3}|\b(?-i:[A-Za-z]*[a-z][A-Z][A-Za-z]*)|\b(?:version|release|v\.?))\s?\Z", _I)
_SCALE_END = re.compile(rf"(?:{_SCALE_WORD}|{_SCALE_SUFFIX})\s*$", _I)

# Words that end a counted noun phrase or never are the counted noun: the stop words, number
# and amount words, and adverbs of time and degree.
_STOP = STOP_WORDS | frozenset(
    "across ago already among another away back billion cent dozen earlier eight either even every first five"
    " four hundred later least less many million much neither nine old one onto per percent second seven several"
    " since six still ten third thousand three toward towards trillion two whose without yes yet".split()
)
_VERB_LIKE = re.compile(r"(?:ed|ing)$")
_IRREGULAR = {
    "people": "people", "men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "geese": "goose", "lives": "life", "wives": "wife", "knives": "knife", "thieves": "thief",
    "halves": "half", "police": "police", "staff": "staff", "personnel": "personnel", "cattle": "cattle",
    "sheep": "sheep", "fish": "fish", "aircraft": "aircraft", "dead": "dead", "wounded": "wounded",
    "injured": "injured", "missing": "missing", "series": "series", "species": "species", "data": "data",
    "criteria": "criterion", "phenomena": "phenomenon", "crises": "crisis", "analyses": "analysis",
}


@lru_cache(maxsize=65536)  # called for most words after a number, and news repeats its nouns: 4 % of the stage's time
def singular(word: str) -> str:
    """A light English lemmatiser for plural nouns ("casualties" -> "casualty")."""
    lowered = word.lower().replace("’", "'")
    if lowered in _IRREGULAR:
        return _IRREGULAR[lowered]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"), ("zes", "z"), ("oes", "o")):
        if lowered.endswith(suffix) and len(lowered) > len(suffix) + 1:
            return lowered[: -len(suffix)] + repl
    if lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")) and len(lowered) > 2:
        return lowered[:-1]
    return lowered


class _Num(NamedTuple):
    start: int
    end: int
    value: float
    currency: str | None
    words: bool


def _parsed(m: re.Match, text: str, rules: QuantityRules) -> tuple[float, int] | None:
    """Value and end of a number match; None when it is not a number after all."""
    has_currency = bool(m["sym"] or m["dprefix"] or m["dprefix1"] or m["isopre"])
    if m["afrac"]:
        return 1 / FRACTIONS[m["den1"].lower()], m.end()
    if m["digits"]:
        value = digits_value(m["digits"]) if "e" not in m["digits"].lower() else float(m["digits"])
        if value is None:
            return None
        end = m.end("digits")
        suffix = (m["suffix"] or m["scale"] or "").lower()
        # "1.8m tall" is metres, "2.5m people" and "$5m" millions; "4b" is an id unless money.
        if suffix in ("m", "mm", "b") and not has_currency and not (suffix == "m" and _PLURAL_NEXT.match(text, m.end("suffix"))):
            suffix = ""
        if suffix:
            value *= SCALE_ABBREVIATIONS[suffix]
            end = m.end("suffix") if m["suffix"] else m.end("scale")
    else:
        body = m["words"][m.end("article") - m.start("words") + 1:] if m["article"] else m["words"]
        parsed = words_value(body.lstrip(), allow_leading_scale=bool(m["article"]))
        if parsed is None:
            return None
        value = parsed[0] / (2 if m["article"] and m["article"].lower().startswith("half") else 1)
        end = m.end("words") - len(body.lstrip()) + parsed[1]
    if m["half"] and end == m.start("half"):
        value = (value + 0.5) * (SCALES[m["halfscale"].lower()] if m["halfscale"] else 1)
        end = m.end()
    elif m["den"] and m["words"] and end == m.end("words") and value <= rules.max_fraction_count and value == int(value):
        value /= FRACTIONS[m["den"].lower()]
        end = m.end()
    elif m["pointed"] and end == m.start("pointed") and value == int(value):  # "one point three" -> 1.3
        said = m["point"] if m["point"].isdigit() else "".join(str(_DIGIT_NAMES[w.lower()]) for w in m["point"].split())
        value = float(f"{int(value)}.{said}") * (SCALES[m["pointscale"].lower()] if m["pointscale"] else 1)
        end = m.end()
    return (-value if m["sign"] else value), end


def _currency_before(m: re.Match) -> str | None:
    if m["dprefix"] or m["dprefix1"]:
        return _DOLLAR_PREFIXES[re.sub(r"\s", "", m["dprefix"] or m["dprefix1"]).lower()]
    if m["sym"]:
        return _SYMBOLS[m["sym"].lower()]
    if m["isopre"]:
        code = m["isopre"].upper()
        return "CNY" if code == "RMB" else code
    return None


def _is_excluded(text: str, m: re.Match, start: int, end: int, rules: QuantityRules) -> bool:
    """Ids, codes, ordinals, times, scores and ages after names."""
    if not m["digits"]:
        word = (m["words"] or m["afrac"]).lower()
        after = text[end:end + 12].lower()
        if text[max(0, start - 1):start] == "-":
            return True
        if word == "one" and re.search(r"\b(?:no|any|every|each|the|this|that|which|only|last)\s+$", text[max(0, start - 7):start], _I):
            return True
        if word == "one" and not m["half"] and not m["sign"] and not m["den"] and (re.match(r"-(?:on|to|by|off|time|of)\b|\s+(?:of|another|or|who|that|which|day\b(?!s))", after) or not re.match(r"\s+[a-z]", after)) and not _hyphen_unit(after):
            return True
        return bool(re.match(r"-(?:on|to|by)-", after))
    if m["digits"] and not (m["sym"] or m["dprefix"] or m["dprefix1"] or m["isopre"]):
        raw = m["digits"]
        if _LEADING_ZERO.fullmatch(raw) or (raw.isdecimal() and len(raw) >= rules.min_id_digits and not m["sign"]):
            return True
        before = text[max(0, start - 12):start]
        if before.endswith(("/", "#")) or (before.endswith("-") and not _DIGIT_HYPHEN_END.search(before) and not _UNIT_HYPHEN_END.search(before) and not m["sign"]):
            return True
        if _LETTER_END.search(before) and not m["sign"]:
            return True
        if _ID_BEFORE.search(before):
            return True
        if _AGE_AFTER_NAME.search(before) and _COMMA_OR_PAREN.match(text[end:end + 2]) and float(raw.replace(",", "")) < rules.max_age_after_name:
            return True
        if _TIME_AFTER.match(text, end) or _COLON_DIGIT.match(text[end:end + 2]):
            return True
    after = text[end:end + 3]
    if _ID_AFTER.match(after) and not m["suffix"]:
        return not _unit_attached(text, end)
    return False


def _unit_attached(text: str, end: int) -> bool:
    """True when letters right after a number are a unit ("10km", "5%", "3-inch", "20-year")."""
    if _ISO_AFTER.match(text, end) or _SYMBOL_AFTER.match(text, end):
        return True
    hyphen = text[end:end + 1] == "-"
    word = _WORD.match(text, end + 1 if hyphen else end)
    if not word:
        return False
    token = word.group().lower().rstrip(".")
    if hyphen:
        first = token.split("-")[0]
        return first in _MEASURES or singular(first) in _MEASURES or singular(first) in _TIME_UNITS or (first.isalpha() and first not in ("on", "to", "by"))
    return token in _MEASURES or singular(token) in _MEASURES or token in SCALE_ABBREVIATIONS or token in _TIME_UNITS or token in ("s",)


_TOKEN_SEPARATOR = re.compile(r"[ \n]")


class _UrlTokens:
    """Whitespace-delimited tokens holding a URL, e-mail address or URL-encoded marker, found in
    one pass so that each number is checked in O(log n) however long its token is."""

    def __init__(self, text: str):
        marks = list(_URL_TOKEN.finditer(text))
        self._firsts: list[int] = []
        self._ends: list[int] = []
        # Each token is bounded by the previous one's end, so the text is scanned once overall.
        prev_end = 0
        for mark in marks:
            at = mark.start()
            if self._ends and at < self._ends[-1]:
                continue
            first = max(text.rfind(" ", prev_end, at), text.rfind("\n", prev_end, at)) + 1
            after = _TOKEN_SEPARATOR.search(text, at)
            end = after.start() if after else len(text)
            self._firsts.append(first)
            self._ends.append(end)
            prev_end = end

    def touches(self, start: int, end: int) -> bool:
        """True when the tokens from the one at `start` to the one at `end` hold a marker."""
        i = bisect_right(self._ends, start)
        return i < len(self._ends) and self._firsts[i] <= end


def _in_url_or_phone(text: str, start: int, end: int, urls: _UrlTokens) -> bool:
    """True inside a URL, e-mail address or URL-encoded token, or a phone number."""
    if urls.touches(start, end):
        return True
    return any(p.start() < end and start < p.end() for p in _PHONE.finditer(text, max(0, start - 16), end + 16))


def _word_before(text: str, pos: int, lo: int) -> tuple[int, str]:
    """(end, word): the last non-space character in text[lo:pos] ends at `end`; `word` is the run
    of letters (with a final ".") that ends there, "" if that character is not a letter or "."."""
    end = pos
    while end > lo and text[end - 1].isspace():
        end -= 1
    first = end - 1 if end > lo and text[end - 1] == "." else end
    while first > lo and text[first - 1].isalpha():
        first -= 1
    return end, text[first:end] if first < end and text[first:end] != "." else ""


_PREFIX_WORDS = frozenset(("a", "an", "minus", "negative", "rs", "rs.", "rm", "le", "e.", "dm", "sfr", "ffr"))  # "e." ends "L.E."
_ISO_LOWER = frozenset(code.lower() for code in _ISO_CODES)
_SYMBOL_CHARS = frozenset(_SIGN_CHARS)


def _prefix_start(text: str, hit: int) -> int:
    """Where a currency, sign or "a"/"half a" before the number at `hit` starts (`hit` if none).
    Tests on the last word or character settle most numbers before the windowed regex search,
    whose cost grows with the window."""
    lo = max(0, hit - 16)
    end, word = _word_before(text, hit, lo)
    last = text[end - 1] if end > lo else ""
    if last in ("-", "−"):
        if end < hit:
            return hit
        if end >= 2 and text[end - 2].isalnum():
            return end - 1
    elif last not in _SYMBOL_CHARS:
        if not word or (word.isascii() and word.lower() not in _PREFIX_WORDS and word[-3:].lower() not in _ISO_LOWER):
            return hit
    prefix = _PREFIX.search(text, lo, hit)
    return prefix.start() if prefix else hit


def _numbers(text: str, hits: Callable[[Trigger], list[int]], rules: QuantityRules) -> list[_Num]:
    out = []
    done = 0
    urls = _UrlTokens(text)
    for hit in hits(_NUMBER_VOCABULARY):
        if hit < done:
            continue
        if hit and text[hit - 1] == "." and (hit < 2 or not text[hit - 2].isdigit()):
            hit -= 1
        prefix = _prefix_start(text, hit)
        m = _NUMBER.match(text, prefix) if prefix < hit else None
        m = m or _NUMBER.match(text, hit)
        if m is None:
            continue
        done = m.end()
        parsed = _parsed(m, text, rules)
        if parsed is None:
            continue
        value, end = parsed
        start = m.start()
        if _is_excluded(text, m, m.start("digits") if m["digits"] else start, end, rules) or _in_url_or_phone(text, start, end, urls):
            continue
        out.append(_Num(start, end, value, _currency_before(m), not m["digits"]))
    return out


def _unit_after(text: str, end: int, count: float) -> tuple[str | None, str | None, int, bool]:
    """The unit (and currency) after a number: returns (unit, currency, new end, is_measure)."""
    rest = text[end:end + 60]
    symbol = _SYMBOL_AFTER.match(rest)
    if symbol:
        if symbol["cent"]:
            return "cent", None, end + symbol.end(), False
        if symbol["dp"]:
            return None, _DOLLAR_PREFIXES[symbol["dp"].lower()], end + symbol.end(), False
        return None, _SYMBOLS[(symbol["sym"] or "$").lower()], end + symbol.end(), False
    pct = _PERCENT.match(rest)
    if pct:
        unit = "percentage point" if "point" in pct.group().lower() else "percent"
        return unit, None, end + pct.end(), True
    iso = _ISO_AFTER.match(rest)
    if iso:
        code = iso.group(1).upper()
        return None, "CNY" if code == "RMB" else code, end + iso.end(), False
    if rest.startswith("元"):
        return None, "CNY", end + 1, False
    attached = _ATTACHED_UNIT.match(rest)
    if attached:
        token = attached.group(1).lower()
        if token in _MEASURES and (attached.group().startswith(("-",)) or not attached.group().startswith(" ") or len(token) > 2 or token in ("km", "kg", "mg", "ml", "cm", "mm", "lb", "oz", "ft", "mi", "ha", "mw", "gw", "kw", "gb", "mb", "tb", "kb", "°c", "°f", "mph", "kph", "bpd", "sq")):
            return _MEASURES[token], None, end + attached.end(), True
    return _noun_after(text, end, count)


_FOLLOWING_WORD = re.compile(r"[ \u00a0]+")


def _following_words(text: str, end: int) -> list[re.Match]:
    """Up to three words after a number; only one when it is joined by a hyphen ("20-year")."""
    if text[end:end + 1] == "-":
        word = _WORD.match(text, end + 1)
        return [word] if word else []
    words: list[re.Match] = []
    cursor = end
    while len(words) < 3:
        gap = _FOLLOWING_WORD.match(text, cursor)
        word = _WORD.match(text, gap.end()) if gap else None
        if word is None:
            break
        words.append(word)
        cursor = word.end()
    return words


_AGE_UNITS = ("year", "month", "week", "day")
_HYPHEN_WORD = re.compile(r"-([a-z]+)\b")


def _hyphen_unit(after: str) -> bool:
    """True for a hyphenated currency or measurement name after a number ("one-yen", "one-mile")."""
    m = _HYPHEN_WORD.match(after)
    word = m.group(1) if m else ""
    return bool(word) and (singular(word) in _CURRENCY_NAMES or word in _MINOR_UNITS or (word in _MEASURES and len(word) > 2))
_AGE = re.compile(r"(?P<unit>year|month|week|day)s?-old$")


def _noun_after(text: str, end: int, count: float) -> tuple[str | None, str | None, int, bool]:
    """(unit, currency, new end, is_measure) from the words after a number."""
    words = _following_words(text, end)
    if not words:
        return None, None, end, False
    lowered = [w.group().lower().rstrip("’'") for w in words]
    # Measurement and currency names written out, possibly three words ("125 million australian dollars").
    for n in range(len(lowered), 0, -1):
        named = _named_unit(" ".join(lowered[:n]), lowered[:n], text, end)
        if named:
            return named[0], named[1], words[n - 1].end(), named[2]
    if text[end:end + 1] == "-":
        head = lowered[0].split("-")[0]
        age = _AGE.match(lowered[0])
        if age:  # "28-year-old": an age, with its own unit
            return f"{_TIME_UNITS[age['unit']]} of age", None, words[0].end(), False
        named = _named_unit(head, [head], text, end)
        if named:  # "one-yen bid", "12-cent-a-share dividend", "5-mile walk"
            return named[0], named[1], words[0].start() + len(head), named[2]
        first = singular(head)
        if first in _TIME_UNITS:
            return _TIME_UNITS[first], None, words[0].start() + len(head), False
        return None, None, end, False
    if len(lowered) >= 2 and singular(lowered[0]) in _AGE_UNITS and lowered[1] == "old":  # "28 years old"
        return f"{_TIME_UNITS[singular(lowered[0])]} of age", None, words[1].end(), False
    chosen = _counted_noun(words, lowered, count)
    if chosen is None:
        return None, None, end, False
    lemma = singular(chosen.group())
    if lemma in _TIME_UNITS:
        return _TIME_UNITS[lemma], None, chosen.end(), False
    return lemma, None, chosen.end(), False


def _counted_noun(words: list[re.Match], lowered: list[str], count: float) -> re.Match | None:
    """The noun a number counts: the first plural-looking content word ("2,500 US troops" ->
    "troops"), or for a count of one the first lower-case word; modifiers before it (a
    capitalised word, a singular word) are skipped, a function word or a verb after ends the search."""
    for i, (word, low) in enumerate(zip(words, lowered)):
        if low in _STOP or not low.replace("-", "").isalpha():
            return None
        if i > 0 and _VERB_LIKE.search(low) and low not in _IRREGULAR:
            return None
        capitalised = word.group()[0].isupper()
        if low in _IRREGULAR or (count != 1 and singular(low) != low):
            return None if capitalised and word.group() != word.group().capitalize() else word
        if count == 1 and i == 0 and not capitalised:
            return word
    return None


def _named_unit(phrase: str, words: list[str], text: str, number_end: int) -> tuple[str | None, str | None, bool] | None:
    """Currency or measurement named by the words after a number ("million australian dollars")."""
    head = singular(words[-1])
    head = _NAME_ALIASES.get(head, head)
    if len(words) == 1 and head in _GLUED_NAMES:
        return None, _GLUED_NAMES[head], False
    if len(words) == 2 and words[0] in _CURRENCY_NAMES and words[1] in _MINOR_UNITS:  # "50 euro cents"
        return _MINOR_UNITS[words[1]], None, False
    if head in _CURRENCY_NAMES or words[-1] in _CURRENCY_NAMES:
        name = head if head in _CURRENCY_NAMES else words[-1]
        adjective = " ".join(words[:-1])
        code = _CURRENCY_ADJECTIVES.get((adjective, name))
        if len(words) > 1 and code is None:
            return None
        if code is None:
            code = _CURRENCY_NAMES[name]
            if name in _AMBIGUOUS_CURRENCY and not _scale_before(text, number_end) and not _STERLING.match(text, number_end + len(phrase) + 1):
                if name == "pound":
                    return "pound", None, True
                return None
        return (name if code is None else None), code, False
    if phrase in _MINOR_UNITS and phrase != "p":
        return _MINOR_UNITS[phrase], None, False
    if phrase in _MEASURES and (len(phrase) > 2 or " " in phrase):
        return _MEASURES[phrase], None, True
    if head in _MEASURES and (len(head) > 2 or " " in phrase) and head not in ("storey",):
        return _MEASURES[head], None, True
    return None


def _scale_before(text: str, number_end: int) -> bool:
    return bool(_SCALE_END.search(text[max(0, number_end - 10):number_end]))


def _qualifier(text: str, start: int, window: int) -> tuple[str, int]:
    lo = max(0, start - window)
    end, word = _word_before(text, start, lo)
    tilde = not word and text[end - 1:end] == "~"
    if not tilde and word.isascii() and word.lower() not in _QUALIFIER_LAST_WORDS:
        return "exact", start
    m = _QUALIFIER_BEFORE.search(text, lo, start)
    if not m:
        return "exact", start
    kind = "approximate" if m["approx"] or m["tilde"] else "at_least" if m["least"] else "at_most"
    return kind, m.start()


def quantity_spans(text: str, detected: Detection | None = None, *, rules: QuantityRules = QuantityRules(),
                   hits: Callable[[Trigger], list[int]] | None = None) -> list[Quantity]:
    """Every quantity in `text` with its value, range, unit, currency and qualifier, in text order.
    `detected` is `pipeline.stages.dates.detect(text)` when the caller already has it; `hits` gives
    the hits of `QUANTITY_TRIGGERS` in `text` when a `Scan` of its batch has them."""
    if hits is None:
        hits = partial(Scan([text], QUANTITY_TRIGGERS).hits, 0)
    nums = _numbers(text, hits, rules)
    if nums and detected is None:
        detected = detect(text)
    dates_found = Intervals(detected.spans()) if nums else Intervals(())
    out: list[Quantity] = []
    i = 0
    used_until = -1
    while i < len(nums):
        num = nums[i]
        i += 1
        if num.start < used_until:
            continue
        low = high = None
        value = num.value
        end = num.end
        currency = num.currency
        qualifier, start = _qualifier(text, num.start, rules.qualifier_window)
        if i < len(nums):
            nxt = nums[i]
            join = _RANGE_JOIN.fullmatch(text, num.end, nxt.start)
            lead = _RANGE_LEAD.search(text, max(0, num.start - 9), num.start)
            if join and num.value < nxt.value and (lead or (not join["and"] and num.words == nxt.words)):
                first = num.value
                if abs(nxt.value) >= 1000 and abs(first) < 1000 and _scale_before(text, nxt.end):
                    first *= nxt.value / _unscaled(text, nxt)
                if first < nxt.value:
                    low, high = first, nxt.value
                    value = (low + high) / 2
                    end = nxt.end
                    currency = currency or nxt.currency
                    qualifier = "range"
                    start = lead.start() if lead else num.start
                    i += 1
        if qualifier == "range":
            scale = _SCALE_AFTER_RANGE.match(text, end)
            if scale:  # "between 10 and 50, say, million years"
                factor = SCALES[scale["scale"].lower()]
                low, high, value, end = low * factor, high * factor, value * factor, scale.end()
        unit, named_currency, unit_end, measure = _unit_after(text, end, value)
        currency = currency or named_currency
        if unit in ("percent", "percentage point") and currency:
            unit_end = end
            unit = None
        if qualifier != "range" and i < len(nums) and (unit or currency):
            joined = _range_of_amounts(text, start, value, unit, currency, unit_end, nums[i])
            if joined:  # "from 10 dollars to 20 dollars", "between 5 km and 8 km"
                low, high, unit_end = joined
                value, qualifier, i = (low + high) / 2, "range", i + 1
                lead = _RANGE_LEAD.search(text, max(0, num.start - 9), num.start)
                start = lead.start() if lead else start
        below = _BELOW_ZERO.match(text, unit_end)
        if below and (unit is None or unit.startswith("degree")) and qualifier != "range":  # "2 degrees below zero"
            value, unit, unit_end = -value, unit or "degree", below.end()
        while measure and qualifier != "range" and i < len(nums) and _COMPOUND_GAP.fullmatch(text, unit_end, nums[i].start):
            unit2, _, end2, _ = _unit_after(text, nums[i].end, nums[i].value)
            factor = _SUBUNITS.get((unit, unit2))
            if factor is None:
                break
            value, unit, unit_end, i = value * factor + nums[i].value, unit2, end2, i + 1  # "7 feet 10 inches" -> 94 inches
        if currency is None and unit is None:
            named_before = _currency_name_before(text, start)
            if named_before:  # "ringgit 42", "malaysian ringgit 42"
                currency, start = named_before
        if currency and unit is None and qualifier != "range" and value == int(value):
            value, unit_end = _with_minor_units(text, value, unit_end)
        if unit is None and currency is None and qualifier == "exact" and _CODE_BEFORE.search(text, max(0, num.start - 20), num.start):
            continue  # versions and bill numbers: "CentOS 8", "HR 6819", "H.R. 1"
        if dates_found.overlaps(num.start, end) and unit not in _TIME_UNITS.values():
            continue
        if qualifier == "exact" and num.words and unit is None and not currency and value == 1:
            continue
        if low is None and (_HYPHEN_DIGIT.match(text[num.end:num.end + 2]) or _DIGIT_HYPHEN_END.search(text[max(0, num.start - 2):num.start])):
            continue
        used_until = unit_end
        out.append(Quantity(start, unit_end, text[start:unit_end], value, low, high, unit, currency, qualifier))
    out.extend(_vague(text, hits, out, rules.vague_factor))
    out.extend(_one_unit(text, hits, out, dates_found, rules.qualifier_window))
    return sorted(out, key=lambda q: (q.start, q.end))


def _currency_name_before(text: str, start: int) -> tuple[str, int] | None:
    """(code, start of the name) for a currency named right before a number; generic names need
    their adjective, names that are also words ("pound", "won") are left out, and so are
    capitalised names, which name things ("Euro 2016")."""
    lo = max(0, start - 30)
    _, word = _word_before(text, start, lo)
    if not word.islower() or singular(word) not in _CURRENCY_NAMES:
        return None
    m = _NAME_BEFORE.search(text, lo, start)
    if m is None:
        return None
    name = m["name"].lower()
    code = _CURRENCY_ADJECTIVES.get((m["adj"].lower(), name)) if m["adj"] else None
    if code is not None:
        return code, m.start()
    code = None if name in _AMBIGUOUS_CURRENCY else _CURRENCY_NAMES[name]
    return (code, m.start("name")) if code else None


def _with_minor_units(text: str, value: float, end: int) -> tuple[float, int]:
    """A whole amount with the minor units after it: "3 dollars 50 cents" -> 3.5, "US$3 and
    fourteen" -> 3.14 (a bare number counts hundredths, or the unit below a tenth)."""
    per_main, above = 100, 1  # the next bare part counts 1/per_main; `above` of its unit per main unit before
    while True:
        minor = _MINOR_AMOUNT.match(text, end)
        if not minor or not (minor["minor"] or minor["close"] is not None):
            return value, end
        part = _MINOR_PER_MAIN.get(minor["minor"].lower(), 100) if minor["minor"] else per_main
        count = digits_value(minor["n"]) if minor["n"][0].isdigit() else small_number(minor["n"])
        if count is None or not 0 < count < part // above or count != int(count):
            return value, end
        value += count / part
        end = minor.end("minor") if minor["minor"] else minor.end("n")
        if part >= 100:
            return value, end
        per_main, above = part * 10, part


def _range_of_amounts(text: str, start: int, value: float, unit: str | None, currency: str | None, unit_end: int, nxt: _Num) -> tuple[float, float, int] | None:
    """(low, high, end) when "from/between" an amount with its unit "to/and" another of the same unit follows."""
    join = _UNIT_RANGE_JOIN.fullmatch(text, unit_end, nxt.start)
    if not join or not (join["dash"] or _RANGE_LEAD.search(text, max(0, start - 9), start)):
        return None
    unit2, currency2, end2, _ = _unit_after(text, nxt.end, nxt.value)
    if (unit2, currency2 or nxt.currency) != (unit, currency) or not value < nxt.value:
        return None
    return value, nxt.value, end2


def _unscaled(text: str, num: _Num) -> float:
    """The digits of a scaled number without its scale ("40 million" -> 40)."""
    digits = re.match(r"[-−]?[\d.,\s]+", text[num.start:num.end].lstrip("$£€¥₹ "))
    parsed = digits_value(digits.group().strip()) if digits else None
    return parsed if parsed else num.value


def _vague(text: str, hits: Callable[[Trigger], list[int]], found: list[Quantity], factor: float) -> list[Quantity]:
    out = []
    taken = Intervals((q.start, q.end) for q in found)
    for m in windowed(_VAGUE, text, hits(_VAGUE_TRIGGERS), back=0, ahead=60):
        if taken.overlaps(m.start(), m.end()):
            continue
        value = float(factor * _VAGUE_SCALES[m["base"].lower()] * (_VAGUE_MULT[m["mult"].lower()] if m["mult"] else 1))
        unit, currency, end, _ = _noun_after(text, m.end(), value)
        end = end if unit or currency else m.start("mult") + len(m["mult"]) if m["mult"] else m.start() + len(m["base"])
        out.append(Quantity(m.start(), end, text[m.start():end], value, None, None, unit, currency, "at_least"))
    return out


# Units that "a"/"an"/"half a" count ("a dollar", "half a litre"). Words with other senses ("a
# yard", "a foot", "a degree", "a bit", "a ton of") are left out.
_ONE_UNIT_WORDS = ("dollar", "euro", "yen", "yuan", "rupee", "ruble", "rouble", "cent", "penny", "mile", "kilometre",
                   "kilometer", "metre", "meter", "centimetre", "centimeter", "millimetre", "millimeter", "inch", "kilogram",
                   "kilo", "gram", "litre", "liter", "gallon", "tonne", "hectare", "acre")
_ONE_UNIT = Vocabulary(("dollar", "euro", "yen", "yuan", "rupee", "rub", "rou", "cent", "penny", "mile", "kilo", "met",
                        "milli", "inch", "gram", "lit", "gallon", "tonne", "hectare", "acre"), frozenset(_ONE_UNIT_WORDS))
# Every trigger the stage asks a `Scan` for.
QUANTITY_TRIGGERS: tuple[Trigger, ...] = (_NUMBER_VOCABULARY, _VAGUE_TRIGGERS, _ONE_UNIT)
_ARTICLE_BEFORE = re.compile(r"\b(?P<art>half\s+an?|an?|half)[\s-]+\Z", _I)
_AMOUNT_END = re.compile(r"[\d%$€£¥]\s*\S*\s*\Z")


def _one_unit(text: str, hits: Callable[[Trigger], list[int]], found: list[Quantity], dates_found: Intervals, qualifier_window: int) -> list[Quantity]:
    """"a dollar", "an inch", "half a litre": one (or half) of a named unit. After an amount "a"
    means "per" ("$80 a barrel", "50 miles an hour"), so nothing is counted there."""
    out = []
    taken = Intervals((q.start, q.end) for q in found)
    for hit in hits(_ONE_UNIT):
        art = _ARTICLE_BEFORE.search(text, max(0, hit - 8), hit)
        if art is None or _AMOUNT_END.search(text, max(0, art.start() - 12), art.start()):
            continue
        word = _WORD.match(text, hit).group().lower()
        named = _named_unit(word, [word], text, hit)
        if named is None or taken.overlaps(art.start(), hit + len(word)) or dates_found.overlaps(art.start(), hit + len(word)):
            continue
        value = 0.5 if art["art"].lower().startswith("half") else 1.0
        end = hit + len(word)
        qualifier, start = _qualifier(text, art.start(), qualifier_window)
        out.append(Quantity(start, end, text[start:end], value, None, None, named[0], named[1], qualifier))
    return out


_SCHEMA = polars_schema(Quantities)


def quantities(articles: pl.DataFrame, sentences: pl.DataFrame, detected: list[Detection] | None = None, *,
               rules: QuantityRules = QuantityRules()) -> pl.DataFrame:
    """The `quantities` table for a shard: every quantity inside a sentence, sorted by article and start.
    `detected` is `pipeline.stages.dates.detections(articles)` when the caller already has it (the dates
    stage needs the same detection, and the caller's `DateRules`)."""
    by_article = sentence_index(sentences)
    texts = articles["text"].to_list()
    detected = detect_all(texts) if detected is None else detected
    scan = Scan(texts, QUANTITY_TRIGGERS)
    records = []
    for k, (aid, text, found) in enumerate(zip(articles["article_id"], texts, detected, strict=True)):
        for q, sid in spans_in_sentences(quantity_spans(text, found, rules=rules, hits=partial(scan.hits, k)), by_article.get(aid, [])):
            records.append((stable_id(aid, q.start, q.end), aid, sid, q.text, q.start, q.end, q.value, q.low, q.high, q.unit, q.currency, q.qualifier))
    return pl.DataFrame(records, schema=_SCHEMA, orient="row").sort("article_id", "start", "end")


def quantity_records(quantities_frame: pl.DataFrame) -> dict[str, list[dict]]:
    """Per article id, the annotate command's `quantities` list: {start, end, text, value, low, high, unit, currency, qualifier}."""
    keys = ("start", "end", "text", "value", "low", "high", "unit", "currency", "qualifier")
    out: dict[str, list[dict]] = {}
    for row in quantities_frame.sort("article_id", "start", "end").iter_rows(named=True):
        out.setdefault(row["article_id"], []).append({k: row[k] for k in keys})
    return out
