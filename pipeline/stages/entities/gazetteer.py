"""The gazetteer (pipeline/data/gazetteer.csv, extensible with a user file: names, aliases, demonyms,
roles with dates) and the shipped list of common given names."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from pipeline import DATA
from pipeline.stages.entities.lexicon import _HEAD_SYNONYMS, _ROLE, TYPES
from pipeline.stages.entities.names import acronym

GAZETTEER_PATH = DATA / "gazetteer.csv"
GIVEN_NAMES_PATH = DATA / "given_names.txt"


@dataclass(frozen=True)
class Role:
    """A role a gazetteer person held: title, affiliation (a gazetteer name or text) and dates."""

    head: str
    affiliation: str
    start: date | None
    end: date | None


@dataclass
class GazetteerEntry:
    name: str
    type: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    roles: tuple[Role, ...]
    wikidata_id: str | None


@dataclass
class Gazetteer:
    """Reference entities with lookup indexes; build it with `load_gazetteer`."""

    entries: dict[str, GazetteerEntry]
    exact: dict[tuple[str, ...], str] = field(default_factory=dict)
    folded: dict[tuple[str, ...], str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    roles: dict[tuple[str, str], list[tuple[str, Role]]] = field(default_factory=lambda: defaultdict(list))
    longest: int = 1
    given_names: frozenset[str] = frozenset()

    def entry_for(self, words: tuple[str, ...], folded: tuple[str, ...] | None = None) -> str | None:
        """Gazetteer name for a word sequence as written (and its case-folded form, if at hand), or None."""
        hit = self.exact.get(words)
        if hit is None:
            hit = self.folded.get(folded if folded is not None else tuple(w.casefold() for w in words))
        return hit

    def affiliation(self, text: str) -> str:
        """Gazetteer name for an affiliation written as a name or demonym, else the folded text."""
        words = tuple(_strip_the(text).split())
        return self.entry_for(words) or self.demonyms.get(" ".join(words).casefold()) or " ".join(words).casefold()


def _strip_the(text: str) -> str:
    return text[4:] if text[:4].casefold() == "the " else text


def _split(field_value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (field_value or "").split("|") if p.strip())


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _parsed_role(spec: str, gazetteer: Gazetteer) -> Role:
    phrase, _, span = spec.partition("@")
    m = _ROLE.search(phrase.strip() + " ")
    if m is None or m.start() != 0:
        raise ValueError(f"gazetteer role not understood: {spec!r}")
    head, affiliation = _role_parts(m, gazetteer)
    start, _, end = span.partition("/")
    return Role(head, affiliation, _date(start.strip()), _date(end.strip()))


def _role_parts(m: re.Match, gazetteer: Gazetteer) -> tuple[str, str]:
    head = " ".join(m.group("head").casefold().split())
    head = _HEAD_SYNONYMS.get(head, head)
    aff = m.group("aff2") or m.group("aff") or ""
    return head, gazetteer.affiliation(aff) if aff else ""


@lru_cache(maxsize=1)
def given_names(path: Path = GIVEN_NAMES_PATH) -> frozenset[str]:
    """Common given names (lower case) from the shipped list: evidence that a run names a person."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))


def load_gazetteer(extra: str | Path | None = None) -> Gazetteer:
    """The shipped gazetteer plus an optional user CSV with the same columns; user rows win.

    Columns: name, type, aliases (|-separated), demonyms, roles ("Title@YYYY-MM-DD/YYYY-MM-DD",
    either date optional), wikidata_id. A user row with a shipped row's name replaces it, and a
    user alias takes precedence over a shipped one.
    """
    rows: dict[str, dict] = {}
    sources = [GAZETTEER_PATH] + ([Path(extra)] if extra else [])
    for rank, path in enumerate(sources):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = {"name", "type"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{path}: gazetteer needs columns {sorted(missing)}")
            for row in reader:
                if row["type"] not in TYPES:
                    raise ValueError(f"{path}: unknown type {row['type']!r} for {row['name']!r}")
                rows[row["name"]] = {**row, "_rank": rank}
    gazetteer = Gazetteer(entries={}, given_names=given_names())
    # Shipped rows index first so that user rows, indexed later, win alias conflicts.
    ordered = sorted(rows.values(), key=lambda r: (r["_rank"], r["name"]))
    for row in ordered:
        entry = GazetteerEntry(
            name=row["name"], type=row["type"], aliases=_split(row.get("aliases")), demonyms=_split(row.get("demonyms")),
            roles=(), wikidata_id=(row.get("wikidata_id") or None),
        )
        gazetteer.entries[entry.name] = entry
        for alias in (entry.name, *entry.aliases):
            words = tuple(_strip_the(alias).split())
            if acronym(alias):
                gazetteer.exact[words] = entry.name
            else:
                gazetteer.folded[tuple(w.casefold() for w in words)] = entry.name
            gazetteer.longest = max(gazetteer.longest, len(words))
        for demonym in entry.demonyms:
            gazetteer.demonyms[demonym.casefold()] = entry.name
    for row in ordered:
        entry = gazetteer.entries[row["name"]]
        entry.roles = tuple(_parsed_role(spec, gazetteer) for spec in _split(row.get("roles")))
        for role in entry.roles:
            gazetteer.roles[(role.head, role.affiliation)].append((entry.name, role))
    return gazetteer
