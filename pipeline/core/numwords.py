"""English number words, ordinals and digit strings as values; shared by quantities and dates."""

import re

UNITS = {
    "zero": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {
    "thousand": 1e3, "lakh": 1e5, "lakhs": 1e5, "million": 1e6, "crore": 1e7, "crores": 1e7, "billion": 1e9,
    "trillion": 1e12,
}
# Suffixes and abbreviations that multiply a digit number ("2.3bn", "$5m", "100k").
SCALE_ABBREVIATIONS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6, "mm": 1e6,
    "million": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9, "tn": 1e12, "trn": 1e12,
    "trillion": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "hundred": 1e2, "dozen": 12, "dozens": 12,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}

_CARDINAL_WORDS = [*UNITS, *TEENS, *TENS, "hundred", *SCALES, "dozens", "dozen"]
# Longest first so that "seventeen" is not read as "seven".
_ALT = "|".join(sorted(_CARDINAL_WORDS, key=len, reverse=True))
NUMBER_WORD = rf"(?:{_ALT})"
# A run of number words joined by spaces, hyphens or "and"; `words_value` decides how much is one number.
NUMBER_WORDS = rf"\b{NUMBER_WORD}(?:(?:\s+|\s*-\s*|\s+and\s+){NUMBER_WORD})*\b"
# Denominators of fractions written out ("two thirds", "a quarter").
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
    "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}
ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)

_TOKEN = re.compile(r"[a-z]+")
_GROUPED = re.compile(r"[-+−]?\d{1,3}(?:([,\s\u00a0\u202f'])\d{3})(?:\1\d{3})*(?:\.\d+)?$")
_PLAIN = re.compile(r"[-+−]?(?:\d+(?:\.\d+)?|\.\d+)$")


def _category(word: str) -> str | None:
    if word in UNITS:
        return "zero" if UNITS[word] == 0 else "unit"
    if word in TEENS:
        return "teen"
    if word in TENS:
        return "tens"
    if word == "hundred":
        return "hundred"
    if word in SCALES:
        return "scale"
    if word in ("dozen", "dozens"):
        return "dozen"
    return None


# Which category may follow which inside one number ("twenty one", "two hundred and five").
_FOLLOWS = {
    None: {"zero", "unit", "teen", "tens"},
    "unit": {"hundred", "scale", "dozen"},
    "teen": {"hundred", "scale", "dozen"},
    "tens": {"unit", "scale", "dozen"},
    "hundred": {"unit", "teen", "tens", "scale"},
    "scale": {"unit", "teen", "tens"},
    "zero": set(),
    "dozen": set(),
}


def words_value(phrase: str, allow_leading_scale: bool = False) -> tuple[float, int] | None:
    """Value of the longest number at the start of `phrase` and the character length it covers.

    "two thousand and two hundred" -> 2200; "twenty-one" -> 21; "three dozen" -> 36. With
    `allow_leading_scale`, a phrase may start with "hundred"/"million"/"dozen" (after "a").
    """
    lowered = phrase.lower()
    total = 0.0
    current = 0.0
    small = 0.0
    prev: str | None = None
    last_scale = float("inf")
    end = 0
    for tok in _TOKEN.finditer(lowered):
        word = tok.group()
        if word == "and" and prev in ("hundred", "scale"):
            continue
        cat = _category(word)
        allowed = _FOLLOWS[prev] | ({"hundred", "scale", "dozen"} if prev is None and allow_leading_scale else set())
        if cat is None or cat not in allowed:
            break
        if cat == "scale" and SCALES[word] >= last_scale:
            break
        gap = lowered[end:tok.start()] if prev is not None else ""
        if prev is not None and gap.strip(" -\t\u00a0") not in ("", "and"):
            break
        if cat in ("unit", "teen", "tens", "zero"):
            value = UNITS.get(word, TEENS.get(word, TENS.get(word, 0)))
            current += value
            small += value
        elif cat == "hundred":
            current = (current or 1) * 100
            small = 0
        elif cat == "scale":
            last_scale = SCALES[word]
            total += (current or 1) * SCALES[word]
            current = small = 0
        else:
            base = small or 1
            current += base * 12 - small
            small = 0
        prev = cat
        end = tok.end()
    if prev is None:
        return None
    return total + current, end


def digits_value(token: str) -> float | None:
    """Value of a digit string: "2,500", "40 000", "1.5", ".25", "-9.2"; None when malformed."""
    token = token.replace("−", "-")
    if _PLAIN.match(token):
        return float(token)
    if _GROUPED.match(token):
        return float(re.sub(r"[,\s\u00a0\u202f']", "", token))
    return None


def ordinal_value(word: str) -> int | None:
    """1..31 for "first" .. "thirty-first" (also "twenty second"), else None."""
    lowered = word.lower().replace("-", " ").split()
    if len(lowered) == 1:
        return ORDINALS.get(lowered[0])
    if len(lowered) == 2 and lowered[0] in ("twenty", "thirty") and lowered[1] in ORDINALS and ORDINALS[lowered[1]] < 10:
        return TENS[lowered[0]] + ORDINALS[lowered[1]]
    return None


def small_number(word: str) -> float | None:
    """Value of a digit string or a number-word phrase covering all of `word` ("a"/"an" = 1)."""
    stripped = word.strip()
    if stripped.lower() in ("a", "an"):
        return 1.0
    value = digits_value(stripped)
    if value is not None:
        return value
    parsed = words_value(stripped)
    if parsed is not None and parsed[1] == len(stripped):
        return parsed[0]
    return None
