"""The data contract: one pandera model per table, and checks that span tables.

`TABLES` lists the dataset's tables in the order they are written and documented.
"""

from schemas.articles import Articles
from schemas.boilerplate import Boilerplate
from schemas.rejects import Rejects
from schemas.sentences import Sentences
from schemas.validate import DatasetInvalid, validated

SCHEMA_VERSION = "1.0.0"

TABLES = {
    "articles": Articles,
    "boilerplate": Boilerplate,
    "sentences": Sentences,
    "rejects": Rejects,
}

__all__ = ["SCHEMA_VERSION", "TABLES", "DatasetInvalid", "validated"]
