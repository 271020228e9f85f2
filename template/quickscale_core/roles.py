"""Team roles and what each may do: the defaults, overridden by TEAM_ROLES in settings.

Copy DEFAULT_ROLES into config/settings/custom.py as TEAM_ROLES to rename labels, add a role
("billing", "viewer") or change what a role may do; keys are stored in the database, so keep
existing keys. The first role is the highest. "owner" is special: every team keeps at least
one owner, and only owners transfer ownership (QuickScale's docs/modules/teams.md, "Roles").
"""

from __future__ import annotations

from django.conf import settings

OWNER = "owner"

# The actions the core and the modules ask about. Your own code may ask about any name you
# add to a role's `permissions`.
ACTIONS = {
    "team.view": "See the team, its members and its data",
    "team.edit": "Rename the team",
    "team.delete": "Delete the team and its data",
    "team.transfer": "Make another member the owner",
    "members.invite": "Invite people and revoke invitations",
    "members.remove": "Remove members",
    "members.change_role": "Change members' roles",
    "billing.manage": "Choose the plan and manage payment",
}

DEFAULT_ROLES: dict[str, dict] = {
    "owner": {"label": "Owner", "permissions": sorted(ACTIONS)},
    "admin": {
        "label": "Admin",
        "permissions": [
            "team.view",
            "team.edit",
            "members.invite",
            "members.remove",
            "members.change_role",
            "billing.manage",
        ],
    },
    "member": {"label": "Member", "permissions": ["team.view"]},
}

# The role a personal team's user and a new team's creator get, and the default for invitations.
DEFAULT_INVITE_ROLE = "member"


def roles() -> dict[str, dict]:
    """TEAM_ROLES from settings (config/settings/custom.py), else DEFAULT_ROLES."""
    return getattr(settings, "TEAM_ROLES", None) or DEFAULT_ROLES


def role_choices() -> list[tuple[str, str]]:
    return [(key, role.get("label", key.title())) for key, role in roles().items()]


def label(role: str) -> str:
    return roles().get(role, {}).get("label", role.title())


def allows(role: str | None, action: str) -> bool:
    """Whether `role` may do `action` ("members.invite"); an unknown role may do nothing."""
    if role is None:
        return False
    return action in roles().get(role, {}).get("permissions", ())


def rank(role: str) -> int:
    """0 for the highest role (the first in TEAM_ROLES); unknown roles rank lowest."""
    keys = list(roles())
    return keys.index(role) if role in keys else len(keys)


def assignable_by(role: str) -> list[str]:
    """Roles a member with `role` may give: owners any; others their own role or a lower one,
    never owner (and they may only change the role of members ranked below them)."""
    if role == OWNER:
        return list(roles())
    return [key for key in roles() if key != OWNER and rank(key) >= rank(role)]
