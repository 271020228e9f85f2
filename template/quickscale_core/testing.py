"""Helpers for the tests of modules, themes and your apps (imported only by tests).

A module or theme ships some tests that only make sense when another part of the
project is present: its API endpoints exist only when a module mounts API routes
(contributes: api_routes). They skip by asking for the URL, never by naming a module.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse


def url_exists(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def needs_url(name: str, reason: str = "no module mounts API routes in this project"):
    """Skip the marked tests unless the URL name `name` resolves in this project."""
    return pytest.mark.skipif(not url_exists(name), reason=reason)


def skip_if_overridden(template_name: str) -> None:
    """Skip the calling test when the project's templates/ folder overrides `template_name`:
    the module's expectations about that template no longer apply to this project."""
    origin = Path(get_template(template_name).origin.name)
    client_templates = Path(settings.BASE_DIR) / "templates"
    if client_templates in origin.parents:
        pytest.skip(f"{template_name} is overridden in templates/")
