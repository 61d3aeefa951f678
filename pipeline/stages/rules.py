"""Every stage's rules in one frozen bundle, and its digest for cache keys.

`Rules()` holds each stage's defaults; tuning passes `dataclasses.replace(Rules(), sentences=
SentenceRules(max_sentences_per_article=100))` (through `BuildOptions.rules`) instead of patching
module globals. `rules_digest` goes into the build's cache keys, so a changed threshold recomputes
what it touches.
"""

import hashlib
import json
from dataclasses import asdict, dataclass

from pipeline.stages.boilerplate import BoilerplateRules
from pipeline.stages.clean import CleanRules
from pipeline.stages.duplicates import DuplicateRules
from pipeline.stages.entities import EntityRules
from pipeline.stages.ingest import IngestRules
from pipeline.stages.sentences import SentenceRules
from pipeline.stages.stories import StoryRules


@dataclass(frozen=True)
class CapRules:
    """Caps that keep one pathological sentence (a 1.5 MB "sentence" of numbers) from costing more
    than a constant per character downstream. Rows past a cap (by position) are dropped and counted
    in the manifest, under the stage's `removed`; real news text stays far below them. They are
    applied by `pipeline.build` to the tables of the quantities, dates and claims stages, so they
    live here rather than in those stages' own rules (entity mentions are capped by `EntityRules`)."""

    max_quantities_per_sentence: int = 200
    max_dates_per_sentence: int = 200
    max_claims_per_sentence: int = 200


@dataclass(frozen=True)
class Rules:
    """The rules of every stage: one field per stage, defaulting to that stage's defaults."""

    ingest: IngestRules = IngestRules()
    boilerplate: BoilerplateRules = BoilerplateRules()
    clean: CleanRules = CleanRules()
    sentences: SentenceRules = SentenceRules()
    entities: EntityRules = EntityRules()
    stories: StoryRules = StoryRules()
    duplicates: DuplicateRules = DuplicateRules()
    caps: CapRules = CapRules()


def rules_digest(rules: object) -> str:
    """16 hex characters of sha256 over the rules (the `Rules` bundle, or one stage's rules) as
    sorted JSON: equal rules, equal digest, in any process."""
    return hashlib.sha256(json.dumps(asdict(rules), sort_keys=True).encode("utf-8")).hexdigest()[:16]
