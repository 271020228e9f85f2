import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from djstripe.models import Customer

from quickscale_core import teams
from quickscale_core.models import Membership, Team
from quickscale_modules.payments import selectors, services
from quickscale_modules.payments.models import CustomerPurge

from .stripe_fake import add_customer, deliver, event, fixture, personal_team_id

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
CREDITS = "price_QsCredits00001"


@pytest.fixture
def member(client, user):
    client.force_login(user)
    return client


def test_purchases_page_needs_login(client):
    response = client.get(reverse("payments:purchases"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_purchases_page_without_keys_says_what_to_configure_to_staff(member, settings, user):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = (
        settings.STRIPE_WEBHOOK_SECRET
    ) = ""
    user.is_staff = True
    user.save()

    response = member.get(reverse("payments:purchases"))

    assert response.status_code == 200
    assert "Payments are not set up yet" in response.text
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
        assert f"<code>{name}</code>" in response.text
    assert "djstripe_sync_models" in response.text
    assert "Buy now" not in response.text


def test_purchases_page_without_keys_shows_members_no_setup_instructions(member, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = (
        settings.STRIPE_WEBHOOK_SECRET
    ) = ""

    response = member.get(reverse("payments:purchases"))

    assert response.status_code == 200
    assert "Payments are coming soon" in response.text
    for leak in ("not set up", "STRIPE_", "manage.py", "docs/modules", ".env"):
        assert leak not in response.text
    assert "Buy now" not in response.text


def test_buy_without_keys_explains_instead_of_failing(member, settings, catalog):
    settings.STRIPE_SECRET_KEY = ""

    response = member.post(reverse("payments:buy", args=[CREDITS]), follow=True)

    assert response.status_code == 200
    assert "Stripe keys are missing" in response.text
    assert not catalog.requests("POST", "/v1/checkout/sessions")


def test_purchases_page_lists_one_time_prices(member, catalog):
    response = member.get(reverse("payments:purchases"))

    assert "Credit pack" in response.text
    assert "49.00 EUR" in response.text
    assert f'action="{reverse("payments:buy", args=[CREDITS])}"' in response.text
    assert "Pro" not in response.text.split("<main", 1)[1]  # Recurring prices belong to billing.


def test_buy_creates_a_customer_for_the_team_and_a_checkout_session(member, catalog, user):
    team = teams.ensure_personal_team(user)

    response = member.post(reverse("payments:buy", args=[CREDITS]))

    [customer_request] = catalog.requests("POST", "/v1/customers")
    assert customer_request["email"] == user.email
    assert customer_request["name"] == team.name
    assert customer_request["metadata[quickscale_team]"] == str(team.pk)
    customer = Customer.objects.get(team_link__team=team)
    assert customer.subscriber is None  # The team is the customer, not the user.

    [checkout] = catalog.requests("POST", "/v1/checkout/sessions")
    assert checkout["mode"] == "payment"
    assert checkout["customer"] == customer.id
    assert checkout["line_items[0][price]"] == CREDITS
    assert checkout["line_items[0][quantity]"] == "1"
    assert checkout["metadata[quickscale_team]"] == str(team.pk)
    assert checkout["metadata[quickscale_buyer]"] == str(user.pk)
    assert checkout["payment_intent_data[metadata][price]"] == CREDITS
    assert checkout["success_url"] == (
        f"http://testserver/payments/receipt/{{CHECKOUT_SESSION_ID}}/?team={team.pk}"
    )
    assert checkout["cancel_url"] == "http://testserver/payments/cancelled/"
    assert response.status_code == 302
    assert response.url.startswith("https://checkout.stripe.com/c/pay/cs_test_")


def test_buy_reuses_the_users_customer(member, catalog, user):
    member.post(reverse("payments:buy", args=[CREDITS]))
    member.post(reverse("payments:buy", args=[CREDITS]))

    assert len(catalog.requests("POST", "/v1/customers")) == 1
    assert len(catalog.requests("POST", "/v1/checkout/sessions")) == 2


def test_buy_refuses_recurring_prices_and_get(member, catalog):
    assert member.post(reverse("payments:buy", args=["price_QsProMonth00001"])).status_code == 404
    assert member.get(reverse("payments:buy", args=[CREDITS])).status_code == 405


def _complete_payment(client, catalog, user):
    catalog.add(
        fixture("payment_intent", team=personal_team_id(user)),
        fixture("charge"),
        fixture("checkout_session_payment", team=personal_team_id(user)),
    )
    session = catalog.objects["cs_test_QsPaymentSession0001"]
    assert deliver(client, event("checkout.session.completed", session)).status_code == 200
    assert (
        deliver(
            client, event("charge.succeeded", catalog.objects["ch_QsCharge000000001"])
        ).status_code
        == 200
    )


def test_receipt_waits_for_the_webhook(member, catalog, user):
    add_customer(catalog, user)
    url = reverse("payments:receipt", args=["cs_test_QsPaymentSession0001"])

    before = member.get(url)

    assert "Confirming your payment" in before.text
    assert '<meta http-equiv="refresh"' in before.text
    assert "Thank you" not in before.text

    _complete_payment(member, catalog, user)
    after = member.get(url)

    assert "Thank you for your purchase" in after.text
    assert "Credit pack" in after.text
    assert "49.00 EUR" in after.text
    assert "pi_QsPaymentIntent01" in after.text
    assert 'http-equiv="refresh"' not in after.text


def test_purchases_list_the_users_payments(member, catalog, user):
    add_customer(catalog, user)
    _complete_payment(member, catalog, user)

    [purchase] = selectors.purchases(user)
    page = member.get(reverse("payments:purchases"))

    assert purchase.status == "paid" and purchase.amount == 4900
    assert reverse("payments:receipt", args=[purchase.session_id]) in page.text


def test_receipt_of_someone_else_is_not_found(client, catalog, user, django_user_model):
    add_customer(catalog, user)
    _complete_payment(client, catalog, user)
    other = django_user_model.objects.create_user(email="eve@example.com", password="x-123456-y")
    client.force_login(other)

    response = client.get(reverse("payments:receipt", args=["cs_test_QsPaymentSession0001"]))

    assert response.status_code == 404


def test_refund_calls_stripe_and_the_webhook_marks_the_receipt(member, catalog, user):
    add_customer(catalog, user)
    _complete_payment(member, catalog, user)

    refund = services.refund("pi_QsPaymentIntent01", amount=4900, reason="requested_by_customer")

    [request] = catalog.requests("POST", "/v1/refunds")
    assert request == {
        "payment_intent": "pi_QsPaymentIntent01",
        "amount": "4900",
        "reason": "requested_by_customer",
    }
    assert refund.status == "succeeded"

    refunded = dict(catalog.objects["ch_QsCharge000000001"], refunded=True, amount_refunded=4900)
    catalog.add(refunded)
    assert deliver(member, event("charge.refunded", refunded)).status_code == 200

    response = member.get(reverse("payments:receipt", args=["cs_test_QsPaymentSession0001"]))
    assert "Refunded" in response.text


def test_refund_without_keys_raises_a_clear_error(settings):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(services.PaymentsNotConfigured, match="STRIPE_SECRET_KEY"):
        services.refund("pi_QsPaymentIntent01")


def test_cancel_page_says_nothing_was_charged(member):
    response = member.get(reverse("payments:cancel"))

    assert "nothing was charged" in response.text


def test_staff_can_read_customers_and_payments_in_the_admin(client, catalog, user, admin_user):
    add_customer(catalog, user)
    _complete_payment(client, catalog, user)
    client.force_login(admin_user)

    for model in ("customer", "charge", "session", "webhookeventtrigger"):
        response = client.get(reverse(f"admin:djstripe_{model}_changelist"))
        assert response.status_code == 200, model


def test_refund_command_for_staff(catalog, capsys):
    from django.core.management import call_command

    call_command("payments_refund", "pi_QsPaymentIntent01", "--amount", "1000")

    [request] = catalog.requests("POST", "/v1/refunds")
    assert request["payment_intent"] == "pi_QsPaymentIntent01"
    assert request["amount"] == "1000"
    assert request["reason"] == "requested_by_customer"
    assert ": succeeded" in capsys.readouterr().out


def test_refund_command_refuses_other_ids(stripe_settings):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a PaymentIntent ID"):
        call_command("payments_refund", "ch_QsCharge000000001")


def test_deleting_a_user_deletes_their_personal_teams_stripe_customer(
    catalog, user, django_capture_on_commit_callbacks
):
    customer = add_customer(catalog, user)

    with django_capture_on_commit_callbacks(execute=True):
        user.delete()

    assert catalog.requests("DELETE", f"/v1/customers/{customer.id}") == [{}]
    customer.refresh_from_db()
    assert customer.date_purged is not None
    assert not Team.objects.exists() and not CustomerPurge.objects.exists()


def test_a_team_others_are_in_keeps_its_customer_when_its_owner_goes(
    catalog, user, django_user_model
):
    team = teams.create_team(user, "Acme")
    other_user = django_user_model.objects.create_user(email="other@example.com")
    Membership.objects.create(team=team, user=other_user, role="member")
    customer = add_customer(catalog, team)

    user.delete()

    assert not catalog.requests("DELETE", f"/v1/customers/{customer.id}")
    customer.refresh_from_db()
    assert customer.date_purged is None and customer.team_link.team == team


def test_deleting_a_team_deletes_its_stripe_customer(
    catalog, user, django_capture_on_commit_callbacks
):
    team = teams.create_team(user, "Acme")
    customer = add_customer(catalog, team)

    with django_capture_on_commit_callbacks(execute=True):
        team.delete()

    assert catalog.requests("DELETE", f"/v1/customers/{customer.id}") == [{}]


def test_a_deletion_that_fails_cancels_nothing(catalog, user, django_capture_on_commit_callbacks):
    """Red team: customers were deleted in Stripe inside the deletion's transaction, so one
    that failed later (another customer, any error) left a team without its subscription."""
    team = teams.create_team(user, "Acme")
    add_customer(catalog, team)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Team.objects.get(pk=team.pk).delete()
        raise RuntimeError("something after the team failed")

    assert not callbacks
    assert not catalog.requests("DELETE", "/v1/customers/cus_QsCustomer00001")
    assert Team.objects.filter(pk=team.pk).exists() and not CustomerPurge.objects.exists()
    assert selectors.existing_customer(team) is not None


def test_stripe_being_down_never_blocks_a_deletion_and_is_retried(
    catalog, user, settings, client, django_capture_on_commit_callbacks, caplog, capsys
):
    """Red team: with the keys gone (or Stripe down) deleting an account answered 500."""
    customer = add_customer(catalog, user)
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not type(user).objects.filter(pk=user.pk).exists()
    purge = CustomerPurge.objects.get(customer=customer)
    assert purge.attempts == 1 and "STRIPE_SECRET_KEY" in purge.last_error
    assert "keep running until `manage.py purge_customers`" in caplog.text

    settings.STRIPE_SECRET_KEY = "sk_test_" + "Qs4mPl3K3y0nlyF0rT3sts00"
    call_command("purge_customers")
    assert "Nothing due: 1 customer(s) wait" in capsys.readouterr().out
    CustomerPurge.objects.update(retry_at=None)
    call_command("purge_customers")

    assert "1 purged" in capsys.readouterr().out
    assert catalog.requests("DELETE", f"/v1/customers/{customer.id}") == [{}]
    assert not CustomerPurge.objects.exists()
    customer.refresh_from_db()
    assert customer.date_purged is not None


@pytest.mark.parametrize("path", ["/payments/receipt/%00/", "/payments/receipt/cs_1%00/"])
def test_a_nul_in_an_id_is_not_found(member, catalog, path):
    """Red team: on PostgreSQL the id reached a query and answered 500 (NUL in text)."""
    assert member.get(path).status_code == 404
