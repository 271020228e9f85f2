from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from quickscale_modules.billing import seats
from quickscale_modules.billing.models import SeatSync


class Command(BaseCommand):
    help = (
        "Send Stripe the seat counts it has not confirmed yet (plans billed per seat), for "
        "syncs that failed and whose retry time has come. Run it every few minutes."
    )

    def handle(self, *args, **options):
        outcomes = seats.sync_due()
        if not outcomes:
            waiting = SeatSync.objects.filter(synced_version__lt=F("version"))
            nxt = waiting.order_by("retry_at").values_list("retry_at", flat=True).first()
            if nxt is None:
                self.stdout.write("Every seat count is up to date in Stripe.")
            else:
                self.stdout.write(
                    f"Nothing due: {waiting.count()} seat count(s) wait for a retry, the next "
                    f"at {nxt:%Y-%m-%d %H:%M} UTC."
                )
            return
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"Seat counts: {summary}.")
        if outcomes.get("failed"):
            raise CommandError(
                "Some seat counts failed again: the errors are in the log and in the admin "
                "(Billing, Seat count syncs). They are retried later."
            )
