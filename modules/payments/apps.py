import warnings

from django.apps import AppConfig

# dj-stripe 2.11's admin forms declare URLFields without assume_scheme, which Django 5.2 warns
# about on import (RemovedInDjango60Warning). Not ours to fix, and harmless: silenced by its
# text only, so every other deprecation warning still shows. Set here because this module is
# imported while apps load, before the admin imports dj-stripe's forms.
warnings.filterwarnings(
    "ignore", message=r"The default scheme will be changed from 'http' to 'https' in Django 6\.0"
)


class PaymentsConfig(AppConfig):
    name = "quickscale_modules.payments"
    label = "quickscale_payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (user deletion, webhook validation receivers)
