import json

import pytest
from django.test import override_settings
from django.urls import reverse
from djstripe.models import Customer, Event, Session, WebhookEventTrigger

from quickscale_modules.payments import services

from .stripe_fake import WEBHOOK_SECRET, deliver, event, fixture, personal_team_id, sign

pytestmark = pytest.mark.django_db


def _paid_checkout(stripe_api, user):
    stripe_api.add(
        fixture("payment_intent", team=personal_team_id(user)),
        fixture("charge"),
        fixture("checkout_session_payment", team=personal_team_id(user)),
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
    assert session.customer.team_link.team_id == int(personal_team_id(user))
    assert session.payment_status == "paid"


def test_bad_signature_is_rejected_and_not_stored(client, catalog, customer, user):
    payload = _paid_checkout(catalog, user)

    response = deliver(client, payload, secret="whsec_" + "NotTheSecretStripeSigned0")

    assert response.status_code == 400
    # Anyone can POST here: what fails verification is logged, never written to the database.
    assert not WebhookEventTrigger.objects.exists()
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


def test_webhook_without_secret_says_so_in_the_log_not_to_the_caller(client, settings, caplog):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = client.post("/payments/webhook/", data="{}", content_type="application/json")

    assert response.status_code == 503
    assert b"STRIPE_WEBHOOK_SECRET" not in response.content, "anyone can POST here"
    assert "STRIPE_WEBHOOK_SECRET is not set" in caplog.text


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


ATTACKER_SECRET = "whsec_" + "ChosenByTheAttacker000000000"


def _forged_customer_deleted(customer):
    """A customer.deleted event signed with a secret of the sender's choosing, which also
    sends that secret in the X-Djstripe-Webhook-Secret header (honoured by dj-stripe in DEBUG).
    """
    body = json.dumps(event("customer.deleted", customer.stripe_data))
    headers = {
        "Stripe-Signature": sign(body, ATTACKER_SECRET),
        "X-Djstripe-Webhook-Secret": ATTACKER_SECRET,
    }
    return body, headers


def test_forged_event_with_debug_secret_header_is_rejected(client, catalog, customer, settings):
    settings.DEBUG = True
    body, headers = _forged_customer_deleted(customer)

    response = client.post(
        "/payments/webhook/", data=body, content_type="application/json", headers=headers
    )

    assert response.status_code == 400
    assert not Event.objects.exists()
    assert not WebhookEventTrigger.objects.exists()
    assert Customer.objects.get(id=customer.id).date_purged is None


def test_forged_event_is_rejected_on_djstripes_own_url_in_debug(
    client, catalog, customer, settings
):
    settings.DEBUG = True
    endpoint = services.webhook_endpoint()
    body, headers = _forged_customer_deleted(customer)

    response = client.post(
        reverse("djstripe:djstripe_webhook_by_uuid", kwargs={"uuid": endpoint.djstripe_uuid}),
        data=body,
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 400
    assert not Event.objects.exists()
    trigger = WebhookEventTrigger.objects.get()  # dj-stripe's view records every attempt.
    assert trigger.valid is False and trigger.processed is False
    assert "X-Djstripe-Webhook-Secret" not in trigger.headers
    assert Customer.objects.get(id=customer.id).date_purged is None


def test_debug_secret_header_does_not_replace_the_configured_secret(
    client, catalog, customer, user, settings
):
    # Signed by Stripe with the configured secret: processed, whatever the extra header says.
    settings.DEBUG = True
    payload = _paid_checkout(catalog, user)

    response = deliver(client, payload, headers={"X-Djstripe-Webhook-Secret": ATTACKER_SECRET})

    assert response.status_code == 200, response.content
    trigger = WebhookEventTrigger.objects.get()
    assert trigger.valid and trigger.processed
    assert "X-Djstripe-Webhook-Secret" not in trigger.headers


def test_oversized_body_is_refused_and_not_stored(client, stripe_settings, db):
    body = json.dumps({"id": "evt_junk", "livemode": False, "junk": "x" * (2 * 1024 * 1024)})

    response = client.post(
        "/payments/webhook/",
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": "t=1,v1=" + "0" * 64},
    )

    assert response.status_code == 413
    assert not WebhookEventTrigger.objects.exists()


def test_junk_with_a_signature_header_is_not_stored(client, stripe_settings, db):
    response = client.post(
        "/payments/webhook/",
        data="x" * (100 * 1024),
        content_type="application/json",
        headers={"Stripe-Signature": "t=1,v1=" + "0" * 64},
    )

    assert response.status_code == 400
    assert not WebhookEventTrigger.objects.exists()


@pytest.mark.parametrize("forwarded_for", ["not-an-ip", "fe80::1%eth0", "[", "1.2.3.4.5"])
def test_bad_forwarded_for_with_a_bad_signature_is_a_400(
    client, stripe_settings, db, forwarded_for
):
    response = client.post(
        "/payments/webhook/",
        data="{}",
        content_type="application/json",
        headers={"Stripe-Signature": "t=1,v1=" + "0" * 64, "X-Forwarded-For": forwarded_for},
    )

    assert response.status_code == 400
    assert not WebhookEventTrigger.objects.exists()


@pytest.mark.parametrize(
    ("forwarded_for", "recorded"),
    [
        ("not-an-ip", "127.0.0.1"),  # Unparseable: the connection's address instead.
        ("fe80::1%eth0", "127.0.0.1"),  # A link-local zone is no client address.
        ("203.0.113.9, 10.0.0.1", "203.0.113.9"),  # A real proxy chain: the client's.
    ],
)
def test_signed_event_records_a_valid_client_ip(
    client, catalog, customer, user, forwarded_for, recorded
):
    payload = _paid_checkout(catalog, user)

    response = deliver(client, payload, headers={"X-Forwarded-For": forwarded_for})

    assert response.status_code == 200, response.content
    assert WebhookEventTrigger.objects.get().remote_ip == recorded
