"""The teams module's Python API: create teams, invite, accept, roles, remove, transfer, delete.

Each function checks that `by` (the acting user) may do it, by their role in the team
(quickscale_core/roles.py), and raises TeamError with a message for the person otherwise, so
views, the API and your own code share one set of rules. Writes that depend on counts (seats,
the last owner) lock the team's row first, so two requests at once cannot both pass the check.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from quickscale_core import emails, extensions, roles, teams
from quickscale_core.models import Membership, Team, User

from . import selectors
from .models import Invitation, token_digest


class TeamError(Exception):
    """Refused: the message says why, for the person who asked."""


class SeatLimitReached(TeamError):
    """The plan's seats are all taken (members plus open invitations)."""


def _locked(team: Team) -> Team:
    # On PostgreSQL this row lock serializes invitations, acceptances and role changes of one
    # team; SQLite takes the database lock for the whole write transaction anyway.
    return Team.objects.select_for_update().get(pk=team.pk)


def _role_of(user: User, team: Team) -> str | None:
    return teams.role_in(user, team)


def _require(user: User, team: Team, action: str) -> str:
    role = _role_of(user, team)
    if role is None:
        raise TeamError("You are not a member of this team.")
    if not roles.allows(role, action):
        raise TeamError(f"As {roles.label(role).lower()} you cannot do this in this team.")
    return role


def create_team(user: User, name: str) -> Team:
    name = name.strip()
    if not name:
        raise TeamError("Give the team a name.")
    return teams.create_team(user, name[:100])


@transaction.atomic
def rename_team(team: Team, by: User, name: str) -> Team:
    _require(by, team, "team.edit")
    name = name.strip()
    if not name:
        raise TeamError("Give the team a name.")
    team.name = name[:100]
    team.save(update_fields=["name"])
    return team


def _check_seat(team: Team, extra: int = 1) -> None:
    found = selectors.seats(team)
    if found.limit is not None and found.used + extra > found.limit:
        raise SeatLimitReached(
            f"All {found.limit} seats of this team's plan are taken (members and open "
            "invitations). Upgrade the plan or revoke an invitation to invite someone else."
        )


def invite(team: Team, by: User, email: str, role: str, *, base_url: str) -> tuple[Invitation, str]:
    """Invite `email` as `role`; returns the invitation and the link's token (sent by email).

    Inviting an address with an open invitation sends it again with a new link.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        team = _locked(team)
        by_role = _require(by, team, "members.invite")
        if team.personal:
            raise TeamError(
                "Your personal team is just for you: create a team to invite people into it."
            )
        _count_invitation(by)
        if role not in roles.roles():
            raise TeamError("Choose one of the team's roles.")
        if role not in roles.assignable_by(by_role):
            raise TeamError(f"As {roles.label(by_role).lower()} you cannot invite an {role}.")
        if Membership.objects.filter(team=team, user__email__iexact=email).exists():
            raise TeamError(f"{email} is already a member of this team.")
        token = secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=settings.TEAMS_INVITATION_DAYS)
        invitation = selectors.pending_for_email(team, email)
        if invitation is None or invitation.expired:
            _check_seat(team)  # An expired invitation holds no seat any more.
        if invitation is not None:
            invitation.token_digest = token_digest(token)
            invitation.role, invitation.inviter, invitation.expires_at = role, by, expires
            invitation.save(update_fields=["token_digest", "role", "inviter", "expires_at"])
        else:
            invitation = Invitation.objects.create(
                team=team,
                email=email,
                role=role,
                inviter=by,
                token_digest=token_digest(token),
                expires_at=expires,
            )
        # Rendered now; delivered once the invitation commits (quickscale_core.emails).
        send_invitation(invitation, token, base_url)
    return invitation, token


def _count_invitation(by: User) -> None:
    """At most TEAMS_INVITATIONS_PER_HOUR invitation emails per person and hour, so the form
    cannot be used to flood an address (the team's name, chosen by the sender, is in the
    subject)."""
    limit = settings.TEAMS_INVITATIONS_PER_HOUR
    key = f"quickscale_teams:invitations:{by.pk}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # Evicted between add and incr: count from here.
        cache.set(key, 1, timeout=3600)
        sent = 1
    if sent > limit:
        raise TeamError(
            f"You have sent {limit} invitations in the last hour: wait a little before the next."
        )


def invitation_url(token: str, base_url: str) -> str:
    from django.urls import reverse

    return base_url.rstrip("/") + reverse("teams:invitation", args=[token])


def send_invitation(invitation: Invitation, token: str, base_url: str) -> None:
    context = {
        "invitation": invitation,
        "team": invitation.team,
        "inviter": invitation.inviter,
        "role_label": roles.label(invitation.role),
        "url": invitation_url(token, base_url),
        "team_label": teams.team_label(),
        "project_name": settings.PROJECT_NAME,
        "days": settings.TEAMS_INVITATION_DAYS,
    }
    # Rendered now, delivered after the invitation commits (queued with the tasks module).
    emails.send_templated("quickscale_teams/emails/invitation", context, [invitation.email])


@transaction.atomic
def revoke(invitation: Invitation, by: User) -> None:
    _require(by, invitation.team, "members.invite")
    if invitation.status == Invitation.Status.PENDING:
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status"])


def email_verified(user: User, email: str) -> bool:
    """Whether `email` is one of the user's verified addresses (allauth's EmailAddress)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def inviter_may_still_invite(invitation: Invitation) -> bool:
    """An invitation is only as good as its sender: removed from the team, demoted, or their
    account deleted, their open invitations stop working (no back door into the team)."""
    if invitation.inviter_id is None:
        return False
    role = teams.role_in(invitation.inviter, invitation.team)
    return roles.allows(role, "members.invite") and invitation.role in roles.assignable_by(role)


