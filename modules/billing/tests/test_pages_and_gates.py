"""The pricing, billing and account pages, the dashboard example, and entitlement gates."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from quickscale_core.testing import skip_if_overridden
from quickscale_modules.billing import selectors
from quickscale_modules.payments.tests.stripe_fake import (
    add_customer,
    deliver,
    event,
    fixture,
    subscription,
)

from .conftest import MONTHLY, YEARLY

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(member, catalog, user):
    """The user subscribed to Pro monthly, as the webhooks reported it."""
    add_customer(catalog, user)
    data = subscription(catalog, user, MONTHLY)
    catalog.add(fixture("invoice"))
    assert deliver(member, event("customer.subscription.created", data)).status_code == 200
    assert (
        deliver(member, event("invoice.paid", catalog.objects["in_QsInvoice00000001"])).status_code
        == 200
    )
    return member


# Pricing


def test_pricing_without_synced_prices_explains_how_to_sync_to_staff(client, stripe_settings, user):
    user.is_staff = True
    user.save()
    client.force_login(user)

    response = client.get(reverse("billing:pricing"))

    assert response.status_code == 200
    assert "Paid plans are coming" in response.text
    assert "djstripe_sync_models Product Price" in response.text
    assert "Free" in response.text


def test_pricing_without_synced_prices_tells_visitors_only_that_plans_are_coming(
    client, stripe_settings
):
    response = client.get(reverse("billing:pricing"))

    assert response.status_code == 200
    assert "Plans coming soon" in response.text
    assert "manage.py" not in response.text
    assert "djstripe_sync_models" not in response.text


def test_pricing_without_keys_says_what_to_configure_to_staff(client, settings, user):
    settings.STRIPE_SECRET_KEY = ""
    user.is_staff = True
    user.save()
    client.force_login(user)

    response = client.get(reverse("billing:pricing"))

    assert response.status_code == 200
    assert "Payments are not set up yet" in response.text
    assert "<code>STRIPE_SECRET_KEY</code>" in response.text


def test_pricing_without_keys_in_debug_says_what_to_configure(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.DEBUG = True

    response = client.get(reverse("billing:pricing"))

    assert "Payments are not set up yet" in response.text


@pytest.mark.parametrize("signed_in", [False, True])
def test_pricing_without_keys_shows_visitors_no_setup_instructions(
    client, settings, user, signed_in
):
    settings.STRIPE_SECRET_KEY = ""
    if signed_in:
        client.force_login(user)

    response = client.get(reverse("billing:pricing"))

    assert response.status_code == 200
    assert "Plans coming soon" in response.text
    for leak in ("not set up", "STRIPE_", "manage.py", "docs/modules", ".env"):
        assert leak not in response.text


def test_pricing_shows_synced_plans_monthly_and_yearly(member, catalog):
    monthly = member.get(reverse("billing:pricing"))
    yearly = member.get(reverse("billing:pricing"), {"interval": "year"})

    assert "Pro" in monthly.text and "For growing teams." in monthly.text
    assert "19.00 EUR" in monthly.text and "190.00 EUR" not in monthly.text
    assert f'action="{reverse("billing:subscribe", args=[MONTHLY])}"' in monthly.text
    assert "190.00 EUR" in yearly.text
    assert f'action="{reverse("billing:subscribe", args=[YEARLY])}"' in yearly.text
    assert "Exports" in monthly.text and "20 projects" in monthly.text
    assert "Credit pack" not in monthly.text  # One-time prices are not plans.
    # The free plan is the current one until the user subscribes.
    assert 'plan--current" aria-labelledby="plan-free"' in monthly.text


def test_pricing_marks_the_current_plan(subscribed):
    response = subscribed.get(reverse("billing:pricing"))

    assert 'plan--current" aria-labelledby="plan-pro"' in response.text
    assert "Current plan" in response.text
    assert "Manage your plan" in response.text
    assert 'action="/billing/subscribe/' not in response.text


def test_pricing_asks_visitors_to_log_in(client, catalog):
    response = client.get(reverse("billing:pricing"))

    assert "Log in to subscribe" in response.text
    assert 'action="/billing/subscribe/' not in response.text


def test_nav_links_to_pricing(client, stripe_settings):
    response = client.get(reverse("home"))

    assert f'href="{reverse("billing:pricing")}"' in response.text


# Billing settings


def test_billing_page_for_a_free_user(member, stripe_settings):
    response = member.get(reverse("billing:settings"))

    assert response.status_code == 200
    assert "Free plan" in response.text
    assert f'href="{reverse("billing:pricing")}"' in response.text
    assert "None yet." in response.text


def test_billing_page_shows_plan_status_renewal_and_invoices(subscribed):
    response = subscribed.get(reverse("billing:settings"))

    assert "Pro" in response.text
    assert "Active" in response.text
    assert "Renews on" in response.text and "1 February 2026" in response.text
    assert "19.00 EUR" in response.text
    assert "https://invoice.stripe.com/i/acct_QsPlatform000001/test_invoice" in response.text
    assert f'action="{reverse("billing:portal")}"' in response.text


def test_billing_page_without_keys_shows_members_a_neutral_notice(member, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = member.get(reverse("billing:settings"))

    assert response.status_code == 200
    assert "Plans coming soon" in response.text
    assert "STRIPE_SECRET_KEY" not in response.text


def test_account_settings_has_a_billing_card(subscribed):
    response = subscribed.get(reverse("account_settings"))

    assert 'id="billing-title"' in response.text
    assert f'href="{reverse("billing:settings")}"' in response.text


# The dashboard's gated example


DASHBOARD_CARD = "quickscale_billing/partials/dashboard_card.html"


def test_dashboard_offers_an_upgrade_on_the_free_plan(member, stripe_settings):
    skip_if_overridden(DASHBOARD_CARD)
    response = member.get(reverse("dashboard"))

    assert "Your plan: Free" in response.text
    assert "Exports are a paid feature." in response.text
    assert f'href="{reverse("billing:pricing")}"' in response.text


def test_dashboard_shows_the_feature_to_subscribers(subscribed):
    skip_if_overridden(DASHBOARD_CARD)
    response = subscribed.get(reverse("dashboard"))

    assert "Your plan: Pro" in response.text
    assert "Exports are included in your plan." in response.text


def test_dashboard_card_needs_the_billing_state():
    # Without the context processor's state (e.g. rendered outside a request), no card.
    html = render_to_string(DASHBOARD_CARD, {})

    assert "Your plan:" not in html


# Gates on views and APIs


@pytest.mark.urls("quickscale_modules.billing.tests.gated_urls")
def test_decorator_gates_a_view(client, member, catalog, user):
    refused = member.get("/gated/export/")

    assert refused.status_code == 403
    assert "This needs a paid plan" in refused.text
    assert f'href="{reverse("billing:pricing")}"' in refused.text

    client.logout()
    assert client.get("/gated/export/").status_code == 302  # To the login page.


@pytest.mark.urls("quickscale_modules.billing.tests.gated_urls")
def test_decorator_lets_subscribers_in(subscribed):
    response = subscribed.get("/gated/export/")

    assert response.status_code == 200
    assert response.text == "export ready"


@pytest.mark.urls("quickscale_modules.billing.tests.gated_urls")
def test_mixin_gates_a_class_based_view(subscribed, settings):
    # Pro has no "sso"; with it added to the plan, the same subscriber gets in.
    assert subscribed.get("/gated/sso/").status_code == 403

    settings.BILLING_PLANS = {**settings.BILLING_PLANS, "pro": {"features": ["sso"], "limits": {}}}

    assert subscribed.get("/gated/sso/").status_code == 200


def test_drf_permission_gates_an_api_endpoint(catalog, client, user):
    pytest.importorskip("rest_framework")
    from rest_framework.test import APIRequestFactory, force_authenticate

    from .gated_urls import ExportApi

    def call_api(as_user):
        request = APIRequestFactory().get("/gated/api/export/")
        if as_user:
            # Whatever authenticates API calls in the project (session, API key), the
            # permission sees the resulting user.
            force_authenticate(request, user=as_user)
        return ExportApi.as_view()(request)

    assert call_api(None).status_code in (401, 403)
    refused = call_api(user)
    assert refused.status_code == 403
    assert "Your plan does not include this feature." in str(refused.data)

    add_customer(catalog, user)
    data = subscription(catalog, user, MONTHLY)
    assert deliver(client, event("customer.subscription.created", data)).status_code == 200

    allowed = call_api(user)
    assert allowed.status_code == 200
    assert allowed.data == {"export": "ready"}
    assert selectors.has_entitlement(user, "exports")
