"""The provider's delivery webhook: a signed event is stored and a hard bounce suppresses the
address; a forged one is refused with 400, logged and stores nothing."""

import hashlib
import hmac
import json
import logging
import time

import pytest
from django.urls import reverse

from quickscale_modules.notifications.models import DeliveryEvent, Suppression

pytestmark = pytest.mark.django_db

SIGNING_KEY = "test-signing-key-0123456789"


@pytest.fixture(autouse=True)
def mailgun(settings):
    settings.EMAIL_PROVIDER = "mailgun"
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def mailgun_event(
    event: str,
    recipient: str,
    *,
    severity: str = "permanent",
    key: str = SIGNING_KEY,
    event_id: str = "",
    occurred: float | None = None,
) -> str:
    """A Mailgun tracking webhook body, signed with `key` as Mailgun signs it."""
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": {
                "event": event,
                "severity": severity,
                "recipient": recipient,
                "timestamp": time.time() if occurred is None else occurred,
                **({"id": event_id} if event_id else {}),
                "message": {"headers": {"message-id": "20260101.abc@mg.example.com"}},
                "delivery-status": {"description": "No such mailbox", "message": "550 5.1.1"},
            },
        }
    )


def post(client, body: str, provider: str = "mailgun"):
    url = reverse("notifications_webhooks:tracking", args=[provider])
    return client.post(url, body, content_type="application/json")


def test_a_signed_hard_bounce_is_recorded_and_suppresses_the_address(client, ada):
    response = post(client, mailgun_event("failed", "Ada@Example.com"))

    assert response.status_code == 200
    event = DeliveryEvent.objects.get()
    assert (event.provider, event.event_type, event.recipient) == (
        "Mailgun",
        "bounced",
        "ada@example.com",
    )
    assert event.description == "No such mailbox"
    assert Suppression.objects.get().reason == "bounced"


def test_a_complaint_suppresses_and_a_soft_bounce_does_not(client):
    post(client, mailgun_event("failed", "soft@example.com", severity="temporary"))
    post(client, mailgun_event("complained", "angry@example.com"))
    post(client, mailgun_event("delivered", "fine@example.com"))

    assert list(Suppression.objects.values_list("address", "reason")) == [
        ("angry@example.com", "complained")
    ]
    assert list(DeliveryEvent.objects.values_list("event_type", flat=True)) == ["complained"]


def test_a_forged_event_is_refused_logged_and_ignored(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = post(client, mailgun_event("failed", "victim@example.com", key="guessed-key"))

    assert response.status_code == 400
    assert "incorrect signature" in caplog.text
    assert not DeliveryEvent.objects.exists() and not Suppression.objects.exists()


@pytest.mark.parametrize("body", ["", "{", "[]", json.dumps({"signature": {}})])
def test_malformed_bodies_are_refused(client, body):
    assert post(client, body).status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_only_the_configured_provider_has_a_webhook(client, settings):
    assert post(client, "{}", provider="postmark").status_code == 404
    assert post(client, "{}", provider="no_such_provider").status_code == 404
    settings.EMAIL_PROVIDER = ""
    assert post(client, mailgun_event("failed", "a@example.com")).status_code == 404


def test_a_provider_whose_webhook_cannot_be_verified_has_none(client, settings):
    # Postmark signs nothing: only the basic-auth secret tells its calls from a forger's.
    settings.EMAIL_PROVIDER = "postmark"
    settings.ANYMAIL = {}
    forged = {"RecordType": "Bounce", "Type": "HardBounce", "Email": "ada@example.com"}

    response = post(client, json.dumps(forged), provider="postmark")

    assert response.status_code == 404
    assert not Suppression.objects.exists()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match="ANYMAIL_WEBHOOK_SECRET"):
        call_command("check", deploy=True, fail_level="WARNING")


def test_mailgun_without_its_signing_key_has_no_webhook(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "user:pass"}

    assert post(client, mailgun_event("failed", "a@example.com")).status_code == 404


def test_a_deeply_nested_body_is_refused_not_a_500(client):
    assert post(client, "[" * 100_000 + "]" * 100_000).status_code == 400


def test_a_replayed_bounce_does_not_suppress_an_address_its_owner_cleared(client, ada):
    body = mailgun_event("failed", ada.email, event_id="evt-1")
    assert post(client, body).status_code == 200
    Suppression.objects.all().delete()  # Ada clicked "Try this address again".

    assert post(client, body).status_code == 200

    assert not Suppression.objects.exists()
    assert DeliveryEvent.objects.count() == 1


def test_an_old_bounce_is_recorded_but_suppresses_nothing(client, ada):
    ten_days_ago = time.time() - 10 * 86400

    assert (
        post(client, mailgun_event("failed", ada.email, occurred=ten_days_ago)).status_code == 200
    )

    assert DeliveryEvent.objects.count() == 1
    assert not Suppression.objects.exists()
