"""Plans billed per seat: the team is the customer, and the Stripe subscription's quantity
follows its member count (seats.py), reliably: in order, idempotent, retried after failures."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from djstripe.models import SubscriptionItem

from quickscale_core import teams
from quickscale_core.models import Membership
from quickscale_core.testing import skip_if_overridden, work_in
from quickscale_modules.billing import seats
from quickscale_modules.billing.models import SeatSync
from quickscale_modules.payments.tests.stripe_fake import add_customer, deliver, event, subscription

from .conftest import MONTHLY

pytestmark = pytest.mark.django_db

ITEM = "si_QsItem0000000001"  # The fixture subscription's item.
ITEM_PATH = f"/v1/subscription_items/{ITEM}"


@pytest.fixture
def per_seat(settings):
    plans = {key: dict(plan) for key, plan in settings.BILLING_PLANS.items()}
    plans["pro"]["per_seat"] = True
    settings.BILLING_PLANS = plans


@pytest.fixture
def acme(user):
    return teams.create_team(user, "Acme")


@pytest.fixture
def subscribed(client, catalog, acme, user):
    """Acme pays for Pro (monthly), one seat: its own customer and subscription."""
    add_customer(catalog, acme)
    response = deliver(client, event("customer.subscription.created", subscription(catalog, user)))
    assert response.status_code == 200, response.content
    return acme


@pytest.fixture
def join(django_user_model, django_capture_on_commit_callbacks):
    """Add a member to a team and run what waits for the commit (the sync)."""

    def join(team, email, role="member"):
        person = django_user_model.objects.create_user(email=email)
        with django_capture_on_commit_callbacks(execute=True):
            return Membership.objects.create(team=team, user=person, role=role)

    return join


@pytest.fixture
def leave(django_capture_on_commit_callbacks):
    def leave(membership):
        with django_capture_on_commit_callbacks(execute=True):
            membership.delete()

    return leave


def quantity_sent(catalog) -> list[int]:
    return [int(params["quantity"]) for params in catalog.requests("POST", ITEM_PATH)]


def test_joining_and_leaving_change_the_quantity_in_stripe(
    per_seat, subscribed, catalog, join, leave
):
    ada = join(subscribed, "ada@example.com")
    join(subscribed, "bob@example.com")
    leave(ada)

    assert quantity_sent(catalog) == [2, 3, 2]
    assert SubscriptionItem.objects.get(id=ITEM).quantity == 2
    sync = SeatSync.objects.get(team=subscribed)
    assert (sync.quantity, sync.pending, sync.attempts) == (2, False, 0)


def test_every_change_has_its_own_idempotency_key(per_seat, subscribed, catalog, join, leave):
    """2 → 3 → 2 within a day: a key made of the quantity alone would replay the first
    answer to the third request, and Stripe would keep billing 3."""
    ada = join(subscribed, "ada@example.com")
    leave(ada)
    join(subscribed, "cy@example.com")

    keys = [k for k in catalog.idempotency_keys if k.startswith("quickscale-seats-")]
    assert len(keys) == len(set(keys)) == 3
    assert catalog.objects["sub_QsSubscription01"]["items"]["data"][0]["quantity"] == 2


def test_plans_not_billed_per_seat_are_left_alone(subscribed, catalog, join):
    join(subscribed, "ada@example.com")

    assert quantity_sent(catalog) == []


def test_teams_without_a_customer_are_left_alone(per_seat, catalog, acme, join):
    join(acme, "ada@example.com")

    assert quantity_sent(catalog) == []
    assert not SeatSync.objects.exists()


def test_a_failure_is_recorded_shown_and_retried(
    per_seat, subscribed, catalog, join, client, user, capsys
):
    catalog.failing_post_status = 500
    join(subscribed, "ada@example.com")

    sync = SeatSync.objects.get(team=subscribed)
    assert sync.pending and sync.attempts == 1
    assert "Stripe is having trouble" in sync.last_error
    assert sync.retry_at > timezone.now()
    client.force_login(user)
    work_in(client, subscribed)
    page = client.get(reverse("billing:settings")).text
    assert "The new seat count has not reached Stripe yet" in page

    # Not due yet: the command leaves it for later, and says so.
    catalog.failing_post_status = None
    call_command("sync_seats")
    assert "Nothing due: 1 seat count(s) wait for a retry" in capsys.readouterr().out
    assert SeatSync.objects.get(team=subscribed).pending

    SeatSync.objects.filter(team=subscribed).update(retry_at=timezone.now())
    call_command("sync_seats")

    assert "1 synced" in capsys.readouterr().out
    sync.refresh_from_db()
    assert (sync.pending, sync.quantity, sync.attempts, sync.last_error) == (False, 2, 0, "")
    assert SubscriptionItem.objects.get(id=ITEM).quantity == 2


def test_failures_back_off_and_the_command_says_so(per_seat, subscribed, catalog, join):
    catalog.failing_post_status = 500
    join(subscribed, "ada@example.com")
    first = SeatSync.objects.get(team=subscribed).retry_at - timezone.now()
    SeatSync.objects.filter(team=subscribed).update(retry_at=timezone.now())

    with pytest.raises(CommandError, match="failed again"):
        call_command("sync_seats")

    sync = SeatSync.objects.get(team=subscribed)
    assert sync.attempts == 2
    assert sync.retry_at - timezone.now() > first  # Waits longer each time.


def test_a_retry_after_a_lost_answer_is_not_applied_twice(per_seat, subscribed, catalog, join):
    join(subscribed, "ada@example.com")
    [key] = [k for k in catalog.idempotency_keys if k.startswith("quickscale-seats-")]
    # The answer got lost: our record still says the change is pending, so it is retried.
    SeatSync.objects.filter(team=subscribed).update(synced_version=0)

    assert seats.sync(subscribed.pk) == "synced"

    assert catalog.idempotency_keys.count(key) == 2
    assert len(catalog.requests("POST", ITEM_PATH)) == 1  # Stripe replayed its answer.


def test_checkout_of_a_per_seat_plan_buys_a_seat_per_member(
    per_seat, catalog, acme, join, client, user
):
    join(acme, "ada@example.com")
    join(acme, "bob@example.com")
    client.force_login(user)
    work_in(client, acme)

    client.post(reverse("billing:subscribe", args=[MONTHLY]))

    [checkout] = catalog.requests("POST", "/v1/checkout/sessions")
    assert checkout["line_items[0][quantity]"] == "3"
    assert checkout["metadata[quickscale_team]"] == str(acme.pk)
    assert "/ member / month" in client.get(reverse("billing:pricing")).text


def test_a_subscription_that_arrives_with_a_stale_count_is_corrected(
    per_seat, catalog, acme, join, client, user, django_capture_on_commit_callbacks
):
    """Someone joined while the checkout page was open: the subscription says 1 seat."""
    add_customer(catalog, acme)
    join(acme, "ada@example.com")
    assert quantity_sent(catalog) == []  # No subscription yet.

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(
            client, event("customer.subscription.created", subscription(catalog, user))
        )

    assert response.status_code == 200
    assert quantity_sent(catalog) == [2]


def test_deleting_a_team_does_not_touch_its_seats(
    per_seat, subscribed, catalog, join, django_capture_on_commit_callbacks
):
    join(subscribed, "ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        subscribed.delete()  # Purges the customer, which cancels the subscription.

    assert quantity_sent(catalog) == [2]
    assert catalog.requests("DELETE", "/v1/customers/cus_QsCustomer00001") == [{}]


def test_members_see_the_plan_and_only_managers_change_it(subscribed, catalog, join, client):
    membership = join(subscribed, "ada@example.com")
    client.force_login(membership.user)
    work_in(client, subscribed)

    page = client.get(reverse("billing:settings")).text

    assert "The plan, payments and invoices of Acme." in page
    assert "Owners and admins of Acme choose its plan." in page
    assert reverse("billing:portal") not in page
    assert client.post(reverse("billing:portal")).status_code == 403
    assert client.post(reverse("billing:subscribe", args=[MONTHLY])).status_code == 403
    assert not catalog.requests("POST", "/v1/billing_portal/sessions")

    Membership.objects.filter(pk=membership.pk).update(role="admin")
    assert client.post(reverse("billing:portal")).status_code == 302


def test_the_plan_is_the_current_teams(subscribed, client, user):
    client.force_login(user)

    work_in(client, subscribed)
    assert "<dd>Pro <span" in client.get(reverse("billing:settings")).text
    work_in(client, teams.ensure_personal_team(user))
    assert "<dd>Free</dd>" in client.get(reverse("billing:settings")).text


def _addon_price(catalog):
    from djstripe.models import Price

    from quickscale_modules.payments.tests.stripe_fake import fixture

    product = fixture("product_pro")
    product.update(id="prod_QsAddon0000001", name="Extra storage", metadata={})
    price = fixture("price_pro_month")
    price.update(id="price_QsAddon0000001", product=product["id"], lookup_key=None)
    catalog.add(product, price)
    Price.sync_from_stripe_data(price)
    return price


def test_a_subscription_listing_an_add_on_first_keeps_its_plan(client, catalog, acme, user):
    """Red team: a subscription made in the Stripe dashboard as [add-on, Pro] read as Free."""
    from quickscale_modules.billing import selectors

    add_customer(catalog, acme)
    data = subscription(catalog, user)
    plan_item = data["items"]["data"][0]
    addon_item = dict(plan_item, id="si_QsAddonItem00001", price=_addon_price(catalog))
    data["items"]["data"] = [addon_item, plan_item]
    catalog.add(data)

    assert deliver(client, event("customer.subscription.created", data)).status_code == 200

    assert selectors.billing_state(acme).plan_key == "pro"


def test_a_subscription_item_without_a_price_is_left_alone(per_seat, subscribed, catalog):
    """Red team: the webhook's check read item.price.product without a guard (a 500)."""
    SubscriptionItem.objects.update(price=None)

    seats.check_subscription("cus_QsCustomer00001")

    assert quantity_sent(catalog) == []


