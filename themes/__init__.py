"""Themes: starting points this project owns and grows (README.md, ownership zones)."""
