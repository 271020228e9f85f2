"""The payments module's reads: whether Stripe is configured, prices, customers, receipts.

Everything here reads dj-stripe's models (kept in step with Stripe by webhooks) and settings,
and never calls Stripe. Writes (customers created in Stripe, Checkout sessions, refunds, the
webhook endpoint's record) are in services.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from djstripe.models import Charge, Customer, Price, Session


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


def existing_customer(user: AbstractBaseUser) -> Customer | None:
    """The user's Stripe customer if they ever started a checkout, without calling Stripe."""
    if not user.is_authenticated:
        return None
    return Customer.objects.filter(subscriber=user, livemode=settings.STRIPE_LIVE_MODE).first()


def customers_to_purge(user: AbstractBaseUser) -> list[Customer]:
    """The user's customers still linked to a customer in Stripe (every mode)."""
    return list(Customer.objects.filter(subscriber=user, date_purged__isnull=True))


def active_prices() -> list[Price]:
    """Active prices of active products in the current mode (test or live), with the product."""
    return list(
        Price.objects.filter(
            active=True, product__active=True, livemode=settings.STRIPE_LIVE_MODE
        ).select_related("product")
    )


def active_price(price_id: str) -> Price | None:
    """The active price `price_id` (one-time or recurring) with its product, or None."""
    return Price.objects.filter(id=price_id, active=True).select_related("product").first()


def one_time_prices() -> list[Price]:
    """Active one-time prices of active products (synced from Stripe), cheapest first."""
    return sorted(
        (p for p in active_prices() if p.type == "one_time"),
        key=lambda p: (p.unit_amount or 0, p.id),
    )


def one_time_price(price_id: str) -> Price | None:
    """The active one-time price `price_id`, or None (unknown, inactive or recurring)."""
    price = active_price(price_id)
    return price if price is not None and price.type == "one_time" else None


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
