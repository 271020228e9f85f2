from django.core.management.base import BaseCommand, CommandError

from quickscale_modules.payments import services
from quickscale_modules.payments.models import CustomerPurge


class Command(BaseCommand):
    help = (
        "Delete in Stripe the customers of deleted teams that could not be deleted at the "
        "time (Stripe unreachable, keys missing), which cancels their subscriptions. Run it "
        "every few minutes."
    )

    def handle(self, *args, **options):
        outcomes = services.purge_due()
        if not outcomes:
            waiting = CustomerPurge.objects.order_by("retry_at")
            if not waiting.exists():
                self.stdout.write("No customer of a deleted team is left in Stripe.")
            else:
                self.stdout.write(
                    f"Nothing due: {waiting.count()} customer(s) wait for a retry, the next "
                    f"at {waiting.first().retry_at:%Y-%m-%d %H:%M} UTC."
                )
            return
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"Customers of deleted teams: {summary}.")
        if outcomes.get("failed"):
            raise CommandError(
                "Some customers could not be deleted in Stripe again: their subscriptions keep "
                "running. The errors are in the log and in the admin (Payments, Customers to "
                "delete in Stripe). They are retried later."
            )
