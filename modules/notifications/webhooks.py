"""Dispatch a delivery webhook to django-anymail's view for the configured provider."""

import logging

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

# django-anymail's tracking views by provider ("mailgun": MailgunTrackingWebhookView's view),
# read from its URL patterns so that every provider it supports is supported here.
SUFFIX = "_tracking_webhook"
TRACKING_VIEWS = {
    pattern.name.removesuffix(SUFFIX): pattern.callback
    for pattern in anymail_urls.urlpatterns
    if (pattern.name or "").endswith(SUFFIX)
}


# Providers that sign their webhooks, and the ANYMAIL setting with the key anymail checks the
# signature with. Every other provider is authenticated only by the basic-auth secret
# (ANYMAIL_WEBHOOK_SECRET) in the webhook URL you give it.
SIGNING_SETTINGS = {
    "mailgun": "MAILGUN_WEBHOOK_SIGNING_KEY",
    "mailersend": "MAILERSEND_SIGNING_SECRET",
    "postal": "POSTAL_WEBHOOK_KEY",
    "resend": "RESEND_SIGNING_SECRET",
}


def webhook_protected(provider: str) -> bool:
    """Whether anymail can tell the provider's webhook calls from anyone else's: without a
    key or secret, anyone could post a "hard bounce" and stop all email to an address."""
    anymail = getattr(settings, "ANYMAIL", None) or {}
    return bool(anymail.get(SIGNING_SETTINGS.get(provider, "WEBHOOK_SECRET")))


@csrf_exempt  # the provider has no CSRF token: the view verifies its signature instead
def tracking_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    view = TRACKING_VIEWS.get(provider)
    if view is None or provider != settings.EMAIL_PROVIDER or not webhook_protected(provider):
        raise Http404("No delivery webhook for this provider.")
    try:
        return view(request)
    except AnymailConfigurationError:
        logger.error("The %s delivery webhook is not configured; see `manage.py check`.", provider)
        raise Http404("No delivery webhook for this provider.") from None
    except (TypeError, KeyError, ValueError, AttributeError, RecursionError):
        # A body of the wrong shape (a JSON list where an object belongs) trips the provider's
        # parser before or after the signature check: it is no event of the provider's, so
        # 400 like a bad signature, not a 500 (a database error still is a 500, and retried).
        logger.warning("Refused a malformed %s delivery webhook.", provider, exc_info=True)
        return HttpResponseBadRequest("Malformed webhook payload.")
