"""Requests with valid, revoked, expired, malformed and missing keys; sessions and CSRF."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quickscale_modules.api import services

from .conftest import EMAIL, WHOAMI, bearer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("quickscale_modules.api.tests.urls")]


def test_a_valid_key_acts_as_its_owner_and_records_its_use(client, new_key):
    assert new_key.api_key.last_used_at is None

    response = client.get(WHOAMI, headers=bearer(new_key.key))

    assert response.status_code == 200
    assert response.json() == {"email": EMAIL, "key": new_key.api_key.pk}
    new_key.api_key.refresh_from_db()
    assert timezone.now() - new_key.api_key.last_used_at < timedelta(seconds=5)


def test_last_use_is_written_at_most_once_a_minute(client, new_key, django_assert_num_queries):
    client.get(WHOAMI, headers=bearer(new_key.key))
    new_key.api_key.refresh_from_db()
    first_use = new_key.api_key.last_used_at

    # One query to find the key (with its owner), no UPDATE within the minute.
    with django_assert_num_queries(1):
        client.get(WHOAMI, headers=bearer(new_key.key))

    new_key.api_key.refresh_from_db()
    assert new_key.api_key.last_used_at == first_use


def test_a_key_can_post_without_csrf(new_key):
    # A key is not sent by browsers on their own, so it needs no CSRF token.
    client = Client(enforce_csrf_checks=True)

    response = client.post(WHOAMI, {}, content_type="application/json", headers=bearer(new_key.key))

    assert response.status_code == 200


def _assert_refused(response, code):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == code
    assert body["detail"]
    return body


def test_a_revoked_key_is_refused(client, member, new_key):
    services.revoke_key(member, new_key.api_key.pk)

    response = client.get(WHOAMI, headers=bearer(new_key.key))

    body = _assert_refused(response, "revoked_api_key")
    assert "revoked" in body["detail"]


def test_an_expired_key_is_refused(client, member):
    expired = services.create_key(member, "Old", expires_at=timezone.now() - timedelta(seconds=1))

    response = client.get(WHOAMI, headers=bearer(expired.key))

    body = _assert_refused(response, "expired_api_key")
    assert "expired" in body["detail"]


def test_a_key_that_has_not_expired_yet_works(client, member):
    key = services.create_key(member, "Soon", expires_at=timezone.now() + timedelta(minutes=5))

    assert client.get(WHOAMI, headers=bearer(key.key)).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer not-a-key",
        "Bearer abc.def",  # Prefix of the wrong length.
        "Bearer two parts",
        "Bearer AAAAAAAA.",
        "bearer AAAAAAAA.nothing-like-the-real-secret",
    ],
)
def test_malformed_keys_are_refused(client, new_key, header):
    response = client.get(WHOAMI, HTTP_AUTHORIZATION=header)

    _assert_refused(response, "invalid_api_key")


def test_a_non_ascii_key_is_refused(client, new_key):
    response = client.get(WHOAMI, HTTP_AUTHORIZATION="Bearer ключ".encode().decode("latin-1"))

    _assert_refused(response, "invalid_api_key")


def test_the_right_prefix_with_a_wrong_secret_is_refused(client, new_key):
    prefix, secret = new_key.key.split(".")
    tampered = f"{prefix}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"

    _assert_refused(client.get(WHOAMI, headers=bearer(tampered)), "invalid_api_key")


def test_a_key_of_a_deactivated_user_is_refused(client, member, new_key):
    member.is_active = False
    member.save()

    _assert_refused(client.get(WHOAMI, headers=bearer(new_key.key)), "invalid_api_key")


def test_an_invalid_key_is_refused_even_on_public_endpoints(client):
    response = client.get("/api/v1/test/public/", headers=bearer("AAAAAAAA.wrong"))

    _assert_refused(response, "invalid_api_key")


def test_no_credentials_means_401_with_a_challenge(client):
    response = client.get(WHOAMI)

    _assert_refused(response, "not_authenticated")


def test_other_authorization_schemes_are_left_alone(client):
    response = client.get(WHOAMI, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    _assert_refused(response, "not_authenticated")


# Sessions: the site's own pages call the API with the login cookie.


def test_a_session_reads_without_csrf(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.get(WHOAMI)

    assert response.status_code == 200
    assert response.json() == {"email": EMAIL, "key": None}


def test_a_session_needs_the_csrf_token_for_unsafe_methods(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    for method in (client.post, client.put, client.patch, client.delete):
        response = method(WHOAMI, {}, content_type="application/json")
        assert response.status_code == 403, method
        body = response.json()
        assert body["code"] == "permission_denied"
        assert "CSRF" in body["detail"]


def test_a_session_with_the_csrf_token_can_post(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get("/accounts/api-keys/")  # Any page with a form sets the CSRF cookie.
    token = client.cookies["csrftoken"].value

    response = client.post(
        WHOAMI, {}, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert response.status_code == 200
