"""Whether the teams module can go without stranding data (`removal_check` in module.yml).

Teams and memberships live in the core, so removing the module deletes no row; but a team
shared with others would be left with no pages to manage it (members, invitations, roles,
deleting it). Personal teams stay useful without the module, so only shared ones count.
`make update` runs this before it removes the module (`manage.py check_module_removal`).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from quickscale_core.models import Team

from .models import Invitation

# A production database may hold thousands: name a few, count the rest.
SHOWN = 10


def blockers() -> list[str]:
    """Sentences saying which teams stop the removal and what to do; empty when it is safe."""
    tables = set(connection.introspection.table_names())
    if Team._meta.db_table not in tables:
        return []  # never migrated: no team exists
    teams = Team.objects.annotate(member_total=Count("memberships", distinct=True))
    shared = Q(personal=False) | Q(member_total__gt=1)
    if Invitation._meta.db_table in tables:
        open_invitations = Q(invitations__status=Invitation.Status.PENDING) & Q(
            invitations__expires_at__gt=timezone.now()
        )
        teams = teams.annotate(
            invitation_total=Count("invitations", filter=open_invitations, distinct=True)
        )
        shared |= Q(invitation_total__gt=0)
    found = list(teams.filter(shared).order_by("name", "pk")[: SHOWN + 1])
    if not found:
        return []
    sentences = [_describe(team) for team in found[:SHOWN]]
    if len(found) > SHOWN:
        more = teams.filter(shared).count() - SHOWN
        sentences.append(f"... and {more} more team{'s' if more != 1 else ''} like these.")
    sentences.append(
        "Delete each of these teams on its settings page (Teams, then Settings; the data "
        "stored in a team goes with it, so move what you want to keep first). A personal "
        "team only needs its other members removed and its invitations revoked."
    )
    return sentences


def _describe(team: Team) -> str:
    facts = [f"{team.member_total} member{'s' if team.member_total != 1 else ''}"]
    invitations = getattr(team, "invitation_total", 0)
    if invitations:
        facts.append(f"{invitations} open invitation{'s' if invitations != 1 else ''}")
    kind = "Personal team" if team.personal else "Shared team"
    return f'{kind} "{team.name}" ({team.slug}): {" and ".join(facts)}.'
