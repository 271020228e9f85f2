"""The team pages: your teams, the current team's settings, invitations. Thin views: the rules
are in services.py, which raises TeamError with the message shown to the person."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from quickscale_core import extensions, roles, teams
from quickscale_core.models import Membership, Team

from . import selectors, services
from .forms import InviteForm, RoleForm, TeamNameForm
from .models import Invitation
from .signals import SESSION_KEY


def _settings_redirect() -> HttpResponse:
    return redirect("teams:settings")


def _refused(request: HttpRequest, error: services.TeamError) -> HttpResponse:
    messages.error(request, str(error))
    return _settings_redirect()


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    """Your teams, with a switch button each, and a form to create a team."""
    form = TeamNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(request.user, form.cleaned_data["name"])
        except services.TeamError as error:
            form.add_error("name", str(error))
        else:
            teams.switch_team(request, team)
            messages.success(request, f"{team.name} is created and is now your current team.")
            return _settings_redirect()
    mine = teams.teams_of(request.user)
    for team in mine:
        team.role_label = roles.label(team.role)
    context = {"teams": mine, "form": form, "team_label": teams.team_label()}
    return render(request, "quickscale_teams/team_list.html", context)


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("team", "")
    valid = wanted.isascii() and wanted.isdigit() and len(wanted) < 19
    team = Team.objects.filter(pk=wanted).first() if valid else None
    if team is None or not teams.switch_team(request, team):
        messages.error(request, "You are not a member of that team.")
        return redirect("teams:list")
    return redirect(_after_switch(request, request.POST.get("next", "")))


def _after_switch(request: HttpRequest, target: str) -> str:
    """Back to the page the switch was made on, unless it shows one object of the old team
    (a URL with arguments, like /lists/2/, is a 404 in the new one): then the dashboard."""
    home = extensions.page_url("dashboard") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return home
    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return home
    return home if match.args or match.kwargs else target


@login_required
def team_settings(request: HttpRequest) -> HttpResponse:
    """The current team: its name, members and roles, invitations, and the danger zone."""
    team, role = request.team, request.team.role
    assignable = roles.assignable_by(role)
    seats = selectors.seats(team)
    may = {action.replace(".", "_"): roles.allows(role, action) for action in roles.ACTIONS}
    members = selectors.members(team)
    for member in members:
        # What this page offers for each member; services.py checks it again on POST.
        other = member.user_id != request.user.pk
        outranked = role == roles.OWNER or roles.rank(member.role) > roles.rank(role)
        member.can_change_role = other and may["members_change_role"] and outranked
        member.can_remove = other and may["members_remove"] and outranked
        member.can_transfer = other and role == roles.OWNER and member.role != roles.OWNER
        member.role_label = roles.label(member.role)
    invitations = list(selectors.open_invitations(team))
    for invitation in invitations:
        invitation.role_label = roles.label(invitation.role)
    context = {
        "team": team,
        "role": role,
        "role_label": roles.label(role),
        "members": members,
        "invitations": invitations,
        "seats": seats,
        "pricing_url": extensions.page_url("pricing") if seats.full else "",
        "assignable": [(key, roles.label(key)) for key in assignable],
        "name_form": TeamNameForm(initial={"name": team.name}),
        "invite_form": InviteForm(assignable=assignable),
        "may": may,
        "days": settings.TEAMS_INVITATION_DAYS,
        "team_label": teams.team_label(),
        "owner": roles.OWNER,
        "last_owner": role == roles.OWNER
        and not any(m.role == roles.OWNER and m.user_id != request.user.pk for m in members),
    }
    return render(request, "quickscale_teams/team_settings.html", context)


@login_required
@require_POST
def rename(request: HttpRequest) -> HttpResponse:
    form = TeamNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the team a name of at most 100 characters.")
        return _settings_redirect()
    try:
        services.rename_team(request.team, request.user, form.cleaned_data["name"])
    except services.TeamError as error:
        return _refused(request, error)
    messages.success(request, "The team's name is saved.")
    return _settings_redirect()


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST, assignable=roles.assignable_by(request.team.role))
    if not form.is_valid():
        messages.error(request, "Type an email address and choose a role you may give.")
        return _settings_redirect()
    try:
        invitation, _token = services.invite(
            request.team,
            request.user,
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            base_url=request.build_absolute_uri("/"),
        )
    except services.TeamError as error:
        return _refused(request, error)
    messages.success(request, f"Invitation sent to {invitation.email}.")
    return _settings_redirect()


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, team=request.team)
    try:
        services.revoke(invitation, request.user)
    except services.TeamError as error:
        return _refused(request, error)
    messages.success(request, f"The invitation to {invitation.email} is revoked.")
    return _settings_redirect()


def _member(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, team=request.team)


@login_required
@require_POST
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the team's roles.")
        return _settings_redirect()
    try:
        services.change_role(request.team, request.user, member, form.cleaned_data["role"])
    except services.TeamError as error:
        return _refused(request, error)
    messages.success(
        request, f"{member.user.email} is now {roles.label(form.cleaned_data['role'])}."
    )
    return _settings_redirect()


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    try:
        services.remove_member(request.team, request.user, member)
    except services.TeamError as error:
        return _refused(request, error)
    messages.success(request, f"{member.user.email} is no longer a member.")
    return _settings_redirect()


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    try:
        services.transfer_ownership(request.team, request.user, member)
    except services.TeamError as error:
        return _refused(request, error)
    messages.success(request, f"{member.user.email} is now an owner of {request.team.name}.")
    return _settings_redirect()


@login_required
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    team = request.team
    try:
        services.leave(team, request.user)
    except services.TeamError as error:
        return _refused(request, error)
    request.session.pop(teams.SESSION_KEY, None)
    messages.success(request, f"You left {team.name}.")
    return redirect("teams:list")


@login_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    team = request.team
    try:
        services.delete_team(team, request.user, request.POST.get("confirmation", ""))
    except services.TeamError as error:
        return _refused(request, error)
    request.session.pop(teams.SESSION_KEY, None)
    messages.success(request, f"{team.name} and its data are deleted.")
    return redirect("teams:list")


# Status of the invitation page for each reason it cannot be accepted.
PROBLEM_STATUS = {
    "invalid": 404,
    "revoked": 410,
    "expired": 410,
    "accepted": 410,
    "wrong_account": 403,
    "unverified": 403,
    "full": 409,
}


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation email: explains its state, and joins on POST."""
    found = selectors.invitation_by_token(token)
    problem = services.acceptance_problem(found, request.user)
    if problem == "accepted_by_you":
        teams.switch_team(request, found.team)
        return redirect(extensions.page_url("dashboard") or "/")
    if problem == "anonymous":
        # Signing up with the invited address needs no confirmation email (the link proved
        # it), and logging in accepts the invitation (signals.py).
        request.session[SESSION_KEY] = token
    if problem is None and request.method == "POST":
        try:
            membership = services.accept(found, request.user)
        except services.TeamError as error:
            problem = "full" if isinstance(error, services.SeatLimitReached) else str(error)
        else:
            teams.switch_team(request, membership.team)
            messages.success(request, f"Welcome to {membership.team.name}.")
            return redirect(extensions.page_url("dashboard") or "/")
    context = {
        "invitation": found,
        "problem": problem,
        "role_label": roles.label(found.role) if found else "",
        "team_label": teams.team_label(),
        "signup_url": extensions.page_url("signup"),
    }
    response = render(request, "quickscale_teams/invitation.html", context)
    response.status_code = PROBLEM_STATUS.get(problem, 200)
    return response
