"""The seat count Stripe bills a team for, for plans billed per seat (seats.py)."""

from django.db import models


class SeatSync(models.Model):
    """Whether Stripe's subscription quantity has caught up with the team's members.

    `version` goes up with every membership change; a sync that reached Stripe records the
    version it saw in `synced_version`. A failed one keeps its error and when to retry, for
    `manage.py sync_seats` (QuickScale's docs/modules/billing.md, "Seats").
    """

    team = models.OneToOneField(
        "quickscale_core.Team", on_delete=models.CASCADE, related_name="seat_sync"
    )
    version = models.PositiveIntegerField(default=0)
    synced_version = models.PositiveIntegerField(default=0)
    quantity = models.PositiveIntegerField(null=True, blank=True)  # The last Stripe confirmed.
    attempts = models.PositiveIntegerField(default=0)  # Failures since the last success.
    last_error = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "seat count sync"

    def __str__(self) -> str:
        return f"Seats of {self.team}"

    @property
    def pending(self) -> bool:
        return self.synced_version < self.version
