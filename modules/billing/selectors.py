"""The billing module's reads: plans, a team's subscription, entitlements, invoices.

The team is the customer (payments.models.TeamCustomer): functions taking a `subject` accept
a team (pages pass request.team), or a user for their personal team (code written before
teams), or a visitor (the free entitlements).

Entitlements come from settings: BILLING_PLANS maps a plan key to its features and limits, and
a Stripe product joins a plan through its metadata key "plan". Subscriptions are dj-stripe's
records, kept up to date by Stripe's webhooks, so a change in Stripe (renewal failed, plan
changed in the portal, cancellation) changes what the user may do as soon as it arrives.
Writes (Checkout and Customer Portal sessions) are in services.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from djstripe.models import Invoice, Price, Product, Session, Subscription, SubscriptionItem

from quickscale_modules.payments import selectors as payments

PLAN_METADATA_KEY = "plan"
FREE_PLAN = "free"

# Statuses of subscriptions that still need the user's attention or will renew; a user with
# one of these cannot start a second subscription from the pricing page.
OPEN_STATUSES = ("active", "trialing", "past_due", "unpaid", "incomplete", "paused")


@dataclass(frozen=True)
class PlanPrice:
    id: str
    amount: int | None  # In the currency's smallest unit (cents).
    currency: str
    interval: str  # "month" or "year"


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    description: str
    features: list[str]
    limits: dict[str, int | None]
    prices: dict[str, PlanPrice] = field(default_factory=dict)  # By interval.
    # Billed per member: the subscription's quantity follows the team's seats (seats.py).
    per_seat: bool = False


@dataclass(frozen=True)
class BillingState:
    """Where a team stands: its plan, its subscription (if any) and what it allows."""

    plan_key: str
    plan_name: str
    status: str  # Stripe's subscription status, or "free".
    entitled: bool  # Whether the status grants the plan's entitlements.
    features: frozenset[str]
    limits: dict[str, int | None]
    subscription_id: str | None = None
    interval: str = ""
    renews_at: datetime | None = None
    cancels_at: datetime | None = None
    per_seat: bool = False
    quantity: int = 1  # Seats billed, for a plan billed per seat.

    @property
    def is_free(self) -> bool:
        return self.subscription_id is None


def _plan_config(key: str) -> dict:
    if key == FREE_PLAN:
        return settings.BILLING_FREE_ENTITLEMENTS
    return settings.BILLING_PLANS.get(key, {})


def free_entitlements() -> dict:
    """BILLING_FREE_ENTITLEMENTS: what users without a subscription get."""
    return _plan_config(FREE_PLAN)


def plans_keys() -> set[str]:
    """The plan keys configured in BILLING_PLANS."""
    return set(settings.BILLING_PLANS)


def plan_key(product: Product | None) -> str:
    """The BILLING_PLANS key a Stripe product belongs to (its metadata "plan"), or ""."""
    if product is None:
        return ""
    return (product.metadata or {}).get(PLAN_METADATA_KEY, "")


def plans() -> list[Plan]:
    """Plans on sale: active products with a "plan" in BILLING_PLANS and active recurring prices.

    Built from the products and prices synced into dj-stripe (`djstripe_sync_models Product
    Price`, then kept current by webhooks), cheapest monthly price first.
    """
    found: dict[str, Plan] = {}
    for price in payments.active_prices():
        key = plan_key(price.product)
        if key not in settings.BILLING_PLANS or price.type != "recurring":
            continue
        interval = (price.recurring or {}).get("interval", "")
        if (price.recurring or {}).get("interval_count", 1) != 1 or interval not in (
            "month",
            "year",
        ):
            continue
        plan = found.get(key)
        if plan is None:
            config = _plan_config(key)
            plan = found[key] = Plan(
                key=key,
                name=price.product.name,
                description=price.product.description or "",
                features=list(config.get("features", [])),
                limits=dict(config.get("limits", {})),
                per_seat=bool(config.get("per_seat", False)),
            )
        plan.prices[interval] = PlanPrice(price.id, price.unit_amount, price.currency, interval)

    def sort_key(plan: Plan) -> tuple:
        cheapest = min((p.amount or 0 for p in plan.prices.values()), default=0)
        return (cheapest, plan.key)

    return sorted(found.values(), key=sort_key)


def plan_price(price_id: str) -> Price | None:
    """The active recurring price `price_id` of a plan in BILLING_PLANS, or None."""
    price = payments.active_price(price_id)
    if price is None or price.type != "recurring" or plan_key(price.product) not in plans_keys():
        return None
    return price


def is_per_seat(key: str) -> bool:
    """Whether the plan `key` is billed per seat ("per_seat": True in BILLING_PLANS)."""
    return bool(settings.BILLING_PLANS.get(key, {}).get("per_seat", False))


def current_subscription(subject: Any) -> Subscription | None:
    """The subscription that decides the team's plan: the best one that is not over, or None.

    A team can briefly hold several (a second checkout left `incomplete`, a plan bought while
    an old one runs out), so the newest one is not necessarily the one that counts. Entitled
    subscriptions (BILLING_ENTITLED_STATUSES) to a plan in BILLING_PLANS come first, then
    other entitled ones, then any open one; the newest wins within each group.
    """
    customer = payments.existing_customer(subject)
    if customer is None:
        return None
    subscriptions = [
        s
        for s in Subscription.objects.filter(customer=customer).order_by("-created")
        if s.status in OPEN_STATUSES
    ]

    def rank(subscription: Subscription) -> int:
        if subscription.status not in settings.BILLING_ENTITLED_STATUSES:
            return 2
        price = _subscribed_price(subscription)
        return 0 if plan_key(price.product if price else None) in settings.BILLING_PLANS else 1

    # min() keeps the first (newest) of equal rank.
    return min(subscriptions, key=rank, default=None)


def subscribed_item(subscription: Subscription) -> SubscriptionItem | None:
    """The subscription's plan item, with its price: the first whose product is a plan in
    BILLING_PLANS (a subscription made in the Stripe dashboard may list an add-on first),
    else the first. Our checkouts make one item per subscription."""
    items = list(subscription.items.select_related("price__product").order_by("created", "pk"))
    for item in items:
        if plan_key(item.price.product if item.price else None) in settings.BILLING_PLANS:
            return item
    return items[0] if items else None


def _subscribed_price(subscription: Subscription) -> Price | None:
    item = subscribed_item(subscription)
    return item.price if item else None


def _timestamp(value) -> datetime | None:
    if isinstance(value, datetime) or value is None:
        return value
    return datetime.fromtimestamp(value, tz=UTC)


def billing_state(subject: Any) -> BillingState:
    """The team's plan and what it allows right now (the free entitlements by default)."""
    free = _plan_config(FREE_PLAN)
    free_state = BillingState(
        plan_key=FREE_PLAN,
        plan_name="Free",
        status="free",
        entitled=True,
        features=frozenset(free.get("features", [])),
        limits=dict(free.get("limits", {})),
    )
    subscription = current_subscription(subject)
    if subscription is None:
        return free_state
    item = subscribed_item(subscription)
    price = item.price if item else None
    key = plan_key(price.product if price else None)
    entitled = subscription.status in settings.BILLING_ENTITLED_STATUSES
    config = _plan_config(key) if entitled and key in settings.BILLING_PLANS else free
    data = subscription.stripe_data
    item_data = (data.get("items") or {}).get("data") or [{}]
    # Since API version 2025-03-31 the period lives on the subscription item.
    period_end = data.get("current_period_end") or item_data[0].get("current_period_end")
    cancels_at = data.get("cancel_at") or (period_end if data.get("cancel_at_period_end") else None)
    return BillingState(
        plan_key=key or FREE_PLAN,
        plan_name=price.product.name if price else "Unknown plan",
        status=subscription.status,
        entitled=entitled,
        features=frozenset(config.get("features", [])),
        limits=dict(config.get("limits", {})),
        subscription_id=subscription.id,
        interval=((price.recurring or {}).get("interval", "") if price else ""),
        renews_at=None if cancels_at else _timestamp(period_end),
        cancels_at=_timestamp(cancels_at),
        per_seat=is_per_seat(key),
        quantity=(item.quantity if item else None) or 1,
    )


