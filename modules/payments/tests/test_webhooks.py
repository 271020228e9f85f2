import json

import pytest
from django.test import override_settings
from djstripe.models import Event, Session, WebhookEventTrigger

from quickscale_modules.payments import services

from .stripe_fake import WEBHOOK_SECRET, deliver, event, fixture, sign

pytestmark = pytest.mark.django_db


def _paid_checkout(stripe_api, user):
    stripe_api.add(
        fixture("payment_intent", user=str(user.pk)),
        fixture("charge"),
        fixture("checkout_session_payment", user=str(user.pk)),
    )
    return event("checkout.session.completed", stripe_api.objects["cs_test_QsPaymentSession0001"])


def test_signed_event_is_recorded_and_processed(client, catalog, customer, user):
    payload = _paid_checkout(catalog, user)

    response = deliver(client, payload)

    assert response.status_code == 200, response.content
    trigger = WebhookEventTrigger.objects.get()
    assert trigger.valid and trigger.processed
    assert Event.objects.get().id == payload["id"]
    session = Session.objects.get(id="cs_test_QsPaymentSession0001")
    assert session.customer.subscriber == user
    assert session.payment_status == "paid"


def test_bad_signature_is_rejected_and_recorded(client, catalog, customer, user):
    payload = _paid_checkout(catalog, user)

    response = deliver(client, payload, secret="whsec_" + "NotTheSecretStripeSigned0")

    assert response.status_code == 400
    trigger = WebhookEventTrigger.objects.get()
    assert trigger.valid is False and trigger.processed is False
    assert json.loads(trigger.body)["id"] == payload["id"]  # Kept for inspection.
    assert not Event.objects.exists()
    assert not Session.objects.exists()


def test_missing_signature_is_rejected(client, catalog, customer, user):
    body = json.dumps(_paid_checkout(catalog, user))

    response = client.post("/payments/webhook/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert not Event.objects.exists()


def test_replayed_signature_outside_tolerance_is_rejected(client, catalog, customer, user):
    # A request captured in transit and sent again later: the signed timestamp is too old.
    body = json.dumps(_paid_checkout(catalog, user))
    stale = sign(body, WEBHOOK_SECRET, timestamp=1767225600)

    response = deliver(client, json.loads(body), signature=stale)

    assert response.status_code == 400
    assert not Event.objects.exists()


def test_duplicate_delivery_is_processed_once(client, catalog, customer, user):
    payload = _paid_checkout(catalog, user)

    first = deliver(client, payload)
    fetches_after_first = len(
        catalog.requests("GET", "/v1/checkout/sessions/cs_test_QsPaymentSession0001")
    )
    second = deliver(client, payload)

    assert first.status_code == second.status_code == 200
    assert Event.objects.count() == 1
    assert WebhookEventTrigger.objects.count() == 2  # Both deliveries are on record...
    # ...but the second did not process the event again (no new fetch from Stripe).
    assert len(catalog.requests("GET", "/v1/checkout/sessions/cs_test_QsPaymentSession0001")) == (
        fetches_after_first
    )


def test_handler_failure_returns_500_without_partial_writes(client, catalog, customer, user):
    payload = _paid_checkout(catalog, user)
    # Stripe refuses the key while dj-stripe re-fetches the session: processing fails as a whole.
    catalog.failing_status = 401
    client.raise_request_exception = False

    response = deliver(client, payload)

    assert response.status_code == 500
    assert not Event.objects.exists()  # Rolled back, so Stripe's retry processes it afresh.
    assert not Session.objects.exists()
    trigger = WebhookEventTrigger.objects.get()
    assert trigger.valid and not trigger.processed
    assert "Invalid API Key" in trigger.exception

    catalog.failing_status = None
    retry = deliver(client, payload)

    assert retry.status_code == 200
    assert Session.objects.filter(id="cs_test_QsPaymentSession0001").exists()


def test_webhook_without_secret_says_so(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = client.post("/payments/webhook/", data="{}", content_type="application/json")

    assert response.status_code == 503
    assert b"STRIPE_WEBHOOK_SECRET" in response.content


def test_webhook_only_accepts_post(client, stripe_settings):
    assert client.get("/payments/webhook/").status_code == 405


def test_endpoint_record_follows_the_secret_in_the_environment(client, catalog, customer, user):
    first = services.webhook_endpoint()
    new_secret = "whsec_" + "RotatedSecretForTheEndpoint0"
    with override_settings(STRIPE_WEBHOOK_SECRET=new_secret):
        rotated = services.webhook_endpoint()
        payload = _paid_checkout(catalog, user)
        assert deliver(client, payload).status_code == 400  # Signed with the old secret.
        assert deliver(client, payload, secret=new_secret).status_code == 200

    assert rotated.pk == first.pk and rotated.secret == new_secret
