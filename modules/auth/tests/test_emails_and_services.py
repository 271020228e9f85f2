"""Every allauth email has a themed HTML version; the selectors and services other modules use."""

from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.utils import timezone

from quickscale_modules.auth import selectors, services

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# The layout every message extends, not a message itself.
NOT_EMAILS = {"account/email/base_message.txt"}


def allauth_email_messages():
    for folder in ("account/email", "mfa/email", "socialaccount/email"):
        for path in sorted((ALLAUTH_TEMPLATES / folder).glob("*_message.txt")):
            name = f"{folder}/{path.name}"
            if name not in NOT_EMAILS:
                yield name


@pytest.mark.parametrize("txt_name", list(allauth_email_messages()))
def test_every_allauth_email_has_theme_text_and_html(txt_name):
    html_name = txt_name.removesuffix(".txt") + ".html"
    request = RequestFactory().get("/")
    context = {
        "PROJECT_NAME": "Acme",
        "request": request,
        "email": "ada@example.com",
        "code": "ABC123",
        "activate_url": "https://example.com/confirm/",
        "password_reset_url": "https://example.com/reset/",
        "signup_url": "https://example.com/signup/",
        "from_email": "old@example.com",
        "to_email": "new@example.com",
        "deleted_email": "gone@example.com",
        "provider": "GitHub",
        "ip": "203.0.113.9",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
    }

    for name in (txt_name, html_name):
        template = get_template(name)
        # The theme's own version, not allauth's default.
        assert ALLAUTH_TEMPLATES not in Path(template.origin.name).parents, name
    text = render_to_string(txt_name, context).strip()
    html = render_to_string(html_name, context)

    assert text and "{%" not in text and "<p" not in text
    assert html.lstrip().startswith("<!doctype html>")
    assert "Acme" in text and "Acme" in html


def test_plain_text_emails_are_not_html_escaped():
    text = render_to_string(
        "account/email/password_reset_key_message.txt",
        {"PROJECT_NAME": "Tom & Jerry", "password_reset_url": "https://x.test/?a=1&b=2"},
    )

    assert "Tom & Jerry" in text
    assert "https://x.test/?a=1&b=2" in text


@pytest.mark.django_db
def test_email_services(member, django_user_model):
    assert selectors.primary_email(member) == member.email
    assert selectors.is_email_verified(member)
    assert [a.email for a in selectors.email_addresses(member)] == [member.email]

    unverified = django_user_model.objects.create_user(email="new@example.com", password="x")
    EmailAddress.objects.create(user=unverified, email=unverified.email, primary=True)
    assert not selectors.is_email_verified(unverified)


def test_services_treat_anonymous_users_as_nobody():
    anonymous = AnonymousUser()

    assert selectors.primary_email(anonymous) is None
    assert not selectors.is_email_verified(anonymous)
    assert not selectors.mfa_enabled(anonymous)


@pytest.mark.django_db
def test_mfa_services_without_two_factor(member):
    assert not selectors.mfa_enabled(member)
    assert selectors.recovery_codes_left(member) is None


@pytest.mark.django_db
def test_delete_account_service(member, django_user_model):
    services.delete_account(member)

    assert not django_user_model.objects.filter(email=member.email).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()


def test_reads_stay_importable_from_services():
    """Code (and docs) written before selectors.py existed call services.<read>."""
    for name in ("primary_email", "is_email_verified", "email_addresses", "mfa_enabled"):
        assert getattr(services, name) is getattr(selectors, name)


def test_login_by_code_flag(settings):
    settings.ACCOUNT_LOGIN_BY_CODE_ENABLED = False
    assert not selectors.login_by_code_enabled()
    settings.ACCOUNT_LOGIN_BY_CODE_ENABLED = True
    assert selectors.login_by_code_enabled()
