"""Helpers for the tests of modules, themes and your apps (imported only by tests).

A module or theme ships some tests that only make sense when another part of the
project is present: its API endpoints exist only when a module mounts API routes
(contributes: api_routes). They skip by asking for the URL, never by naming a module.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

from quickscale_core.extensions import reverse_or_none


def needs_url(name: str, reason: str = "no module mounts API routes in this project"):
    """Skip the marked tests unless the URL name `name` resolves in this project."""
    return pytest.mark.skipif(reverse_or_none(name) is None, reason=reason)


def skip_if_overridden(template_name: str) -> None:
    """Skip the calling test when the project's templates/ folder overrides `template_name`:
    the module's expectations about that template no longer apply to this project."""
    skip_if_client_template(Path(get_template(template_name).origin.name))


def skip_if_client_template(origin: Path) -> None:
    """Skip the calling test when the template file `origin` is the project's own override."""
    client_templates = Path(settings.BASE_DIR) / "templates"
    if client_templates in origin.parents:
        pytest.skip(f"{origin.relative_to(client_templates)} is overridden in templates/")


def skip_unless_htmx_page(template_name: str) -> None:
    """Skip the calling test unless the theme's HTMX frontend renders `template_name`: with the
    React frontend the same URL serves the React app's page (frontend_react/templates/), and
    with an override in templates/ it serves yours; the HTMX page's expectations do not apply."""
    origin = Path(get_template(template_name).origin.name)
    skip_if_client_template(origin)
    if "frontend_htmx" not in origin.parts:
        pytest.skip(f"{template_name} is not the HTMX frontend's page in this project")
