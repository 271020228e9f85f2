"""Project tier: generated projects installed in the shared venv and run; the docs built."""
