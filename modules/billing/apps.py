from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "quickscale_modules.billing"
    label = "quickscale_billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (seat counts follow membership changes)
