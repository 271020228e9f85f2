"""Background work of the payments module, on Django's task API (quickscale_core.background).

Without the tasks module these run right after the change commits, in the request; with it,
in a worker. The periodic one is declared in module.yml (`contributes: schedule:`), so a
project with the tasks module needs no cron entry for `manage.py purge_customers`.
"""

from django_tasks import task

from . import services


@task
def purge_stripe_customer(purge_id: int) -> str:
    """Delete a deleted team's Stripe customer (a failure is recorded for a retry)."""
    return services.purge_customer(purge_id)


@task
def purge_due_customers() -> dict[str, int]:
    """Retry the customer deletions whose retry time has come (`manage.py purge_customers`)."""
    return services.purge_due()


@task
def follow_team_owner(team_id: int) -> None:
    """Give the team's Stripe customer its new owner's email."""
    services.follow_owner(team_id)
