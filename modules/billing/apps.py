from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "quickscale_modules.billing"
    label = "quickscale_billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # Seat counts follow membership changes; the settings are checked by manage.py check.
        from . import checks, signals  # noqa: F401
