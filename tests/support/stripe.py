"""The payments module's Stripe fake, served over HTTP for the browser journeys.

There is one fake: modules/payments/tests/stripe_fake.py (its objects and JSON fixtures, test
keys, signatures, events and request handling), which the module's own tests plug into the
Stripe SDK with `responses`. A served project runs in another process, so here the same
`FakeStripe` answers a local HTTP server instead: the project's settings point
`stripe.api_base` at `StripeServer.url`. Only what Stripe's hosted Checkout page does is added
(the browser "pays" by being sent back to the success URL; see complete_subscription_checkout).
"""

from __future__ import annotations

import copy
import importlib.util
import itertools
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType, SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.support.helpers import REPO

STRIPE_FAKE = REPO / "modules" / "payments" / "tests" / "stripe_fake.py"


def _load(path, name: str = "quickscale_payments_stripe_fake") -> ModuleType:
    """The payments module's stripe_fake.py, imported by path (it is not in a package here)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


stripe_fake = _load(STRIPE_FAKE)

# Test-mode keys shaped like Stripe's, the fixture loader and webhook signatures: the fake's own.
STRIPE_SECRET_KEY = stripe_fake.SECRET_KEY
STRIPE_PUBLISHABLE_KEY = stripe_fake.PUBLISHABLE_KEY
STRIPE_WEBHOOK_SECRET = stripe_fake.WEBHOOK_SECRET
stripe_fixture = stripe_fake.fixture
sign = stripe_fake.sign

_ids = itertools.count(1)


class _Routes:
    """Takes the fake's callbacks where the unit tests give it a `responses.RequestsMock`."""

    def __init__(self) -> None:
        self.callbacks: dict[str, object] = {}

    def add_callback(self, method: str, url, callback) -> None:
        self.callbacks[method] = callback


class StripeServer(stripe_fake.FakeStripe):
    """The payments module's FakeStripe behind a ThreadingHTTPServer on 127.0.0.1.

    Requests it answers with a 404 (or cannot answer) are kept in `unknown`, so a journey fails
    when the project asks Stripe for something the fake does not know.
    """

    def __init__(self) -> None:
        self.routes = _Routes()
        super().__init__(self.routes)
        self.unknown: list[str] = []
        self.checkout_prices: dict[str, str] = {}  # Checkout session ID -> price ID
        # Reentrant: the fake's callbacks add objects through add(), which locks too.
        self.lock = threading.RLock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                fake._handle(self, "GET")

            def do_POST(self):  # noqa: N802
                fake._handle(self, "POST")

            def do_DELETE(self):  # noqa: N802
                fake._handle(self, "DELETE")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StripeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, *objects: dict) -> None:
        with self.lock:
            super().add(*objects)

    event = staticmethod(stripe_fake.event)

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        # What the fake's callbacks read from a `requests` request: the URL and the form body.
        request = SimpleNamespace(url=stripe_fake.API + handler.path, body=body,
                                  headers=dict(handler.headers))  # fmt: skip
        with self.lock:
            try:
                status, headers, reply = self.routes.callbacks[method](request)
            except Exception as error:  # noqa: BLE001 - reported by the journey, not swallowed
                status, headers, reply = self._reply(500, {"error": {"message": repr(error)}})
            if status in (404, 500):
                self.unknown.append(f"{method} {handler.path}")
        data = reply.encode()
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _get(self, request):
        parts = urlsplit(request.url)
        query = dict(parse_qsl(parts.query))
        if parts.path.rstrip("/") == "/v1/accounts":  # Connected accounts: none.
            self.calls.append(("GET", parts.path, query))
            return self._reply(
                200, {"object": "list", "data": [], "has_more": False, "url": parts.path}
            )
        if query.get("status") == "all":  # Stripe's "any status" (dj-stripe syncs with it).
            del query["status"]
            request = SimpleNamespace(url=parts._replace(query=urlencode(query)).geturl(),
                                      body=request.body)  # fmt: skip
        return super()._get(request)

    def _post(self, request):
        path = urlsplit(request.url).path
        if path != "/v1/checkout/sessions":
            return super()._post(request)
        params = stripe_fake.form(request)
        self.calls.append(("POST", path, params))
        metadata = {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")}
        now = int(time.time())
        session_id = f"cs_test_QsBrowser{next(_ids):012d}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "customer": params.get("customer"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": metadata,
            "status": "open",
            "payment_status": "unpaid",
            "livemode": False,
            "created": now,
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
            # Stripe's hosted page would take the card, then send the browser here.
            "url": params["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id),
        }
        self.objects[session_id] = session
        self.checkout_prices[session_id] = params["line_items[0][price]"]
        return self._reply(200, session)

    def complete_subscription_checkout(self, session_id: str) -> dict:
        """What Stripe does when the card is accepted: the session completes, a subscription
        exists. Returns the completed session (the `checkout.session.completed` event's object)."""
        with self.lock:
            session = self.objects[session_id]
            price = self.objects[self.checkout_prices[session_id]]
            team_id = session["metadata"]["quickscale_team"]
            subscription = stripe_fixture("subscription", price=price, team=team_id)
            subscription.update(id=f"sub_QsBrowser{next(_ids):09d}", customer=session["customer"])
            now = int(time.time())
            subscription.update(created=now, start_date=now, billing_cycle_anchor=now)
            item = subscription["items"]["data"][0]
            item.update(subscription=subscription["id"], created=now)
            item.update(current_period_start=now, current_period_end=now + 30 * 24 * 3600)
            subscription["metadata"] = dict(session["metadata"])
            self.objects[subscription["id"]] = subscription
            session.update(status="complete", payment_status="paid")
            session.update(subscription=subscription["id"], amount_total=price["unit_amount"])
            session["currency"] = price["currency"]
            return copy.deepcopy(session)
