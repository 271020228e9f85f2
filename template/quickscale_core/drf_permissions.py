"""Django REST framework permission classes for the current team (needs the api module).

    class ReportViewSet(viewsets.ModelViewSet):
        permission_classes = [IsTeamMember]             # any member of request.team
        # or: [HasTeamPermission] with team_permission = "billing.manage" on the view,
        #     or team_permissions = {"POST": "members.invite"} (unmapped writes are refused)
        # or: [HasTeamRole] with team_roles = {"owner", "admin"} on the view

        def get_queryset(self):
            return Report.objects.for_team(self.request.team)

request.team is the session's current team, or the API key's team for requests made with a key.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import roles
from .team_access import team_role


class IsTeamMember(BasePermission):
    message = "You are not a member of this team."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and team_role(request))


class HasTeamPermission(IsTeamMember):
    """The user's role must allow the action the request needs ("members.invite"):

    1. the action `team_permissions` maps the request's method to ({"POST": "members.invite"});
    2. otherwise the view's `team_permission`, for every method;
    3. otherwise "team.view" for reads (GET, HEAD, OPTIONS), and writes are refused: a method
       the view forgot to map (a DELETE next to a mapped POST) never falls back to a read's
       action.
    """

    message = "Your role in this team does not allow this."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        action = getattr(view, "team_permissions", {}).get(request.method)
        if action is None:
            action = getattr(view, "team_permission", None)
        if action is None:
            if request.method not in SAFE_METHODS:
                return False
            action = "team.view"
        return roles.allows(team_role(request), action)


class HasTeamRole(IsTeamMember):
    """The user's role must be one of the view's `team_roles` ({"owner", "admin"})."""

    message = "Your role in this team does not allow this."

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "team_roles", {roles.OWNER})
        return super().has_permission(request, view) and team_role(request) in allowed
