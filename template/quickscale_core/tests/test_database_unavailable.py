"""DatabaseUnavailableMiddleware: 503 while the database is down, 500 for everything else."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import RequestFactory

from quickscale_core.middleware import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db

middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())


def database_down():
    # The database server is the external boundary: opening a connection fails as it does
    # during an outage. The template suite also kills a real PostgreSQL (tests/e2e/test_load.py).
    return mock.patch.object(
        type(connections["default"]), "ensure_connection", side_effect=OperationalError("refused")
    )


def test_an_outage_is_a_503_page_with_retry_after(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/lists/", headers={"Accept": "text/html"})

    with database_down():
        response = middleware.process_exception(request, OperationalError("server closed"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Temporarily unavailable" in response.content


def test_json_clients_get_json(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/api/v1/lists/", headers={"Accept": "application/json"})

    with database_down():
        response = middleware.process_exception(request, OperationalError("server closed"))

    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "service_unavailable"


def test_other_errors_stay_500s(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/")

    # The database answers: an OperationalError here is a bug (e.g. a missing table).
    assert middleware.process_exception(request, OperationalError("no such table")) is None
    with database_down():
        assert middleware.process_exception(request, ValueError("bug")) is None


def test_debug_keeps_django_s_error_page(settings):
    settings.DEBUG = True
    with database_down():
        assert middleware.process_exception(RequestFactory().get("/"), OperationalError()) is None
