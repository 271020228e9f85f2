"""The team is the Stripe customer: customers created before (linked to a user by dj-stripe)
move to their user's personal team, which quickscale_core 0003_teams gave every user."""

import django.db.models.deletion
from django.db import migrations, models


def link_customers_to_personal_teams(apps, schema_editor):
    alias = schema_editor.connection.alias
    Customer = apps.get_model("djstripe", "Customer")
    Membership = apps.get_model("quickscale_core", "Membership")
    TeamCustomer = apps.get_model("quickscale_payments", "TeamCustomer")
    taken = set()
    Subscription = apps.get_model("djstripe", "Subscription")
    # dj-stripe allows several customers per user and mode (a purged one, an empty newer
    # one): the one paying for an open subscription wins, then those still in use, newest
    # first. The first one of each (team, mode) is linked; the others stay unlinked.
    paying = Subscription.objects.using(alias).filter(
        customer_id=models.OuterRef("id"),  # dj-stripe keys foreign keys on Stripe ids.
        stripe_data__status__in=["active", "trialing", "past_due", "unpaid", "incomplete", "paused"],
    )
    customers = (
        Customer.objects.using(alias)
        .filter(subscriber__isnull=False)
        .annotate(paying=models.Exists(paying))
        .order_by(
            "-paying", models.F("date_purged").asc(nulls_first=True), "-created", "-pk"
        )
    )
    for customer in customers:
        membership = (
            Membership.objects.using(alias)
            .filter(user_id=customer.subscriber_id, role="owner")
            .order_by("-team__personal", "pk")
            .first()
        )
        if membership is None or (membership.team_id, customer.livemode) in taken:
            continue
        taken.add((membership.team_id, customer.livemode))
        TeamCustomer.objects.using(alias).create(
            team_id=membership.team_id,
            customer=customer,
            livemode=customer.livemode,
            contact_email=customer.email or "",  # dj-stripe gave it the user's email.
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("djstripe", "0003_2_11"),
        ("quickscale_core", "0003_teams"),
    ]

    operations = [
        migrations.CreateModel(
            name="TeamCustomer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("livemode", models.BooleanField()),
                ("contact_email", models.EmailField(blank=True, max_length=254)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "customer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="team_link",
                        to="djstripe.customer",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stripe_customers",
                        to="quickscale_core.team",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("team", "livemode"), name="payments_one_customer_per_team_and_mode"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CustomerPurge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("team_name", models.CharField(max_length=100)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
                ("retry_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "customer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="quickscale_purge",
                        to="djstripe.customer",
                    ),
                ),
            ],
            options={
                "verbose_name": "customer to delete in Stripe",
                "verbose_name_plural": "customers to delete in Stripe",
            },
        ),
        migrations.RunPython(link_customers_to_personal_teams, migrations.RunPython.noop),
    ]
