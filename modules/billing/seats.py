"""Seats billed: a plan billed per seat ("per_seat": True in BILLING_PLANS) charges for each
member of the team, so its Stripe subscription's quantity follows the team's member count.

How it stays right (QuickScale's docs/modules/billing.md, "Seats"):
- Every membership change of a team with a Stripe customer bumps SeatSync.version in the
  change's transaction, then syncs once it commits. The quantity sent is the member count at
  the time of sending, never a number captured earlier.
- Syncs of one team run one at a time (a row lock on its SeatSync held while Stripe answers),
  so an older count can never overwrite a newer one.
- Setting an absolute quantity is idempotent, and each request carries an idempotency key
  made of the item, the version and the quantity: a retried request whose answer was lost
  is not applied twice.
- A failure (Stripe down, keys missing) is recorded with a growing delay; `manage.py
  sync_seats` retries what is due (run it from cron or your scheduler), and so does the
  team's next membership change or subscription webhook.
Pending invitations hold a seat against the plan's "seats" limit but are not billed.
"""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from djstripe.models import SubscriptionItem

from quickscale_core.background import enqueue_on_commit
from quickscale_core.models import Team
from quickscale_modules.payments import selectors as payment_selectors
from quickscale_modules.payments import services as payments

from . import selectors
from .models import SeatSync

logger = logging.getLogger(__name__)


def seat_count(team: Team) -> int:
    """Seats a team is billed for: its members (at least one)."""
    return max(1, team.memberships.count())


def note_change(team_id: int) -> None:
    """A team's members changed: record it and sync after the change commits.

    Teams without a Stripe customer are left alone (no subscription to adjust); so is a team
    being deleted, whose customer was purged first.
    """
    team = Team.objects.filter(pk=team_id).first()
    if team is None or payment_selectors.existing_customer(team) is None:
        return
    with transaction.atomic():
        if not SeatSync.objects.filter(team_id=team_id).update(version=F("version") + 1):
            try:
                with transaction.atomic():
                    SeatSync.objects.create(team_id=team_id, version=1)
            except IntegrityError:  # Created by a concurrent change: count ours too.
                SeatSync.objects.filter(team_id=team_id).update(version=F("version") + 1)
    # Imported here: tasks.py imports this module.
    from .tasks import sync_team_seats

    enqueue_on_commit(sync_team_seats, team_id)


def sync(team_id: int) -> str:
    """Bring the Stripe quantity of the team's subscription to its member count now.

    Returns what happened: "synced", "not-billed-per-seat" (no subscription, or a plan not
    billed per seat: nothing to do), "gone" (no record or team) or "failed" (recorded, to retry).
    """
    with transaction.atomic():
        row = SeatSync.objects.select_for_update().filter(team_id=team_id).first()
        if row is None:
            return "gone"
        version = row.version
        subscription = selectors.current_subscription(row.team)
        item = selectors.subscribed_item(subscription) if subscription else None
        key = selectors.plan_key(item.price.product if item and item.price else None)
        if item is None or not selectors.is_per_seat(key):
            _done(row, version, quantity=None)
            return "not-billed-per-seat"
        wanted = seat_count(row.team)
        try:
            options = payments.stripe_options()
            data = stripe.SubscriptionItem.modify(
                item.id,
                quantity=wanted,
                proration_behavior=settings.BILLING_SEAT_PRORATION,
                idempotency_key=f"quickscale-seats-{item.id}-v{version}-q{wanted}",
                **options,
            )
        except (stripe.StripeError, payments.PaymentsNotConfigured) as error:
            row.attempts += 1
            row.last_error = str(error)[:2000] or error.__class__.__name__
            row.retry_at = timezone.now() + payments.retry_delay(row.attempts)
            row.save(update_fields=["attempts", "last_error", "retry_at", "updated_at"])
            logger.warning(
                "Seat count of team %s not sent to Stripe (attempt %s, retry at %s): %s",
                team_id,
                row.attempts,
                row.retry_at.isoformat(),
                row.last_error,
            )
            return "failed"
        SubscriptionItem.sync_from_stripe_data(data, api_key=options["api_key"])
        _done(row, version, quantity=data.get("quantity", wanted))
        return "synced"


def _done(row: SeatSync, version: int, *, quantity: int | None) -> None:
    row.synced_version = version
    row.quantity = quantity
    row.attempts = 0
    row.last_error = ""
    row.retry_at = None
    row.save()


def due() -> list[int]:
    """Teams whose seat count Stripe has not confirmed and whose retry time has come."""
    now = timezone.now()
    rows = SeatSync.objects.filter(synced_version__lt=F("version")).exclude(retry_at__gt=now)
    return list(rows.order_by("retry_at", "pk").values_list("team_id", flat=True))


def sync_due() -> dict[str, int]:
    """Retry every due sync (`manage.py sync_seats`); returns how many ended each way."""
    outcomes: dict[str, int] = {}
    for team_id in due():
        outcome = sync(team_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def check_subscription(customer_id: str) -> None:
    """A subscription of this Stripe customer was created or changed (webhook): if its
    quantity differs from the team's member count, sync. Covers members who joined while
    the checkout was open, and quantities changed in the Stripe dashboard."""
    team = Team.objects.filter(
        stripe_customers__customer__id=customer_id,
        stripe_customers__livemode=settings.STRIPE_LIVE_MODE,
    ).first()
    if team is None:
        return
    subscription = selectors.current_subscription(team)
    item = selectors.subscribed_item(subscription) if subscription else None
    product = item.price.product if item and item.price else None
    if item is None or not selectors.is_per_seat(selectors.plan_key(product)):
        return
    if item.quantity != seat_count(team):
        note_change(team.pk)
