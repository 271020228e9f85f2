"""The billing module's Python API: subscribing to a plan, the Customer Portal.

Entitlements come from settings: BILLING_PLANS maps a plan key to its features and limits, and
a Stripe product joins a plan through its metadata key "plan". Subscriptions are dj-stripe's
records, kept up to date by Stripe's webhooks, so a change in Stripe (renewal failed, plan
changed in the portal, cancellation) changes what the user may do as soon as it arrives.
Reads (plans, the user's billing state and entitlements, invoices) are in selectors.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from djstripe.models import Customer, Price, Subscription

from quickscale_modules.payments import services as payments

from . import selectors

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
    """The user has an open subscription: plan changes, renewals and cancellation go through
    the Customer Portal, never a second checkout.

    `entitled` is False when that subscription does not grant its plan now (a failed renewal,
    a first payment still incomplete): the user must sort it out first.
    """

    def __init__(self, subscription: Subscription):
        super().__init__(subscription.id)
        self.subscription = subscription
        self.entitled = subscription.status in settings.BILLING_ENTITLED_STATUSES


class CheckoutAwaitingConfirmation(Exception):
    """The user paid a subscription checkout whose webhook has not arrived yet.

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
    user: AbstractBaseUser, price: Price, *, success_url: str, cancel_url: str
) -> stripe.checkout.Session:
    """A Stripe Checkout session (subscription mode) for `price`; redirect to its `url`.

    Never two payment pages at once: the user's open subscription checkout for the same price
    is reused (a double click, a second tab), an open one for another price is expired first,
    and a checkout paid moments ago whose subscription the webhook has not recorded yet raises
    CheckoutAwaitingConfirmation. Checkouts of one customer start one at a time.
    """
    customer = payments.customer_for(user)
    options = payments.stripe_options()
    with transaction.atomic():
        # Serialises concurrent requests of the same user (a row lock on PostgreSQL).
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
            user,
            price,
            mode="subscription",
            success_url=success_url,
            cancel_url=cancel_url,
            metadata={selectors.PLAN_METADATA_KEY: selectors.plan_key(price.product)},
        )


def subscribe(
    user: AbstractBaseUser, price: Price, *, success_url: str, cancel_url: str
) -> stripe.checkout.Session:
    """The pricing page's "Subscribe": a Checkout session for `price` (a plan's price,
    selectors.plan_price), for a user without an open subscription.

    Raises AlreadySubscribed when the user has one (one subscription per user), and
    CheckoutAwaitingConfirmation like create_subscription_checkout.
    """
    current = selectors.current_subscription(user)
    if current is not None:
        raise AlreadySubscribed(current)
    return create_subscription_checkout(user, price, success_url=success_url, cancel_url=cancel_url)


def _stripe_id(value) -> str:
    return value if isinstance(value, str) else value.id


def create_portal_session(user: AbstractBaseUser, return_url: str) -> stripe.billing_portal.Session:
    """A Stripe Customer Portal session (plan changes, cards, invoices, cancellation)."""
    customer = payments.customer_for(user)
    return stripe.billing_portal.Session.create(
        customer=customer.id,
        return_url=return_url,
        **payments.stripe_options(),
    )
