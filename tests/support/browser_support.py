"""What the browser journeys (tests/e2e/test_browser.py) stand on: a served project, its outbox,
and the checks every page visited must pass.

Only Stripe is fake: it is the one external service, and it has no offline server. The project's
own Stripe SDK calls reach the payments module's fake, served over HTTP (tests/support/stripe.py),
because the settings module written by `write_browser_settings` points `stripe.api_base` at it;
dj-stripe, the SDK and the project's code run for real. Webhooks are signed exactly as Stripe
signs them.
"""

from __future__ import annotations

import base64
import email
import glob
import hashlib
import hmac
import itertools
import json
import os
import re
import signal
import struct
import subprocess
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.helpers import REPO
from tests.support.stripe import sign

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a browser downloaded by Playwright; nothing phones home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(os.environ.get("QUICKSCALE_SCREENSHOTS") or REPO / ".cache" / "screenshots")

# Imported last by the served project's settings: production settings, minus what needs HTTPS
# (the browser talks plain HTTP to 127.0.0.1), plus an outbox folder and the fake Stripe API.
BROWSER_SETTINGS = '''"""Production settings over plain HTTP on 127.0.0.1, for the browser tests."""

from .prod import *  # noqa: F403
from .prod import env

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Every email is written to a file in this folder; the tests read links and codes from it.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("BROWSER_TEST_OUTBOX")

if env("BROWSER_TEST_STRIPE_API", default=""):
    import stripe

    # The Stripe SDK is the boundary: its requests go to the tests' fake Stripe API.
    stripe.api_base = env("BROWSER_TEST_STRIPE_API")
'''


def write_browser_settings(project: Path) -> str:
    # Not named *_test.py: the project's pytest would collect it (python_files).
    (project / "config" / "settings" / "browser.py").write_text(BROWSER_SETTINGS)
    return "config.settings.browser"


# urllib without any proxy from the environment: every request here is to 127.0.0.1.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of an HTTP request, errors included."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The RFC 6238 code an authenticator app shows for a base32 `secret` at time `at`."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


class ServedProject:
    """A generated project served by gunicorn on 127.0.0.1:<port>, as its Dockerfile serves it,
    with a task worker beside it when the project has the tasks module (emails are sent by
    the worker then, as in production)."""

    def __init__(self, project: Path, python: Path, env: dict[str, str], port: int, log: Path):
        self.project, self.python, self.env, self.port, self.log = project, python, env, port, log
        self.base_url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> None:
        gunicorn = self.python.parent / "gunicorn"
        if (self.project / "quickscale_modules" / "tasks").is_dir():
            with self.log.with_suffix(".worker.log").open("w") as log:
                self.worker = subprocess.Popen(  # noqa: S603
                    [self.python, "manage.py", "run_worker", "--interval", "0.2"],
                    cwd=self.project, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "2", "--threads", "4", "--access-logfile", "-"],
                cwd=self.project, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log.read_text()[-4000:]}")
            try:
                status, _headers, _body = http("GET", self.url("/healthz/"))
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the project did not answer:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # SIGINT to the master only: gunicorn's quick shutdown, which stops its workers.
            # (SIGTERM waits for the browser's idle keep-alive connections.)
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)
        if self.worker is not None and self.worker.poll() is None:
            self.worker.send_signal(signal.SIGTERM)
            self.worker.wait(timeout=30)

    def log_size(self) -> int:
        return self.log.stat().st_size

    def server_errors(self, since: int = 0) -> list[str]:
        """Access-log lines with a 5xx status, and tracebacks, after byte `since` of the log."""
        with self.log.open("rb") as log:
            log.seek(since)
            lines = log.read().decode(errors="replace").splitlines()
        return [line for line in lines if '" 5' in line or line.startswith("Traceback")]


