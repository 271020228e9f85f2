"""Throttling per key, per user and per anonymous client: 429 with Retry-After."""

import pytest

from quickscale_modules.api import services

from .conftest import WHOAMI, bearer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("quickscale_modules.api.tests.urls")]


def _assert_throttled(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert (body["status"], body["code"]) == (429, "throttled")


def test_each_key_has_its_own_limit(client, member, new_key, rates):
    rates(api_key="3/minute", user="100/minute")
    for _ in range(3):
        assert client.get(WHOAMI, headers=bearer(new_key.key)).status_code == 200

    _assert_throttled(client.get(WHOAMI, headers=bearer(new_key.key)))

    # The owner's other keys are not affected.
    other = services.create_key(member, "Other script")
    assert client.get(WHOAMI, headers=bearer(other.key)).status_code == 200


def test_a_user_has_one_limit_over_all_their_keys_and_sessions(client, member, rates):
    rates(api_key="100/minute", user="4/minute")
    first, second = services.create_key(member, "A"), services.create_key(member, "B")
    for key in (first, second, first, second):
        assert client.get(WHOAMI, headers=bearer(key.key)).status_code == 200

    _assert_throttled(client.get(WHOAMI, headers=bearer(services.create_key(member, "C").key)))
    client.force_login(member)
    _assert_throttled(client.get(WHOAMI))


def test_users_do_not_share_a_limit(client, member, django_user_model, rates):
    rates(user="2/minute")
    mine = services.create_key(member, "Mine")
    other = django_user_model.objects.create_user(email="bob@example.com", password="x-pass-123")
    theirs = services.create_key(other, "Theirs")
    for _ in range(2):
        client.get(WHOAMI, headers=bearer(mine.key))

    _assert_throttled(client.get(WHOAMI, headers=bearer(mine.key)))
    assert client.get(WHOAMI, headers=bearer(theirs.key)).status_code == 200


def test_anonymous_clients_are_limited_per_ip(client, rates):
    rates(anon="2/minute")
    for _ in range(2):
        assert client.get("/api/v1/test/public/").status_code == 200

    _assert_throttled(client.get("/api/v1/test/public/"))
    assert client.get("/api/v1/test/public/", REMOTE_ADDR="10.0.0.2").status_code == 200
