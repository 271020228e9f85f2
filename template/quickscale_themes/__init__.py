"""Themes: starting points this project owns and grows (docs/updating.md, ownership zones)."""
