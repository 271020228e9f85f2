"""Subscribing, the webhook-driven subscription lifecycle, and what it means for entitlements."""

import pytest
from django.urls import reverse
from djstripe.models import Customer

from quickscale_modules.billing import selectors, services
from quickscale_modules.payments.tests.stripe_fake import (
    deliver,
    event,
    fixture,
    personal_team_id,
    subscription,
)

from .conftest import MONTHLY, YEARLY

pytestmark = pytest.mark.django_db


def send(client, catalog, event_type, obj, **kwargs):
    response = deliver(client, event(event_type, obj, **kwargs))
    assert response.status_code == 200, response.content
    return response


def test_subscribe_starts_checkout_in_subscription_mode(member, catalog, user):
    response = member.post(reverse("billing:subscribe", args=[YEARLY]))

    [checkout] = catalog.requests("POST", "/v1/checkout/sessions")
    customer = Customer.objects.get(team_link__team__memberships__user=user)
    assert checkout["mode"] == "subscription"
    assert checkout["customer"] == customer.id
    assert checkout["line_items[0][price]"] == YEARLY
    assert checkout["line_items[0][quantity]"] == "1"  # Pro is not billed per seat.
    assert checkout["metadata[quickscale_team]"] == personal_team_id(user)
    assert checkout["metadata[quickscale_buyer]"] == str(user.pk)
    assert checkout["subscription_data[metadata][plan]"] == "pro"
    assert checkout["success_url"] == (
        "http://testserver/billing/checkout/success/?session_id={CHECKOUT_SESSION_ID}"
        f"&team={personal_team_id(user)}"
    )
    assert checkout["cancel_url"] == "http://testserver/billing/checkout/cancelled/"
    assert response.status_code == 302
    assert response.url.startswith("https://checkout.stripe.com/")


def test_subscribe_refuses_one_time_prices(member, catalog):
    response = member.post(reverse("billing:subscribe", args=["price_QsCredits00001"]))

    assert response.status_code == 404
    assert not catalog.requests("POST", "/v1/checkout/sessions")


def test_subscribe_sends_subscribers_to_the_portal(member, catalog, customer, user):
    send(member, catalog, "customer.subscription.created", subscription(catalog, user))

    response = member.post(reverse("billing:subscribe", args=[YEARLY]), follow=False)

    assert response.status_code == 302
    assert response.url.startswith("https://billing.stripe.com/p/session/")
    assert not catalog.requests("POST", "/v1/checkout/sessions")
    page = member.get(reverse("billing:settings"))
    assert "You already have a subscription" in page.text


def test_subscribe_with_a_subscription_needing_attention_goes_to_settings(
    member, catalog, customer, user
):
    send(
        member,
        catalog,
        "customer.subscription.created",
        subscription(catalog, user, status="past_due"),
    )

    response = member.post(reverse("billing:subscribe", args=[YEARLY]))

    assert response.status_code == 302
    assert response.url == reverse("billing:settings")
    assert not catalog.requests("POST", "/v1/checkout/sessions")


def test_a_second_subscribe_reuses_the_open_checkout(member, catalog, user):
    first = member.post(reverse("billing:subscribe", args=[YEARLY]))
    second = member.post(reverse("billing:subscribe", args=[YEARLY]))

    assert len(catalog.requests("POST", "/v1/checkout/sessions")) == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url  # The same payment page: the user cannot pay twice.


def test_subscribing_to_another_price_expires_the_open_checkout(member, catalog, user):
    first = member.post(reverse("billing:subscribe", args=[MONTHLY]))
    second = member.post(reverse("billing:subscribe", args=[YEARLY]))

    [old_id] = [o for o in catalog.objects if first.url.endswith(o)]
    assert catalog.objects[old_id]["status"] == "expired"
    assert len(catalog.requests("POST", f"/v1/checkout/sessions/{old_id}/expire")) == 1
    assert second.url != first.url
    open_sessions = [
        o
        for o in catalog.objects.values()
        if o["object"] == "checkout.session" and o["status"] == "open"
    ]
    assert len(open_sessions) == 1


def test_subscribe_after_paying_waits_for_the_webhook(member, catalog, customer, user):
    # Paid in Checkout a moment ago; Stripe's webhook has not recorded the subscription yet.
    member.post(reverse("billing:subscribe", args=[YEARLY]))
    [session] = [o for o in catalog.objects.values() if o["object"] == "checkout.session"]
    session.update(status="complete", url=None, subscription="sub_QsSubscription01")

    response = member.post(reverse("billing:subscribe", args=[YEARLY]))

    assert len(catalog.requests("POST", "/v1/checkout/sessions")) == 1
    assert response.status_code == 302
    team = personal_team_id(user)
    assert response.url == f"{reverse('billing:success')}?session_id={session['id']}&team={team}"


def test_an_incomplete_newer_subscription_does_not_hide_the_active_one(
    member, catalog, customer, user
):
    send(member, catalog, "customer.subscription.created", subscription(catalog, user))
    # A second checkout left a newer subscription waiting for its first payment.
    newer = subscription(
        catalog,
        user,
        price=YEARLY,
        id="sub_QsSubscription02",
        status="incomplete",
        created=1767225600 + 3600,
    )
    newer["items"]["data"][0]["id"] = "si_QsItem0000000002"
    send(member, catalog, "customer.subscription.created", newer)

    state = selectors.billing_state(user)

    assert state.subscription_id == "sub_QsSubscription01"
    assert state.entitled and state.status == "active"
    assert selectors.has_entitlement(user, "exports")
    assert selectors.entitlement_limit(user, "projects") == 20
    assert not selectors.can_subscribe(user)


