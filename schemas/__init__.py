"""The data contract: one pandera model per table, and checks that span tables.

`TABLES` lists the dataset's tables in the order they are written and documented.
"""

from schemas._base import polars_schema
from schemas.articles import Articles
from schemas.boilerplate import Boilerplate
from schemas.claims import Claims
from schemas.dates import Dates
from schemas.entities import Entities
from schemas.mentions import Mentions
from schemas.quantities import Quantities
from schemas.rejects import Rejects
from schemas.sentences import Sentences
from schemas.validate import DatasetInvalid, validated

SCHEMA_VERSION = "1.1.0"

TABLES = {
    "articles": Articles,
    "boilerplate": Boilerplate,
    "sentences": Sentences,
    "entities": Entities,
    "mentions": Mentions,
    "quantities": Quantities,
    "dates": Dates,
    "claims": Claims,
    "rejects": Rejects,
}

__all__ = ["SCHEMA_VERSION", "TABLES", "DatasetInvalid", "polars_schema", "validated"]
