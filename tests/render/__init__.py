"""Render tier: Copier renders, validators, wiring, discipline; no venv, no installs."""
