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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "livemode"], name="payments_one_customer_per_team_and_mode"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} bills {self.team}"
