"""The payments module's Python API: Stripe Checkout, receipts, refunds, the webhook endpoint.

Views, the billing module and your own code call these functions; they use dj-stripe's models
(synced from Stripe by webhooks) and the Stripe SDK directly, with no layer of our own on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import stripe
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from djstripe.models import Charge, Customer, Price, Session, WebhookEndpoint

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


@dataclass(frozen=True)
class Receipt:
    session_id: str
    status: str  # "pending" (webhook not received yet), "paid", "unpaid" or "refunded"
    product: str
    amount: int | None  # In the currency's smallest unit (cents).
    currency: str
    created: datetime | None
    payment_intent_id: str | None


def missing_settings() -> list[str]:
    """Settings still empty that payments need (STRIPE_SECRET_KEY...); empty when configured."""
    names = ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"]
    return [name for name in names if not getattr(settings, name, "")]


def is_configured() -> bool:
    """Whether Stripe calls can be made: a secret key is set (pages can show checkout buttons)."""
    return bool(getattr(settings, "STRIPE_SECRET_KEY", ""))


def _api_key() -> str:
    if not is_configured():
        raise PaymentsNotConfigured(
            "Stripe is not configured: set STRIPE_SECRET_KEY (and STRIPE_PUBLISHABLE_KEY, "
            "STRIPE_WEBHOOK_SECRET) in the environment, see docs/modules/payments.md."
        )
    return settings.STRIPE_SECRET_KEY


def stripe_options() -> dict[str, str]:
    return {"api_key": _api_key(), "stripe_version": settings.STRIPE_API_VERSION}


def customer_for(user: AbstractBaseUser) -> Customer:
    """The user's Stripe customer, created in Stripe on first use.

    dj-stripe stores the user's ID in the customer's metadata (DJSTRIPE_SUBSCRIBER_CUSTOMER_KEY),
    so webhooks about this customer are linked back to the user.
    """
    customer, _created = Customer.get_or_create(
        subscriber=user, livemode=settings.STRIPE_LIVE_MODE, api_key=_api_key()
    )
    return customer


def existing_customer(user: AbstractBaseUser) -> Customer | None:
    """The user's Stripe customer if they ever started a checkout, without calling Stripe."""
    if not user.is_authenticated:
        return None
    return Customer.objects.filter(subscriber=user, livemode=settings.STRIPE_LIVE_MODE).first()


def one_time_prices() -> list[Price]:
    """Active one-time prices of active products (synced from Stripe), cheapest first."""
    prices = Price.objects.filter(
        active=True, product__active=True, livemode=settings.STRIPE_LIVE_MODE
    ).select_related("product")
    return sorted(
        (p for p in prices if p.type == "one_time"), key=lambda p: (p.unit_amount or 0, p.id)
    )


def create_checkout_session(
    user: AbstractBaseUser,
    price: Price,
    *,
    mode: str,
    success_url: str,
    cancel_url: str,
    metadata: dict[str, str] | None = None,
) -> stripe.checkout.Session:
    """Start a Stripe Checkout session for `price`; redirect the user to the result's `url`.

    `mode` is "payment" for one-time prices and "subscription" for recurring ones.
    `success_url` may contain {CHECKOUT_SESSION_ID}, which Stripe replaces with the session ID.
    Nothing is recorded as paid here: the webhook (checkout.session.completed) does that.
    """
    customer = customer_for(user)
    session_metadata = {
        settings.DJSTRIPE_SUBSCRIBER_CUSTOMER_KEY: str(user.pk),
        "price": price.id,
        **(metadata or {}),
    }
    params = {
        "mode": mode,
        "customer": customer.id,
        "client_reference_id": str(user.pk),
        "line_items": [{"price": price.id, "quantity": 1}],
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


def receipt(user: AbstractBaseUser, session_id: str) -> Receipt | None:
    """What the user's checkout session `session_id` paid, as far as webhooks have told us.

    None when the session is not the user's. A session Stripe has not reported yet by webhook
    reads "pending": success pages must not claim a payment before Stripe confirms it.
    """
    session = (
        Session.objects.filter(id=session_id).select_related("customer", "payment_intent").first()
    )
    if session is None:
        # Not synced yet. Only show a pending page for a session the user could have started.
        if existing_customer(user) is None:
            return None
        return Receipt(session_id, "pending", "", None, "", None, None)
    if session.customer is None or session.customer.subscriber_id != user.pk:
        return None
    status = "paid" if session.payment_status in ("paid", "no_payment_required") else "unpaid"
    payment_intent_id = session.payment_intent.id if session.payment_intent else None
    if payment_intent_id and _refunded(payment_intent_id):
        status = "refunded"
    price_id = (session.metadata or {}).get("price", "")
    price = Price.objects.filter(id=price_id).select_related("product").first()
    return Receipt(
        session_id=session.id,
        status=status,
        product=price.product.name if price else "",
        amount=session.amount_total,
        currency=session.currency or "",
        created=session.created,
        payment_intent_id=payment_intent_id,
    )


def _refunded(payment_intent_id: str) -> bool:
    charges = Charge.objects.filter(payment_intent__id=payment_intent_id)
    return any(c.stripe_data.get("refunded") for c in charges)


def purchases(user: AbstractBaseUser) -> list[Receipt]:
    """The user's completed one-time checkouts, newest first (the record of their payments)."""
    customer = existing_customer(user)
    if customer is None:
        return []
    sessions = Session.objects.filter(customer=customer).order_by("-created")
    receipts = [receipt(user, s.id) for s in sessions if s.mode == "payment"]
    return [r for r in receipts if r is not None and r.status != "unpaid"]


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
