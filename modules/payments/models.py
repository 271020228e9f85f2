"""Which team a Stripe customer bills.

The team is the customer: a team's purchases and its subscription belong to the team, not to
whoever paid, so they stay when that person leaves and every member with the right to manage
billing (roles "billing.manage") sees the same plan. dj-stripe links a customer to one
subscriber model, the user in every existing project; this link keeps dj-stripe untouched
(QuickScale's docs/decisions.md, "The team is the Stripe customer").
"""

from django.db import models


class TeamCustomer(models.Model):
    team = models.ForeignKey(
        "quickscale_core.Team", on_delete=models.CASCADE, related_name="stripe_customers"
    )
    customer = models.OneToOneField(
        "djstripe.Customer", on_delete=models.CASCADE, related_name="team_link"
    )
    # The customer's mode (test or live): a team has at most one customer in each.
    livemode = models.BooleanField()
    # The email we gave the customer (an owner's). While Stripe still has it, it follows the
    # team's owner; once someone changes it (a finance address in the portal), it is theirs.
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "livemode"], name="payments_one_customer_per_team_and_mode"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} bills {self.team}"


class CustomerPurge(models.Model):
    """A customer of a deleted team, to delete in Stripe (which cancels its subscriptions).

    Written in the team deletion's transaction and carried out once it commits, so a
    deletion that fails leaves billing untouched, and Stripe being down or the keys missing
    never blocks a deletion: failures wait here, with a growing delay, for `manage.py
    purge_customers` (QuickScale's docs/modules/payments.md, "Deleting teams and accounts").
    """

    customer = models.OneToOneField(
        # Not "purge": that is dj-stripe's Customer.purge(), which deletes it in Stripe.
        "djstripe.Customer",
        on_delete=models.CASCADE,
        related_name="quickscale_purge",
    )
    team_name = models.CharField(max_length=100)  # For people reading the admin.
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "customer to delete in Stripe"
        verbose_name_plural = "customers to delete in Stripe"

    def __str__(self) -> str:
        return f"{self.customer_id} of the deleted team {self.team_name}"
