"""Fixtures for the notifications tests: two kinds of their own (a plain one and a security
notice), whatever other modules the project has, and signed-in users."""

import copy
from pathlib import Path

import pytest

from quickscale_core import extensions

PASSWORD = "correct-horse-battery-staple"

KINDS = {
    "report_ready": {
        "kind": "report_ready",
        "label": "A report is ready",
        "templates": "notifications_test/report_ready",
    },
    "new_sign_in": {
        "kind": "new_sign_in",
        "label": "A new sign-in",
        "templates": "notifications_test/sign_in",
        "email": "always",
        "in_app": True,
    },
}


@pytest.fixture(autouse=True)
def test_kinds(settings, monkeypatch):
    """The test kinds next to the project's own, with their templates in tests/templates."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    declared = extensions.notification_kinds
    monkeypatch.setattr(extensions, "notification_kinds", lambda: {**declared(), **KINDS})


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user(email="Ada@example.com", password=PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(email="bob@example.com", password=PASSWORD)


@pytest.fixture
def signed_in(client, ada):
    client.force_login(ada)
    return client
