from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "quickscale_modules.billing"
    label = "quickscale_billing"
    verbose_name = "Billing"
