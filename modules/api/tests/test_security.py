"""Security of API keys: a session alone cannot mint a key, the owner is told, keys die with a
password change or "sign out everywhere else", revoking is for good, refused keys are
throttled per IP, and hostile JSON is a 400."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from quickscale_core import extensions
from quickscale_modules.api import services
from quickscale_modules.api.models import ApiKey

from .conftest import EMAIL, PASSWORD, WHOAMI, bearer, confirm_password

pytestmark = [pytest.mark.django_db, pytest.mark.urls("quickscale_modules.api.tests.urls")]

NEW_PASSWORD = "another-horse-battery-staple"
KEY_PATTERN = r'<code class="api-key__secret" id="new-api-key">([^<]+)</code>'


def _code(response):
    return response.json()["code"]


# Creating a key needs a recent password confirmation, and the owner is told.


def test_a_signed_in_session_alone_cannot_create_a_key(client, member, mailoutbox):
    client.force_login(member)

    response = client.post(reverse("api_keys"), {"name": "Stolen", "expires": "never"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not ApiKey.objects.exists()
    assert mailoutbox == []


def test_the_key_is_created_once_the_password_is_confirmed(client, member, mailoutbox):
    client.force_login(member)
    asked = client.post(reverse("api_keys"), {"name": "Deploy script", "expires": "30"})

    # The confirmation page replays the POST it interrupted.
    confirmed = client.post(asked.url, {"password": PASSWORD})

    assert confirmed.status_code == 303 and confirmed.url == reverse("api_keys")
    api_key = ApiKey.objects.get()
    assert (api_key.user, api_key.name) == (member, "Deploy script")
    [key] = re.findall(KEY_PATTERN, client.get(reverse("api_keys")).text)
    assert client.get(WHOAMI, headers=bearer(key)).status_code == 200
    assert len(mailoutbox) == 1


def test_a_wrong_password_creates_no_key(client, member):
    client.force_login(member)
    asked = client.post(reverse("api_keys"), {"name": "Stolen", "expires": "never"})

    response = client.post(asked.url, {"password": "a-guess"})

    assert response.status_code == 200
    assert not ApiKey.objects.exists()


def test_the_keys_page_itself_needs_no_confirmation(client, member, new_key):
    client.force_login(member)

    response = client.get(reverse("api_keys"))

    assert response.status_code == 200
    assert new_key.api_key.prefix in response.text


def test_the_owner_is_emailed_when_a_key_is_created(client, member, mailoutbox):
    confirm_password(client, member)

    client.post(reverse("api_keys"), {"name": "Deploy script", "expires": "never"})

    api_key = ApiKey.objects.get()
    [message] = mailoutbox
    assert message.to == [EMAIL]
    assert "New API key created" in message.subject
    [(html, _mimetype)] = message.alternatives
    for body in (message.body, html):
        assert "Deploy script" in body
        assert f"{api_key.prefix}…" in body
        assert "no expiry date" in body
        assert f"http://testserver{reverse('api_keys')}" in body
    # Where the request came from, as in the other security notices.
    assert "127.0.0.1" in message.body
    # Never the key itself.
    [key] = re.findall(KEY_PATTERN, client.get(reverse("api_keys")).text)
    assert key.split(".")[1] not in message.body and key.split(".")[1] not in html


def test_the_owner_is_notified_in_the_app_too(client, member, mailoutbox, monkeypatch):
    """The kind is a security notice (`email: always` in module.yml): the email above is the
    only one, with or without the notifications module, which adds the in-app notification."""
    told = []
    monkeypatch.setattr(extensions, "notify", lambda *args: told.append(args))
    confirm_password(client, member)

    client.post(reverse("api_keys"), {"name": "Deploy script", "expires": "never"})

    [(user, kind, context)] = told
    assert (user, kind, context["url"]) == (member, "api_key_created", reverse("api_keys"))
    assert extensions.notification_kinds()["api_key_created"]["email"] == "always"
    assert len(mailoutbox) == 1


# Keys stop working when the owner takes their account back.


def test_changing_the_password_revokes_the_keys(client, member, new_key):
    other = services.create_key(member, "Other script")
    client.force_login(member)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    for key in (new_key, other):
        refused = Client().get(WHOAMI, headers=bearer(key.key))
        assert (refused.status_code, _code(refused)) == (401, "revoked_api_key")
    # Keys created afterwards work.
    fresh = services.create_key(member, "After the change")
    assert Client().get(WHOAMI, headers=bearer(fresh.key)).status_code == 200


def test_a_password_set_anywhere_revokes_the_keys(client, member, new_key):
    # Staff in the admin, `manage.py changepassword`, a reset link: all end in set_password().
    member.set_password(NEW_PASSWORD)
    member.save()

    response = client.get(WHOAMI, headers=bearer(new_key.key))

    assert (response.status_code, _code(response)) == (401, "revoked_api_key")


def test_other_saves_of_the_user_keep_the_keys(client, member, new_key, settings):
    member.first_name = "Ada"
    member.save()
    # Django re-hashes an unchanged password with the preferred hasher when it is checked.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    member.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    member.save()
    assert member.check_password(PASSWORD)
    member.refresh_from_db()
    assert member.password.startswith("md5$")

    assert client.get(WHOAMI, headers=bearer(new_key.key)).status_code == 200


def test_signing_out_everywhere_else_revokes_the_keys(client, member, new_key):
    EmailAddress.objects.create(user=member, email=EMAIL, verified=True, primary=True)
    elsewhere = Client()
    for browser in (elsewhere, client):
        browser.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert UserSession.objects.filter(user=member).count() == 2

    response = client.post(reverse("usersessions_list"))

    assert response.status_code == 302
    refused = Client().get(WHOAMI, headers=bearer(new_key.key))
    assert (refused.status_code, _code(refused)) == (401, "revoked_api_key")


def test_keys_of_other_users_are_kept(client, member, new_key, django_user_model):
    other = django_user_model.objects.create_user(email="bob@example.com", password="x-pass-123")
    theirs = services.create_key(other, "Theirs")

    member.set_password(NEW_PASSWORD)
    member.save()

    assert client.get(WHOAMI, headers=bearer(theirs.key)).status_code == 200


# Revoking is for good.


def test_staff_cannot_unrevoke_a_key_in_the_admin(admin_client, new_key):
    services.revoke_key(new_key.api_key.user, new_key.api_key.pk)
    url = reverse("admin:quickscale_api_apikey_change", args=[new_key.api_key.pk])

    form = admin_client.get(url)
    response = admin_client.post(
        url, {"name": "Renamed", "expires_at_0": "", "expires_at_1": "", "revoked_at_0": ""}
    )

    assert 'name="revoked_at' not in form.text and 'name="expires_at' not in form.text
    assert response.status_code == 302
    new_key.api_key.refresh_from_db()
    assert new_key.api_key.name == "Renamed"
    assert new_key.api_key.is_revoked
    refused = Client().get(WHOAMI, headers=bearer(new_key.key))
    assert (refused.status_code, _code(refused)) == (401, "revoked_api_key")


def test_staff_revoke_keys_with_the_admin_action(admin_client, new_key):
    response = admin_client.post(
        reverse("admin:quickscale_api_apikey_changelist"),
        {"action": "revoke_keys", "_selected_action": [new_key.api_key.pk]},
    )

    assert response.status_code == 302
    new_key.api_key.refresh_from_db()
    assert new_key.api_key.is_revoked


def test_a_revoked_key_stays_revoked_whatever_saves_it(client, new_key):
    api_key = new_key.api_key
    services.revoke_key(api_key.user, api_key.pk)
    api_key.refresh_from_db()
    revoked_at = api_key.revoked_at

    api_key.revoked_at = None
    api_key.save()

    api_key.refresh_from_db()
    assert api_key.revoked_at == revoked_at
    response = client.get(WHOAMI, headers=bearer(new_key.key))
    assert (response.status_code, _code(response)) == (401, "revoked_api_key")


# Refused keys are throttled per client IP.


def test_refused_keys_are_throttled_per_ip(client, member, new_key, rates):
    rates(api_key_failure="5/minute", anon="1000/minute")
    for i in range(5):
        response = client.get(WHOAMI, headers=bearer(f"{new_key.api_key.prefix}.wrong{i}"))
        assert response.status_code == 401

    throttled = client.get(WHOAMI, headers=bearer("Abcdefgh.another-guess"))

    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert (throttled.json()["status"], _code(throttled)) == (429, "throttled")
    # The address is blocked, whatever key it sends: guessing gets no further answers.
    assert client.get(WHOAMI, headers=bearer(new_key.key)).status_code == 429
    # Other addresses, and sessions, are not affected.
    elsewhere = client.get(WHOAMI, headers=bearer(new_key.key), REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 200
    client.force_login(member)
    assert client.get(WHOAMI).status_code == 200


def test_valid_keys_are_not_counted_as_failures(client, new_key, rates):
    rates(api_key_failure="2/minute")
    for _ in range(5):
        assert client.get(WHOAMI, headers=bearer(new_key.key)).status_code == 200


# Hostile JSON.


def test_a_deeply_nested_json_body_is_a_400(client, new_key):
    depth = 100_000
    response = client.post(
        "/api/v1/test/notes/",
        "[" * depth + "]" * depth,
        content_type="application/json",
        headers=bearer(new_key.key),
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["code"]) == (400, "parse_error")
    assert "nested too deeply" in body["detail"]
