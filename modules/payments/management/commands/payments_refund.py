from django.core.management.base import BaseCommand, CommandError

from quickscale_modules.payments import services


class Command(BaseCommand):
    help = (
        "Refund a Stripe payment by its PaymentIntent ID (pi_..., shown on the user's receipt and "
        "in the admin), in full or in part. The charge.refunded webhook then updates the records."
    )

    def add_arguments(self, parser):
        parser.add_argument("payment_intent", help="PaymentIntent ID, e.g. pi_3Qs...")
        parser.add_argument(
            "--amount", type=int, help="Amount in the smallest currency unit (cents); default all"
        )
        parser.add_argument(
            "--reason",
            default="requested_by_customer",
            choices=["requested_by_customer", "duplicate", "fraudulent"],
        )

    def handle(self, *args, payment_intent, amount, reason, **options):
        if not payment_intent.startswith("pi_"):
            raise CommandError(f"{payment_intent!r} is not a PaymentIntent ID (pi_...).")
        try:
            refund = services.refund(payment_intent, amount=amount, reason=reason)
        except services.PaymentsNotConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Refund {refund.id}: {refund.status}")
