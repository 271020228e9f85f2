"""E2E tier: the notifications module in Chromium (modelled on test_browser.py, whose served
all-modules project, browser and page checks it reuses).

One journey on the HTMX frontend: a user keeps their dashboard open in one tab and creates an
API key in a second tab; the bell of the first tab shows the new notification without a reload
(htmx polling, triggered here by the tab coming back into view instead of waiting for the
poll interval), and clears once the second tab marks everything read.
"""

from __future__ import annotations

import re

from tests.e2e import test_browser as journeys
from tests.e2e.test_browser import (
    NO_RELOAD_MARK,
    PASSWORD,
    SAME_DOCUMENT,
    only,
    path_of,
    sign_up_and_verify,
    unique_email,
)
from tests.support.browser_support import PageChecks

# The journeys' fixtures: Chromium, the served all-modules project, the checked browser tab.
browser, site, checks = journeys.browser, journeys.site, journeys.checks

# What the browser does when a tab comes back into view; the bell asks for its count then.
TAB_SHOWN = "document.dispatchEvent(new Event('visibilitychange'))"


def unread_badge(page):
    return page.locator("#notification-bell [data-unread-count]")


@only(["htmx"])
def test_the_bell_updates_without_a_reload(checks, site):
    page = checks.page
    address = unique_email("grace")
    sign_up_and_verify(checks, site, address)
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
    if "/reauthenticate/" in other.url:
        other.get_by_label("Password", exact=True).fill(PASSWORD)
        other.get_by_role("button", name=re.compile("Confirm", re.IGNORECASE)).click()
    other.locator("#new-api-key").wait_for()

    page.evaluate(TAB_SHOWN)
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

    page.evaluate(TAB_SHOWN)
    unread_badge(page).wait_for(state="detached")
    assert page.evaluate(SAME_DOCUMENT), "the bell reloaded the page"
    assert path_of(page.url) == "/dashboard/"
    other_checks.finish()
    other.close()
