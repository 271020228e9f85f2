"""GET /api/v1/me/ (me.py): who a request acts for, by API key or session."""

import pytest
from django.test import Client
from django.urls import reverse

from quickscale_modules.api import services

pytestmark = pytest.mark.django_db


def test_me_with_an_api_key_is_the_key_owner(client, user):
    new_key = services.create_key(user, "Deploy script")

    response = client.get(reverse("api_me"), headers={"Authorization": f"Bearer {new_key.key}"})

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["authenticated_by"] == "api_key"
    assert body["api_key"] == {
        "name": "Deploy script",
        "prefix": new_key.api_key.prefix,
        "expires_at": None,
    }


def test_me_with_the_session(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.get(reverse("api_me"))

    assert response.status_code == 200
    assert response.json()["authenticated_by"] == "session"
    assert response.json()["api_key"] is None


def test_me_needs_credentials(client):
    response = client.get(reverse("api_me"))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_is_in_the_schema(client):
    schema = client.get(reverse("api_schema"), headers={"Accept": "application/json"}).json()

    assert reverse("api_me") == "/api/v1/me/"
    assert "get" in schema["paths"]["/me/"]
