"""Security headers of every page (config/settings/base.py, quickscale_core/middleware.py) and
the log filter that keeps reset keys out of logs (quickscale_core/log_filters.py)."""

import logging
import re

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings as django_settings
from django.http import HttpResponseServerError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from quickscale_core.log_filters import RedactSecretPaths
from quickscale_core.middleware import SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def page_nonce(response) -> str:
    (nonce,) = re.findall(r"'nonce-([^']+)'", directives(response)["script-src"][-1])
    return nonce


@pytest.fixture
def signed_in_client(client, django_user_model):
    user = django_user_model.objects.create_user(email="csp@example.com", password="pw-1234567")
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", ["home", "dashboard", "login"])
def test_pages_are_served_with_a_strict_nonce_based_policy(signed_in_client, page):
    if page == "login":
        signed_in_client.logout()
    response = signed_in_client.get(reverse(page))

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert policy[directive][0] == "'self'"
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    # No other host: everything is served by the project itself.
    sources = [v for values in policy.values() for v in values if not v.startswith("'nonce-")]
    assert not [v for v in sources if "." in v or "//" in v], sources


@pytest.mark.parametrize("page", ["home", "dashboard"])
def test_every_script_on_the_page_carries_the_header_s_nonce(signed_in_client, page):
    response = signed_in_client.get(reverse(page))

    nonce = page_nonce(response)
    html = response.text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts  # htmx at least
    for tag in scripts:
        if "src=" not in tag:
            assert f'nonce="{nonce}"' in tag, tag
    assert f'nonce="{nonce}"' in html
    # A fresh nonce per response.
    assert page_nonce(signed_in_client.get(reverse(page))) != nonce


@pytest.mark.parametrize("page", ["home", "dashboard", "login"])
def test_pages_have_no_inline_style_attributes(signed_in_client, page):
    if page == "login":
        signed_in_client.logout()
    html = signed_in_client.get(reverse(page)).text

    # The policy refuses them; the page would silently lose that styling.
    assert not re.search(r"<[^>]+\sstyle=", html)
    assert "<style>" not in html


def test_htmx_is_told_not_to_inject_styles_or_eval(client):
    html = client.get(reverse("home")).text

    assert re.search(
        r'<meta name="htmx-config" content=\'\{[^\']*"includeIndicatorStyles": false', html
    )
    assert '"attributesToSettle": ["class", "width", "height"]' in html
    assert '"allowEval": false' in html


def test_server_error_pages_may_use_their_inline_styles_and_nothing_else():
    # 500.html is rendered without a request, so its <style> cannot carry the nonce.
    def server_error(request):
        request.csp_nonce  # noqa: B018  A page that failed half-way may have read the nonce.
        return HttpResponseServerError(render_to_string("500.html"))

    response = CSPMiddleware(SecurityHeadersMiddleware(server_error))(RequestFactory().get("/"))

    assert "<style>" in response.content.decode()
    policy = directives(response)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["script-src"]


def test_permissions_and_referrer_policies(client):
    response = client.get(reverse("home"))

    features = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}


def test_signed_in_pages_are_private_to_shared_caches(signed_in_client):
    response = signed_in_client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_anonymous_landing_page_is_not_marked_private(client):
    response = client.get(reverse("home"))

    assert "private" not in response.get("Cache-Control", "")


def test_a_view_s_own_cache_control_is_kept(signed_in_client):
    # Django's login view sets its own (never_cache): it is not rewritten.
    response = signed_in_client.get(reverse("login"))

    assert "no-store" in response["Cache-Control"]


# Logs

RESET_PATHS = [
    # allauth: /accounts/password/reset/key/<uidb36>-<key>/
    "/accounts/password/reset/key/1k-cz8f2q-6a1f0c9b8e7d6c5b4a39/",
    # Django's auth views: /accounts/reset/<uidb64>/<token>/
    "/accounts/reset/MQ/cz8f2q-6a1f0c9b8e7d6c5b4a39/",
    # allauth's email confirmation: /accounts/confirm-email/<key>/
    "/accounts/confirm-email/MQ:1uXyZ:Ab3dEfGh1jKlMnOpQrStUvWxYz/",
    # A team invitation (the teams module): the token alone joins the team.
    "/teams/invitations/Fp4ZNNxq3W1bRk9TQhEo7uVyLpA2sDdG5iJmHcXzKf0/",
]


def runserver_line(path: str) -> logging.LogRecord:
    """A record as runserver's request handler logs it."""
    return logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        (f"GET {path} HTTP/1.1", "200", "1234"), None,
    )  # fmt: skip


@pytest.mark.parametrize("path", RESET_PATHS)
def test_runserver_log_lines_do_not_show_reset_keys(path):
    secret = path.rstrip("/").rsplit("/", 1)[1]
    # The handler LOGGING configures (pytest may add its own capturing handlers).
    handlers = [
        handler
        for handler in logging.getLogger("django.server").handlers
        if any(isinstance(f, RedactSecretPaths) for f in handler.filters)
    ]
    assert handlers, "LOGGING's django.server handler has the filter"

    for handler in handlers:
        record = runserver_line(path)
        assert handler.filter(record)
        line = handler.format(record)
        assert secret not in line
        assert "[redacted]" in line


def test_console_and_admin_emails_redact_reset_keys_too():
    for name in ("console", "mail_admins", "django.server"):
        assert "redact_secret_paths" in django_settings.LOGGING["handlers"][name]["filters"]
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (RESET_PATHS[0],), None
    )

    RedactSecretPaths().filter(record)

    assert record.getMessage() == "Not Found: /accounts/password/reset/key/[redacted]/"


def test_paths_without_a_key_are_left_alone():
    for path in ("/accounts/password/reset/key/1k-set-password/", "/accounts/reset/done/", "/"):
        record = runserver_line(path)
        RedactSecretPaths().filter(record)
        assert path in record.getMessage()


def test_gunicorn_access_log_redacts_reset_keys():
    access_log = logging.getLogger("gunicorn.access")
    assert any(isinstance(f, RedactSecretPaths) for f in access_log.filters)

    class SafeAtoms(dict):  # gunicorn's mapping: "-" for atoms it does not have
        def __getitem__(self, key):
            return super().get(key, "-")

    path = RESET_PATHS[0]
    atoms = SafeAtoms({"r": f"GET {path} HTTP/1.1", "U": path, "s": "200"})
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(s)s %(b)s', (atoms,), None
    )

    assert access_log.filter(record)

    line = record.getMessage()
    assert line == '"GET /accounts/password/reset/key/[redacted]/ HTTP/1.1" 200 -'
    assert record.args["U"] == "/accounts/password/reset/key/[redacted]/"
