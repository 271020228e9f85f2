"""Stripe, as seen over HTTP: a small in-memory API for `responses`, plus signed webhooks.

Only the HTTP boundary is fake: the Stripe SDK, dj-stripe and our code run for real. Objects
come from the JSON fixtures next to this file (shaped like Stripe's API version in settings).
Webhooks are signed the way Stripe signs them: header `t=<timestamp>,v1=<HMAC-SHA256 of
"<timestamp>.<body>" keyed with the endpoint secret>`.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

FIXTURES = Path(__file__).resolve().parent / "fixtures"
API = "https://api.stripe.com"
SECRET_KEY = "sk_test_" + "Qs4mPl3K3y0nlyF0rT3sts00"
PUBLISHABLE_KEY = "pk_test_" + "Qs4mPl3K3y0nlyF0rT3sts00"
WEBHOOK_SECRET = "whsec_" + "Qs4mPl3W3bh00kS3cr3tF0rT3sts"
API_VERSION = "2026-05-27.dahlia"
ACCOUNT = {
    "id": "acct_QsPlatform000001",
    "object": "account",
    "business_profile": {"name": "Acme Cloud", "url": None},
    "charges_enabled": True,
    "country": "DE",
    "created": 1767225600,
    "default_currency": "eur",
    "details_submitted": True,
    "email": "owner@example.com",
    "metadata": {},
    "payouts_enabled": True,
    "settings": {"dashboard": {"display_name": "Acme Cloud", "timezone": "Etc/UTC"}},
    "type": "standard",
}

_COLLECTIONS = {
    "customers": "customer",
    "products": "product",
    "prices": "price",
    "subscriptions": "subscription",
    "checkout/sessions": "checkout.session",
    "payment_intents": "payment_intent",
    "charges": "charge",
    "invoices": "invoice",
    "refunds": "refund",
}
_counter = itertools.count(1)


def fixture(name: str, **replacements) -> dict:
    """A Stripe object from fixtures/<name>.json; "__KEY__" strings are replaced by values."""
    data = json.loads((FIXTURES / f"{name}.json").read_text())

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, str) and value.startswith("__") and value.endswith("__"):
            return replacements[value.strip("_").lower()]
        return value

    return fill(data)


def form(request) -> dict[str, str]:
    """A Stripe SDK request's form-encoded body as a flat dict ("line_items[0][price]": ...)."""
    return dict(parse_qsl(request.body or "", keep_blank_values=True))


