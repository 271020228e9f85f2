"""Teams: the personal team every user gets, memberships, and the team of the request.

Every user belongs to a personal team from the moment they exist (a signal in apps.py), so data
is stored per team in every project. The current team is kept in the session and checked
against the user's memberships on each request: switching teams changes nothing in the URL,
which keeps every module's URLs as they are (docs/decisions.md, "The current team"). A request
made with an API key acts in the key's team instead (the api module).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.text import slugify

from . import roles
from .models import Membership, Team, User

SESSION_KEY = "quickscale_team"
# Sent by forms (a hidden field) and by htmx and the React app (a header) with the team the
# page was showing, so a form left open in another tab never writes into the team switched to.
FORM_FIELD = "team_id"
HEADER = "X-Team"


def team_label() -> str:
    """What the UI calls a team: TEAM_LABEL ("Team", "Workspace", "Organization")."""
    return getattr(settings, "TEAM_LABEL", "Team")


def unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "team"
    return f"{base}-{secrets.token_hex(4)}"


def personal_team_name(user: User) -> str:
    return (user.get_full_name() or user.email.split("@")[0])[:90] or "Personal"


@transaction.atomic
def create_team(user: User, name: str, *, personal: bool = False) -> Team:
    """A new team with `user` as its owner."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                team = Team.objects.create(name=name, slug=unique_slug(name), personal=personal)
            break
        except IntegrityError:  # The random suffix collided: a new one.
            continue
    else:
        raise IntegrityError("Could not find a free slug for the team.")
    Membership.objects.create(user=user, team=team, role=roles.OWNER)
    return team


def personal_team(user: User) -> Team | None:
    """The personal team the user owns, or None (one filter: the same membership is
    personal and theirs)."""
    return Team.objects.filter(
        personal=True, memberships__user=user, memberships__role=roles.OWNER
    ).first()


def ensure_personal_team(user: User) -> Team:
    """The user's personal team, created when missing (users made before teams existed)."""
    return personal_team(user) or create_team(user, personal_team_name(user), personal=True)


def teams_of(user: User) -> list[Team]:
    """The user's teams, each with `.role` (theirs) and `.joined_at`, personal team first, then
    by name. One query."""
    found = []
    for membership in (
        Membership.objects.filter(user=user)
        .select_related("team")
        .order_by("-team__personal", "team__name", "team__pk")
    ):
        membership.team.role = membership.role
        membership.team.joined_at = membership.created_at
        membership.team.membership_pk = membership.pk
        found.append(membership.team)
    return found


def membership(user: User, team: Team | int | None) -> Membership | None:
    if team is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, team=team).select_related("team").first()


def role_in(user: User, team: Team | None) -> str | None:
    found = membership(user, team)
    return found.role if found else None


def can(user: User, team: Team | None, action: str) -> bool:
    """Whether `user` may do `action` ("members.invite") in `team`, by their role there."""
    return roles.allows(role_in(user, team), action)


def current_team(request: HttpRequest) -> Team | None:
    """The team the request acts in: the session's, if the user is still a member, else the
    personal team (created when missing). None for visitors who are not signed in.

    A full page (GET or HEAD, not htmx) shows the header's team switcher, which lists the
    user's teams: there one query reads them all (teams_of) and keeps them on the request
    for request_teams(). Other requests (forms, htmx, JSON) read one membership instead, so
    a user in thousands of teams does not load them all on every click.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    wanted = session.get(SESSION_KEY) if session is not None else None
    wanted = str(wanted) if isinstance(wanted, int | str) and str(wanted).isdigit() else None
    if request.method in ("GET", "HEAD") and not request.headers.get("HX-Request"):
        mine = teams_of(user)
        setattr(request, REQUEST_TEAMS, mine)
        found = next((team for team in mine if str(team.pk) == wanted), None)
        if found is None and mine:
            # The oldest membership of the personal team first, as the query below.
            found = min(
                mine, key=lambda team: (not team.personal, team.joined_at, team.membership_pk)
            )
    else:
        row = membership(user, int(wanted)) if wanted is not None else None
        if row is None:
            row = (
                Membership.objects.filter(user=user)
                .select_related("team")
                .order_by("-team__personal", "created_at", "pk")
                .first()
            )
        found = None
        if row is not None:
            found = row.team
            found.role = row.role
    if found is None:
        found = ensure_personal_team(user)
        found.role = roles.OWNER
        if hasattr(request, REQUEST_TEAMS):
            delattr(request, REQUEST_TEAMS)
    return found


# The user's teams (teams_of) read by current_team on a GET, for request_teams.
REQUEST_TEAMS = "_quickscale_teams"


def request_teams(request: HttpRequest) -> list[Team]:
    """The signed-in user's teams (teams_of), read at most once per request: the list
    current_team read on a GET, else read now and kept for the rest of the request."""
    if not hasattr(request, REQUEST_TEAMS):
        setattr(request, REQUEST_TEAMS, teams_of(request.user))
    return getattr(request, REQUEST_TEAMS)


def switch_team(request: HttpRequest, team: Team) -> bool:
    """Make `team` the request's current team; False when the user is not a member."""
    found = membership(request.user, team)
    if found is None:
        return False
    request.session[SESSION_KEY] = team.pk
    team.role = found.role
    request.team = team
    return True


def lock_teams_of(user: User) -> list[int]:
    """Lock the rows of the user's teams (in id order, so two deletions cannot deadlock) and
    return their ids: called before the user is deleted, in the deletion's transaction."""
    return list(
        Team.objects.filter(memberships__user=user)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )


def settle_teams(team_ids: list[int]) -> None:
    """After members were deleted: a team nobody is left in is deleted, with its data; a team
    left without an owner passes to its longest-standing member of the highest role (a personal
    team that others were in becomes a shared one). Runs after the deletion, so that deleting
    several owners at once (the admin's bulk delete) sees them all gone."""
    for team in Team.objects.filter(pk__in=team_ids).order_by("pk"):
        members = list(team.memberships.all())
        if not members:
            team.delete()
            continue
        if any(m.role == roles.OWNER for m in members):
            continue
        heir = min(members, key=lambda m: (roles.rank(m.role), m.created_at, m.pk))
        heir.role = roles.OWNER
        heir.save(update_fields=["role"])
        if team.personal:
            team.personal = False
            team.save(update_fields=["personal"])
