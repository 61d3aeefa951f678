"""The entities stage's tunables."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.stages.entities.names import NameRules
from pipeline.stages.entities.tagger import TaggerRules


@dataclass(frozen=True)
class EntityRules:
    """Tunables of entity mentions and their resolution."""

    role_lookback: int = 90
    """A title before a name ("Iraqi Prime Minister") is looked for at most this many characters back."""
    role_name_similarity: int = 65
    """A titled name is the gazetteer's holder of the title when their person keys are at least
    this alike (rapidfuzz ratio, 0-100)."""
    max_mentions_per_article: int = 5_000
    """Candidates of an article past this many (by position) are dropped by `pipeline.build` and
    counted in the manifest: a safety cap against a pathological text, far above real news."""
    tagger: TaggerRules = TaggerRules()
    """How the learned tagger reads sentences (`pipeline.stages.entities.tagger`)."""
    names: NameRules = NameRules()
    """How names cluster into entities (`pipeline.stages.entities.names`)."""