class FakeStripe:
    """Holds Stripe objects by ID and answers the SDK's requests for them."""

    def __init__(self, mock: responses.RequestsMock):
        self.objects: dict[str, dict] = {}
        self.calls: list[tuple[str, str, dict]] = []  # (method, path, form)
        # Set to an HTTP status (e.g. 401) to make every following GET fail like Stripe does.
        self.failing_status: int | None = None
        # Set to an HTTP status (e.g. 500) to make every following POST fail.
        self.failing_post_status: int | None = None
        # Answers by Idempotency-Key: Stripe replays the first answer to a repeated key.
        self.idempotent: dict[str, tuple] = {}
        self.idempotency_keys: list[str] = []
        mock.add_callback(responses.GET, re.compile(rf"{API}/v1/.*"), callback=self._get)
        mock.add_callback(responses.POST, re.compile(rf"{API}/v1/.*"), callback=self._post)
        mock.add_callback(responses.DELETE, re.compile(rf"{API}/v1/.*"), callback=self._delete)

    def add(self, *objects: dict) -> None:
        for obj in objects:
            self.objects[obj["id"]] = copy.deepcopy(obj)

    def requests(self, method: str, path: str) -> list[dict]:
        return [params for m, p, params in self.calls if m == method and p == path]

    def _reply(self, status, body):
        return (
            status,
            {"Content-Type": "application/json", "Request-Id": "req_fake"},
            json.dumps(body),
        )

    def _not_found(self, object_id):
        # Stripe names the kind of object ("No such customer: 'cus_...'"); dj-stripe reads it.
        kinds = {"cus": "customer", "sub": "subscription", "si": "subscription item"}
        kind = kinds.get(str(object_id).split("_", 1)[0], "object")
        return self._reply(
            404,
            {
                "error": {
                    "code": "resource_missing",
                    "message": f"No such {kind}: '{object_id}'",
                    "param": "id",
                    "type": "invalid_request_error",
                }
            },
        )

    def _get(self, request):
        path = urlsplit(request.url).path
        self.calls.append(("GET", path, dict(parse_qsl(urlsplit(request.url).query))))
        if self.failing_status:
            return self._reply(
                self.failing_status,
                {
                    "error": {
                        "message": "Invalid API Key provided.",
                        "type": "invalid_request_error",
                    }
                },
            )
        if path == "/v1/account":
            return self._reply(200, ACCOUNT)
        if path.startswith("/v1/products/") and path.endswith("/features"):
            return self._reply(200, {"object": "list", "data": [], "has_more": False, "url": path})
        object_id = path.rstrip("/").rsplit("/", 1)[-1]
        if object_id in self.objects:
            return self._reply(200, self.objects[object_id])
        collection = path.removeprefix("/v1/").rstrip("/")
        if collection in _COLLECTIONS:  # A list request.
            query = dict(parse_qsl(urlsplit(request.url).query))
            kind = _COLLECTIONS[collection]
            items = [
                o
                for o in self.objects.values()
                if o["object"] == kind
                and all(
                    o.get(k) == v
                    for k, v in query.items()
                    if k in ("customer", "subscription", "status")
                )
            ]
            return self._reply(
                200, {"object": "list", "data": items, "has_more": False, "url": path}
            )
        return self._not_found(object_id)

    def _delete(self, request):
        path = urlsplit(request.url).path
        self.calls.append(("DELETE", path, {}))
        object_id = path.rsplit("/", 1)[-1]
        obj = self.objects.pop(object_id, None)
        if obj is None:
            return self._not_found(object_id)
        return self._reply(200, {"id": object_id, "object": obj["object"], "deleted": True})

    def _post(self, request):
        key = (getattr(request, "headers", None) or {}).get("Idempotency-Key")
        if key:
            self.idempotency_keys.append(key)
            if key in self.idempotent:
                return self.idempotent[key]
        answer = self._post_once(request)
        if key and answer[0] == 200:
            self.idempotent[key] = answer
        return answer

    def _post_once(self, request):
        path = urlsplit(request.url).path
        params = form(request)
        self.calls.append(("POST", path, params))
        if self.failing_post_status:
            error = {"message": "Stripe is having trouble.", "type": "api_error"}
            return self._reply(self.failing_post_status, {"error": error})
        metadata = {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")}
        now = int(time.time())
        n = next(_counter)
        if path == "/v1/customers":
            customer = fixture("customer")
            customer.update(id=f"cus_QsNew{n:011d}", email=params.get("email"), metadata=metadata)
            customer["created"] = now
            self.add(customer)
            return self._reply(200, customer)
        if path.startswith("/v1/customers/"):
            customer = self.objects[path.rsplit("/", 1)[-1]]
            customer["metadata"].update(metadata)
            customer.update({k: v for k, v in params.items() if k in ("email", "name")})
            return self._reply(200, customer)
        if path == "/v1/checkout/sessions":
            session_id = f"cs_test_QsCreated{n:012d}"
            session = {
                "id": session_id,
                "object": "checkout.session",
                "mode": params["mode"],
                "customer": params.get("customer"),
                "metadata": metadata,
                "status": "open",
                "payment_status": "unpaid",
                "livemode": False,
                "created": now,
                "expires_at": now + 24 * 3600,
                "subscription": None,
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            }
            self.add(session)  # Listed (open) until it is expired or completed.
            return self._reply(200, session)
        if path.startswith("/v1/checkout/sessions/") and path.endswith("/expire"):
            session = self.objects[path.split("/")[-2]]
            session.update(status="expired", url=None)
            return self._reply(200, session)
        if path == "/v1/billing_portal/sessions":
            return self._reply(
                200,
                {
                    "id": f"bps_QsPortal{n:012d}",
                    "object": "billing_portal.session",
                    "customer": params["customer"],
                    "livemode": False,
                    "return_url": params.get("return_url"),
                    "url": f"https://billing.stripe.com/p/session/test_{n}",
                },
            )
        if path.startswith("/v1/subscription_items/"):
            item_id = path.rsplit("/", 1)[-1]
            for obj in list(self.objects.values()):
                for item in (
                    (obj.get("items") or {}).get("data", [])
                    if obj["object"] == ("subscription")
                    else []
                ):
                    if item["id"] == item_id:
                        item["quantity"] = int(params["quantity"])
                        return self._reply(200, item)
            return self._not_found(item_id)
        if path == "/v1/refunds":
            refund = {
                "id": f"re_QsRefund{n:012d}",
                "object": "refund",
                "amount": int(params.get("amount", 0)) or None,
                "currency": "eur",
                "payment_intent": params["payment_intent"],
                "reason": params.get("reason"),
                "status": "succeeded",
                "created": now,
            }
            return self._reply(200, refund)
        return self._not_found(path)


def sign(body: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send for `body`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{body}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict, previous_attributes: dict | None = None) -> dict:
    """A Stripe event envelope around `obj`, as delivered to webhook endpoints."""
    data = {"object": copy.deepcopy(obj)}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": f"evt_QsEvent{next(_counter):012d}",
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def deliver(
    client,
    payload: dict,
    secret: str = WEBHOOK_SECRET,
    signature: str | None = None,
    headers: dict | None = None,
):
    """POST `payload` to the webhook endpoint, signed like Stripe (or with `signature`),
    with any extra `headers`."""
    body = json.dumps(payload)
    return client.post(
        "/payments/webhook/",
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": signature or sign(body, secret), **(headers or {})},
    )


@pytest.fixture
def stripe_settings(settings):
    """A project configured with (fake) Stripe test keys."""
    settings.STRIPE_LIVE_MODE = False
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_VERSION = API_VERSION
    return settings


@pytest.fixture
def stripe_api(stripe_settings):
    """The fake Stripe API; any request it does not know fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeStripe(mock)


@pytest.fixture
def catalog(stripe_api, db):
    """The Pro plan (monthly and yearly) and a one-time credit pack, synced into dj-stripe."""
    from djstripe.models import Price

    stripe_api.add(
        fixture("product_pro"),
        fixture("price_pro_month"),
        fixture("price_pro_year"),
        fixture("product_credits"),
        fixture("price_credits"),
    )
    for price_id in ("price_QsProMonth00001", "price_QsProYear000001", "price_QsCredits00001"):
        Price.sync_from_stripe_data(stripe_api.objects[price_id])
    return stripe_api


def personal_team_id(user) -> str:
    """The id of the user's personal team, as Stripe metadata holds it (quickscale_team)."""
    from quickscale_core import teams

    return str(teams.ensure_personal_team(user).pk)


def add_customer(catalog, subject, customer_id: str | None = None):
    """The Stripe customer of `subject` (a team, or a user's personal team), as
    payments.services.customer_for leaves it: served by the fake API, synced into dj-stripe
    and linked to the team."""
    from djstripe.models import Customer

    from quickscale_core.models import Team
    from quickscale_modules.payments.models import TeamCustomer

    team_id = str(subject.pk) if isinstance(subject, Team) else personal_team_id(subject)
    data = fixture("customer")
    data["metadata"] = {"quickscale_team": team_id}
    if customer_id:
        data["id"] = customer_id
    catalog.add(data)
    customer = Customer.sync_from_stripe_data(data)
    TeamCustomer.objects.create(
        team_id=int(team_id), customer=customer, livemode=False, contact_email=data["email"]
    )
    return customer


@pytest.fixture
def customer(catalog, user):
    """The Stripe customer of `user`'s personal team (see add_customer)."""
    return add_customer(catalog, user)


def subscription(catalog, user, price: str = "price_QsProMonth00001", **changes) -> dict:
    """The subscription of `user`'s personal team to `price` (default: the catalog's monthly
    Pro price) as Stripe would send it now, with `changes` applied; the fake API serves it
    too."""
    data = fixture("subscription", price=catalog.objects[price], team=personal_team_id(user))
    data.update(changes)
    catalog.add(data)
    return data