def test_success_page_waits_for_the_webhook(member, catalog, customer, user):
    session = fixture("checkout_session_subscription", team=personal_team_id(user))
    url = f"{reverse('billing:success')}?session_id={session['id']}"

    before = member.get(url)

    assert "Confirming your subscription" in before.text
    assert '<meta http-equiv="refresh"' in before.text
    assert not selectors.has_entitlement(user, "exports")

    catalog.add(session)
    subscription(catalog, user)
    send(member, catalog, "checkout.session.completed", session)
    after = member.get(url)

    assert "You're on Pro" in after.text
    assert 'http-equiv="refresh"' not in after.text
    assert selectors.has_entitlement(user, "exports")


def test_checkout_completion_links_a_new_customer_to_the_team(member, catalog, user):
    # The customer is only known to Stripe (a retried request whose answer was lost): the
    # session's metadata carries the team's ID, and the customer is linked to the team.
    stripe_customer = fixture("customer")
    catalog.add(stripe_customer)
    session = fixture("checkout_session_subscription", team=personal_team_id(user))
    catalog.add(session)
    subscription(catalog, user)

    send(member, catalog, "checkout.session.completed", session)

    customer = Customer.objects.get(id=stripe_customer["id"])
    assert customer.team_link.team_id == int(personal_team_id(user))
    assert selectors.billing_state(user).plan_key == "pro"


def test_lifecycle_events_change_entitlements_immediately(member, catalog, customer, user):
    assert selectors.billing_state(user).plan_key == "free"
    assert selectors.entitlement_limit(user, "projects") == 3

    send(member, catalog, "customer.subscription.created", subscription(catalog, user))
    assert selectors.has_entitlement(user, "exports")
    assert selectors.entitlement_limit(user, "projects") == 20

    # The renewal payment failed: Stripe retries, the paid features pause meanwhile.
    past_due = subscription(catalog, user, status="past_due")
    send(
        member,
        catalog,
        "customer.subscription.updated",
        past_due,
        previous_attributes={"status": "active"},
    )
    state = selectors.billing_state(user)
    assert state.status == "past_due" and not state.entitled
    assert not selectors.has_entitlement(user, "exports")
    assert selectors.entitlement_limit(user, "projects") == 3

    # The card was updated and the invoice paid.
    send(member, catalog, "customer.subscription.updated", subscription(catalog, user))
    assert selectors.has_entitlement(user, "exports")

    # Cancelled at period end in the portal: still entitled until then, with an end date.
    ending = subscription(catalog, user, cancel_at_period_end=True)
    send(
        member,
        catalog,
        "customer.subscription.updated",
        ending,
        previous_attributes={"cancel_at_period_end": False},
    )
    state = selectors.billing_state(user)
    assert state.entitled and state.cancels_at is not None and state.renews_at is None
    assert state.cancels_at.timestamp() == 1769904000

    # The period ended: Stripe deletes the subscription.
    canceled = subscription(catalog, user, status="canceled", ended_at=1769904000)
    send(member, catalog, "customer.subscription.deleted", canceled)
    assert selectors.billing_state(user).plan_key == "free"
    assert not selectors.has_entitlement(user, "exports")


def test_trialing_counts_and_unknown_features_do_not(member, catalog, customer, user):
    send(
        member,
        catalog,
        "customer.subscription.created",
        subscription(catalog, user, status="trialing"),
    )

    assert selectors.has_entitlement(user, "priority_support")
    assert not selectors.has_entitlement(user, "sso")  # Only the business plan has it.
    assert selectors.entitlement_limit(user, "no_such_limit") == 0


def test_past_due_can_be_configured_to_keep_access(member, catalog, customer, user, settings):
    settings.BILLING_ENTITLED_STATUSES = ["active", "trialing", "past_due"]

    send(
        member,
        catalog,
        "customer.subscription.created",
        subscription(catalog, user, status="past_due"),
    )

    assert selectors.has_entitlement(user, "exports")


def test_anonymous_users_get_nothing_but_the_free_plan(catalog):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.has_entitlement(AnonymousUser(), "exports")
    assert selectors.entitlement_limit(AnonymousUser(), "projects") == 3


def test_portal_opens_a_stripe_portal_session(member, catalog, customer, user):
    response = member.post(reverse("billing:portal"))

    [request] = catalog.requests("POST", "/v1/billing_portal/sessions")
    assert request == {"customer": customer.id, "return_url": "http://testserver/billing/"}
    assert response.status_code == 302
    assert response.url.startswith("https://billing.stripe.com/p/session/")


def test_portal_needs_post_and_keys(member, settings, catalog):
    assert member.get(reverse("billing:portal")).status_code == 405

    settings.STRIPE_SECRET_KEY = ""
    response = member.post(reverse("billing:portal"), follow=True)

    assert "Stripe keys are missing" in response.text
    assert not catalog.requests("POST", "/v1/billing_portal/sessions")


@pytest.mark.parametrize("session_id", ["\x00", "cs_test_\x00", "not-a-session", "cs_" + "x" * 300])
def test_success_page_ignores_what_is_not_a_checkout_session_id(member, session_id):
    """Red team: `?session_id=%00` reached a query and answered 500 on PostgreSQL."""
    response = member.get(reverse("billing:success"), {"session_id": session_id})

    assert response.status_code == 200


def test_entitlement_reads_stay_importable_from_services():
    """module.yml's `provides: entitlements` names billing.services, and code written before
    selectors.py existed calls services.<read>."""
    for name in ("billing_state", "has_entitlement", "entitlement_limit", "plans"):
        assert getattr(services, name) is getattr(selectors, name)
