"""The relay's tables."""