def test_the_success_page_follows_the_checkouts_team(client, catalog, acme, user):
    """Red team: switching teams while Checkout was open left "Confirming…" for ever."""
    from quickscale_modules.payments.tests.stripe_fake import fixture

    add_customer(catalog, acme)
    session = fixture("checkout_session_subscription", team=str(acme.pk))
    catalog.add(session)
    subscription(catalog, user)
    assert deliver(client, event("checkout.session.completed", session)).status_code == 200
    client.force_login(user)
    work_in(client, teams.ensure_personal_team(user))

    page = client.get(f"{reverse('billing:success')}?session_id={session['id']}").text

    assert "Confirming your subscription" not in page
    assert "You're on Pro" in page


@pytest.mark.parametrize(
    ("url", "back_to"),
    [
        (reverse_lazy("billing:subscribe", args=[MONTHLY]), reverse_lazy("billing:pricing")),
        (reverse_lazy("billing:portal"), reverse_lazy("billing:settings")),
        (reverse_lazy("payments:buy", args=["price_QsCredits00001"]), "/payments/"),
    ],
)
def test_stripe_failing_says_so_instead_of_a_500(catalog, client, user, url, back_to):
    """New user: with Stripe unreachable, Subscribe answered 500."""
    add_customer(catalog, user)
    catalog.failing_post_status = 500
    client.force_login(user)

    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == str(back_to)
    assert "Stripe could not be reached or refused the request" in response.text


