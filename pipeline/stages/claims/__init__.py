"""Claims: checkable assertions found in sentences (`extract`), grouped across sources (`group`).

This module is the claims stage's interface: the entry points the stage list, annotate, tests and
benchmarks call are named here, `claims` (one shard's claims, with working columns),
`grouped_claims` (all shards' claims grouped, the `claims` table), `claim_records` (annotate's
per-article records), the rules `ClaimRules` and the table's `COLUMNS` and `KINDS`. Inside the
package: `extract` (the clause grammar), `group` (blocking, grouping, conflicts), `lexicon` (the
word lists both read) and `rules`. What a claim is, and when two are the same, is written in
`extract` and `group`.
"""

from pipeline.stages.claims.extract import COLUMNS, KINDS, claim_records, claims
from pipeline.stages.claims.group import grouped_claims
from pipeline.stages.claims.rules import ClaimRules

__all__ = ["COLUMNS", "KINDS", "ClaimRules", "claim_records", "claims", "grouped_claims"]
