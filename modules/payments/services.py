"""The payments module's Python API: Stripe Checkout, refunds, customers, the webhook endpoint.

Views, the billing module and your own code call these functions; they use dj-stripe's models
(synced from Stripe by webhooks) and the Stripe SDK directly, with no layer of our own on top.
Reads (prices, receipts, purchases, whether Stripe is configured) are in selectors.py.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import stripe
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from djstripe.models import Customer, Price, WebhookEndpoint

from quickscale_core.background import enqueue_on_commit
from quickscale_core.models import Team
from quickscale_core.roles import OWNER

from . import selectors
from .models import CustomerPurge, TeamCustomer

# The reads moved to selectors.py; code written against services.<name> keeps working.
from .selectors import (  # noqa: F401
    Receipt,
    existing_customer,
    is_configured,
    missing_settings,
    one_time_prices,
    purchases,
    receipt,
)

logger = logging.getLogger(__name__)

# The checkout metadata key holding who paid (the signed-in user); the team is the customer.
BUYER_METADATA_KEY = "quickscale_buyer"

# The events the webhook endpoint should receive (docs/modules/payments.md lists them for the
# Stripe dashboard): checkout results, payments, refunds, subscriptions, invoices, customers.
WEBHOOK_EVENTS = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.succeeded",
    "charge.refunded",
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.finalized",
    "product.created",
    "product.updated",
    "product.deleted",
    "price.created",
    "price.updated",
    "price.deleted",
]


# The largest webhook body accepted (413 above it). Stripe's event payloads are a few KB to a
# few dozen KB; anything this size is not from Stripe and is refused before it is read.
WEBHOOK_MAX_BYTES = 512 * 1024


class PaymentsNotConfigured(Exception):
    """Stripe keys are missing: the message says which settings to set."""


def _api_key() -> str:
    if not selectors.is_configured():
        raise PaymentsNotConfigured(
            "Stripe is not configured: set STRIPE_SECRET_KEY (and STRIPE_PUBLISHABLE_KEY, "
            "STRIPE_WEBHOOK_SECRET) in the environment, see QuickScale's docs/modules/payments.md."
        )
    return settings.STRIPE_SECRET_KEY


def stripe_options() -> dict[str, str]:
    return {"api_key": _api_key(), "stripe_version": settings.STRIPE_API_VERSION}


def customer_for(subject: Any, contact: AbstractBaseUser | None = None) -> Customer:
    """The Stripe customer of `subject` (a team, or a user's personal team), created in Stripe
    on first use with the owner's email (the billing contact: invoices and receipts go there;
    `contact`'s only for a team without an owner). The email then follows the owner
    (follow_owner) until someone changes it in the Customer Portal.

    Two requests creating it at once (two tabs) wait on the team's row, so a team gets one
    customer; the Stripe call carries an idempotency key, so a retried request does too.
    """
    team = selectors.team_of(subject)
    if team is None:
        raise ValueError("Customers are teams (or signed-in users' personal teams).")
    customer = selectors.existing_customer(team)
    if customer is not None:
        return customer
    options = stripe_options()
    livemode = bool(settings.STRIPE_LIVE_MODE)
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).exists()
        link = TeamCustomer.objects.filter(team=team, livemode=livemode).first()
        if link is not None and link.customer.date_purged is None:
            return link.customer  # Created by the request we waited for.
        # A customer deleted in Stripe leaves a purged record: its team gets a new one.
        replaces = link.customer.id if link is not None else "none"
        if link is not None:
            link.delete()
        owner = _owner(team)
        contact = owner or contact
        data = stripe.Customer.create(
            email=contact.email if contact else None,
            name=team.name,
            metadata={selectors.TEAM_METADATA_KEY: str(team.pk)},
            # The slug's random suffix keeps the key unique across databases sharing a Stripe
            # account (a reset dev database, staging on test keys): ids repeat, slugs do not.
            idempotency_key=f"quickscale-team-{team.slug}-{livemode}-customer-replaces-{replaces}",
            **options,
        )
        customer = Customer.sync_from_stripe_data(data, api_key=options["api_key"])
        TeamCustomer.objects.create(
            team=team,
            customer=customer,
            livemode=livemode,
            contact_email=owner.email if owner else "",
        )
    return customer


def follow_owner(team_id: int) -> str:
    """After a team's owners changed (ownership transferred, an owner's account deleted): if
    its customer's email is still the one we set and no owner has it any more, make it the
    owner's, so invoices and receipts reach someone in the team. An email someone changed
    (a finance address set in the Customer Portal) is left alone. Best effort: a failure is
    logged, and the billing page's portal changes it by hand. Returns what happened."""
    link = (
        TeamCustomer.objects.filter(
            team_id=team_id,
            livemode=bool(settings.STRIPE_LIVE_MODE),
            customer__date_purged__isnull=True,
            customer__quickscale_purge__isnull=True,
        )
        .select_related("customer", "team")
        .first()
    )
    if link is None:
        return "no-customer"
    current = (link.customer.email or "").lower()
    if not link.contact_email or current != link.contact_email.lower():
        return "chosen-by-hand"
    owners = list(link.team.memberships.filter(role=OWNER).select_related("user").order_by("pk"))
    owner = owners[0].user if owners else None
    if owner is None or current in {m.user.email.lower() for m in owners}:
        return "unchanged"
    try:
        options = stripe_options()
        data = stripe.Customer.modify(link.customer.id, email=owner.email, **options)
    except (stripe.StripeError, PaymentsNotConfigured) as error:
        logger.warning(
            "The Stripe customer %s of team %s still has the email of a former owner: %s",
            link.customer.id,
            link.team,
            error,
        )
        return "failed"
    Customer.sync_from_stripe_data(data, api_key=options["api_key"])
    link.contact_email = owner.email
    link.save(update_fields=["contact_email"])
    return "updated"


