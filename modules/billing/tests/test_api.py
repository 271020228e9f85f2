"""The theme's billing endpoints (billing_api.py): the plan, and an entitlement-gated export."""

import pytest
from django.urls import reverse

from quickscale_modules.api import services as api_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_headers(user):
    key = api_services.create_key(user, "Billing tests")
    return {"Authorization": f"Bearer {key.key}"}


def test_plan_of_a_user_without_subscription_is_free(client, key_headers, settings):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": 3}}

    response = client.get(reverse("api_me_plan"), headers=key_headers)

    assert response.status_code == 200
    body = response.json()
    assert body["plan"] == "free"
    assert body["status"] == "free"
    assert body["entitled"] is True
    assert body["features"] == []
    assert body["limits"] == {"projects": 3}
    assert body["renews_at"] is None


def test_export_is_refused_without_the_entitlement(client, key_headers, settings):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {}}

    response = client.get(reverse("api_exports"), headers=key_headers)

    assert response.status_code == 403
    assert "plan does not include" in response.json()["detail"]


def test_export_is_served_when_the_plan_includes_it(client, key_headers, user, settings):
    # The free entitlements are a real plan configuration: granting `exports` there
    # exercises the same gate a paid subscription opens.
    settings.BILLING_FREE_ENTITLEMENTS = {"features": ["exports"], "limits": {}}

    response = client.get(reverse("api_exports"), headers=key_headers)

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["plan"] == "free"


def test_billing_endpoints_need_credentials(client):
    assert client.get(reverse("api_me_plan")).status_code == 401
    assert client.get(reverse("api_exports")).status_code == 401
