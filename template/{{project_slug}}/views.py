"""Your views. Keep them thin: put business rules in a services.py next to this file."""
