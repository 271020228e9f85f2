"""The billing endpoints (api.py): the plan, and an entitlement-gated export.

They exist when the project has an API to mount them (module.yml, contributes: api_routes).
"""

import pytest
from django.urls import reverse

from quickscale_core.testing import needs_url

pytestmark = [pytest.mark.django_db, needs_url("api_me_plan")]


@pytest.fixture
def signed_in(client, user):
    """The API takes the site's session like an API key (the api module's tests cover keys)."""
    client.force_login(user)
    return client


def test_plan_of_a_user_without_subscription_is_free(signed_in, settings):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": 3}}

    response = signed_in.get(reverse("api_me_plan"))

    assert response.status_code == 200
    body = response.json()
    assert body["plan"] == "free"
    assert body["status"] == "free"
    assert body["entitled"] is True
    assert body["features"] == []
    assert body["limits"] == {"projects": 3}
    assert body["renews_at"] is None


def test_export_is_refused_without_the_entitlement(signed_in, settings):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {}}

    response = signed_in.get(reverse("api_exports"))

    assert response.status_code == 403
    assert "plan does not include" in response.json()["detail"]


def test_export_is_served_when_the_plan_includes_it(signed_in, user, settings):
    # The free entitlements are a real plan configuration: granting `exports` there
    # exercises the same gate a paid subscription opens.
    settings.BILLING_FREE_ENTITLEMENTS = {"features": ["exports"], "limits": {}}

    response = signed_in.get(reverse("api_exports"))

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["plan"] == "free"


def test_billing_endpoints_need_credentials(client):
    assert client.get(reverse("api_me_plan")).status_code == 401
    assert client.get(reverse("api_exports")).status_code == 401
