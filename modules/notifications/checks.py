"""EMAIL_PROVIDER must name a django-anymail backend, or every email would fail at send time."""

from importlib.util import find_spec

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def delivery_webhook_protected(app_configs, **kwargs) -> list:
    from .webhooks import SIGNING_SETTINGS, webhook_protected

    provider = getattr(settings, "EMAIL_PROVIDER", "")
    if not provider or webhook_protected(provider):
        return []
    key = SIGNING_SETTINGS.get(provider, "WEBHOOK_SECRET")
    return [
        Warning(
            f"The {provider} delivery webhook is off: ANYMAIL_{key} is not set, and without it "
            "anyone could report a bounce and stop all email to an address.",
            hint=f'Set ANYMAIL_{key} (docs/modules/notifications.md, "Delivery webhooks").',
            id="quickscale_notifications.W001",
        )
    ]
