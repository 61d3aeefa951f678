"""Name keys and clustering: which spellings are one name, and which only look alike.

Keys. A name is folded (accents stripped, case folded, apostrophes dropped) and split into tokens on
spaces, hyphens and dots. PERSON tokens lose name particles (al-, el-, ul-, ur-, bin, ibn, de, van,
von, the Persian -e/-ye, ...) and an article written together with a consonant-initial name
("Alrawi" -> "rawi"); dotted initials stay separate ("S.M." -> s, m); Mohd/Md -> Muhammad;
Abdullah/Abdallah/Abd Allah -> "abd lah". Each token gets a transliteration key: a w after a vowel
before a consonant -> u, other w -> v, dh/zh->z, th->t, kh->k, gh->g, ph->f, q->k, ck->k, sch/ch->sh,
ou/oo->u, ee/ei/ey/ai/ay->i, e->i, o->u, y->i (after the first letter), a final h after a vowel
dropped, double letters collapsed; "Abdul"/"Abdel"/"Abd al" -> "abd". So Kadhimi, Kazimi, Kazemi ->
"kazimi". ORG tokens also drop legal forms (Ltd, Inc, LLC, OAO, S.A., ...) and stop words.

Matching. Two PERSON tokens match when their keys are equal, or differ by one edit (two for keys of
6+ letters, or when only vowels and d/z/s differ), both keys have 4+ letters and start with the same
sound (vowels alike; s/z/d, c/k/g/q, p/f/v alike; g/j, j/y, j/i alike only when the rest is
identical: Gamal/Jamal), or one is the other's initial. Two PERSON names
match when every token of the shorter matches a distinct token of the longer (an initial of the
longer never stands for a word of the shorter), in order unless three or more tokens align (or two
two-token names whose words are swapped: "Surname Given"), the
shorter has two tokens or more, and at least one matched token is distinctive (not among the most
frequent tokens of the names being clustered); names that differ only in spacing match
(Seyedmehdi / Seyed Mehdi). So "Saddam Hussein" and "Fuad Hussein" stay apart, and a bare
"Hussein" matches no one. Two ORG names match when their token lists are equal, equal up to
one-edit spellings, the same words in another order, equal when run together ("Zhu Hai" /
"Zhuhai"), or the shorter starts the longer and is completed in order by at most two more words;
or when their naming words (not generic words such as Company, Trading, Foundation, Sherkat,
Stichting, not frequent tokens) are one set of spellings (the longer may add only generic words:
"Zimbabwe African National Union" is not the African Union, nor the European Court of Justice the
International one). Two one-word ORG names match only when equal (NASA is not Noosa, IFRC not
ICRC). An all-capitals name (3+ letters) matches a fixed group (a gazetteer entry) whose
initials spell it, never another free name: an acronym's expansion must come from the gazetteer
or from the same article (see pipeline.stages.entities.candidates). PLACE names match on equal place keys (vowels
after the first letter alike in words of 5+ letters: Darna/Derna, Misrata/Misurata, but not
Iraq/Iran, Oman/Amman, Mali/Male, Austria/Australia). Every other kind (events, other) matches
only on an equal key.

Clustering is around representatives, not single linkage: names are visited most complete first
(more tokens, then more frequent); a name joins the one cluster whose representative it matches
(a fixed group's every name is a representative: the gazetteer's curated aliases), else it starts a
cluster. Every member becomes a representative, but a name may match a later member only if it
shares a distinctive token with the cluster's first one, so no chain drifts away from it. A name
matching two clusters equally well joins neither. A single PERSON token joins the one cluster with a
full name ending in it (a surname), or a gazetteer entry's one-word alias one edit away; else it
stays apart.
A second, average-linkage pass repairs the first one's order effects: two PERSON or ORG clusters
merge when at least half of their cross pairs of names match and each is the other's unique best
partner (one round, so no chains).
Candidates come only from blocks keyed by consonant skeletons of the rarest tokens, so the work is
near-linear in the number of distinct names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

PARTICLES = frozenset(
    "al el ul ur u ad ar as ash at az an bin ibn bint ben bn da de di du del della der den van von le la y dos das do e ye".split()
)
# Written abbreviations of Muhammad.
_MUHAMMAD = frozenset("mohd muhd md mhd mohmd mohd muhd mhmd".split())
# The second half of Abdullah as it is written alone or after "Abd".
_LAH = frozenset("lah llah la lla alah allah ala alla ulah ullah ula ulla illah ilah".split())
# "Alrawi", "Elsharif": an article written together with a name that starts with a consonant.
_GLUED_ARTICLE = re.compile(r"^(?:al|el)(?=[b-df-hj-np-tv-z][a-z]{3})")
# Titles and honorifics written before a name are not part of it.
_PERSON_TITLES = frozenset(
    """mr mrs ms miss dr doctor prof professor sir dame lord lady col colonel gen general lt major maj capt
    captain sgt haji hajji hadji mullah mulla sheikh shaykh shaikh sheik cheikh imam maulana mawlana maulvi
    mawlawi ayatollah""".split()
)
_ORG_DROP = frozenset(
    """of the and for de la del des du y & in on at an a al el
    ltd limited llc inc incorporated corp co company plc llp lp gmbh ag sa sas sarl srl spa bv nv cv
    oao ooo zao pao ojsc cjsc jsc pjsc ao tov doo dd fze fzco fzc sal sae pte pvt sdn bhd kft jv
    joint stock closed open public private obshchestvo obshcestvo ogranichennoi otvetstvennostyu
    aktsionernoe otkrytoe zakrytoe publichnoe sherkat sherkate""".split()
)
# Words that say what kind of organisation a name is, not which one (in several languages):
# two names that differ only in these may name one organisation.
_ORG_GENERIC_WORDS = frozenset(
    """company companies trading trade traders industries industry industrial group groups holding holdings
    international intl foundation trust society association organization organisation org establishment est
    charitable charity welfare committee center centre factory factories complex enterprise enterprises service
    services shipping agency bureau office brothers sons general commerce commercial investment investments
    development construction engineering manufacturing production products technology technologies systems
    solutions network consulting consultants logistics transport import export exchange institute
    institution front movement fund firm partners partnership branch branches unit subsidiary
    sherkat sherkate sanaye sanayeh sanayi sanat tejarat tejarati muassasa muassasat jamiat jamia jamiyat
    stichting foreningen stiftelse stiftung asbl ev grupo inversiones comercializadora servicios empresa
    compania sociedad operadora fundacion asociacion importadora exportadora distribuidora constructora
    societe groupe entreprise fondation kompaniya obedinenie obyedineniye kontsern concern firma""".split()
)
_SPLIT = re.compile(r"[\s\-‐‑–—./,;:()\[\]\"“”«»]+")
_APOSTROPHES = re.compile(r"['’`ʿʾ‘]")
_SPECIAL = str.maketrans({"ø": "o", "ß": "ss", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"})
# A w after a vowel and before a consonant is a vowel (Nawshad, Nowshad); any other w sounds as v.
_VOWEL_W = re.compile(r"(?<=[aeiou])w(?![aeiouy])")
_REWRITES = (
    ("dh", "z"), ("zh", "z"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("sch", "sh"), ("ch", "sh"), ("x", "ks"),
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ey", "i"), ("ai", "i"), ("ay", "i"),
)
_VOWEL_MAP = str.maketrans({"e": "i", "o": "u", "y": "i"})
_DOUBLE = re.compile(r"(.)\1+")
_ABD = re.compile(r"^abd(?:ul|el|al|ol|oul|u|e)?(?=[a-z]{3})|^abd(?:ul|el|al|ol|oul)$")
_COARSE = str.maketrans({"s": "z", "d": "z", "c": "k", "g": "k", "q": "k", "p": "f", "v": "f"})
_FIRST_SOUND = str.maketrans({**{v: "a" for v in "aeiouy"}, "s": "z", "d": "z", "c": "k", "g": "k", "q": "k", "p": "f", "v": "f"})
_SOFT_OPENINGS = ({"g", "j"}, {"j", "i"}, {"j", "y"})
_COARSE_DROP = re.compile(r"[aeiouyhw]")


def folded(text: str) -> str:
    """Lower-case, accent-free form of `text` (apostrophes dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return _APOSTROPHES.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """Transliteration key of one folded token: 'Kadhimi', 'Kazemi', 'Kazimi' -> 'kazimi'."""
    s = _VOWEL_W.sub("u", token).replace("w", "v")
    for a, b in _REWRITES:
        if a in s:
            s = s.replace(a, b)
    head, tail = s[:1], s[1:].translate(_VOWEL_MAP)
    s = _DOUBLE.sub(r"\1", head + tail)
    if len(s) > 3 and s.endswith("h") and s[-2] in "aiu":
        s = s[:-1]
    return s


def coarse_key(key: str) -> str:
    """Consonant skeleton of a token key, for blocking: kazimi, kasimi, kazmi -> 'kzm'."""
    return key[:1] + _COARSE_DROP.sub("", key[1:].translate(_COARSE))


_DOTTED = re.compile(r"\b(?:\w\.){2,}")


def _raw_tokens(name: str, join_initials: bool = True) -> list[str]:
    # In an organisation "U.S." is one token "us"; in a person's name "S.M." are two initials.
    text = folded(name)
    if join_initials:
        text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    return [t for t in _SPLIT.split(text) if t]


@lru_cache(maxsize=200_000)
def person_keys(name: str) -> tuple[str, ...]:
    """Token keys of a person's name, particles dropped, 'Abdulaziz' split into 'abd', 'aziz'."""
    keys: list[str] = []
    for tok in _raw_tokens(name, join_initials=False):
        if tok in PARTICLES or tok in _PERSON_TITLES:
            continue
        if tok in _MUHAMMAD:
            keys.append("muhamad")
            continue
        if tok.startswith("abd") and tok[3:] in _LAH:
            keys += ["abd", "lah"]
            continue
        m = _ABD.match(tok)
        if m:
            keys.append("abd")
            tok = tok[m.end():]
            if not tok:
                continue
        if tok in _LAH and keys and keys[-1] == "abd":
            keys.append("lah")
            continue
        keys.append(token_key(_GLUED_ARTICLE.sub("", tok)))
    return tuple(keys)


@lru_cache(maxsize=200_000)
def org_keys(name: str) -> tuple[str, ...]:
    """Token keys of an organisation's name, legal forms and stop words dropped."""
    # Short tokens are mostly acronyms (EIA, IEA): spelled, not transliterated.
    kept = [token_key(t) if len(t) > 4 else t for t in _raw_tokens(name) if t not in _ORG_DROP]
    return tuple(kept) or tuple(token_key(t) for t in _raw_tokens(name))


_ORG_GENERIC = frozenset({*_ORG_GENERIC_WORDS, *(token_key(w) for w in _ORG_GENERIC_WORDS if len(w) > 4)})


def exact_key(name: str) -> str:
    """Key for names matched only on equality (places, events): folded tokens joined by spaces."""
    toks = _raw_tokens(name)
    if toks and toks[0] == "the" and len(toks) > 1:
        toks = toks[1:]
    return " ".join(toks)


def acronym(name: str) -> str | None:
    """The letters of an all-capitals name ('ISIS', 'U.N.'), else None."""
    letters = name.replace(".", "").replace("-", "")
    if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper():
        return letters
    return None


def initials(name: str) -> str:
    """First letters of a name's words, stop words and legal forms skipped, upper-cased."""
    return "".join(t[0] for t in _raw_tokens(name) if t not in _ORG_DROP and t[0].isalpha()).upper()


def tokens_match(a: str, b: str) -> bool:
    """Whether two token keys are spellings of one name token (see module docstring)."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if min(len(a), len(b)) < 4:
        return False
    shorter = min(len(a), len(b))
    # Spelling variants keep their first sound: Perry is not Diery, Kasimi may be Qasimi.
    if a[0] != b[0] and a[:1].translate(_FIRST_SOUND) != b[:1].translate(_FIRST_SOUND):
        # ...but a soft g, j and y (or i) open one name: Gamal/Jamal, Yusuf/Jusuf, when nothing else differs.
        return a[1:] == b[1:] and {a[0], b[0]} in _SOFT_OPENINGS
    limit = 2 if shorter >= 6 else 1
    distance = Levenshtein.distance(a, b, score_cutoff=2)
    # Two edits are allowed when only vowels and the d/z/s class differ (Chaudhry, Chaudary).
    return distance <= limit or (distance == 2 and shorter >= 5 and coarse_key(a) == coarse_key(b))


def _aligned(short: tuple[str, ...], long: tuple[str, ...], ordered: bool = False, initials: bool = True) -> int | None:
    """Score of matching every token of `short` to a distinct token of `long`, else None.

    Exact token matches score 2, fuzzy ones 1; order must be kept unless 3+ tokens align (and
    not `ordered`). An initial in the longer name never stands for a whole word of the shorter
    ("George Wimpey" is not "George W. Bush"), and no initial matches unless `initials`.
    """
    used: list[int] = []
    score = 0
    for tok in short:
        hit = next((j for j, t in enumerate(long) if j not in used and t == tok and len(t) > 1), None)
        if hit is None:
            hit = next(
                (j for j, t in enumerate(long) if j not in used and (len(t) > 1 or len(tok) == 1) and (initials or min(len(t), len(tok)) > 1) and tokens_match(tok, t)),
                None,
            )
            if hit is None:
                return None
            score += 1
        else:
            score += 2
        used.append(hit)
    if (ordered or len(short) < 3) and used != sorted(used):
        # "Surname Given" for "Given Surname": only two names, both whole and spelled alike.
        if ordered or len(long) != 2 or score < 3:
            return None
        score -= 1
    return score


def person_match(a: tuple[str, ...], b: tuple[str, ...], common: frozenset[str]) -> int | None:
    """Score when two PERSON key tuples name one person (see module docstring), else None."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < len(long) and "".join(short) == "".join(long):
        return 2 * len(short)
    if len(short) < 2 or all(len(t) == 1 for t in short):
        return None
    score = _aligned(short, long)
    if score is None or all(t in common or len(t) == 1 for t in short):
        return None
    return score - (len(long) - len(short))


def org_core(keys: tuple[str, ...], common: frozenset[str]) -> tuple[str, ...]:
    """The tokens of an ORG key tuple that say which organisation it is: not generic, not common."""
    return tuple(t for t in keys if t not in _ORG_GENERIC and t not in common and len(t) > 1)


def org_match(a: tuple[str, ...], b: tuple[str, ...], common: frozenset[str] = frozenset()) -> int | None:
    """Score when two ORG key tuples name one organisation, else None."""
    score = _org_string_match(a, b)
    if score is not None:
        return score
    # "Afaq Dubai" and "Afak Dubai Exchange Company": the naming words of one are all among the
    # other's, and one of them is long enough to identify (not a code like "SD").
    # One-word names match only when equal: NASA is not Noosa, IFRC not ICRC, Hubble not Hubli.
    if len(a) == 1 and len(b) == 1:
        return None
    ca, cb = org_core(a, common), org_core(b, common)
    short, long = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    # The naming words must be the same (up to spelling and order): the longer name may add only
    # generic words ("Afaq Dubai" / "Afak Dubai Exchange Company"), not another naming word
    # ("Zimbabwe African National Union" is not the African Union, the European Court of Justice
    # not the International Court of Justice). A single naming word must also be spelled alike.
    if short and len(short) == len(long) and any(len(t) >= 4 for t in short) and (len(short) > 1 or short == long):
        found = _aligned(short, long, ordered=False, initials=False) if len(short) >= 3 else _aligned(short, long, initials=False) or _aligned(short[::-1], long, initials=False)
        if found is not None:
            return found - (len(long) - len(short)) - 1
    return None


def _org_string_match(a: tuple[str, ...], b: tuple[str, ...]) -> int | None:
    """Score when two ORG key tuples are one string up to spelling, spacing, order or a short tail."""
    if a == b:
        return 2 * len(a)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    # "Zhu Hai Zhen Rong" is "Zhuhai Zhenrong": compare the words run together, transliterated.
    if len(short) < len(long) and token_key("".join(short)) == token_key("".join(long)):
        return 2 * len(short)
    if len(short) == len(long):
        if all(tokens_match(x, y) for x, y in zip(short, long)) and any(x == y for x, y in zip(short, long)):
            return len(short)
        return None
    if sorted(short) == sorted(long):
        return 2 * len(short) - 1
    if len(short) >= 2 and len(long) - len(short) <= 2 and short[0] == long[0]:
        score = _aligned(short, long, ordered=True, initials=False)
        if score is not None and any(t in long for t in short):
            return score - (len(long) - len(short))
    return None


@dataclass(frozen=True)
class NameRules:
    """Tunables of name clustering (benchmarks/entities_eval.py measures them on the name-variant set)."""

    common_token_names: int = 20
    """A token is common (it identifies no one on its own: Muhammad, Abu, Bank) when more names
    than this carry it..."""
    common_token_per: int = 500
    """...or more than one name in this many."""
    merge_share: float = 0.5
    """Two clusters are one entity when at least this share of their cross pairs of names match."""
    merge_block_limit: int = 50
    """The repair pass looks for partners only in blocks of at most this many clusters."""


class _Cluster:
    __slots__ = ("anchors", "fixed", "members")

    def __init__(self, fixed: bool) -> None:
        self.anchors: list[tuple[str, ...]] = []
        self.fixed = fixed
        self.members: list[int] = []


def name_clusters(
    names: Sequence[str],
    kinds: Sequence[str],
    weights: Sequence[int] | None = None,
    groups: Sequence[str | None] | None = None,
    rules: NameRules = NameRules(),
) -> list[int]:
    """Cluster number for each name (same number = same entity); numbering is deterministic.

    `kinds`: "PERSON", "ORG", "PLACE" (equal place keys), or anything else (equal keys only). `weights`: how often each name
    was seen (more frequent names become representatives first). `groups`: a fixed group per name
    (e.g. a gazetteer entry) whose names are always one cluster; None for names to be placed.
    Names of different kinds never share a cluster.
    """
    n = len(names)
    weights = weights if weights is not None else [1] * n
    groups = groups if groups is not None else [None] * n
    out = [-1] * n
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, kind in enumerate(kinds):
        by_kind[kind if kind in ("PERSON", "ORG", "PLACE") else "OTHER"].append(i)
    next_id = 0
    for kind in sorted(by_kind):
        clusters = _kind_clusters(kind, by_kind[kind], names, weights, groups, rules)
        for cluster in clusters:
            for i in cluster.members:
                out[i] = next_id
            next_id += 1
    return out


_VOWELS = re.compile(r"[aeiouy]")


def place_key(name: str) -> str:
    """Key of a place name: the exact key with vowels after the first letter alike in tokens of 5+
    letters, so transliterations Darna/Derna, Misrata/Misurata... join, but Iraq/Iran, Oman/Amman,
    Austria/Australia, Mali/Male stay apart."""
    return " ".join(t[0] + _VOWELS.sub("a", t[1:]) if len(t) >= 5 and t.isalpha() else t for t in exact_key(name).split())


def _keys_of(kind: str, name: str) -> tuple[str, ...]:
    if kind == "PERSON":
        return person_keys(name)
    if kind == "ORG":
        return org_keys(name)
    if kind == "PLACE":
        return (place_key(name),)
    return (exact_key(name),)


def _kind_clusters(kind: str, idx: list[int], names: Sequence[str], weights: Sequence[int], groups: Sequence[str | None], rules: NameRules) -> list[_Cluster]:
    keys = {i: _keys_of(kind, names[i]) for i in idx}
    df = Counter(t for i in idx for t in set(keys[i]))
    # Tokens shared by many names (Muhammad, Abu, Bank) cannot identify anyone on their own.
    cap = max(rules.common_token_names, len(idx) // rules.common_token_per)
    common = frozenset(t for t, c in df.items() if c > cap)
    order = sorted(idx, key=lambda i: (groups[i] is None, groups[i] or "", -len(keys[i]), -weights[i], names[i]))
    clusters: list[_Cluster] = []
    fixed: dict[str, _Cluster] = {}
    exact: dict[tuple[str, ...], _Cluster] = {}
    block: dict[str, list[_Cluster]] = defaultdict(list)
    by_initials: dict[str, list[_Cluster]] = defaultdict(list)
    surname: dict[str, list[_Cluster]] = defaultdict(list)

    def add_anchor(cluster: _Cluster, i: int) -> None:
        k = keys[i]
        cluster.anchors.append(k)
        exact.setdefault(k, cluster)
        for t in set(k):
            if t not in common and len(t) > 1:
                block[coarse_key(t)].append(cluster)
        if len(k) > 1:
            block[coarse_key("".join(k))].append(cluster)
        if kind == "ORG" and len(k) >= 2:
            by_initials[initials(names[i])].append(cluster)
        if kind == "PERSON" and len(k) >= 2:
            surname[k[-1]].append(cluster)

    for i in order:
        k = keys[i]
        if groups[i] is not None:
            cluster = fixed.get(groups[i])
            if cluster is None:
                cluster = fixed[groups[i]] = _Cluster(fixed=True)
                clusters.append(cluster)
            cluster.members.append(i)
            add_anchor(cluster, i)
            continue
        cluster = _placed(kind, names[i], k, common, exact, block, by_initials, surname)
        if cluster is None:
            cluster = _Cluster(fixed=False)
            clusters.append(cluster)
            add_anchor(cluster, i)
        else:
            add_anchor(cluster, i)
        cluster.members.append(i)
    if kind in ("PERSON", "ORG"):
        clusters = _merged(kind, clusters, common, block, rules)
    return clusters


def _merged(kind: str, clusters: list[_Cluster], common: frozenset[str], block: dict[str, list[_Cluster]], rules: NameRules) -> list[_Cluster]:
    """Average-linkage repair of the first pass: a spelling that opened its own cluster before its
    variants were seen (Inayat / Anayet) joins the cluster most of whose names match most of its
    own. Only mutual best partners merge, once, so no chain can form."""
    position = {id(c): n for n, c in enumerate(clusters)}
    match = person_match if kind == "PERSON" else org_match

    def names_of(c: _Cluster) -> list[tuple[str, ...]]:
        return [a for a in dict.fromkeys(c.anchors) if kind == "ORG" or len(a) > 1]

    best: dict[int, tuple[float, int] | None] = {}
    for n, c in enumerate(clusters):
        mine = names_of(c)
        if not mine:
            continue
        partners = {position[id(d)] for a in mine for t in set(a) if t not in common and len(t) > 1
                    for d in (block.get(coarse_key(t), ()) if len(block.get(coarse_key(t), ())) <= rules.merge_block_limit else ())}
        scored = []
        for m in sorted(partners - {n}):
            d = clusters[m]
            theirs = names_of(d)
            if not theirs or (c.fixed and d.fixed):
                continue
            hits = sum(match(a, b, common) is not None for a in mine for b in theirs)
            share = hits / (len(mine) * len(theirs))
            if share >= rules.merge_share:
                scored.append((share, m))
        if scored:
            top = max(scored)[0]
            tied = [m for share, m in scored if share == top]
            best[n] = (top, tied[0]) if len(tied) == 1 else None
    absorbed: set[int] = set()
    for n, pick in best.items():
        if pick is None or n in absorbed:
            continue
        m = pick[1]
        back = best.get(m)
        if back is None or back[1] != n or m in absorbed or n > m:
            continue
        keep, gone = (clusters[m], clusters[n]) if clusters[m].fixed else (clusters[n], clusters[m])
        keep.members.extend(gone.members)
        keep.anchors.extend(gone.anchors)
        absorbed.add(position[id(gone)])
    return [c for n, c in enumerate(clusters) if n not in absorbed]


def _unique(found: list[_Cluster]) -> _Cluster | None:
    distinct = list(dict.fromkeys(found))
    return distinct[0] if len(distinct) == 1 else None


def _placed(kind, name, k, common, exact, block, by_initials, surname) -> _Cluster | None:
    """The one cluster this name belongs to, or None (no match, or an ambiguous one)."""
    if k in exact:
        return exact[k]
    if kind == "ORG":
        letters = acronym(name)
        if letters and len(letters) >= 3:
            # An acronym expands only to a fixed group's name with its letters (a gazetteer entry);
            # an expansion in the same article is linked before clustering (pipeline.stages.entities.candidates).
            return _unique([c for c in by_initials.get(letters, []) if c.fixed])
    if kind in ("OTHER", "PLACE"):
        return None
    if len(k) == 1:
        if kind == "PERSON":
            hits = surname.get(k[0], [])
            if not hits:
                # A lone token may join a gazetteer entry's lone alias only when one edit apart.
                hits = [
                    c for c in block.get(coarse_key(k[0]), [])
                    if c.fixed and len(k[0]) >= 5 and any(len(a) == 1 and Levenshtein.distance(a[0], k[0], score_cutoff=1) <= 1 for a in c.anchors)
                ]
            return _unique(hits)
        return None
    rare = sorted((t for t in set(k) if t not in common and len(t) > 1), key=lambda t: (len(block.get(coarse_key(t), ())), t))[:2]
    rare.append("".join(k))
    candidates = list(dict.fromkeys(c for t in rare for c in block.get(coarse_key(t), ())))
    distinctive = {t for t in k if t not in common and len(t) > 1}
    best: list[tuple[int, _Cluster]] = []
    for cluster in candidates:
        # Against a placed cluster, a match with a later member counts only when the name also
        # shares a distinctive token with the cluster's first representative: no drifting chains.
        anchors = cluster.anchors if cluster.fixed or distinctive & set(cluster.anchors[0]) else cluster.anchors[:1]
        scores = [s for a in anchors if (s := (person_match(k, a, common) if kind == "PERSON" else org_match(k, a, common))) is not None]
        if scores:
            best.append((max(scores), cluster))
    if not best:
        return None
    top = max(s for s, _ in best)
    return _unique([c for s, c in best if s == top])
