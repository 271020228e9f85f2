"""Settings per environment: base (shared), dev, test, prod; custom.py holds your overrides."""
