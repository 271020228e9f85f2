"""E2E tier: the notifications module in Chromium, modelled on test_browser.py (its steps, page
checks and way of serving a project, reused).

A project with the modules the journey needs (auth, api, notifications) is migrated on the
session's PostgreSQL and served by gunicorn with production settings, the bell polling every
second (NOTIFICATIONS_POLL_SECONDS). A user keeps their dashboard open in one tab and creates an
API key in a second tab; the first tab's bell shows the new notification without a reload, and
clears once the second tab marks everything read.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import (
    NO_RELOAD_MARK,
    PASSWORD,
    SAME_DOCUMENT,
    Site,
    create_database,
    migrate_and_serve,
    path_of,
    project_env,
    sign_up_and_verify,
    unique_email,
    watched_page,
)
from tests.support.browser_support import Outbox, PageChecks, write_browser_settings
from tests.support.helpers import render, with_requirements

MODULES = sorted({*with_requirements("notifications"), *with_requirements("api")})


@pytest.fixture(scope="module")
def site(template_snapshot, tmp_path_factory, project_python, postgres_url, browser):
    root = tmp_path_factory.mktemp("browser_notifications")
    project = render(template_snapshot, root / "client_acme", modules=MODULES, theme="todo")
    outbox = root / "outbox"
    outbox.mkdir()
    database = "browser_notifications"
    create_database(project_python, postgres_url, database)
    env = {
        **project_env(
            write_browser_settings(project),
            postgres_url.rsplit("/", 1)[0] + f"/{database}",
            outbox,
        ),
        "NOTIFICATIONS_POLL_SECONDS": "1",
    }
    served = migrate_and_serve(project, project_python, env, root / "server.log")
    try:
        yield Site(served, Outbox(outbox))
    finally:
        served.stop()


@pytest.fixture
def checks(request, browser, site):
    yield from watched_page(request, browser, site)


def unread_badge(page):
    return page.locator("#notification-bell [data-unread-count]")


def test_the_bell_updates_without_a_reload(checks, site):
    page = checks.page
    sign_up_and_verify(checks, site, unique_email("grace"))
    bell = page.locator("#notification-bell")
    bell.wait_for()
    assert unread_badge(page).count() == 0
    page.evaluate(NO_RELOAD_MARK)

    # A second tab of the same session creates an API key (a notification kind of the api module).
    other = page.context.new_page()
    other_checks = PageChecks(other, site.served.base_url, f"{checks.name}-tab2")
    other_checks.goto("/accounts/api-keys/")
    other.get_by_label("Name").fill("Deploy script")
    other.get_by_role("button", name="Create key").click()
    other_checks.check()
    if "/reauthenticate/" in other.url:
        other.get_by_label("Password", exact=True).fill(PASSWORD)
        other.get_by_role("button", name=re.compile("Confirm", re.IGNORECASE)).click()
        other_checks.check()
    other.locator("#new-api-key").wait_for()

    # The first tab's bell polls and shows it, in the same document.
    unread_badge(page).filter(has_text="1").wait_for()
    assert page.evaluate(SAME_DOCUMENT), "the bell reloaded the page"
    assert "1 unread" in bell.get_attribute("aria-label")
    checks.check()

    # The second tab reads the list and marks everything read; the first tab's bell clears.
    other_checks.goto("/notifications/")
    assert "New API key “Deploy script”" in other.locator("main").inner_text()
    other.get_by_role("button", name="Mark all read").click()
    other_checks.check()
    assert "You are all caught up." in other.locator("main").inner_text()

    unread_badge(page).wait_for(state="detached")
    assert page.evaluate(SAME_DOCUMENT), "the bell reloaded the page"
    assert path_of(page.url) == "/dashboard/"
    other_checks.finish()
    other.close()
