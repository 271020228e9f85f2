"""Register your models with the Django admin here."""