class Outbox:
    """The emails the project wrote with Django's file backend (one file per connection)."""

    SEPARATOR = "-" * 79

    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self, to: str | None = None) -> list[Message]:
        found = []
        for path in sorted(self.folder.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
            for chunk in path.read_text().split(self.SEPARATOR):
                if chunk.strip():
                    message = email.message_from_string(chunk.strip() + "\n")
                    if to is None or to in message.get("To", ""):
                        found.append(message)
        return found

    @staticmethod
    def text(message: Message) -> str:
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        raise AssertionError(f"no plain-text part in {message['Subject']!r}")

    def wait_for(self, to: str, subject: str, timeout: float = 10) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            matching = [m for m in self.messages(to) if subject in m.get("Subject", "")]
            if matching:
                return matching[-1]
            time.sleep(0.1)
        subjects = [m.get("Subject") for m in self.messages()]
        raise AssertionError(f"no email {subject!r} to {to}; the outbox has {subjects}")


def deliver_webhook(served: ServedProject, payload: dict) -> tuple[int, bytes]:
    """POST an event to the project's webhook endpoint, signed like Stripe signs it."""
    body = json.dumps(payload)
    headers = {"Content-Type": "application/json", "Stripe-Signature": sign(body)}
    status, _headers, content = http("POST", served.url("/payments/webhook/"), body.encode(),
                                     headers)  # fmt: skip
    return status, content


# The checks run on every page a journey visits (see PageChecks.check).
PAGE_FACTS = """() => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    return el.getClientRects().length > 0 && style.visibility !== "hidden"
      && style.display !== "none";
  };
  const text = (el) => (el && el.textContent || "").trim();
  const unlabelled = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const buttonLike = ["hidden", "submit", "button", "reset", "image"].includes(el.type);
    if (buttonLike || !visible(el)) continue;
    const named = [...(el.labels || [])].some((label) => text(label))
      || (el.getAttribute("aria-label") || "").trim()
      || (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
           .some((id) => id && text(document.getElementById(id)))
      || (el.getAttribute("title") || "").trim();
    if (!named) unlabelled.push(el.outerHTML.slice(0, 160));
  }
  return {
    h1: [...document.querySelectorAll("h1")].map(text),
    title: document.title.trim(),
    lang: document.documentElement.lang,
    unlabelled,
    imagesWithoutAlt: [...document.querySelectorAll("img:not([alt]), input[type=image]:not([alt])")]
      .map((el) => el.outerHTML.slice(0, 160)),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""

FOCUS_FACTS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    html: el.outerHTML.slice(0, 120),
    focusVisible: el.matches(":focus-visible"),
    indicator: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""


FOCUS_FROM_TOP = """() => {
  const probe = document.createElement("span");
  probe.tabIndex = -1;
  document.body.prepend(probe);
  probe.focus();
  probe.remove();
  window.scrollTo(0, 0);
}"""


# Chromium logs a refused script or style as a console error already; this names the directive
# and what was blocked, and also catches violations of a report-only policy.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content-Security-Policy violation: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline code"} (${event.sourceFile}:${event.lineNumber})`);
});
"""


# A React page (templates/starter/react_page.html) has rendered once its heading is in the
# document and nothing in #root shows the starter's Loading component (a spinner in a
# role="status" line) or is aria-busy: then its h1, fields and layout are the ones to check.
REACT_SETTLED = """() => {
  const root = document.getElementById("root");
  if (!root || !root.hasAttribute("data-url-home")) return true;
  return document.querySelector("h1") !== null
    && !root.querySelector('[role="status"] .spinner, [aria-busy="true"]');
}"""


class PageChecks:
    """Watches one browser page: every document it shows must pass `check()`, nothing may go
    to another host than the served project, and the console must stay free of errors
    (Content-Security-Policy violations included: they break pages silently).

    React pages are checked once they have rendered (REACT_SETTLED); their client-side route
    changes are pages too: each URL shown must be checked."""

    def __init__(self, page, base_url: str, name: str):
        # "test_journey[react]" -> "test_journey-react": plain screenshot names.
        name = re.sub(r"\[(.+)\]$", r"-\1", name)
        self.page, self.base_url, self.name = page, base_url, name
        self.origin = urlsplit(base_url).netloc
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.shots = itertools.count(1)
        for old in SCREENSHOTS.glob(f"{glob.escape(name)}-*.png"):
            old.unlink()
        page.context.route("**/*", self._route)
        page.on("framenavigated", self._navigated)
        page.add_init_script(REPORT_CSP_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))

    def _route(self, route) -> None:
        if urlsplit(route.request.url).netloc == self.origin:
            route.continue_()
        else:
            self.foreign_requests.append(f"{self.page.url} -> {route.request.url}")
            route.abort()

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: {message.text}")

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.check()

    def check(self) -> None:
        """The page as it is now: one h1, labels, alt texts, keyboard focus, no sideways scroll
        at phone and desktop widths (each width screenshotted)."""
        from playwright.sync_api import Error

        for _attempt in range(3):
            try:
                self.page.wait_for_load_state("load")
                self.page.evaluate("() => { window.__quickscaleChecking = true; }")
                return self._check()
            except (Error, AssertionError):
                # A page that refreshes itself (<meta http-equiv="refresh">) may navigate while
                # it is checked: then check the new document instead.
                if not self._navigated_away():
                    raise
        raise AssertionError(f"{self.page.url} kept navigating while it was checked")

    def _navigated_away(self) -> bool:
        from playwright.sync_api import Error

        try:
            self.page.wait_for_load_state("load")
            return not self.page.evaluate("() => window.__quickscaleChecking === true")
        except Error:
            return True

    def _check(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self._wait_for_react()
        url = page.url
        where = url.removeprefix(self.base_url)
        facts = page.evaluate(PAGE_FACTS)
        assert len(facts["h1"]) == 1, f"{where}: expected exactly one h1, found {facts['h1']}"
        assert facts["title"], f"{where}: the page has no <title>"
        assert facts["lang"], f"{where}: <html> has no lang"
        assert not facts["unlabelled"], f"{where}: fields without a label: {facts['unlabelled']}"
        assert not facts["imagesWithoutAlt"], f"{where}: images without alt"
        self._check_focus(where)
        self._check_layout(where, facts["h1"][0])
        self.checked.add(url)

    def _wait_for_react(self, timeout: float = 15_000) -> None:
        """Give a React page the time to render and load its data; a page that never settles
        is checked as it is (its missing h1 or its loading state then fails the checks)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(REACT_SETTLED, timeout=timeout)
        except PlaywrightTimeout:
            pass

    def _check_focus(self, where: str) -> None:
        page = self.page
        # Tab from the top of the page, as after loading it (also when the page is checked again).
        page.evaluate(FOCUS_FROM_TOP)
        seen = []
        for _ in range(3):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_FACTS)
            assert focus is not None, f"{where}: Tab moved focus to no element (after {seen})"
            assert focus["focusVisible"] and focus["indicator"], (
                f"{where}: focus on {focus['html']} has no visible indicator"
            )
            assert focus["onScreen"], f"{where}: the focused {focus['html']} is off screen"
            assert focus["html"] not in seen, f"{where}: Tab did not move on from {focus['html']}"
            seen.append(focus["html"])
        page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")

    def _check_layout(self, where: str, heading: str) -> None:
        page = self.page
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # Named after the path (long tokens, like confirmation keys, left out) and the heading.
        words = [w for w in where.split("?")[0].split("/") if len(w) < 20] + [heading]
        slug = re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower()).strip("-")
        number = next(self.shots)
        journey_size = page.viewport_size
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{where}: {overflow}px of horizontal scroll at {label} width"
            path = SCREENSHOTS / f"{self.name}-{number:02d}-{slug[:60]}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(journey_size)

    def finish(self) -> None:
        """Every document shown was checked; no console error; no request left the server."""
        unchecked = [u for u in dict.fromkeys(self.visited) if u not in self.checked]
        unchecked = [u for u in unchecked if u != "about:blank"]
        assert not self.foreign_requests, "requests to other hosts:\n" + "\n".join(
            self.foreign_requests
        )
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)
        assert not unchecked, f"pages shown but never checked: {unchecked}"