def link_customer(customer_id: str, team_id: str) -> TeamCustomer | None:
    """Link the stored customer `customer_id` to team `team_id` (from Stripe metadata), unless
    either is already linked or missing. Returns the new link, or None."""
    team_id = str(team_id)
    # Metadata is free text in the Stripe dashboard: "²" is a digit to isdigit(), not to int().
    if not (team_id.isascii() and team_id.isdigit() and len(team_id) < 19):
        return None
    customer = Customer.objects.filter(id=customer_id, date_purged__isnull=True).first()
    if customer is None:
        return None
    with transaction.atomic():
        team = Team.objects.select_for_update().filter(pk=int(team_id)).first()
        if (
            team is None
            or TeamCustomer.objects.filter(
                Q(customer=customer) | Q(team=team, livemode=customer.livemode)
            ).exists()
        ):
            return None
        owners = team.memberships.filter(role=OWNER, user__email__iexact=customer.email or "")
        return TeamCustomer.objects.create(
            team=team,
            customer=customer,
            livemode=customer.livemode,
            # An owner's address follows the owner (follow_owner); any other was chosen.
            contact_email=customer.email if customer.email and owners.exists() else "",
        )


def _owner(team: Team) -> AbstractBaseUser | None:
    membership = team.memberships.filter(role=OWNER).select_related("user").order_by("pk").first()
    return membership.user if membership else None


