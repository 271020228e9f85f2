"""Fixtures for the auth module's tests: real views, real allauth, the locmem email outbox."""

import base64
import hashlib
import hmac
import importlib
import re
import struct
import sys
import time

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import clear_url_caches, reverse

EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts attempts (and used TOTP codes) in the default cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(django_user_model):
    """A user who signed up and verified their email address."""
    user = django_user_model.objects.create_user(email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def logged_in(client, member):
    """A client logged in through the real login form (a fresh login, as sensitive pages need)."""
    response = log_in(client)
    assert response.status_code == 302, response.content
    return client


def log_in(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("login"), {"login": email, "password": password})


def reauthenticate(client, password=PASSWORD):
    """Confirm the password, as allauth asks before email and two-factor changes."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content
    return response


def link_in(message, path_prefix):
    """The absolute URL starting with `path_prefix` in an email's plain-text body."""
    match = re.search(rf"https?://testserver({re.escape(path_prefix)}\S*)", message.body)
    assert match, message.body
    return match.group(1)


def html_body(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def totp(secret, at=None):
    """RFC 6238 code (SHA-1, 6 digits, 30 s), computed here independently of allauth."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def reload_urls(root_urlconf):
    """Re-import the URL modules: allauth decides some routes (login by code) at import time."""
    for name in ("allauth.account.urls", "allauth.urls", "quickscale_modules.auth.urls"):
        importlib.reload(sys.modules[name])
    importlib.reload(sys.modules[root_urlconf])
    clear_url_caches()


def _login_by_code(settings, enabled):
    original = settings.ACCOUNT_LOGIN_BY_CODE_ENABLED
    settings.ACCOUNT_LOGIN_BY_CODE_ENABLED = enabled
    reload_urls(settings.ROOT_URLCONF)
    yield
    settings.ACCOUNT_LOGIN_BY_CODE_ENABLED = original
    reload_urls(settings.ROOT_URLCONF)


@pytest.fixture
def login_by_code(settings):
    """The site as deployed with AUTH_LOGIN_BY_CODE=true."""
    yield from _login_by_code(settings, True)


@pytest.fixture
def no_login_by_code(settings):
    """The site as deployed without AUTH_LOGIN_BY_CODE (whatever the local .env says)."""
    yield from _login_by_code(settings, False)


def rate_limit(settings, action, per):
    """How many attempts ACCOUNT_RATE_LIMITS allows for `action` per "ip", "key" or "user"."""
    for rate in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _duration, rate_per = rate.split("/")
        if rate_per == per:
            return int(amount)
    raise AssertionError(f"no {per} limit for {action}")
