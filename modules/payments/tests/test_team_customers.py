"""The team is the Stripe customer (models.TeamCustomer): links made from Stripe's metadata,
customers unique per database, and customers of the version before teams moved to their
user's personal team by the migration."""

import importlib

import pytest
import stripe
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djstripe.models import Customer, Subscription

from quickscale_core import teams
from quickscale_core.models import Membership
from quickscale_core.testing import work_in
from quickscale_modules.payments import selectors, services
from quickscale_modules.payments.models import CustomerPurge, TeamCustomer

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


@pytest.fixture
def paid_by_acme(client, catalog, user):
    """Acme (a team `user` owns) paid a one-time checkout; the webhook arrived."""
    acme = teams.create_team(user, "Acme")
    from .stripe_fake import add_customer

    add_customer(catalog, acme)
    catalog.add(
        fixture("payment_intent", team=str(acme.pk)),
        fixture("charge"),
        fixture("checkout_session_payment", team=str(acme.pk)),
    )
    session = catalog.objects["cs_test_QsPaymentSession0001"]
    assert deliver(client, event("checkout.session.completed", session)).status_code == 200
    return acme


def test_the_receipt_shows_after_switching_teams_during_checkout(client, paid_by_acme, user):
    """Red team: the buyer switched to their personal team in another tab while paying for
    Acme; their own receipt answered 404."""
    client.force_login(user)
    work_in(client, teams.ensure_personal_team(user))

    page = client.get(reverse("payments:receipt", args=["cs_test_QsPaymentSession0001"]))

    assert page.status_code == 200
    assert "Thank you for your purchase" in page.text


def test_a_receipt_of_a_team_one_is_not_in_stays_hidden(client, paid_by_acme, django_user_model):
    outsider = django_user_model.objects.create_user(email="outsider@example.com")
    client.force_login(outsider)
    url = reverse("payments:receipt", args=["cs_test_QsPaymentSession0001"])

    assert client.get(url).status_code == 404
    assert client.get(f"{url}?team={paid_by_acme.pk}").status_code == 404


def test_a_pending_receipt_follows_the_team_of_its_return_url(client, catalog, user):
    acme = teams.create_team(user, "Acme")
    from .stripe_fake import add_customer

    add_customer(catalog, acme)  # Acme has a customer; the personal team has none.
    client.force_login(user)
    work_in(client, teams.ensure_personal_team(user))
    url = reverse("payments:receipt", args=["cs_test_QsNotSyncedYet01"])

    assert client.get(url).status_code == 404  # Not the personal team's checkout.
    assert "Confirming your payment" in client.get(f"{url}?team={acme.pk}").text
    assert client.get(f"{url}?team=%C2%B2").status_code == 404  # "²": no team, no 500.


@pytest.fixture
def acme_with_heir(catalog, user, django_user_model):
    """Acme, owned by `user` (its customer has their email), with an admin who would inherit."""
    acme = teams.create_team(user, "Acme")
    heir = django_user_model.objects.create_user(email="heir@example.com")
    Membership.objects.create(team=acme, user=heir, role="admin")
    customer = services.customer_for(acme)
    assert catalog.objects[customer.id]["email"] == user.email
    return acme, customer


def test_the_billing_email_follows_the_owner_when_theirs_is_deleted(
    catalog, user, acme_with_heir, django_capture_on_commit_callbacks
):
    """Red team: after the owner deleted their account, Stripe kept emailing them invoices."""
    acme, customer = acme_with_heir

    with django_capture_on_commit_callbacks(execute=True):
        user.delete()

    assert Membership.objects.get(team=acme, user__email="heir@example.com").role == "owner"
    assert catalog.objects[customer.id]["email"] == "heir@example.com"
    customer.refresh_from_db()
    assert customer.email == "heir@example.com"


def test_the_billing_email_follows_a_transfer(
    catalog, user, acme_with_heir, django_capture_on_commit_callbacks
):
    acme, customer = acme_with_heir
    heir = Membership.objects.get(team=acme, user__email="heir@example.com")

    # One transaction, as a transfer of ownership is (teams' transfer_ownership).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        heir.role = "owner"
        heir.save(update_fields=["role"])
        Membership.objects.filter(team=acme, user=user).update(role="admin")

    assert catalog.objects[customer.id]["email"] == "heir@example.com"