def create_checkout_session(
    subject: Any,
    price: Price,
    *,
    mode: str,
    success_url: str,
    cancel_url: str,
    metadata: dict[str, str] | None = None,
    buyer: AbstractBaseUser | None = None,
    quantity: int = 1,
) -> stripe.checkout.Session:
    """Start a Stripe Checkout session for `price`, paid by `subject` (a team, or a user's
    personal team); redirect the buyer to the result's `url`.

    `mode` is "payment" for one-time prices and "subscription" for recurring ones; `buyer` is
    who pays (the signed-in user; `subject` itself when it is a user); `quantity` is the number
    of units (seats, for a plan billed per seat). `success_url` may contain
    {CHECKOUT_SESSION_ID}, which Stripe replaces with the session ID. Nothing is recorded as
    paid here: the webhook (checkout.session.completed) does that.
    """
    team = selectors.team_of(subject)
    buyer = buyer or (subject if team is not subject else None)
    customer = customer_for(team)
    session_metadata = {
        selectors.TEAM_METADATA_KEY: str(team.pk),
        "price": price.id,
        **({BUYER_METADATA_KEY: str(buyer.pk)} if buyer is not None else {}),
        **(metadata or {}),
    }
    params = {
        "mode": mode,
        "customer": customer.id,
        "client_reference_id": f"team-{team.pk}",
        "line_items": [{"price": price.id, "quantity": quantity}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": session_metadata,
    }
    if mode == "subscription":
        params["subscription_data"] = {"metadata": session_metadata}
    else:
        params["payment_intent_data"] = {"metadata": session_metadata}
        params["invoice_creation"] = {"enabled": True}
    return stripe.checkout.Session.create(**params, **stripe_options())


def refund(payment_intent_id: str, amount: int | None = None, reason: str = "") -> stripe.Refund:
    """Refund a payment in full (or `amount` in the smallest currency unit). For staff use.

    The charge.refunded webhook then updates dj-stripe's records and the user's receipt.
    """
    params: dict[str, object] = {"payment_intent": payment_intent_id}
    if amount is not None:
        params["amount"] = amount
    if reason:
        params["reason"] = reason
    return stripe.Refund.create(**params, **stripe_options())


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure of a Stripe call that is retried
    later: doubling from one minute, at most six hours."""
    return min(timedelta(minutes=1) * 2 ** (max(attempts, 1) - 1), timedelta(hours=6))


def schedule_purge(team: Team) -> None:
    """The team is being deleted: record its customers for deletion in Stripe (which cancels
    their subscriptions), carried out once the deletion commits. A deletion that rolls back
    takes the records with it; a Stripe failure after the commit is kept for
    `manage.py purge_customers`. Stripe keeps its record of past payments and invoices."""
    ids = [
        CustomerPurge.objects.get_or_create(
            customer=customer, defaults={"team_name": team.name[:100]}
        )[0].pk
        for customer in selectors.customers_to_purge(team)
    ]
    from .tasks import purge_stripe_customer  # tasks.py imports this module

    for pk in ids:
        enqueue_on_commit(purge_stripe_customer, pk)


def purge_customer(purge_id: int) -> str:
    """Delete a recorded customer (CustomerPurge) in Stripe now. Returns "purged", "failed"
    (kept, with the error and when to retry) or "gone" (done by someone else)."""
    row = CustomerPurge.objects.select_related("customer").filter(pk=purge_id).first()
    if row is None:
        return "gone"
    try:
        # With today's key: dj-stripe's Customer.purge() would use the first key it ever
        # stored, revoked after a key rotation, and fail for ever.
        stripe.Customer.delete(row.customer.id, **stripe_options())
    except stripe.InvalidRequestError as error:
        if error.code != "resource_missing":  # Already deleted in Stripe: done.
            return _purge_failed(row, error)
    except (stripe.StripeError, PaymentsNotConfigured) as error:
        return _purge_failed(row, error)
    Customer.objects.filter(pk=row.customer.pk).update(subscriber=None, date_purged=timezone.now())
    row.delete()
    return "purged"


def _purge_failed(row: CustomerPurge, error: Exception) -> str:
    row.attempts += 1
    row.last_error = str(error)[:2000] or error.__class__.__name__
    row.retry_at = timezone.now() + retry_delay(row.attempts)
    row.save(update_fields=["attempts", "last_error", "retry_at"])
    logger.error(
        "Stripe customer %s of the deleted team %s is not deleted yet (attempt %s): %s. "
        "Its subscriptions keep running until `manage.py purge_customers` succeeds.",
        row.customer.id,
        row.team_name,
        row.attempts,
        row.last_error,
    )
    return "failed"


def purge_due() -> dict[str, int]:
    """Retry every due customer deletion (`manage.py purge_customers`); counts by outcome."""
    outcomes: dict[str, int] = {}
    for purge_id in selectors.purges_due():
        outcome = purge_customer(purge_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def webhook_signature_is_valid(body: bytes, signature: str, endpoint: WebhookEndpoint) -> bool:
    """Whether `signature` (the Stripe-Signature header) signs `body` with the endpoint's secret,
    within its replay tolerance. Only the configured secret counts, in every environment.
    """
    if not signature or not endpoint.secret:
        return False
    try:
        payload = body.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            payload, signature, endpoint.secret, endpoint.djstripe_tolerance
        )
    except (UnicodeDecodeError, stripe.SignatureVerificationError):
        return False
    return True


@transaction.atomic
def webhook_endpoint() -> WebhookEndpoint | None:
    """dj-stripe's record of the endpoint at /payments/webhook/, from STRIPE_WEBHOOK_SECRET.

    dj-stripe 2.11 checks each webhook against a WebhookEndpoint row (its secret and replay
    tolerance). This keeps one row per mode in step with the environment, so the signing
    secret lives in the environment like the API keys. None when no secret is set.
    """
    secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        return None
    livemode = bool(settings.STRIPE_LIVE_MODE)
    endpoint_id = f"we_environment_{'live' if livemode else 'test'}"
    endpoint = WebhookEndpoint.objects.filter(id=endpoint_id).first()
    if endpoint is not None and endpoint.secret == secret:
        return endpoint  # The usual case: no write for each delivery.
    endpoint, _created = WebhookEndpoint.objects.update_or_create(
        id=endpoint_id,
        defaults={
            "livemode": livemode,
            "secret": secret,
            "url": f"https://{settings.PROJECT_DOMAIN}/payments/webhook/",
            "enabled_events": WEBHOOK_EVENTS,
            "status": "enabled",
            "api_version": settings.STRIPE_API_VERSION,
        },
    )
    return endpoint
