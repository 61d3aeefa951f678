"""What the stages share: content-derived ids and number words."""
