"""Rate limits, no account enumeration, and the admin login behind allauth."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from .conftest import EMAIL, PASSWORD, log_in, rate_limit, reauthenticate

pytestmark = pytest.mark.django_db


def test_repeated_failed_logins_lock_the_account_for_a_while(client, member, settings):
    for _ in range(rate_limit(settings, "login_failed", "key")):
        response = log_in(client, password="wrong-guess")
        assert "not correct" in response.text

    # Now even the right password is refused until the window passes (ACCOUNT_RATE_LIMITS).
    response = log_in(client)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_limited_per_address(client, member, mailoutbox, settings):
    allowed = rate_limit(settings, "reset_password", "key")
    for _ in range(allowed):
        assert client.post(reverse("password_reset"), {"email": EMAIL}).status_code == 302

    response = client.post(reverse("password_reset"), {"email": EMAIL})

    assert response.status_code == 429
    assert "Too many attempts" in response.text  # The module's themed 429 page.
    assert len(mailoutbox) == allowed


def test_signups_are_limited_per_ip(client, settings):
    for i in range(rate_limit(settings, "signup", "ip")):
        client.post(reverse("account_signup"), {"email": f"user{i}@example.com"})

    response = client.post(reverse("account_signup"), {"email": "one-more@example.com"})

    assert response.status_code == 429


def test_password_reset_does_not_reveal_whether_an_account_exists(client, member, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": EMAIL})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    # Each address gets an email; only its owner learns what it says.
    assert [m.to for m in mailoutbox] == [[EMAIL], ["nobody@example.com"]]
    assert "no account with this address" in mailoutbox[1].body


def test_signup_does_not_reveal_whether_an_account_exists(client, member, mailoutbox):
    data = {"password1": "x-Strong-pass-123", "password2": "x-Strong-pass-123"}
    taken = client.post(reverse("account_signup"), {"email": EMAIL, **data})
    client.cookies.clear()
    fresh = client.post(reverse("account_signup"), {"email": "new@example.com", **data})

    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert "already exists" in mailoutbox[0].body
    assert mailoutbox[0].to == [EMAIL]


class CountingHasher(MD5PasswordHasher):
    """The test settings' hasher, recording each password it hashes."""

    hashed: list[str] = []

    def encode(self, password, salt):
        self.hashed.append(password)
        return super().encode(password, salt)


@pytest.fixture
def hashed_passwords(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.{CountingHasher.__name__}"]
    CountingHasher.hashed.clear()
    yield CountingHasher.hashed
    CountingHasher.hashed.clear()


def test_signup_hashes_the_password_whether_or_not_the_account_exists(
    client, member, mailoutbox, hashed_passwords
):
    # Hashing is the slowest step of a sign-up: skipping it for an address that already has an
    # account made those answers measurably faster (a timing side channel).
    data = {"password1": "x-Strong-pass-123", "password2": "x-Strong-pass-123"}
    hashed_passwords.clear()
    fresh = client.post(reverse("account_signup"), {"email": "new@example.com", **data})
    for_new_account = list(hashed_passwords)
    hashed_passwords.clear()
    client.cookies.clear()

    taken = client.post(reverse("account_signup"), {"email": EMAIL, **data})

    assert for_new_account == ["x-Strong-pass-123"]
    assert hashed_passwords == for_new_account
    # allauth's enumeration prevention is kept: same answer, an email to the owner.
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert member.__class__.objects.filter(email=EMAIL).count() == 1
    assert "already exists" in mailoutbox[-1].body and mailoutbox[-1].to == [EMAIL]


def sign_up(client, email: str):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.parametrize(
    ("email", "error"),
    [
        # Valid by Django's EmailValidator (labels of up to 63 characters), 259 characters
        # long: more than the user model's 254-character email column.
        ("a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.com", "at most 254 characters"),
        # Red team: "\u0130" passes Django's validator, and lowercasing doubles it: a
        # 247-character address became 311 characters, was cut to 254 and crashed the
        # confirmation email.
        ("\u0130" * 64 + "@" + "d" * 63 + "." + "e" * 63 + ".com", "Use only ASCII"),
        ("\u0130x@" + "d" * 63 + "." + "e" * 63 + ".com", "Use only ASCII"),
    ],
)
def test_signup_refuses_an_email_it_cannot_store_or_mail(
    client, django_user_model, mailoutbox, email, error
):
    response = sign_up(client, email)

    assert response.status_code == 200
    assert error in response.text
    assert not django_user_model.objects.exists()
    assert mailoutbox == []


def test_signup_accepts_an_email_of_254_characters(client, django_user_model):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".ex.com"
    assert len(email) == 254

    response = sign_up(client, email)

    assert response.status_code == 302
    assert django_user_model.objects.get().email == email


def test_email_change_refuses_an_email_too_long_to_store(logged_in, member, mailoutbox):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.com"
    reauthenticate(logged_in)
    sent = len(mailoutbox)

    response = logged_in.post(reverse("account_email"), {"action_add": "", "email": email})

    assert response.status_code == 200
    assert "at most 254 characters" in response.text
    assert not member.emailaddress_set.filter(email=email).exists()
    assert len(mailoutbox) == sent


def test_admin_login_goes_through_the_allauth_login(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_admin_refuses_signed_in_users_who_are_not_staff(client, member):
    client.force_login(member)

    assert client.get(reverse("admin:login")).status_code == 403


def test_staff_reach_the_admin_after_logging_in_with_allauth(client, member):
    member.is_staff = True
    member.is_superuser = True
    member.save()

    log_in(client)

    assert client.get(reverse("admin:index")).status_code == 200
