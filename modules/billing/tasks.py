"""Background work of the billing module, on Django's task API (quickscale_core.background).

Without the tasks module these run right after the change commits, in the request; with it,
in a worker. The periodic one is declared in module.yml (`contributes: schedule:`), so a
project with the tasks module needs no cron entry for `manage.py sync_seats`.
"""

from django_tasks import task

from . import seats


@task
def sync_team_seats(team_id: int) -> str:
    """Send Stripe a team's member count (seats.sync records a failure for a retry)."""
    return seats.sync(team_id)


@task
def sync_due_seats() -> dict[str, int]:
    """Retry the seat counts whose retry time has come (what `manage.py sync_seats` does)."""
    return seats.sync_due()
