"""The OpenAPI schema and its docs pages, and CORS for a separate frontend."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.settings import patched_settings

pytestmark = pytest.mark.django_db


def test_schema_generation_has_no_warnings_or_errors(tmp_path):
    # What CI runs: `manage.py spectacular --validate --fail-on-warn`.
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert schema["servers"] == [{"url": "/api/v1"}]


def test_schema_describes_both_ways_to_authenticate(client):
    response = client.get(reverse("api_schema"), headers={"Accept": "application/json"})

    assert response.status_code == 200  # Public, so clients can be generated from it.
    schemes = response.json()["components"]["securitySchemes"]
    assert schemes["apiKeyAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "API key",
        "description": schemes["apiKeyAuth"]["description"],
    }
    assert schemes["cookieAuth"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert "Error" in response.json()["components"]["schemas"]


@pytest.mark.parametrize("url_name", ["api_docs", "api_redoc"])
def test_docs_pages_load_nothing_from_a_cdn(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(not re.match(r"(https?:)?//", url) for url in assets), assets
    assert "/static/drf_spectacular_sidecar/" in html
    if url_name == "api_docs":
        # Swagger UI's start-up script is a file of its own, for the Content-Security-Policy.
        script = client.get(reverse(url_name), {"script": ""})
        assert script["Content-Type"].startswith("application/javascript")
        html = script.text
    assert reverse("api_schema") in html


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    ("url_name", "query"), [("api_docs", {}), ("api_docs", {"script": ""}), ("api_redoc", {})]
)
def test_options_on_the_docs_pages_answers_allow(client, member, signed_in, url_name, query):
    if signed_in:
        client.force_login(member)

    response = client.options(reverse(url_name), query)

    assert response.status_code == 200
    assert "GET" in response["Allow"]
    assert response.content == b""


def test_options_on_the_schema_describes_it(client):
    response = client.options(reverse("api_schema"))

    assert response.status_code == 200
    assert "GET" in response["Allow"]


def test_cors_preflight_from_an_allowed_origin(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = client.options(
        reverse("api_schema"),
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_cors_refuses_other_origins_and_non_api_urls(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    other_origin = client.get(reverse("api_schema"), headers={"Origin": "https://evil.example"})
    non_api = client.get(reverse("home"), headers={"Origin": "https://app.example.com"})

    assert "Access-Control-Allow-Origin" not in other_origin
    assert "Access-Control-Allow-Origin" not in non_api


def test_cors_without_allowed_origins_allows_none(client, settings):
    # The default: API_CORS_ALLOWED_ORIGINS unset or empty.
    settings.CORS_ALLOWED_ORIGINS = []

    response = client.get(reverse("api_schema"), headers={"Origin": "https://app.example.com"})

    assert "Access-Control-Allow-Origin" not in response


def test_every_operation_documents_its_error_responses():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="quickscale_modules.api.tests.urls").get_schema(public=True)
    paths = schema["paths"]

    post = paths["/test/notes/"]["post"]["responses"]
    assert {"400", "401", "403", "429"} <= set(post)
    assert post["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    error = {"$ref": "#/components/schemas/Error"}
    assert post["401"]["content"]["application/json"]["schema"] == error
    assert "404" in paths["/test/keys/"]["get"]["responses"]  # A page past the end.
    public = paths["/test/public/"]["get"]["responses"]
    assert "401" in public  # A wrong key is refused even here.
    assert "403" not in public


def _policy(response) -> dict[str, list[str]]:
    parts = (p.split() for p in response["Content-Security-Policy"].split(";") if p.strip())
    return {name: values for name, *values in parts}


def test_swagger_ui_runs_under_the_strict_policy(client):
    response = client.get(reverse("api_docs"))

    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    # No inline script: the start-up script is a same-origin file.
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", response.text)
    assert '<script src="/api/v1/docs/?script=">' in response.text
    # Its one <style> carries the header's nonce.
    (nonce,) = re.findall(r"'nonce-([^']+)'", " ".join(policy["style-src"]))
    assert f'<style nonce="{nonce}">' in response.text


def test_redoc_runs_its_script_with_the_nonce_and_may_style_itself(client):
    # With REDOC_UI_SETTINGS, ReDoc is started by an inline script (without, by a <redoc> tag).
    with patched_settings({"REDOC_UI_SETTINGS": {"hideDownloadButton": True}}):
        response = client.get(reverse("api_redoc"))

    assert response.status_code == 200
    policy = _policy(response)
    (nonce,) = re.findall(r"'nonce-([^']+)'", " ".join(policy["script-src"]))
    assert "'unsafe-inline'" not in policy["script-src"]
    assert f'<script nonce="{nonce}">' in response.text
    assert "Redoc.init(" in response.text
    # This page alone: ReDoc creates <style> elements and a search worker at run time.
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["worker-src"] == ["'self'", "blob:"]
