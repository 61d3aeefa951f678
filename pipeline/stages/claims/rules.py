"""The claims stage's tunables."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ClaimRules:
    """Tunables of claim extraction and grouping. The overlaps, windows and value margins were set
    looking at the seeds (tests/gold/seed_claims.jsonl) and the invented multi-source set; the
    story rules of grouping were checked on the odd ECB+ development topics (benchmarks/ecb_eval.py,
    even topics held out). See README, "Claims"."""

    max_predicate_words: int = 40
    """The main verb is looked for among a clause's first this many words; later ones are rarely it."""
    max_claim_chars: int = 2_000
    """In a sentence longer than this, a quantity claim keeps the part of its clause around its number
    (and that part's words), not the whole clause: a copy per number made one long sentence of
    numbers cost the square of its length (tests/test_robustness.py)."""
    context_places: int = 3
    """A claim that names no place ("the soldiers in the Asian country") takes its article's this many
    most mentioned places."""
    approximate: float = 0.1
    """"around 2,500" covers 2,500 give or take this share when grouping, twice that before two
    values conflict; "at least" and "at most" reach as far on their open side."""
    min_shared_words: int = 2
    """Two event or statement claims outside one story's action share at least this many words."""
    min_overlap: float = 0.3
    """Share of the smaller claim's words two event claims of one action class (or two statements of
    one speaker in one story) must have in common."""
    min_word_overlap: float = 0.6
    """The same share for any other verb, and for one speaker's statements across stories."""
    distinct_value: float = 100
    """Counts below this are common enough that matching needs a shared word besides the unit."""
    undated_group_days: int = 365
    """An undated claim speaks of its article's time: within this many days of publication for grouping..."""
    undated_conflict_days: int = 31
    """...and within this many for conflicts."""
    count_slack_days: int = 183
    """A count describes a lasting state: its time may be this many days off ("around 2,500 since
    late last year" joins "2,500 as of the end of 2021")."""
    max_block: int = 200
    """Claims compared per block key (the latest ones), and the group members a claim is checked against."""
    max_conflict_block: int = 500
    """Quantity claims compared for conflicts per story, unit and places (the first ones)."""
    min_conflict_context: float = 0.5
    """Share of the smaller claim's words (beyond what is counted) two counts must share to measure
    the same thing and conflict."""
    max_conflict_names: int = 3
    """How many differing values a group's `conflict` names."""
