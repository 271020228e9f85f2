"""Django REST framework permission classes for the current team (needs the api module).

    class ReportViewSet(viewsets.ModelViewSet):
        permission_classes = [IsTeamMember]             # any member of request.team
        # or: [HasTeamPermission] with team_permission = "billing.manage" on the view
        # or: [HasTeamRole] with team_roles = {"owner", "admin"} on the view

        def get_queryset(self):
            return Report.objects.for_team(self.request.team)

request.team is the session's current team, or the API key's team for requests made with a key.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from . import roles
from .team_access import team_role


class IsTeamMember(BasePermission):
    message = "You are not a member of this team."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and team_role(request))


class HasTeamPermission(IsTeamMember):
    """The view's `team_permission` ("members.invite") must be allowed by the user's role;
    a view may also map HTTP methods to actions with `team_permissions = {"POST": ...}`."""

    message = "Your role in this team does not allow this."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        per_method = getattr(view, "team_permissions", {})
        action = per_method.get(request.method, getattr(view, "team_permission", "team.view"))
        return roles.allows(team_role(request), action)


class HasTeamRole(IsTeamMember):
    """The user's role must be one of the view's `team_roles` ({"owner", "admin"})."""

    message = "Your role in this team does not allow this."

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "team_roles", {roles.OWNER})
        return super().has_permission(request, view) and team_role(request) in allowed
