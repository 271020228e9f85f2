"""E2E tier: the main user journeys in a real browser (Debian's Chromium driven by Playwright).

One project with every module is generated for each frontend (htmx, and react: built by npm as
its first `make run` builds it), migrated on the session's PostgreSQL and served
by gunicorn with production settings (plain HTTP on 127.0.0.1, emails written to files, Stripe's
API answered by an in-process fake). Every page a journey shows must pass the checks of
PageChecks in tests/support/browser_support.py (one h1, labelled fields, alt texts, visible
keyboard focus, no sideways scrolling at phone and desktop widths, with screenshots in
.cache/screenshots/ or $QUICKSCALE_SCREENSHOTS), log no console error and request nothing from
another host.

The journeys through server-rendered pages (sign-up, email verification, two-factor, billing,
API keys, the phone menu) run against both frontends unchanged: the React frontend keeps those
pages and renders the landing page and the dashboard itself. The todo journey has a version
per frontend (the HTMX one swaps fragments, the React one is a single-page app); both find
controls by role and label. The teams journey (an owner and the teammate they invite, each in a
browser context of their own) runs on the HTMX frontend.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser_support import (
    DESKTOP,
    PHONE,
    REACT_SETTLED,
    REPORT_CSP_VIOLATIONS,
    SCREENSHOTS,
    Outbox,
    PageChecks,
    ServedProject,
    deliver_webhook,
    http,
    totp,
    write_browser_settings,
)
from tests.support.helpers import clean_project_env, render, run, shipped_modules
from tests.support.servers import free_port
from tests.support.stripe import (
    STRIPE_PUBLISHABLE_KEY,
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
    StripeServer,
    stripe_fixture,
)

# The theme of the all-modules project the journeys run on: the todo theme, which includes the
# starter's pages (landing, dashboard, account pages) and adds its lists and tasks.
THEME = "todo"
PASSWORD = "Corr3ct-Horse-Battery"
ADMIN_EMAIL = "owner@example.com"
# Stripe objects the fake serves and `djstripe_sync_models` copies into the project.
CATALOG = ["product_pro", "price_pro_month", "price_pro_year", "product_credits", "price_credits"]
FRONTENDS = ["htmx", "react"]
# A test that only one frontend has: @only(["react"]).
only = functools.partial(pytest.mark.parametrize, "site", indirect=True)


@dataclass
class Site:
    served: ServedProject
    outbox: Outbox
    stripe: StripeServer | None = None
    frontend: str = "htmx"


def project_env(settings_module: str, database_url: str, outbox: Path) -> dict[str, str]:
    return {
        **clean_project_env(),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "browser-tests-" + "Zq8w" * 12,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "AUTH_TRUSTED_PROXY_COUNT": "0",
        "BROWSER_TEST_OUTBOX": str(outbox),
        "NO_PROXY": "127.0.0.1,localhost",
    }


def migrate_and_serve(project: Path, python: Path, env: dict[str, str], log: Path,
                      after_migrate=None):  # fmt: skip
    """collectstatic (whitenoise's manifest, as in production) while migrate runs; then serve."""
    collect = subprocess.Popen(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        run([python, "manage.py", "migrate", "--noinput", "-v0"], project, env)
    finally:
        output, _ = collect.communicate(timeout=300)
    assert collect.returncode == 0, f"collectstatic failed:\n{output[-4000:]}"
    if after_migrate is not None:
        after_migrate()
    served = ServedProject(project, python, env, free_port(), log)
    served.start()
    return served


def migrations_digest(project: Path) -> str:
    """What the database schema of a project depends on: its migration files."""
    digest = hashlib.sha256()
    for path in sorted(project.glob("*/**/migrations/*.py")):
        if not {".venv", "node_modules"} & set(path.parts):
            digest.update(path.relative_to(project).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


# Freshly migrated databases by migrations_digest: a project with the same migrations (the
# other frontend's) starts from a copy (CREATE DATABASE ... TEMPLATE), not from a migrate.
_migrated: dict[str, str] = {}


def create_database(python: Path, server_url: str, name: str, template: str | None = None):
    sql = f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")
    run([python, "-c", "import psycopg, sys; psycopg.connect(sys.argv[1], autocommit=True)"
         ".execute(sys.argv[2])", server_url, sql])  # fmt: skip


@pytest.fixture(scope="session", params=FRONTENDS)
def site(request, template_snapshot, tmp_path_factory, project_python, postgres_url, browser):
    """The all-modules project with each frontend, served once for the whole session (pytest
    runs every journey of one frontend, then stops its server before serving the other)."""
    frontend = request.param
    root = tmp_path_factory.mktemp(f"browser_all_modules_{frontend}")
    if frontend == "react":  # rendered and built once (tests/conftest.py), the project tier's too
        project = request.getfixturevalue("react_project")
    else:
        project = render(template_snapshot, root / "client_acme", modules=shipped_modules(),
                         theme=THEME)  # fmt: skip
    outbox = root / "outbox"
    outbox.mkdir()
    database = f"browser_journeys_{frontend}"
    digest = migrations_digest(project)
    template = _migrated.get(digest)
    create_database(project_python, postgres_url, database, template)

    def keep_a_migrated_copy():
        if template is None:  # migrate ran from scratch: keep its result for the next project
            copy = f"browser_migrated_{digest}"
            create_database(project_python, postgres_url, copy, template=database)
            _migrated[digest] = copy

    with StripeServer() as stripe:
        stripe.add(*(stripe_fixture(name) for name in CATALOG))
        env = {
            **project_env(
                write_browser_settings(project),
                postgres_url.rsplit("/", 1)[0] + f"/{database}",
                outbox,
            ),
            "BROWSER_TEST_STRIPE_API": stripe.url,
            "STRIPE_SECRET_KEY": STRIPE_SECRET_KEY,
            "STRIPE_PUBLISHABLE_KEY": STRIPE_PUBLISHABLE_KEY,
            "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
        }
        # From a copy, migrate only confirms there is nothing left to apply.
        served = migrate_and_serve(project, project_python, env, root / "server.log",
                                   after_migrate=keep_a_migrated_copy)  # fmt: skip
        try:
            # What the payments docs say to run after creating products in Stripe.
            run([project_python, "manage.py", "djstripe_sync_models", "Product", "Price"],
                project, env)  # fmt: skip
            yield Site(served, Outbox(outbox), stripe, frontend)
        finally:
            served.stop()
            # The React project is the project tier's too: leave it as react_project built it.
            (project / "config" / "settings" / "browser.py").unlink(missing_ok=True)


@pytest.fixture
def checks(request, browser, site):
    """A fresh browser context (no cookies) whose pages are all checked; see PageChecks."""
    yield from watched_page(request, browser, site)


@pytest.fixture
def teammate_checks(request, browser, site):
    """A second person's browser context (its own cookies), checked like `checks`; its
    screenshots are named test_...-teammate-<frontend>-NN-....png."""
    yield from watched_page(request, browser, site, who="teammate")


def watched_page(request, browser, site, who: str = ""):
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    # "test_journey[htmx]" -> "test_journey-teammate[htmx]" (PageChecks makes it -htmx).
    name = re.sub(r"(\[.+\])?$", lambda m: f"-{who}{m.group(1) or ''}", request.node.name,
                  count=1) if who else request.node.name  # fmt: skip
    watcher = PageChecks(page, site.served.base_url, name)
    failed_before = request.session.testsfailed
    log_start = site.served.log_size()
    try:
        yield watcher
        if request.session.testsfailed == failed_before:
            watcher.finish()
        else:  # Evidence for the failure report, next to the journey's screenshots.
            page.screenshot(path=str(SCREENSHOTS / f"{watcher.name}-failure.png"))
            print(f"Failed at {page.url}; console errors: {watcher.console_errors}; "
                  f"requests to other hosts: {watcher.foreign_requests}")  # fmt: skip
        errors = site.served.server_errors(since=log_start)
        assert not errors, "server errors:\n" + "\n".join(errors)
        if site.stripe is not None:
            unknown = site.stripe.unknown
            assert not unknown, f"Stripe requests the fake cannot answer: {unknown}"
    finally:
        context.close()


# --- Steps shared by the journeys -------------------------------------------------------------


_users = itertools.count(1)


def unique_email(name: str) -> str:
    """A new address in this session's fresh database."""
    return f"{name}{next(_users)}@example.com"


def sign_up_and_verify(checks: PageChecks, site: Site, address: str) -> None:
    """Sign up in the browser, open the link of the verification email, log in."""
    page = checks.page
    checks.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    checks.check()
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)|Confirm password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    checks.check()
    assert "verify" in page.locator("h1").inner_text().lower()

    message = site.outbox.wait_for(address, "Confirm")
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", Outbox.text(message))
    assert link, Outbox.text(message)
    page.goto(link.group(0))
    checks.check()
    page.get_by_role("button", name="Confirm").click()
    checks.check()
    assert path_of(page.url) == "/accounts/login/", "confirming does not log in by itself"
    log_in(checks, address)
    assert path_of(page.url) == "/dashboard/"


def path_of(url: str) -> str:
    return urlsplit(url).path


def log_in(checks: PageChecks, address: str) -> None:
    page = checks.page
    if path_of(page.url) != "/accounts/login/":
        checks.goto("/accounts/login/")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    checks.check()


def log_out(checks: PageChecks) -> None:
    checks.page.get_by_role("button", name="Log out").click()
    checks.check()
    assert checks.page.get_by_role("link", name="Log in").first.is_visible()


# --- Journeys ---------------------------------------------------------------------------------


def fresh_code_window(margin: float = 5) -> None:
    """Waits out the last seconds of a 30-second TOTP window, so that a code computed now is
    still valid when the server checks it (allauth accepts only the current window)."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.2)


def test_sign_up_verify_and_log_in_with_two_factor(checks, site):
    page = checks.page
    address = unique_email("ada")
    sign_up_and_verify(checks, site, address)
    assert address in page.locator("main").inner_text()

    # Turn on the authenticator app from the account settings.
    page.get_by_role("link", name="Account", exact=True).click()
    checks.check()
    page.get_by_role("link", name=re.compile("two-factor|authenticator", re.I)).first.click()
    checks.check()
    # Two-factor changes ask for the password again, however recent the login.
    assert path_of(page.url) == "/accounts/reauthenticate/"
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()
    checks.check()
    secret = page.locator("#authenticator_secret").input_value()
    fresh_code_window()
    code_window = int(time.time() // 30)
    page.get_by_label(re.compile("code", re.I)).fill(totp(secret))
    page.get_by_role("button", name="Activate").click()
    checks.check()
    assert path_of(page.url) == "/accounts/2fa/recovery-codes/"
    site.outbox.wait_for(address, "Authenticator")
    page.get_by_role("link", name="Account", exact=True).click()
    checks.check()
    two_factor = page.locator("section", has=page.get_by_role("heading", name="Two-factor"))
    assert re.search(r"\bOn\b", two_factor.inner_text()), two_factor.inner_text()

    log_out(checks)
    log_in(checks, address)
    assert "/accounts/2fa/authenticate/" in page.url, "the second factor was not asked for"
    # A code is accepted once: wait for the next one if activation used the current one.
    while int(time.time() // 30) == code_window:
        time.sleep(0.5)
    fresh_code_window()
    page.get_by_label(re.compile("code", re.I)).fill(totp(secret))
    page.get_by_role("button", name="Sign In").click()
    checks.check()
    assert page.url == site.served.url("/dashboard/")
    assert address in page.locator("main").inner_text()


def complete_checkout(checks: PageChecks, site: Site) -> dict:
    """On the checkout success page: Stripe takes the card and sends the webhooks; the page
    refreshes itself until the subscription is recorded. Returns the subscription."""
    page = checks.page
    session_id = parse_qs(urlsplit(page.url).query)["session_id"][0]
    session = site.stripe.complete_subscription_checkout(session_id)
    subscription = site.stripe.objects[session["subscription"]]
    for event_type, obj in [
        ("customer.subscription.created", subscription),
        ("checkout.session.completed", session),
    ]:
        status, body = deliver_webhook(site.served, site.stripe.event(event_type, obj))
        assert status == 200, body
    page.get_by_role("heading", name="You're on Pro").wait_for(timeout=15_000)
    checks.check()
    return subscription


def test_subscribe_to_a_plan_and_the_entitlement_unlocks(checks, site):
    page = checks.page
    sign_up_and_verify(checks, site, unique_email("grace"))
    exports = page.locator("section", has=page.get_by_role("heading", name=re.compile("Your plan")))
    assert "Exports are a paid feature" in exports.inner_text()

    page.get_by_role("link", name="Pricing").first.click()
    checks.check()
    pro = page.locator("section.plan", has=page.get_by_role("heading", name="Pro"))
    assert "19.00" in pro.inner_text()
    pro.get_by_role("button", name="Subscribe").click()
    checks.check()
    # Checkout "took the card" and sent the browser back; only the webhook may change the plan.
    assert path_of(page.url) == "/billing/checkout/success/"
    assert "Confirming your subscription" in page.locator("h1").inner_text()
    [checkout] = site.stripe.requests("POST", "/v1/checkout/sessions")[-1:]
    assert checkout["mode"] == "subscription"
    assert checkout["line_items[0][price]"] == "price_QsProMonth00001"

    subscription = complete_checkout(checks, site)
    page.locator("main").get_by_role("link", name="Billing settings").click()
    checks.check()
    plan = page.locator("main").inner_text()
    renews = datetime.fromtimestamp(subscription["items"]["data"][0]["current_period_end"], UTC)
    assert re.search(r"Plan\s+Pro", plan) and "Active" in plan, plan
    assert re.search(rf"Renews on\s+{renews.day} {renews:%B %Y}", plan), plan

    page.get_by_role("link", name="Dashboard").first.click()
    checks.check()
    assert "Exports are included in your plan" in exports.inner_text()

    page.get_by_role("link", name="Pricing").first.click()
    checks.check()
    assert "Current plan" in pro.inner_text()
    assert pro.get_by_role("link", name="Manage your plan").is_visible()


def test_create_an_api_key_and_call_the_api_with_it(checks, site):
    page = checks.page
    address = unique_email("linus")
    sign_up_and_verify(checks, site, address)
    page.get_by_role("link", name="Account", exact=True).click()
    checks.check()
    page.get_by_role("link", name="Manage API keys").click()
    checks.check()
    page.get_by_label("Name").fill("Nightly export")
    page.get_by_role("button", name="Create key").click()
    checks.check()
    # A key outlives the session: creating one asks for the password again unless it was
    # confirmed in the last minutes, then replays the form.
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Confirm", re.IGNORECASE)).click()
        checks.check()
    key = page.locator("#new-api-key").inner_text().strip()
    assert site.outbox.wait_for(address, "API key"), "the owner is told a key was created"

    def api(path: str, key: str | None = key):
        headers = {"Accept": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        status, _headers, body = http("GET", site.served.url(path), headers=headers)
        return status, json.loads(body)

    status, me = api("/api/v1/me/")
    assert status == 200 and me["email"] == address, me
    assert api("/api/v1/me/", key=None)[0] == 401
    if THEME == "todo":
        status, lists = api("/api/v1/lists/")
        assert status == 200 and "results" in lists, lists

    # Shown once: reloading the page neither shows the key again nor creates another one.
    page.reload()
    checks.check()
    listing = page.locator("main").inner_text()
    assert "Nightly export" in listing and "last used" in listing, listing
    assert key not in listing and listing.count("Nightly export") == 1, listing
    page.get_by_role("button", name="Revoke the key Nightly export").click()
    checks.check()
    assert "Revoked" in page.locator("main").inner_text()
    assert api("/api/v1/me/")[0] == 401


@only(["htmx"])  # server-rendered by drf-spectacular: the same pages with either frontend
def test_api_reference_pages_render_under_the_content_security_policy(browser, site):
    """Swagger UI and ReDoc are third-party pages (they fail PageChecks' accessibility checks),
    so they are only watched for console errors, CSP violations and foreign requests here."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors, foreign = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    origin = urlsplit(site.served.base_url).netloc

    def same_origin_only(route) -> None:
        if urlsplit(route.request.url).netloc == origin:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", same_origin_only)
    try:
        response = page.goto(site.served.url("/api/v1/docs/"))
        assert "'nonce-" in response.headers["content-security-policy"]
        page.locator(".swagger-ui .info .title").wait_for()
        page.locator(".opblock").first.wait_for()
        response = page.goto(site.served.url("/api/v1/redoc/"))
        script_src = response.headers["content-security-policy"].split("script-src")[1]
        assert "'unsafe-inline'" not in script_src.split(";")[0]
        page.get_by_role("heading", name=re.compile("API")).first.wait_for()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    # ReDoc's "API docs by Redocly" link shows a logo from Redocly's CDN: the policy blocks it
    # (nothing leaves the site), which is the intended outcome; any other error fails.
    errors = [e for e in errors if "https://cdn.redoc.ly/redoc/logo-mini.svg" not in e]
    assert not errors, "console errors:\n" + "\n".join(errors)
    assert not foreign, f"requests to other hosts: {foreign}"


NO_RELOAD_MARK = "() => { window.__sameDocument = true; }"
SAME_DOCUMENT = "() => window.__sameDocument === true"
# htmx wires swapped-in links in its settle step (20 ms after the swap): a click in between
# follows the plain href. People never click that fast; the test waits as they would.
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


@only(["htmx"])
def test_lists_and_tasks_through_the_ui_without_page_reloads(checks, site):
    page = checks.page
    sign_up_and_verify(checks, site, unique_email("ada"))
    # The todo theme's card on the starter dashboard arrives by htmx.
    page.get_by_text("Open tasks").wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lists").click()
    checks.check()
    assert path_of(page.url) == "/lists/"

    page.evaluate(NO_RELOAD_MARK)
    page.get_by_label("List name").fill("Launch")
    page.get_by_role("button", name="Create list").click()
    page.locator(".todo-list-card").get_by_role("link", name="Launch").wait_for()
    assert page.evaluate(SAME_DOCUMENT), "creating a list reloaded the page"
    assert "1 of 3 lists" in page.locator("main").inner_text()  # billing's free plan
    checks.check()

    page.locator(".todo-list-card").get_by_role("link", name="Launch").click()
    checks.check()
    assert re.fullmatch(r"/lists/\d+/", path_of(page.url))
    page.evaluate(NO_RELOAD_MARK)
    tasks = page.locator("#task-panel .todo-tasks")
    for title, priority in [("Write the announcement", "High"), ("Book the venue", "Normal"),
                            ("Send the invoice", "Low")]:  # fmt: skip
        page.get_by_label("Task", exact=True).fill(title)
        page.get_by_label("Priority").select_option(label=priority)
        page.get_by_role("button", name="Add task").click()
        tasks.get_by_text(title).wait_for()
        # Ready for the next one without reaching for the mouse.
        page.wait_for_function("() => document.activeElement?.id === 'id_title'")
    assert tasks.get_by_text("High").count() == 1

    page.get_by_role("button", name="Complete “Book the venue”").click()
    tasks.get_by_text("Book the venue").wait_for(state="detached")
    tabs = page.get_by_role("navigation", name="Filter tasks")
    assert re.search(r"Open\s+2\s+Done\s+1", tabs.inner_text()), tabs.inner_text()

    page.get_by_role("button", name="Move “Send the invoice” up").click()
    page.wait_for_function(
        "() => document.querySelector('.todo-task__title').textContent === 'Send the invoice'"
    )

    tabs.get_by_role("link", name=re.compile("^Done")).click()
    page.wait_for_url(re.compile(r"status=done"))
    assert tasks.locator(".todo-task__title").all_inner_texts() == ["Book the venue"]
    checks.check()

    tabs.get_by_role("link", name=re.compile("^All")).click()
    page.wait_for_url(re.compile(r"status=all"))
    checks.check()
    page.get_by_role("searchbox", name="Search tasks").fill("invoice")
    page.wait_for_url(re.compile(r"q=invoice"))
    page.wait_for_function("() => document.querySelectorAll('.todo-task').length === 1")
    checks.check()

    page.get_by_role("button", name="Delete “Send the invoice”").click()
    page.get_by_text("No tasks match “invoice”").wait_for()
    page.get_by_role("searchbox", name="Search tasks").fill("")
    page.wait_for_function("() => !location.search.includes('q=invoice')")
    page.wait_for_function("() => document.querySelectorAll('.todo-task').length === 2")
    page.wait_for_function(HTMX_IDLE)

    page.get_by_role("link", name="Edit “Write the announcement”").click()
    title = page.locator("[data-todo-edit]").get_by_label("Task")
    title.fill("Write the launch announcement")
    title.press("Enter")
    tasks.get_by_text("Write the launch announcement").wait_for()
    assert page.evaluate(SAME_DOCUMENT), "a task action reloaded the page"
    checks.check()

    # At the free plan's limit the lists page offers the upgrade instead of the form.
    checks.goto("/lists/")
    for name in ("Second", "Third"):
        page.get_by_label("List name").fill(name)
        page.get_by_role("button", name="Create list").click()
        page.locator(".todo-list-card").get_by_role("link", name=name).wait_for()
    upgrade = page.get_by_role("link", name="Upgrade your plan")
    assert upgrade.is_visible() and not page.get_by_label("List name").count()
    upgrade.click()
    checks.check()
    assert path_of(page.url) == "/billing/pricing/"


def current_team(page) -> str:
    """The team the header's switcher shows (the summary of its drop-down menu)."""
    return page.get_by_role("banner").locator(".team-switcher summary").inner_text().strip()


@only(["htmx"])
def test_a_team_shares_its_lists_until_the_owner_removes_a_member(checks, teammate_checks, site):
    """Issue #16's journey: the owner creates a team and invites a teammate by email; the
    teammate signs up from the link and lands in the team; both work on the same list; once
    the owner removes them, their next page load no longer shows it."""
    page, owner = checks.page, unique_email("owner")
    sign_up_and_verify(checks, site, owner)
    personal = owner.split("@")[0]
    assert current_team(page) == personal, "every user starts in a personal team"

    # The header's team link -> the personal team's settings -> all teams -> create Acme.
    header = page.get_by_role("banner")
    header.locator(".team-switcher summary").click()  # The switcher's drop-down menu.
    header.get_by_role("link", name="Team settings").click()
    checks.check()
    assert path_of(page.url) == "/teams/settings/"
    page.get_by_role("link", name="All your teams").click()
    checks.check()
    page.get_by_label("Name").fill("Acme")
    page.get_by_role("button", name="Create", exact=True).click()
    checks.check()
    assert path_of(page.url) == "/teams/settings/"
    assert page.locator("h1").inner_text() == "Acme"
    assert current_team(page) == "Acme"

    # Billing's free plan has one seat, the owner's: the page offers the upgrade instead.
    invite_card = page.locator("section", has=page.get_by_role("heading", name="Invite someone"))
    assert "All 1 seat of your plan are taken" in invite_card.inner_text()
    assert page.get_by_role("button", name="Send invitation").is_disabled()
    invite_card.get_by_role("link", name="Upgrade the plan").click()
    checks.check()
    assert path_of(page.url) == "/billing/pricing/"
    page.locator("section.plan", has=page.get_by_role("heading", name="Pro")).get_by_role(
        "button", name="Subscribe"
    ).click()
    checks.check()
    complete_checkout(checks, site)  # The team is the customer: Acme is on Pro, 5 seats.

    checks.goto("/teams/settings/")
    assert current_team(page) == "Acme", "the checkout kept the current team"
    assert "1 of 5 seats in use" in page.locator("main").inner_text()
    teammate = unique_email("teammate")
    page.get_by_label("Email").fill(teammate)
    assert page.get_by_label("Role", exact=True).locator("option:checked").inner_text() == "Member"
    page.get_by_role("button", name="Send invitation").click()
    checks.check()
    assert f"Invitation sent to {teammate}" in page.locator("body").inner_text()
    invitations = page.locator("section", has=page.get_by_role("heading", name="Open invitations"))
    assert teammate in invitations.inner_text()

    message = site.outbox.wait_for(teammate, "invited you to Acme")
    link = re.search(r"http://\S+/teams/invitations/\S+/", Outbox.text(message))
    assert link, Outbox.text(message)

    # The teammate, in a browser of their own: the link, then sign-up with the invited address.
    mate = teammate_checks.page
    teammate_checks.goto(path_of(link.group(0)))
    assert mate.locator("h1").inner_text() == "Join Acme"
    assert owner in mate.locator("main").inner_text(), "the page says who invited them"
    assert f"Sign up with {teammate} to join" in mate.locator("main").inner_text()
    mate.locator("main").get_by_role("link", name="Sign up", exact=True).click()
    teammate_checks.check()
    assert mate.get_by_label("Email").input_value() == teammate, "the link fills the address in"
    mate.get_by_label("Password", exact=True).fill(PASSWORD)
    mate.get_by_label(re.compile("Password \\(again\\)|Confirm password")).fill(PASSWORD)
    mate.get_by_role("button", name="Sign up").click()
    teammate_checks.check()
    # No confirmation email: opening the link proved the address.
    assert path_of(mate.url) == "/dashboard/", mate.url
    assert "Welcome to Acme" in mate.locator("body").inner_text()
    assert current_team(mate) == "Acme"
    subjects = [m["Subject"] for m in site.outbox.messages(teammate)]
    assert not [s for s in subjects if "Confirm" in s], subjects

    # The owner creates a list in Acme; the teammate finds it and adds a task.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lists").click()
    checks.check()
    page.get_by_label("List name").fill("Launch plan")
    page.get_by_role("button", name="Create list").click()
    page.locator(".todo-list-card").get_by_role("link", name="Launch plan").wait_for()
    checks.check()

    mate.get_by_role("navigation", name="Main").get_by_role("link", name="Lists").click()
    teammate_checks.check()
    mate.locator(".todo-list-card").get_by_role("link", name="Launch plan").click()
    teammate_checks.check()
    list_path = path_of(mate.url)
    assert re.fullmatch(r"/lists/\d+/", list_path)
    mate.get_by_label("Task", exact=True).fill("Book the venue")
    mate.get_by_role("button", name="Add task").click()
    mate.locator("#task-panel .todo-tasks").get_by_text("Book the venue").wait_for()
    teammate_checks.check()

    page.locator(".todo-list-card").get_by_role("link", name="Launch plan").click()
    checks.check()
    assert path_of(page.url) == list_path
    page.locator("#task-panel .todo-tasks").get_by_text("Book the venue").wait_for()

    # The owner removes the teammate from the team settings page.
    checks.goto("/teams/settings/")
    members = page.locator("section", has=page.get_by_role("heading", name="Members"))
    assert teammate in members.inner_text()
    page.get_by_role("button", name=f"Remove {teammate}").click()
    checks.check()
    assert f"{teammate} is no longer a member" in page.locator("body").inner_text()
    assert teammate not in members.inner_text()
    assert "1 of 5 seats in use" in members.inner_text()

    # Access ends at once. The teammate's list page, still open, can no longer write: the page's
    # team is not theirs any more (409, nothing saved), and htmx reloads the page, which is now
    # a 404.
    mate.get_by_label("Task", exact=True).fill("Sneak in")
    with (
        mate.expect_response(lambda r: r.request.method == "POST") as refused,
        mate.expect_response(lambda r: r.request.method == "GET" and r.url == mate.url) as reloaded,
    ):
        mate.get_by_role("button", name="Add task").click()
    assert refused.value.status == 409, refused.value.status
    assert reloaded.value.status == 404, reloaded.value.status
    teammate_checks.check()
    checks.goto(list_path)
    page.locator("#task-panel .todo-tasks").get_by_text("Book the venue").wait_for()
    assert "Sneak in" not in page.locator("main").inner_text()

    # Their lists page no longer shows it, and the switcher is back to their personal team.
    mate.get_by_role("navigation", name="Main").get_by_role("link", name="Lists").click()
    teammate_checks.check()
    assert path_of(mate.url) == "/lists/"
    assert "Launch plan" not in mate.locator("main").inner_text()
    assert current_team(mate) == teammate.split("@")[0]
    # Chromium logs the 409 and the 404 answers as console errors: the only ones expected.
    answered = [e for e in teammate_checks.console_errors if re.search("status of 40[49]", e)]
    assert len(answered) == 2, teammate_checks.console_errors
    for error in answered:
        teammate_checks.console_errors.remove(error)


def main_headings(page) -> list[str]:
    return page.locator("main").get_by_role("heading").all_inner_texts()


def assert_same_as_a_fresh_load(page) -> None:
    """A page reached by the React router shows what loading its URL shows (nothing left over
    from the page before it, such as the dashboard's server-rendered cards)."""
    fresh = page.context.new_page()
    try:
        fresh.goto(page.url)
        fresh.wait_for_function(REACT_SETTLED)
        expected = main_headings(fresh)
    finally:
        fresh.close()
    shown = main_headings(page)
    assert shown == expected, f"{page.url} via the router: {shown}; loaded: {expected}"


@only(["react"])
def test_lists_and_tasks_through_the_react_app(checks, site):
    """The todo journey of the HTMX test above, through the React app: one document from the
    dashboard to the end (react-router), data through the REST API, focus after each action."""
    from playwright.sync_api import expect

    page = checks.page
    sign_up_and_verify(checks, site, unique_email("ada"))
    # The todo theme's React card on the starter's React dashboard, filled from the API.
    card = page.locator("section", has=page.get_by_role("heading", name="Your tasks"))
    expect(card).to_contain_text(re.compile(r"Open tasks\s*0"))

    page.evaluate(NO_RELOAD_MARK)
    card.get_by_role("link", name="Go to your lists").click()
    page.wait_for_url(re.compile(r"/lists/$"))
    checks.check()
    assert page.evaluate(SAME_DOCUMENT), "the dashboard's link to the lists reloaded the page"
    assert_same_as_a_fresh_load(page)

    page.get_by_label("List name").fill("Launch")
    page.get_by_role("button", name="Create list").click()
    lists = page.get_by_role("list", name="Your lists")
    lists.get_by_role("link", name="Launch").wait_for()
    expect(page.get_by_label("List name")).to_be_focused()  # ready for the next list
    expect(page.locator("main")).to_contain_text("1 of 3 lists")  # billing's free plan
    checks.check()

    lists.get_by_role("link", name="Launch").click()
    page.wait_for_url(re.compile(r"/lists/\d+/$"))
    page.get_by_role("heading", level=1, name="Launch").wait_for()
    checks.check()
    tasks = page.get_by_role("region", name="Tasks")
    task_list = tasks.get_by_role("list", name=re.compile(r"tasks", re.I))
    for title, priority in [("Write the announcement", "High"), ("Book the venue", "Normal"),
                            ("Send the invoice", "Low")]:  # fmt: skip
        page.get_by_label("Task", exact=True).fill(title)
        page.get_by_label("Priority").select_option(label=priority)
        page.get_by_role("button", name="Add task").click()
        task_list.get_by_text(title).wait_for()
        # Ready for the next one without reaching for the mouse.
        expect(page.get_by_label("Task", exact=True)).to_be_focused()
    expect(task_list.get_by_role("listitem")).to_have_count(3)
    assert task_list.get_by_text("High", exact=True).count() == 1
    checks.check()

    page.get_by_role("button", name="Complete “Book the venue”").click()
    task_list.get_by_text("Book the venue").wait_for(state="detached")
    tabs = page.get_by_role("navigation", name="Filter tasks")
    expect(tabs.get_by_role("link", name="Open 2")).to_be_visible()
    expect(tabs.get_by_role("link", name="Done 1")).to_be_visible()

    page.get_by_role("button", name="Move “Send the invoice” up").click()
    expect(task_list.get_by_role("listitem").first).to_contain_text("Send the invoice")
    # The focus follows the task to its new row: on "down", as "up" is disabled at the top.
    expect(page.get_by_role("button", name="Move “Send the invoice” down")).to_be_focused()

    tabs.get_by_role("link", name=re.compile("^Done")).click()
    page.wait_for_url(re.compile(r"status=done"))
    expect(task_list.get_by_role("listitem")).to_have_count(1)
    expect(task_list).to_contain_text("Book the venue")
    checks.check()

    tabs.get_by_role("link", name=re.compile("^All")).click()
    page.wait_for_url(re.compile(r"status=all"))
    expect(task_list.get_by_role("listitem")).to_have_count(3)
    checks.check()
    page.get_by_role("searchbox", name="Search tasks").fill("invoice")
    page.wait_for_url(re.compile(r"q=invoice"))
    expect(task_list.get_by_role("listitem")).to_have_count(1)
    checks.check()

    page.get_by_role("button", name="Delete “Send the invoice”").click()
    page.get_by_text("No tasks match “invoice”").wait_for()
    page.get_by_role("searchbox", name="Search tasks").fill("")
    page.wait_for_function("() => !location.search.includes('q=invoice')")
    page.wait_for_function("() => document.querySelectorAll('.todo-task').length === 2")
    page.wait_for_function(HTMX_IDLE)
    expect(task_list.get_by_role("listitem")).to_have_count(2)
    checks.check()

    page.get_by_role("button", name="Edit “Write the announcement”").click()
    editing = page.get_by_role("form", name="Edit “Write the announcement”")
    title = editing.get_by_label("Task")
    expect(title).to_be_focused()
    title.fill("Write the launch announcement")
    title.press("Enter")
    task_list.get_by_text("Write the launch announcement").wait_for()
    expect(editing).to_have_count(0)
    assert page.evaluate(SAME_DOCUMENT), "a task action reloaded the page"
    checks.check()

    # At the free plan's limit the lists page offers the upgrade instead of the form; deleting
    # a list (confirmed inline) brings the form back.
    page.locator("main").get_by_role("link", name="Lists", exact=True).click()
    page.wait_for_url(re.compile(r"/lists/$"))
    checks.check()
    assert page.evaluate(SAME_DOCUMENT), "back to the lists reloaded the page"
    for name in ("Second", "Third"):
        page.get_by_label("List name").fill(name)
        page.get_by_role("button", name="Create list").click()
        lists.get_by_role("link", name=name).wait_for()
    upgrade = page.get_by_role("link", name="Upgrade your plan")
    expect(upgrade).to_be_visible()
    expect(page.get_by_label("List name")).to_have_count(0)
    checks.check()
    page.get_by_role("button", name="Delete “Third”").click()
    confirm = page.get_by_role("group", name=re.compile("Delete the list “Third”"))
    confirm.get_by_role("button", name="Delete list").click()
    lists.get_by_role("link", name="Third").wait_for(state="detached")
    expect(page.get_by_label("List name")).to_be_visible()
    page.get_by_label("List name").fill("Third")
    page.get_by_role("button", name="Create list").click()
    upgrade.click()
    checks.check()
    assert path_of(page.url) == "/billing/pricing/"


def test_phone_menu_opens_and_leads_to_the_pages(checks, site):
    page = checks.page
    page.set_viewport_size(PHONE)
    checks.goto("/")
    pricing = page.get_by_role("navigation", name="Main").get_by_role("link", name="Pricing")
    assert not pricing.is_visible(), "the phone menu starts closed"
    page.get_by_text("Menu").click()
    pricing.click()
    checks.check()
    assert path_of(page.url) == "/billing/pricing/"


# --- The starter theme alone: no modules, Django's own login ------------------------------------


@pytest.fixture(scope="session")
def starter_site(template_snapshot, tmp_path_factory, project_python, browser):
    """A project with no modules (the template's defaults), on SQLite, with an admin user."""
    root = tmp_path_factory.mktemp("browser_starter")
    project = render(template_snapshot, root / "client_acme", theme="starter", modules=[])
    outbox = root / "outbox"
    outbox.mkdir()
    env = project_env(write_browser_settings(project), f"sqlite:///{root / 'db.sqlite3'}", outbox)
    served = migrate_and_serve(project, project_python, env, root / "server.log")
    admin = {**env, "DJANGO_SUPERUSER_EMAIL": ADMIN_EMAIL, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    try:
        run([project_python, "manage.py", "createsuperuser", "--noinput"], project, admin)
        yield Site(served, Outbox(outbox))
    finally:
        served.stop()


@pytest.fixture
def starter_checks(request, browser, starter_site):
    yield from watched_page(request, browser, starter_site)


def test_starter_landing_login_and_dashboard(starter_checks, starter_site):
    checks, page = starter_checks, starter_checks.page
    checks.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == page.locator("h1").inner_text()
    page.get_by_role("link", name="Log in").first.click()
    checks.check()
    assert path_of(page.url) == "/accounts/login/"
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    checks.check()

    assert path_of(page.url) == "/dashboard/"
    assert ADMIN_EMAIL in page.locator("main").inner_text()
    # The system status panel arrives by htmx from the project's own static htmx.
    status = page.locator("#system-status")
    status.get_by_text(re.compile("database", re.I)).first.wait_for()
    assert "status--loading" not in (status.get_attribute("class") or "")
    assert page.get_by_role("link", name="Admin").is_visible()  # A superuser is staff.

    log_out(checks)
    assert path_of(page.url) == "/"
