"""Fixtures for the api module's tests: real keys, real DRF views (tests/urls.py)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from quickscale_modules.api import services

EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery-staple"

WHOAMI = "/api/v1/test/whoami/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF counts requests in the default cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(email=EMAIL, password=PASSWORD)


@pytest.fixture
def new_key(member):
    return services.create_key(member, name="Deploy script")


def confirm_password(client, user, password=PASSWORD):
    """Sign `user` in and confirm their password, as creating a key requires (allauth's
    reauthentication page)."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test: DRF's throttles read them once, at import."""

    def set_rates(**overrides):
        monkeypatch.setattr(
            SimpleRateThrottle,
            "THROTTLE_RATES",
            {**SimpleRateThrottle.THROTTLE_RATES, **overrides},
        )

    return set_rates
