"""Sign-up, verification, login, logout, password reset and email change, end to end."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from quickscale_core.testing import skip_unless_htmx_page

from .conftest import EMAIL, PASSWORD, html_body, link_in, log_in, reauthenticate

NEW_PASSWORD = "a-brand-new-passphrase-42"

pytestmark = pytest.mark.django_db


def test_signup_verify_login_logout(client, django_user_model, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "Grace@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = django_user_model.objects.get()
    assert user.email == "grace@example.com"
    assert not user.emailaddress_set.get().verified
    [message] = mailoutbox
    assert message.to == ["grace@example.com"]
    assert message.subject.startswith("[")  # ACCOUNT_EMAIL_SUBJECT_PREFIX, the project's name
    confirm_url = link_in(message, "/accounts/confirm-email/")
    assert confirm_url in html_body(message)

    # Verification is mandatory: the password alone does not log in yet.
    response = log_in(client, "grace@example.com")
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    # The link opens a confirmation page; only its POST verifies (mail scanners only GET).
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(user=user).verified
    client.post(confirm_url)
    assert EmailAddress.objects.get(user=user).verified

    response = log_in(client, "grace@example.com")
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200

    response = client.post(reverse("logout"))
    assert response.url == reverse("home")
    response = client.get(reverse("dashboard"))
    assert response.url.startswith(reverse("login"))


def test_signup_shows_field_errors(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": "short", "password2": "other"},
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert 'class="errorlist"' in response.text


def test_password_reset_through_the_emailed_link(client, member, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": EMAIL})

    assert response.url == reverse("account_reset_password_done")
    [message] = mailoutbox
    reset_url = link_in(message, "/accounts/password/reset/key/")
    assert reset_url in html_body(message)

    # allauth moves the key from the URL into the session, then shows the form.
    response = client.get(reset_url, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.url == reverse("account_reset_password_from_key_done")

    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    # A security notice follows the reset, in text and HTML.
    assert "Your password was reset." in mailoutbox[-1].body
    assert "Your password was reset." in html_body(mailoutbox[-1])
    # The link works once.
    assert "invalid" in client.get(reset_url, follow=True).text.lower()
    assert log_in(client, password=NEW_PASSWORD).url == reverse("dashboard")


def test_password_change_keeps_the_user_logged_in(logged_in, member, mailoutbox):
    response = logged_in.post(
        reverse("password_change"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert logged_in.get(reverse("dashboard")).status_code == 200
    assert "Your password was changed." in mailoutbox[-1].body


def test_email_change_needs_verification_of_the_new_address(logged_in, member, mailoutbox):
    # An open session is not enough: allauth asks for the password first.
    response = logged_in.post(
        reverse("account_email"), {"action_add": "", "email": "ada@newmail.example"}
    )
    assert response.url.startswith(reverse("account_reauthenticate"))
    reauthenticate(logged_in)

    response = logged_in.post(
        reverse("account_email"), {"action_add": "", "email": "ada@newmail.example"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == EMAIL  # Unchanged until the new address is proved.
    message = mailoutbox[-1]
    assert message.to == ["ada@newmail.example"]
    confirm_url = link_in(message, "/accounts/confirm-email/")

    logged_in.post(confirm_url)

    member.refresh_from_db()
    assert member.email == "ada@newmail.example"
    assert list(member.emailaddress_set.values_list("email", "verified", "primary")) == [
        ("ada@newmail.example", True, True)
    ]
    # The old address hears about the change.
    notice = next(m for m in mailoutbox if m.to == [EMAIL] and "changed" in m.body)
    assert "ada@newmail.example" in html_body(notice)


def test_login_page_wears_the_theme_with_labelled_fields(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    names = [t.name for t in response.templates]
    assert "allauth/layouts/entrance.html" in names
    assert "base.html" in names  # The theme's layout: header, navigation, footer.
    assert 'class="brand__name"' in response.text
    for field in response.context["form"].visible_fields():
        assert f'<label for="{field.id_for_label}">' in response.text
    assert 'class="btn btn--primary"' in response.text
    assert "<script" not in response.text.split("</main>")[0].split("<main")[1]


def test_login_with_wrong_password_shows_an_accessible_error(client, member):
    response = log_in(client, password="wrong")

    assert response.status_code == 200
    assert 'class="alert alert--error" role="alert"' in response.text
    assert "_auth_user_id" not in client.session


def test_theme_navigation_links_to_account_settings(logged_in):
    response = logged_in.get(reverse("dashboard"))

    assert f'href="{reverse("account_settings")}"' in response.text


def test_django_url_names_point_at_allauth_pages(client):
    assert reverse("login") == reverse("account_login")
    assert reverse("logout") == reverse("account_logout")
    assert reverse("password_change") == reverse("account_change_password")
    assert reverse("password_reset") == reverse("account_reset_password")
    # allauth's own view answers, whichever name was used to build the link.
    assert client.get(reverse("login")).resolver_match.url_name == "account_login"


@pytest.mark.usefixtures("login_by_code")
def test_login_by_code_when_enabled(client, member, mailoutbox):
    assert reverse("account_request_login_code") in client.get(reverse("login")).text

    response = client.post(reverse("account_request_login_code"), {"email": EMAIL})
    assert response.url == reverse("account_confirm_login_code")
    message = mailoutbox[-1]
    code = message.body.split("Your sign-in code:")[1].split()[0]
    assert code in html_body(message)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.usefixtures("no_login_by_code")
def test_login_by_code_is_off_by_default(client):
    assert "/accounts/login/code/" not in client.get(reverse("login")).text


def test_landing_page_and_navigation_invite_visitors_to_sign_up(client):
    response = client.get(reverse("home"))

    signup_link = f'href="{reverse("account_signup")}"'
    # The server-rendered navigation links both, whatever the frontend.
    assert signup_link in response.text
    assert f'href="{reverse("login")}"' in response.text
    # A React landing page draws its hero and call to action in the browser.
    skip_unless_htmx_page(response.templates[0].name)
    assert response.text.count(signup_link) >= 3  # navigation, hero and closing call to action
