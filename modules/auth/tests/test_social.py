"""Google and GitHub login: configured from settings (env vars), buttons only when configured."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def configure_apps(settings, google=None, github=None):
    """SOCIALACCOUNT_PROVIDERS as base.py builds it from GOOGLE_/GITHUB_CLIENT_ID and _SECRET."""
    providers = {name: dict(conf) for name, conf in settings.SOCIALACCOUNT_PROVIDERS.items()}
    providers["google"]["APPS"] = [google] if google else []
    providers["github"]["APPS"] = [github] if github else []
    settings.SOCIALACCOUNT_PROVIDERS = providers


@pytest.fixture
def no_providers(settings):
    configure_apps(settings)


@pytest.fixture
def google_only(settings):
    configure_apps(settings, google={"client_id": "google-client-id", "secret": "google-secret"})


@pytest.mark.usefixtures("google_only")
@pytest.mark.parametrize("path", ["/accounts/github/login/", "/accounts/github/login/callback/"])
def test_an_unconfigured_provider_is_a_404_not_a_500(client, path):
    # Red team: anyone could make these URLs answer 500 (and email ADMINS each time).
    assert client.get(path).status_code == 404
    assert client.post(path).status_code in (404, 405)


@pytest.mark.usefixtures("no_providers")
def test_no_provider_buttons_without_credentials(client):
    for name in ("login", "account_signup"):
        html = client.get(reverse(name)).text
        assert "/accounts/google/login/" not in html
        assert "/accounts/github/login/" not in html


@pytest.mark.usefixtures("google_only")
def test_buttons_only_for_configured_providers(client):
    for name in ("login", "account_signup"):
        html = client.get(reverse(name)).text
        assert "Continue with Google" in html
        assert 'href="/accounts/google/login/?process=login"' in html
        assert "/accounts/github/login/" not in html


@pytest.mark.usefixtures("google_only")
def test_provider_login_is_a_form_that_redirects_to_the_provider(client):
    # GET only shows a confirmation form (no JavaScript, CSRF-protected POST) ...
    page = client.get("/accounts/google/login/?process=login")
    assert page.status_code == 200
    assert '<form class="form" method="post"' in page.text

    # ... and its POST sends the browser to Google with the configured client ID.
    response = client.post("/accounts/google/login/?process=login")

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.netloc == "accounts.google.com"
    assert parse_qs(target.query)["client_id"] == ["google-client-id"]


@pytest.mark.usefixtures("google_only")
def test_settings_page_lists_configured_providers(client, member):
    client.force_login(member)

    html = client.get(reverse("account_settings")).text

    assert "Connected accounts" in html
    assert "Google" in html
    assert "GitHub" not in html
    assert f'href="{reverse("socialaccount_connections")}"' in html


@pytest.mark.usefixtures("no_providers")
def test_settings_page_hides_connected_accounts_without_providers(client, member):
    client.force_login(member)

    assert "Connected accounts" not in client.get(reverse("account_settings")).text
