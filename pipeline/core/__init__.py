"""What the stages share: content-derived ids, number words and word lists (lexicons)."""
