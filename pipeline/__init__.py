"""newsclean: turn messy scraped news text into a cleaned, validated open dataset."""

from pathlib import Path

__version__ = "0.1.0"

# Shipped lexicons and models, read by the stages and written by `python -m pipeline train`.
DATA = Path(__file__).resolve().parent / "data"
