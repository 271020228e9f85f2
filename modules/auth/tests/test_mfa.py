"""Two-factor authentication: enrolment with a real TOTP code, login with it, recovery codes."""

import pytest
from django.urls import reverse

from quickscale_modules.auth import selectors

from .conftest import html_body, log_in, reauthenticate, totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_step_tolerance(settings):
    # Accept the neighbouring 30-second step too, so a code computed just before a step
    # boundary is still valid when the server checks it (as authenticator apps allow).
    settings.MFA_TOTP_TOLERANCE = 1


def activate_totp(client):
    """Enrol an authenticator app the way a user does; returns its secret."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.text  # Shown for apps that cannot scan the QR code.
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302, response.content
    return secret


@pytest.fixture
def enrolled(logged_in, member):
    """A logged-out client whose user has an authenticator app; yields the TOTP secret."""
    secret = activate_totp(logged_in)
    logged_in.post(reverse("logout"))
    return secret


def test_activation_rejects_a_wrong_code(logged_in, member):
    reauthenticate(logged_in)
    response = logged_in.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.text
    assert not selectors.mfa_enabled(member)


# allauth sends the notice when the request's transaction commits, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_enrolment_turns_mfa_on_and_sends_a_notice(logged_in, member, mailoutbox):
    assert not selectors.mfa_enabled(member)

    activate_totp(logged_in)

    assert selectors.mfa_enabled(member)
    assert selectors.recovery_codes_left(member) == 10
    notice = mailoutbox[-1]
    assert "authenticator app was turned on" in notice.body
    assert "authenticator app was turned on" in html_body(notice)
    page = logged_in.get(reverse("account_settings"))
    assert "Manage two-factor authentication" in page.text


def test_login_requires_the_authenticator_code(client, member, enrolled):
    response = log_in(client)

    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # The password alone is not enough.
    assert client.get(reverse("dashboard")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp(enrolled)})

    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_recovery_code_logs_in_once(client, logged_in, member):
    activate_totp(logged_in)
    codes = logged_in.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    logged_in.post(reverse("logout"))

    log_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert response.url == reverse("dashboard")
    assert selectors.recovery_codes_left(member) == 9

    client.post(reverse("logout"))
    log_in(client)
    reused = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_deactivation_turns_mfa_off(logged_in, member):
    activate_totp(logged_in)

    response = logged_in.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not selectors.mfa_enabled(member)


def test_pages_use_the_theme(logged_in):
    reauthenticate(logged_in)
    for name in ("mfa_index", "mfa_activate_totp"):
        response = logged_in.get(reverse(name))
        assert "allauth/layouts/manage.html" in [t.name for t in response.templates]
        assert f'href="{reverse("account_settings")}"' in response.text
    assert 'class="qr"' in response.text