def test_a_misspelt_proration_setting_is_an_error_of_manage_py_check(settings):
    from quickscale_modules.billing import checks

    assert checks.seat_proration_is_known(None) == []
    settings.BILLING_SEAT_PRORATION = "create_proration"

    [error] = checks.seat_proration_is_known(None)

    assert error.id == "quickscale_billing.E001" and "'create_proration'" in error.msg


def test_per_seat_must_be_a_switch(settings):
    from quickscale_modules.billing import checks

    settings.BILLING_PLANS = {"pro": {"per_seat": "yes", "features": [], "limits": {}}}

    [error] = checks.per_seat_is_a_switch(None)

    assert error.id == "quickscale_billing.E002" and '"pro"' in error.msg


def test_members_who_cannot_pay_are_told_whom_to_ask(join, client, user):
    """New user: the dashboard and account cards offered members an upgrade they cannot buy."""
    skip_if_overridden("quickscale_billing/partials/dashboard_card.html")
    team = teams.create_team(user, "Free team")
    membership = join(team, "ada@example.com")
    client.force_login(membership.user)
    work_in(client, team)

    dashboard = client.get(reverse("dashboard")).text
    account = client.get(reverse("account_settings")).text
    pricing = client.get(reverse("billing:pricing")).text

    assert "Plan of Free team: Free" in dashboard
    assert "Ask an owner or admin of Free team to upgrade." in dashboard
    assert "The plan of Free team." in account
    assert f'href="{reverse("billing:pricing")}">Upgrade' not in account
    assert "Plans for Free team: every member gets what the plan includes." in pricing
    client.force_login(user)
    work_in(client, team)
    upgrade = f'href="{reverse("billing:pricing")}">Upgrade'
    assert upgrade in client.get(reverse("account_settings")).text


def test_pricing_offers_a_paid_teams_members_no_plan_change(subscribed, join, client):
    """Red team: members of a paid team were offered "Manage your plan"."""
    membership = join(subscribed, "ada@example.com")
    client.force_login(membership.user)
    work_in(client, subscribed)

    page = client.get(reverse("billing:pricing")).text

    assert "Manage your plan" not in page and "Switch in billing settings" not in page
    assert "Owners and admins of Acme choose its plan." in page
