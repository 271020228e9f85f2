"""EMAIL_PROVIDER must name a django-anymail backend, or every email would fail at send time."""

from importlib.util import find_spec

from django.conf import settings
from django.core.checks import Error, register


@register()
def email_provider_exists(app_configs, **kwargs) -> list:
    provider = getattr(settings, "EMAIL_PROVIDER", "")
    if not provider:
        return []
    try:
        if provider.isidentifier() and find_spec(f"anymail.backends.{provider}") is not None:
            return []
    except ImportError:
        pass
    return [
        Error(
            f"EMAIL_PROVIDER is {provider!r}, which django-anymail does not support.",
            hint="Use a module name of anymail.backends (mailgun, postmark, sendgrid, "
            "amazon_ses, ...) or leave EMAIL_PROVIDER empty to send through EMAIL_URL.",
            id="quickscale_notifications.E001",
        )
    ]
