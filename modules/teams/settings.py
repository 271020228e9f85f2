# Settings of the Teams module. When a project has the module, everything below the
# marker line goes into config/settings/base.py verbatim (extensions/wiring.jinja).
# This file is never imported, and this part uses no name from base.py.

# --- Included verbatim into config/settings/base.py below this line ---
# What the pages call a team ("Team", "Workspace", "Organization"); code and URLs keep "team".
TEAM_LABEL = "Team"
# Days an invitation link stays valid.
TEAMS_INVITATION_DAYS = 7
# Invitation emails one person may send per hour (a flood guard; resending counts too).
TEAMS_INVITATIONS_PER_HOUR = 30
# Roles and what each may do: copy quickscale_core.roles.DEFAULT_ROLES into
# config/settings/custom.py as TEAM_ROLES to change them (docs/modules/teams.md, "Roles").
