"""The account settings page, signing out other sessions, and deleting the account."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from quickscale_modules.auth.signals import sessions_ended

from .conftest import EMAIL, PASSWORD, log_in

pytestmark = pytest.mark.django_db


def test_settings_page_needs_login(client):
    response = client.get(reverse("account_settings"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_settings_page_shows_every_part_of_the_account(logged_in):
    response = logged_in.get(reverse("account_settings"))

    assert response.status_code == 200
    html = response.text
    assert EMAIL in html
    assert "Verified" in html
    assert f'href="{reverse("account_email")}"' in html
    assert f'href="{reverse("account_change_password")}"' in html
    assert f'href="{reverse("mfa_activate_totp")}"' in html  # Two-factor is off: offer it.
    assert f'href="{reverse("usersessions_list")}"' in html
    assert f'href="{reverse("account_delete")}"' in html
    assert "This browser" in html


def test_sign_out_other_sessions(logged_in, member):
    other_browser = Client()
    log_in(other_browser)
    assert other_browser.get(reverse("dashboard")).status_code == 200
    assert "Sign out 1 other session" in logged_in.get(reverse("account_settings")).text

    response = logged_in.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert other_browser.get(reverse("dashboard")).status_code == 302
    assert logged_in.get(reverse("dashboard")).status_code == 200
    assert UserSession.objects.filter(user=member).count() == 1


def test_signing_out_other_sessions_is_announced(logged_in, member):
    other_browser = Client()
    log_in(other_browser)
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    sessions_ended.connect(receiver)
    try:
        logged_in.post(reverse("usersessions_list"))
    finally:
        sessions_ended.disconnect(receiver)

    # Other modules drop credentials of their own on it (the api module revokes API keys).
    assert [(r["user"], r["sessions"]) for r in received] == [(member, 1)]


def test_sessions_page_uses_the_theme(logged_in):
    response = logged_in.get(reverse("usersessions_list"))

    assert "allauth/layouts/manage.html" in [t.name for t in response.templates]
    assert '<table class="table">' in response.text


def test_delete_page_asks_for_the_password(logged_in):
    response = logged_in.get(reverse("account_delete"))

    assert response.status_code == 200
    assert '<label for="id_password">' in response.text
    assert 'autocomplete="current-password"' in response.text


def test_delete_refuses_a_wrong_password(logged_in, member):
    response = logged_in.post(reverse("account_delete"), {"password": "not-my-password"})

    assert response.status_code == 200
    assert "That is not your password." in response.text
    member.refresh_from_db()


def test_delete_removes_the_user_and_their_data(logged_in, member, django_user_model):
    other_browser = Client()
    log_in(other_browser)
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={})
    SocialAccount.objects.create(user=member, provider="github", uid="42")

    response = logged_in.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account and its data have been deleted." in response.text
    assert not django_user_model.objects.filter(pk=member.pk).exists()
    for model in (EmailAddress, Authenticator, SocialAccount, UserSession):
        assert not model.objects.filter(user_id=member.pk).exists(), model
    # Every browser is signed out, and no stored session still points at the user.
    assert other_browser.get(reverse("dashboard")).status_code == 302
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(member.pk)


def test_delete_accepts_only_get_and_post(logged_in, member, django_user_model):
    assert logged_in.put(reverse("account_delete")).status_code == 405
    assert logged_in.delete(reverse("account_delete")).status_code == 405
    assert django_user_model.objects.filter(pk=member.pk).exists()


def test_delete_needs_login(client, member, django_user_model):
    response = client.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert django_user_model.objects.filter(pk=member.pk).exists()


def test_users_without_password_confirm_with_their_email(client, django_user_model):
    user = django_user_model.objects.create_user(email="social@example.com")
    assert not user.has_usable_password()
    client.force_login(user)

    wrong = client.post(reverse("account_delete"), {"email": "someone@example.com"})
    assert wrong.status_code == 200
    assert "id_password" not in wrong.text

    client.post(reverse("account_delete"), {"email": "Social@Example.com"})

    assert not django_user_model.objects.filter(pk=user.pk).exists()