def has_entitlement(subject: Any, feature: str) -> bool:
    """Whether the team's plan (or the free entitlements) includes `feature`."""
    return feature in billing_state(subject).features


def entitlement_limit(subject: Any, name: str) -> int | None:
    """The team's limit `name` (e.g. "projects"): a number, None for unlimited, 0 if absent."""
    return billing_state(subject).limits.get(name, 0)


def can_subscribe(subject: Any) -> bool:
    """False when the team already has an open subscription: plan changes go through the portal."""
    return current_subscription(subject) is None


def checkout_state(subject: Any, session_id: str) -> str:
    """After Checkout: "active" once the webhook recorded an entitled subscription from this
    session, "failed" when it did not go through, else "pending" (the webhook has not arrived).
    """
    customer = payments.existing_customer(subject)
    session = Session.objects.filter(id=session_id, customer=customer).first() if customer else None
    if session is None or session.subscription is None:
        return "pending"
    status = session.subscription.status
    if status in settings.BILLING_ENTITLED_STATUSES:
        return "active"
    if status in ("incomplete_expired", "canceled", "unpaid"):
        return "failed"
    return "pending"


def invoices(subject: Any, limit: int = 12) -> list[Invoice]:
    """The team's latest invoices (synced by webhooks), newest first."""
    customer = payments.existing_customer(subject)
    if customer is None:
        return []
    return list(Invoice.objects.filter(customer=customer).order_by("-created")[:limit])