def test_an_email_chosen_by_hand_stays(
    catalog, user, acme_with_heir, django_capture_on_commit_callbacks
):
    acme, customer = acme_with_heir
    Customer.objects.filter(pk=customer.pk).update(email="finance@acme.example")  # The portal.

    with django_capture_on_commit_callbacks(execute=True):
        user.delete()

    assert services.follow_owner(acme.pk) == "chosen-by-hand"
    assert not catalog.requests("POST", f"/v1/customers/{customer.id}")


def test_a_purge_uses_todays_key_after_a_key_rotation(
    catalog, user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Red team: dj-stripe's Customer.purge() deletes with the first key it ever stored, which
    a rotation revokes: every purge failed for ever and the deleted team kept paying."""
    acme = teams.create_team(user, "Acme")
    customer = services.customer_for(acme)  # Synced with the old key: dj-stripe stores it.
    old_key, new_key = settings.STRIPE_SECRET_KEY, "sk_test_" + "R0t4t3dAft3rAL34k0000000"
    settings.STRIPE_SECRET_KEY = new_key
    services.customer_for(teams.create_team(user, "Beta"))  # The new key is stored too.
    used = []
    real_delete = stripe.Customer.delete

    def delete(*args, api_key=None, **kwargs):
        used.append(api_key)
        if api_key == old_key:
            raise stripe.AuthenticationError("Invalid API Key provided: sk_test_****0000")
        return real_delete(*args, api_key=api_key, **kwargs)

    monkeypatch.setattr(stripe.Customer, "delete", delete)

    with django_capture_on_commit_callbacks(execute=True):
        acme.delete()

    assert used == [new_key]
    assert not CustomerPurge.objects.exists()
    assert Customer.objects.get(pk=customer.pk).date_purged is not None


def test_a_customer_already_deleted_in_stripe_counts_as_purged(
    catalog, user, django_capture_on_commit_callbacks
):
    acme = teams.create_team(user, "Acme")
    customer = services.customer_for(acme)
    del catalog.objects[customer.id]  # Deleted in the Stripe dashboard; no webhook came.

    with django_capture_on_commit_callbacks(execute=True):
        acme.delete()

    assert not CustomerPurge.objects.exists()
    assert Customer.objects.get(pk=customer.pk).date_purged is not None


def test_the_billing_email_is_the_owners_whoever_pays_and_stays_when_others_leave(
    catalog, user, django_user_model, django_capture_on_commit_callbacks
):
    """Red team: an admin who bought got the receipts, then lost them to the owner when an
    unrelated member left."""
    acme = teams.create_team(user, "Acme")
    admin = django_user_model.objects.create_user(email="finance-admin@example.com")
    Membership.objects.create(team=acme, user=admin, role="admin")
    intern = django_user_model.objects.create_user(email="intern@example.com")
    membership = Membership.objects.create(team=acme, user=intern, role="member")
    customer = services.customer_for(acme, contact=admin)
    assert catalog.objects[customer.id]["email"] == user.email

    with django_capture_on_commit_callbacks(execute=True):
        membership.delete()

    assert catalog.objects[customer.id]["email"] == user.email
    assert not catalog.requests("POST", f"/v1/customers/{customer.id}")


def test_a_customer_linked_by_its_webhook_follows_the_owner_too(
    client, catalog, user, django_user_model, django_capture_on_commit_callbacks
):
    """Red team: a customer linked from its webhook (the creating request's answer was lost)
    kept emailing the deleted owner."""
    acme = teams.create_team(user, "Acme")
    heir = django_user_model.objects.create_user(email="heir@example.com")
    Membership.objects.create(team=acme, user=heir, role="admin")
    data = fixture("customer")
    data.update(email=user.email, metadata={"quickscale_team": str(acme.pk)})
    catalog.add(data)
    assert deliver(client, event("customer.created", data)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        user.delete()

    assert catalog.objects[data["id"]]["email"] == "heir@example.com"


def test_a_team_without_a_customer_is_answered_without_reading_customers(client, catalog, user):
    # Every page showing the plan asks (the dashboard card, pricing): one look at the links,
    # never dj-stripe's customer table, for the teams that never started a checkout.
    team = teams.ensure_personal_team(user)
    with CaptureQueriesContext(connection) as none_yet:
        assert selectors.existing_customer(team) is None
    without = [query["sql"] for query in none_yet.captured_queries]
    data = fixture("customer")
    data["metadata"] = {"quickscale_team": str(team.pk)}
    catalog.add(data)
    assert deliver(client, event("customer.created", data)).status_code == 200

    found = selectors.existing_customer(team)

    assert len(without) == 1
    assert Customer._meta.db_table not in without[0]
    assert found == TeamCustomer.objects.get(team=team).customer
