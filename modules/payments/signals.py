from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from djstripe.signals import webhook_pre_validate

from . import services


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="payments_purge_customer")
def purge_stripe_customer(sender, instance, **kwargs):
    """Deleting a user deletes their Stripe customer, which cancels their subscriptions.

    Runs inside the account deletion's transaction: if Stripe refuses, the user is not deleted,
    so nobody keeps being billed for an account that no longer exists. Stripe keeps its own
    record of past payments and invoices, as accounting law requires.
    """
    services.purge_customers(instance)


@receiver(webhook_pre_validate, dispatch_uid="payments_ignore_debug_webhook_secret")
def ignore_debug_webhook_secret(sender, instance, **kwargs):
    """Webhook signatures are always checked with the endpoint's own secret.

    With DEBUG on, dj-stripe 2.11 verifies a delivery with the secret sent in its
    X-Djstripe-Webhook-Secret header when there is one (for `stripe listen`), so anyone
    could sign their own events on a development server. Dropping the header before
    validation closes that for dj-stripe's own URLs too (/stripe/webhook/<uuid>/);
    /payments/webhook/ already verifies the signature before dj-stripe sees the request.
    """
    instance.headers = {
        name: value
        for name, value in (instance.headers or {}).items()
        if name.lower() != "x-djstripe-webhook-secret"
    }
