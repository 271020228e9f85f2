"""The payments module's reads: whether Stripe is configured, prices, customers, receipts.

The customer is a team (models.TeamCustomer); functions taking a `subject` accept a team, or a
user for their personal team.

Everything here reads dj-stripe's models (kept in step with Stripe by webhooks) and settings,
and never calls Stripe. Writes (customers created in Stripe, Checkout sessions, refunds, the
webhook endpoint's record) are in services.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from djstripe.models import Charge, Customer, Price, Session

from quickscale_core import teams
from quickscale_core.models import Team

from .models import CustomerPurge, TeamCustomer

# The customer's Stripe metadata key holding the team's id (the team is the customer).
TEAM_METADATA_KEY = "quickscale_team"


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


def team_of(subject: Any) -> Team | None:
    """The team that pays for `subject`: a team itself, or a user's personal team (code written
    before teams passed users; pages pass request.team). None for visitors."""
    if subject is None or isinstance(subject, Team):
        return subject
    if not getattr(subject, "is_authenticated", False):
        return None
    return teams.personal_team(subject)


def existing_customer(subject: Any) -> Customer | None:
    """The Stripe customer of `subject` (a team, or a user's personal team) if it ever started
    a checkout, in the current mode, without calling Stripe."""
    team = team_of(subject)
    if team is None:
        return None
    # Most teams never start a checkout, and every page showing the plan asks (the dashboard
    # card, pricing): a one-table existence check of the link costs a third of the query
    # below (dj-stripe's wide customer row, two joins), so teams without one stop here.
    if not TeamCustomer.objects.filter(team=team).exists():
        return None
    return Customer.objects.filter(
        team_link__team=team,
        livemode=settings.STRIPE_LIVE_MODE,
        date_purged__isnull=True,
        quickscale_purge__isnull=True,  # Not one of a team being deleted.
    ).first()


def session_team(session_id: str) -> Team | None:
    """The team whose customer started checkout session `session_id`, once a webhook has
    stored the session; None before, or for a session of no team."""
    session = (
        Session.objects.filter(id=session_id).select_related("customer__team_link__team").first()
    )
    link = getattr(session.customer, "team_link", None) if session and session.customer else None
    return link.team if link is not None else None


def customers_to_purge(team: Team) -> list[Customer]:
    """The team's customers still linked to a customer in Stripe (every mode)."""
    return list(Customer.objects.filter(team_link__team=team, date_purged__isnull=True))


def purges_due() -> list[int]:
    """Ids of CustomerPurge rows whose (first or next) attempt is due."""
    now = timezone.now()
    rows = CustomerPurge.objects.exclude(retry_at__gt=now).order_by("retry_at", "pk")
    return list(rows.values_list("pk", flat=True))


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


def receipt(subject: Any, session_id: str) -> Receipt | None:
    """What the team's checkout session `session_id` paid, as far as webhooks have told us.

    None when the session is not the team's. A session Stripe has not reported yet by webhook
    reads "pending": success pages must not claim a payment before Stripe confirms it.
    """
    customer = existing_customer(subject)
    session = (
        Session.objects.filter(id=session_id).select_related("customer", "payment_intent").first()
    )
    if session is None:
        # Not synced yet. Only show a pending page for a session the team could have started.
        if customer is None:
            return None
        return Receipt(session_id, "pending", "", None, "", None, None)
    if customer is None or session.customer_id != customer.id:  # A foreign key to Stripe ids.
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


def purchases(subject: Any) -> list[Receipt]:
    """The team's completed one-time checkouts, newest first (the record of its payments)."""
    customer = existing_customer(subject)
    if customer is None:
        return []
    sessions = Session.objects.filter(customer=customer).order_by("-created")
    receipts = [receipt(subject, s.id) for s in sessions if s.mode == "payment"]
    return [r for r in receipts if r is not None and r.status != "unpaid"]
