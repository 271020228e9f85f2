"""Writes: deliver a notification, mark notifications read, save preferences, and record what
the email provider reports (a hard bounce or a complaint stops mail to that address).

`notify` is the `notifications` feature helper: client code and other modules call
quickscale_core.extensions.notify(user, kind, context), which lands here when the module
is installed.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from quickscale_core import emails, extensions

from . import selectors
from .models import DeliveryEvent, Notification, Preference, Suppression

logger = logging.getLogger(__name__)

# Provider events worth keeping; deliveries, opens and clicks are not stored.
RECORDED_EVENTS = {EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED}
# An older event is stored but suppresses nothing: a signed body replayed later (signatures
# of some providers never expire) must not stop mail to an address that works again.
STALE_AFTER = timedelta(days=3)
# Events after which an address is not mailed again until its owner asks.
SUPPRESSING_EVENTS = {
    EventType.BOUNCED: Suppression.Reason.BOUNCED,
    EventType.COMPLAINED: Suppression.Reason.COMPLAINED,
}


def notify(user: AbstractBaseUser, kind: str, context: dict[str, Any]) -> Notification | None:
    """Deliver `kind` to `user` on the channels their preferences (or the kind's defaults)
    allow: an in-app notification titled by `<templates>_subject.txt` (its link is
    context["url"], if any) and an email of the kind's templates. `email: always` kinds are
    emailed by the module that declares them, so only the in-app part happens here.
    Returns the in-app notification, if one was made."""
    declared = extensions.notification_kinds()[kind]
    channels = selectors.channel_of(user, kind)
    created = None
    if channels.in_app:
        title = " ".join(render_to_string(f"{declared['templates']}_subject.txt", context).split())
        created = Notification.objects.create(
            user=user, kind=kind, title=title[:255], url=str(context.get("url", ""))[:500]
        )
    if channels.email and not channels.email_locked and user.email:
        emails.send_templated(declared["templates"], context, [user.email])
    return created


def mark_read(user: AbstractBaseUser, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False when they have none with that id.
    Marking a read notification again changes nothing (another tab may have done it)."""
    mine = selectors.notifications_of(user).filter(pk=notification_id)
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return mine.exists()


def mark_all_read(user: AbstractBaseUser) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    return selectors.notifications_of(user, unread_only=True).update(read_at=timezone.now())


def set_preferences(user: AbstractBaseUser, choices: dict[str, dict[str, bool]]) -> None:
    """Save the user's channels per kind: {"payment_failed": {"email": True, "in_app": False}}.

    Unknown kinds are ignored; a channel left out keeps its current value; the email of a
    security notice (`email: always`) stays on."""
    current = {row.kind: row for row in selectors.channels_for(user)}
    with transaction.atomic():
        for kind, chosen in choices.items():
            row = current.get(kind)
            if row is None:
                continue
            Preference.objects.update_or_create(
                user=user,
                kind=kind,
                defaults={
                    "email": row.email_locked or bool(chosen.get("email", row.email)),
                    "in_app": bool(chosen.get("in_app", row.in_app)),
                },
            )


def record_delivery_event(event: AnymailTrackingEvent, provider: str) -> DeliveryEvent | None:
    """Store a bounce, complaint or rejection from the provider's (verified) webhook; a hard
    bounce or a complaint marks the address undeliverable. Other events are ignored."""
    if event.event_type not in RECORDED_EVENTS or not event.recipient:
        return None
    event_id = (event.event_id or "")[:255]
    if event_id and DeliveryEvent.objects.filter(provider=provider, event_id=event_id).exists():
        # A replayed event (the provider retries, or someone resends a signed body they
        # saw): already counted, and it must not suppress an address its owner cleared.
        return None
    address = event.recipient.replace("\x00", "").strip().lower()
    description = (event.description or event.mta_response or "").replace("\x00", "")
    recorded = DeliveryEvent.objects.create(
        provider=provider[:32],
        event_type=event.event_type,
        event_id=event_id,
        recipient=address[:254],
        message_id=(event.message_id or "")[:255],
        description=description,
        occurred_at=event.timestamp,
    )
    reason = SUPPRESSING_EVENTS.get(event.event_type)
    stale = event.timestamp is not None and event.timestamp < timezone.now() - STALE_AFTER
    if reason is not None and not stale:
        Suppression.objects.update_or_create(
            address=address[:254], defaults={"reason": reason, "detail": description}
        )
        logger.info("%s reported %s for an address; it is no longer mailed.", provider, reason)
    return recorded


def retry_address(user: AbstractBaseUser) -> bool:
    """The user says their address works again (a full mailbox emptied, a typo fixed at the
    provider): mail it again. False when it was not suppressed."""
    if not user.email:
        return False
    deleted, _ = Suppression.objects.filter(address=user.email.lower()).delete()
    return bool(deleted)
