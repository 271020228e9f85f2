"""The billing module's Python API: subscribing to a plan, the Customer Portal.

Entitlements come from settings: BILLING_PLANS maps a plan key to its features and limits, and
a Stripe product joins a plan through its metadata key "plan". Subscriptions are dj-stripe's
records, kept up to date by Stripe's webhooks, so a change in Stripe (renewal failed, plan
changed in the portal, cancellation) changes what the user may do as soon as it arrives.
Reads (plans, a team's billing state and entitlements, invoices) are in selectors.py. The team
is the customer: functions taking a `subject` accept a team (pages pass request.team) or a user
for their personal team. Seat counts of plans billed per seat are kept in step by seats.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from djstripe.models import Customer, Price, Subscription

from quickscale_modules.payments import selectors as payment_selectors
from quickscale_modules.payments import services as payments

from . import seats, selectors

# The reads moved to selectors.py; code written against services.<name> keeps working, and the
# manifest's `provides: entitlements` names this module (has_entitlement, entitlement_limit).
from .selectors import (  # noqa: F401
    FREE_PLAN,
    OPEN_STATUSES,
    PLAN_METADATA_KEY,
    BillingState,
    Plan,
    PlanPrice,
    billing_state,
    can_subscribe,
    checkout_state,
    current_subscription,
    entitlement_limit,
    free_entitlements,
    has_entitlement,
    invoices,
    plan_key,
    plans,
    plans_keys,
)


class AlreadySubscribed(Exception):
    """The team has an open subscription: plan changes, renewals and cancellation go through
    the Customer Portal, never a second checkout.

    `entitled` is False when that subscription does not grant its plan now (a failed renewal,
    a first payment still incomplete): it must be sorted out first.
    """

    def __init__(self, subscription: Subscription):
        super().__init__(subscription.id)
        self.subscription = subscription
        self.entitled = subscription.status in settings.BILLING_ENTITLED_STATUSES


class CheckoutAwaitingConfirmation(Exception):
    """The team paid a subscription checkout whose webhook has not arrived yet.

    `session_id` is that Checkout session: send the user to its success page, not to a second
    checkout.
    """

    def __init__(self, session_id: str):
        super().__init__(session_id)
        self.session_id = session_id


# How far back a completed checkout without a recorded subscription still blocks a new one:
# Stripe retries a webhook for up to three days.
_UNCONFIRMED_CHECKOUT_WINDOW = 3 * 24 * 3600


def create_subscription_checkout(
    subject: Any,
    price: Price,
    *,
    success_url: str,
    cancel_url: str,
    buyer: AbstractBaseUser | None = None,
) -> stripe.checkout.Session:
    """A Stripe Checkout session (subscription mode) for `price`, paid by `subject` (a team, or
    a user's personal team) and started by `buyer`; redirect to its `url`. A plan billed per
    seat is bought for as many seats as the team has members.

    Never two payment pages at once: the team's open subscription checkout for the same price
    is reused (a double click, a second tab), an open one for another price is expired first,
    and a checkout paid moments ago whose subscription the webhook has not recorded yet raises
    CheckoutAwaitingConfirmation. Checkouts of one customer start one at a time.
    """
    customer = payments.customer_for(subject)
    options = payments.stripe_options()
    team = payment_selectors.team_of(subject)
    key = selectors.plan_key(price.product)
    with transaction.atomic():
        # Serialises concurrent requests of the same team (a row lock on PostgreSQL).
        Customer.objects.select_for_update().filter(pk=customer.pk).exists()
        recent = stripe.checkout.Session.list(customer=customer.id, limit=10, **options)
        now = datetime.now(tz=UTC).timestamp()
        for session in recent.data:
            if session.mode != "subscription":
                continue
            if session.status == "open":
                if (session.metadata or {}).get("price") == price.id and session.url:
                    return session
                stripe.checkout.Session.expire(session.id, **options)
            elif (
                session.status == "complete"
                and session.subscription
                and now - session.created < _UNCONFIRMED_CHECKOUT_WINDOW
                and not Subscription.objects.filter(id=_stripe_id(session.subscription)).exists()
            ):
                raise CheckoutAwaitingConfirmation(session.id)
        return payments.create_checkout_session(
            team,
            price,
            mode="subscription",
            success_url=success_url,
            cancel_url=cancel_url,
            metadata={selectors.PLAN_METADATA_KEY: key},
            buyer=buyer,
            quantity=seats.seat_count(team) if selectors.is_per_seat(key) else 1,
        )


def subscribe(
    subject: Any,
    price: Price,
    *,
    success_url: str,
    cancel_url: str,
    buyer: AbstractBaseUser | None = None,
) -> stripe.checkout.Session:
    """The pricing page's "Subscribe": a Checkout session for `price` (a plan's price,
    selectors.plan_price), for a team without an open subscription.

    Raises AlreadySubscribed when the team has one (one subscription per team), and
    CheckoutAwaitingConfirmation like create_subscription_checkout.
    """
    current = selectors.current_subscription(subject)
    if current is not None:
        raise AlreadySubscribed(current)
    return create_subscription_checkout(
        subject, price, success_url=success_url, cancel_url=cancel_url, buyer=buyer
    )


def _stripe_id(value) -> str:
    return value if isinstance(value, str) else value.id


def create_portal_session(subject: Any, return_url: str) -> stripe.billing_portal.Session:
    """A Stripe Customer Portal session (plan changes, cards, invoices, cancellation) for the
    team's customer."""
    customer = payments.customer_for(subject)
    return stripe.billing_portal.Session.create(
        customer=customer.id,
        return_url=return_url,
        **payments.stripe_options(),
    )
