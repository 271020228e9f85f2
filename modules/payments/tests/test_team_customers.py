"""The team is the Stripe customer (models.TeamCustomer): links made from Stripe's metadata,
customers unique per database, and customers of the version before teams moved to their
user's personal team by the migration."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from djstripe.models import Customer, Subscription

from quickscale_core import teams
from quickscale_modules.payments import services
from quickscale_modules.payments.models import TeamCustomer

from .stripe_fake import deliver, event, fixture, subscription

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("team_id", ["²", "①", "abc", "", "-1", "9" * 40])
def test_odd_team_metadata_links_nothing_and_never_fails(client, catalog, team_id):
    """Red team: "²" is a digit to str.isdigit() but not to int(): the webhook answered 500
    and Stripe would retry it for three days."""
    data = fixture("customer")
    data["metadata"] = {"quickscale_team": team_id}
    catalog.add(data)

    response = deliver(client, event("customer.created", data))

    assert response.status_code == 200, response.content
    assert not TeamCustomer.objects.exists()


def test_a_customer_with_team_metadata_is_linked_once(client, catalog, user):
    team = teams.ensure_personal_team(user)
    data = fixture("customer")
    data["metadata"] = {"quickscale_team": str(team.pk)}
    catalog.add(data)

    for _ in range(2):
        assert deliver(client, event("customer.updated", data)).status_code == 200

    assert TeamCustomer.objects.get().team == team


def test_a_fresh_database_does_not_get_another_databases_customer(catalog, user):
    """Red team: the idempotency key was made of the team's id, which a reset database (or
    staging on the same test keys) reuses: Stripe would answer with the old customer."""
    team = teams.create_team(user, "Acme")
    first = services.customer_for(team)
    TeamCustomer.objects.all().delete()
    Customer.objects.all().delete()
    team.slug = "acme-x7k2"  # What the same id gets in another database: another slug.
    team.save()

    second = services.customer_for(team)

    assert second.id != first.id


def _migrate_customers():
    migration = importlib.import_module(
        "quickscale_modules.payments.migrations.0001_team_customers"
    )
    migration.link_customers_to_personal_teams(apps, connection.schema_editor())


def _customer_of_the_version_before_teams(catalog, user, customer_id, created):
    data = fixture("customer")
    data.update(id=customer_id, created=created, metadata={"djstripe_subscriber": str(user.pk)})
    catalog.add(data)
    customer = Customer.sync_from_stripe_data(data)
    Customer.objects.filter(pk=customer.pk).update(subscriber=user)
    return customer


def test_the_migration_moves_the_paying_customer_to_the_personal_team(client, catalog, user):
    """Red team: dj-stripe allows two customers per user and mode; "newest first" linked an
    empty newer one, and the team showed Free while Stripe kept charging."""
    paying = _customer_of_the_version_before_teams(catalog, user, "cus_QsCustomer00001", 1767225600)
    _customer_of_the_version_before_teams(catalog, user, "cus_QsNewerEmpty01", 1767312000)
    assert deliver(client, event("customer.subscription.created", subscription(catalog, user)))
    assert Subscription.objects.get().customer_id == paying.id

    _migrate_customers()

    link = TeamCustomer.objects.get()
    assert (link.customer, link.team) == (paying, teams.ensure_personal_team(user))
