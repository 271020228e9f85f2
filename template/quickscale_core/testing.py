"""Helpers for the tests of modules, themes and your apps (imported only by tests).

Also: signing a test client in to a team, and running real migration files on a database
of their own (the suites run with --nomigrations).

A module or theme ships some tests that only make sense when another part of the
project is present: its API endpoints exist only when a module mounts API routes
(contributes: api_routes). They skip by asking for the URL, never by naming a module.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.template.loader import get_template

from quickscale_core import teams
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


def work_in(client, team):
    """Make `team` the current team of the signed-in client's session (what the team switcher
    does); returns the client."""
    session = client.session
    session[teams.SESSION_KEY] = team.pk
    session.save()
    return client


def sign_in(client, user, team=None):
    """`client` signed in as `user`, working in `team` when given (else their personal team)."""
    client.force_login(user)
    return work_in(client, team) if team is not None else client


@contextmanager
def migration_database(alias: str) -> Iterator:
    """An empty in-memory SQLite database under `alias`, for tests that run the real migration
    files (set settings.MIGRATION_MODULES = {} first: --nomigrations turned them off).

    The alias is not in settings.DATABASES, so the test database and Django's checks of which
    databases a test may use never see it; code that looks it up in `connections` (the
    migrations, `createcachetable`) finds it."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = connections.configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )["default"]
    connection = DatabaseWrapper(config, alias)
    connections[alias] = connection
    try:
        yield connection
    finally:
        connection.close()
        del connections[alias]


def migrate_to(connection, targets: list[tuple[str, str]]):
    """Migrate `connection` to `targets` and return the app registry of the models there."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
