"""API keys: created and shown once, stored as a hash, listed with their prefix, revoked."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quickscale_modules.api import services
from quickscale_modules.api.models import ApiKey

from .conftest import EMAIL, confirm_password

pytestmark = pytest.mark.django_db

KEY_PATTERN = r'<code class="api-key__secret" id="new-api-key">([^<]+)</code>'


def test_keys_page_needs_login(client):
    response = client.get(reverse("api_keys"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_creating_a_key_shows_it_once_and_stores_only_its_hash(client, member):
    confirm_password(client, member)

    created = client.post(reverse("api_keys"), {"name": "Deploy script", "expires": "never"})

    # Post/redirect/get: reloading the page that shows the key cannot create another one.
    assert created.status_code == 303 and created.url == reverse("api_keys")
    assert not re.search(KEY_PATTERN, created.text)
    response = client.get(created.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [key] = re.findall(KEY_PATTERN, response.text)
    api_key = ApiKey.objects.get()
    assert (api_key.user, api_key.name, api_key.expires_at) == (member, "Deploy script", None)
    # The database holds the prefix and a SHA-256 of the key, never the key.
    assert key.startswith(api_key.prefix + ".")
    assert api_key.hashed_key == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(v) for v in ApiKey.objects.values_list().get()]
    assert not any(key in value or key.split(".")[1] in value for value in stored)

    # Shown once: the next visit (a reload included) no longer has it, anywhere.
    listing = client.get(reverse("api_keys"))

    assert ApiKey.objects.count() == 1
    assert not any(key in str(value) for value in client.session.values())
    assert key not in listing.text
    assert not re.search(KEY_PATTERN, listing.text)
    assert f"<code>{api_key.prefix}…</code>" in listing.text
    assert "Deploy script" in listing.text


def test_keys_are_long_random_and_unique(member):
    keys = [services.create_key(member, name=f"k{i}").key for i in range(20)]

    assert len(set(keys)) == 20
    assert len({k.split(".")[0] for k in keys}) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9]{8}\.[A-Za-z0-9_-]{43}", k) for k in keys)


@pytest.mark.parametrize(("choice", "days"), [("30", 30), ("90", 90), ("365", 365)])
def test_a_key_can_expire(client, member, choice, days):
    confirm_password(client, member)

    client.post(reverse("api_keys"), {"name": "CI", "expires": choice})

    expected = timezone.now() + timedelta(days=days)
    assert abs(ApiKey.objects.get().expires_at - expected) < timedelta(minutes=1)


def test_a_key_needs_a_name(client, member):
    confirm_password(client, member)

    response = client.post(reverse("api_keys"), {"name": "", "expires": "30"})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert not ApiKey.objects.exists()
    assert not re.search(KEY_PATTERN, response.text)


def test_revoking_a_key(client, member, new_key):
    client.force_login(member)

    response = client.post(reverse("api_key_revoke", args=[new_key.api_key.pk]), follow=True)

    new_key.api_key.refresh_from_db()
    assert new_key.api_key.is_revoked
    assert "is revoked" in response.text
    assert "Revoked" in response.text
    assert f'action="{reverse("api_key_revoke", args=[new_key.api_key.pk])}"' not in response.text


def test_revoking_needs_post(client, member, new_key):
    client.force_login(member)

    response = client.get(reverse("api_key_revoke", args=[new_key.api_key.pk]))

    assert response.status_code == 405
    new_key.api_key.refresh_from_db()
    assert not new_key.api_key.is_revoked


def test_users_see_and_revoke_only_their_own_keys(client, django_user_model, new_key):
    other = django_user_model.objects.create_user(email="eve@example.com", password="x-pass-123")
    client.force_login(other)

    assert new_key.api_key.prefix not in client.get(reverse("api_keys")).text
    response = client.post(reverse("api_key_revoke", args=[new_key.api_key.pk]))

    assert response.status_code == 404
    new_key.api_key.refresh_from_db()
    assert not new_key.api_key.is_revoked


def test_account_settings_links_to_the_keys_page(client, member, new_key):
    client.force_login(member)

    response = client.get(reverse("account_settings"))

    assert "API keys" in response.text
    assert f'href="{reverse("api_keys")}"' in response.text
    assert re.search(r"Active keys</dt>\s*<dd>\s*<span[^>]*></span> 1", response.text)


def test_keys_go_with_the_deleted_account(member, new_key):
    member.delete()

    assert not ApiKey.objects.exists()


def test_admin_lists_keys_without_their_hash(admin_client, new_key):
    response = admin_client.get(
        reverse("admin:quickscale_api_apikey_change", args=[new_key.api_key.pk])
    )

    assert response.status_code == 200
    assert new_key.api_key.prefix in response.text
    assert new_key.api_key.hashed_key not in response.text
    assert EMAIL in response.text
