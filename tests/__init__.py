"""The template's test suite, one folder per tier (see tests/conftest.py)."""
