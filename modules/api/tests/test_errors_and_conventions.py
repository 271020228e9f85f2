"""Consistent JSON error bodies, pagination and filtering conventions."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quickscale_modules.api import services
from quickscale_modules.api.exceptions import exception_handler
from quickscale_modules.api.models import ApiKey

from .conftest import WHOAMI, bearer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("quickscale_modules.api.tests.urls")]


def test_validation_errors_list_the_fields(client, new_key):
    response = client.post(
        "/api/v1/test/notes/",
        {"title": "far too long a title", "count": 0},
        content_type="application/json",
        headers=bearer(new_key.key),
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["code"], body["detail"]) == (400, "invalid", "Invalid input.")
    assert set(body["errors"]) == {"title", "count"}
    assert all(isinstance(messages, list) for messages in body["errors"].values())


def test_a_services_validation_error_is_a_400_in_the_same_shape():
    """Services raise Django's ValidationError; endpoints let it through to the handler."""
    raised = DjangoValidationError(
        {"name": ["Too long."], "__all__": ["You already have a list with this name."]}
    )

    response = exception_handler(raised, {})

    assert response.status_code == 400
    assert response.data == {
        "status": 400,
        "code": "invalid",
        "detail": "Invalid input.",
        "errors": {
            "name": ["Too long."],
            "non_field_errors": ["You already have a list with this name."],
        },
    }
    plain = exception_handler(DjangoValidationError("Not allowed."), {})
    assert plain.status_code == 400
    assert plain.data["errors"] == {"non_field_errors": ["Not allowed."]}


def test_malformed_json_is_a_400_in_the_same_shape(client, new_key):
    response = client.post(
        "/api/v1/test/notes/",
        "{not json",
        content_type="application/json",
        headers=bearer(new_key.key),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_unsupported_method_and_media_type(client, new_key):
    response = client.delete(WHOAMI, headers=bearer(new_key.key))

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]

    response = client.post(
        "/api/v1/test/notes/", "title=x", content_type="text/plain", headers=bearer(new_key.key)
    )
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")


def test_lists_are_paginated(client, member, new_key):
    for i in range(4):
        services.create_key(member, f"key {i}")

    response = client.get("/api/v1/test/keys/?page_size=2&page=2", headers=bearer(new_key.key))

    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=3&page_size=2")
    assert body["previous"]


@pytest.mark.parametrize(
    ("keys", "query", "counted"),
    [(3, "", False), (3, "?page=1", False), (2, "?page_size=3", False), (4, "?page_size=3", True)],
)
def test_a_first_page_holding_every_row_is_counted_without_a_count_query(
    client, member, new_key, keys, query, counted
):
    for i in range(keys - 1):
        services.create_key(member, f"key {i}")

    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/api/v1/test/keys/{query}", headers=bearer(new_key.key)).json()

    assert body["count"] == keys
    assert len(body["results"]) == min(keys, 3 if "page_size" in query else keys)
    assert bool(body["next"]) is counted and body["previous"] is None
    assert any("COUNT(" in q["sql"] for q in queries.captured_queries) is counted


def test_a_page_past_the_end_is_a_json_404(client, new_key):
    response = client.get("/api/v1/test/keys/?page=9", headers=bearer(new_key.key))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_page_size_is_capped_at_100(client, member, new_key):
    team = new_key.api_key.team
    ApiKey.objects.bulk_create(
        ApiKey(user=member, team=team, name=f"k{i}", prefix=f"p{i:07d}", hashed_key="-")
        for i in range(100)
    )

    response = client.get("/api/v1/test/keys/?page_size=1000", headers=bearer(new_key.key))

    body = response.json()
    assert body["count"] == 101
    assert len(body["results"]) == 100


def test_search_and_ordering_conventions(client, member, new_key):
    services.create_key(member, "Billing sync")
    services.create_key(member, "Analytics export")

    searched = client.get("/api/v1/test/keys/?search=sync", headers=bearer(new_key.key)).json()
    ordered = client.get("/api/v1/test/keys/?ordering=-name", headers=bearer(new_key.key)).json()

    assert [k["name"] for k in searched["results"]] == ["Billing sync"]
    assert [k["name"] for k in ordered["results"]] == [
        "Deploy script",
        "Billing sync",
        "Analytics export",
    ]
