"""Access to the current team's data for views: "a member of the current team" and "may do X".

    class ReportView(TeamPermissionRequiredMixin, TemplateView):
        team_permission = "billing.manage"        # an action of TEAM_ROLES (roles.py)

    @team_permission_required("members.invite")
    def invite(request): ...

request.team is set by quickscale_core.middleware.CurrentTeamMiddleware; roles and their
actions are in quickscale_core/roles.py (override with TEAM_ROLES in config/settings/custom.py).
For Django REST framework views, the same checks are in quickscale_core/drf_permissions.py.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from . import roles


def team_role(request) -> str | None:
    """The signed-in user's role in request.team (None for visitors)."""
    team = getattr(request, "team", None)
    return getattr(team, "role", None) if team is not None else None


def team_allows(request, action: str) -> bool:
    """Whether the signed-in user's role in request.team allows `action` (for templates)."""
    return roles.allows(team_role(request), action)


def check_team_permission(request, action: str | None) -> None:
    """PermissionDenied (403) unless the user's role in request.team allows `action`
    (with action None: unless they are a member of it)."""
    role = team_role(request)
    if role is None or (action is not None and not roles.allows(role, action)):
        raise PermissionDenied(
            "Your role in this team does not allow this."
            if role is not None
            else "You are not a member of this team."
        )


class TeamMemberRequiredMixin(LoginRequiredMixin):
    """Signed-in members of the current team only; visitors go to the login page.

    With Django's generic views and a TeamScopedModel (`model = Project`), it also scopes
    them: lists, detail, update and delete views see only the current team's rows (another
    team's id is a 404), and a create view saves the new row in the current team.
    """

    team_permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        check_team_permission(request, self.team_permission)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        model = getattr(self, "model", None)
        if getattr(self, "queryset", None) is None and _scoped(model):
            return model.objects.for_team(self.request.team)
        return super().get_queryset()

    def get_form_kwargs(self):
        # A create view's new row belongs to the current team before the form validates, so
        # constraints that include the team (unique names per team) are checked.
        kwargs = super().get_form_kwargs()
        model = getattr(self, "model", None)
        if "instance" in kwargs and kwargs["instance"] is None and _scoped(model):
            kwargs["instance"] = model(team=self.request.team)
        return kwargs

    def form_valid(self, form):
        instance = getattr(form, "instance", None)
        if _scoped(type(instance)) and instance.team_id is None:
            instance.team = self.request.team
        return super().form_valid(form)


def _scoped(model) -> bool:
    from .scoping import TeamScopedModel

    return isinstance(model, type) and issubclass(model, TeamScopedModel)


class TeamPermissionRequiredMixin(TeamMemberRequiredMixin):
    """Members whose role allows `team_permission` ("members.invite"); others get 403."""

    team_permission: str = "team.view"


class TeamRoleRequiredMixin(TeamMemberRequiredMixin):
    """Members with one of `team_roles` ({"owner", "admin"}); others get 403."""

    team_roles: set[str] = {roles.OWNER}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and team_role(request) not in self.team_roles:
            raise PermissionDenied("Your role in this team does not allow this.")
        return super().dispatch(request, *args, **kwargs)


def team_permission_required(action: str | None = None):
    """Decorator form of TeamPermissionRequiredMixin (action None: any member)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_team_permission(request, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
