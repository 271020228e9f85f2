"""Reads: a user's notifications and unread count, their channels per kind, and which
addresses must not be mailed (quickscale_core.emails asks `suppressed`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from quickscale_core import extensions

from .models import Notification, Preference, Suppression


def notifications_of(user: AbstractBaseUser, *, unread_only: bool = False) -> QuerySet:
    found = Notification.objects.filter(user=user)
    return found.filter(read_at__isnull=True) if unread_only else found


def notifications_page(user: AbstractBaseUser, page: Any, *, unread_only: bool = False) -> Page:
    """One page of the user's notifications, newest first; a page number that is not a
    number or is out of range gives the first or last page (never an error)."""
    paginator = Paginator(
        notifications_of(user, unread_only=unread_only), settings.NOTIFICATIONS_PAGE_SIZE
    )
    return paginator.get_page(page)


def unread_count(user: AbstractBaseUser) -> int:
    return notifications_of(user, unread_only=True).count()


@dataclass(frozen=True)
class Channels:
    """Where one kind reaches one user. `email_locked`: a security notice, always emailed."""

    kind: str
    label: str
    email: bool
    in_app: bool
    email_locked: bool


def channels_for(user: AbstractBaseUser) -> list[Channels]:
    """Every declared kind with the user's choices, or the kind's defaults where they made none."""
    chosen = {p.kind: p for p in Preference.objects.filter(user=user)}
    rows = []
    for kind, item in extensions.notification_kinds().items():
        locked = item.get("email", True) == "always"
        preference = chosen.get(kind)
        rows.append(
            Channels(
                kind=kind,
                label=item["label"],
                email=locked or (preference.email if preference else item.get("email", True)),
                in_app=preference.in_app if preference else item.get("in_app", True),
                email_locked=locked,
            )
        )
    return rows


def channel_of(user: AbstractBaseUser, kind: str) -> Channels | None:
    return next((row for row in channels_for(user) if row.kind == kind), None)


def suppressed(addresses: list[str]) -> set[str]:
    """Those of `addresses` marked undeliverable (the email_suppression feature helper)."""
    lowered = {address.lower() for address in addresses}
    return set(Suppression.objects.filter(address__in=lowered).values_list("address", flat=True))


def suppression_of(user: AbstractBaseUser) -> Suppression | None:
    """Why the user's own address is not mailed any more, if it is not."""
    if not user.email:
        return None
    return Suppression.objects.filter(address=user.email.lower()).first()


# ---------- Context of the contributed templates (module.yml) ----------


def bell_context(request: HttpRequest) -> dict:
    return {
        "unread_count": unread_count(request.user),
        "poll_seconds": settings.NOTIFICATIONS_POLL_SECONDS,
    }


def email_problem_context(request: HttpRequest) -> dict:
    return {"email_suppression": suppression_of(request.user)}