def acceptance_problem(invitation: Invitation | None, user: User) -> str | None:
    """Why `user` cannot accept `invitation` now, as a key the invitation page explains."""
    if invitation is None:
        return "invalid"
    if invitation.status == Invitation.Status.REVOKED:
        return "revoked"
    if invitation.status == Invitation.Status.ACCEPTED:
        mine = invitation.accepted_by_id is not None and invitation.accepted_by_id == user.pk
        return "accepted_by_you" if mine else "accepted"
    if invitation.expired:
        return "expired"
    if not inviter_may_still_invite(invitation):
        return "revoked"
    if not user.is_authenticated:
        return "anonymous"
    if Membership.objects.filter(team=invitation.team, user=user).exists():
        return "already_member"
    if not email_verified(user, invitation.email):
        same = user.email.lower() == invitation.email.lower()
        return "unverified" if same else "wrong_account"
    return None


def accept(invitation: Invitation, user: User) -> Membership:
    """Join the team. Requires a verified address equal to the invitation's."""
    with transaction.atomic():
        team = _locked(invitation.team)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        problem = acceptance_problem(invitation, user)
        if problem is not None:
            raise TeamError(problem)
        # The invitation held a seat; the plan may have shrunk since it was sent.
        limit = selectors.seat_limit(team)
        if limit is not None and Membership.objects.filter(team=team).count() >= limit:
            raise SeatLimitReached("full")
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, team=team, role=invitation.role)
        except IntegrityError as exc:  # Joined in another request a moment ago.
            raise TeamError("already_member") from exc
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    if invitation.inviter is not None and invitation.inviter != user:
        # In the inviter's notifications (in the app by default; see module.yml).
        extensions.notify(
            invitation.inviter,
            "invitation_accepted",
            {"team": team, "member_email": user.email, "url": reverse("teams:settings")},
        )
    return membership


def _other_owners(team: Team, user: User) -> bool:
    return selectors.owners(team).exclude(user=user).exists()


@transaction.atomic
def change_role(team: Team, by: User, member: Membership, role: str) -> Membership:
    team = _locked(team)
    by_role = _require(by, team, "members.change_role")
    member = Membership.objects.select_for_update().get(pk=member.pk, team=team)
    if role not in roles.roles():
        raise TeamError("Choose one of the team's roles.")
    if member.user_id == by.pk:
        raise TeamError("You cannot change your own role; ask another owner or admin.")
    if by_role != roles.OWNER and (
        roles.rank(member.role) <= roles.rank(by_role) or role not in roles.assignable_by(by_role)
    ):
        raise TeamError("Only an owner can change the role of this member to this role.")
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def remove_member(team: Team, by: User, member: Membership) -> None:
    team = _locked(team)
    by_role = _require(by, team, "members.remove")
    member = Membership.objects.select_for_update().get(pk=member.pk, team=team)
    if member.user_id == by.pk:
        raise TeamError("To leave the team use “Leave”, not “Remove”.")
    if by_role != roles.OWNER and roles.rank(member.role) <= roles.rank(by_role):
        raise TeamError("Only an owner can remove this member.")
    if member.role == roles.OWNER and not _other_owners(team, member.user):
        raise TeamError("The last owner cannot be removed.")
    member.delete()


@transaction.atomic
def leave(team: Team, user: User) -> None:
    team = _locked(team)
    member = Membership.objects.select_for_update().filter(team=team, user=user).first()
    if member is None:
        raise TeamError("You are not a member of this team.")
    if team.personal and member.role == roles.OWNER:
        raise TeamError("You cannot leave your personal team.")
    if member.role == roles.OWNER and not _other_owners(team, user):
        raise TeamError(
            "You are the last owner: make another member the owner first, or delete the team."
        )
    member.delete()


@transaction.atomic
def transfer_ownership(team: Team, by: User, member: Membership) -> None:
    """Make `member` an owner; `by` (an owner) becomes an admin-level member (the second role)."""
    team = _locked(team)
    by_role = _require(by, team, "team.transfer")
    if team.personal:
        raise TeamError("A personal team stays with its person: it cannot change owner.")
    member = Membership.objects.select_for_update().get(pk=member.pk, team=team)
    if member.user_id == by.pk:
        raise TeamError("You are already an owner.")
    member.role = roles.OWNER
    member.save(update_fields=["role"])
    if by_role == roles.OWNER:
        below = [key for key in roles.roles() if key != roles.OWNER]
        Membership.objects.filter(team=team, user=by).update(role=below[0] if below else by_role)


@transaction.atomic
def delete_team(team: Team, by: User, confirmation: str) -> None:
    team = _locked(team)
    _require(by, team, "team.delete")
    if team.personal:
        raise TeamError("A personal team cannot be deleted; it goes when the account is deleted.")
    if confirmation.strip() != team.name:
        raise TeamError(f"Type the team's name, “{team.name}”, to delete it.")
    team.delete()
