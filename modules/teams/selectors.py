"""Reads of the teams module: members, open invitations, seats, the switcher's teams."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from quickscale_core import extensions, roles, teams
from quickscale_core.models import Membership, Team

from .models import Invitation, token_digest


@dataclass(frozen=True)
class Seats:
    used: int  # Members plus open invitations.
    limit: int | None  # None: unlimited (no plans, or the plan sets no seat limit).

    @property
    def full(self) -> bool:
        return self.limit is not None and self.used >= self.limit


def members(team: Team) -> list[Membership]:
    """The team's memberships, highest role first, with their users (one query)."""
    found = list(Membership.objects.filter(team=team).select_related("user"))
    return sorted(found, key=lambda m: (roles.rank(m.role), m.user.email))


def open_invitations(team: Team):
    return Invitation.objects.filter(
        team=team, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
    ).select_related("inviter")


def owners(team: Team):
    return Membership.objects.filter(team=team, role=roles.OWNER)


def seat_limit(team: Team) -> int | None:
    """The plan's `seats` limit for the team (quickscale_core.extensions.entitlement_limit)."""
    return extensions.entitlement_limit(team, "seats")


def seats(team: Team) -> Seats:
    used = Membership.objects.filter(team=team).count() + open_invitations(team).count()
    return Seats(used=used, limit=seat_limit(team))


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.filter(token_digest=token_digest(token))
        .select_related("team", "inviter")
        .first()
    )


def pending_for_email(team: Team, email: str) -> Invitation | None:
    return (
        Invitation.objects.filter(team=team, status=Invitation.Status.PENDING)
        .filter(Q(email__iexact=email))
        .first()
    )


def switcher_context(request: HttpRequest) -> dict:
    """The nav's team switcher and the account page's teams section: the user's teams, read
    once per request however many parts of the page show them."""
    return {"switcher_teams": teams.request_teams(request), "team_label": teams.team_label()}
