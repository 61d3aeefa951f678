"""Entities: people, organisations and places in the clean text, resolved across articles.

This module is the entities stage's interface: the entry points the stage list, the build, annotate,
training, tests and benchmarks call are named here, `mention_candidates` (one shard's candidate
mentions), `resolved_entities` (the `mentions` and `entities` tables across the corpus),
`mention_records` (annotate's per-article records), `load_gazetteer` and `Gazetteer`, the rules
`EntityRules` and the entity `TYPES`. Inside the package: `candidates` (the rules and learned or
spaCy extractors, roles, in-article linking), `resolve` (clustering into entities), `gazetteer`
(the gazetteer and given names), `tagger` (the learned tagger), `names` (name keys and
clustering), `lexicon` (the word lists the others read) and `rules`.
"""

from pipeline.stages.entities.candidates import mention_candidates
from pipeline.stages.entities.gazetteer import Gazetteer, load_gazetteer
from pipeline.stages.entities.lexicon import TYPES
from pipeline.stages.entities.resolve import mention_records, resolved_entities
from pipeline.stages.entities.rules import EntityRules

__all__ = ["TYPES", "EntityRules", "Gazetteer", "load_gazetteer", "mention_candidates", "mention_records", "resolved_entities"]
