"""Which request errors are mailed to ADMINS (LOGGING in config/settings/base.py)."""

import logging

import pytest
from django.core import mail
from django.test import RequestFactory


@pytest.fixture(autouse=True)
def production_like(settings):
    # The email handler only acts with DEBUG off; tests run with DEBUG off already.
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.com")]


def log_request_error(status_code: int) -> None:
    request = RequestFactory().get("/healthz/")
    logging.getLogger("django.request").error(
        "Status %s", status_code, extra={"status_code": status_code, "request": request}
    )


def test_server_errors_are_mailed_to_admins():
    log_request_error(500)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.com"]


def test_service_unavailable_is_logged_but_not_mailed(caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        log_request_error(503)

    assert mail.outbox == []
    assert "Status 503" in caplog.text
