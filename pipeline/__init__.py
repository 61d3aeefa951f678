"""newsclean: turn messy scraped news text into a cleaned, validated open dataset."""

__version__ = "0.1.0"
