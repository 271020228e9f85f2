"""The one sending service (quickscale_core/emails.py)."""

import sys

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from quickscale_core import emails


@pytest.mark.django_db
def test_a_message_is_delivered_with_its_html_part():
    message = EmailMultiAlternatives("Hi", "Plain", None, ["ada@example.com"], cc=["c@example.com"])
    message.attach_alternative("<p>Rich</p>", "text/html")

    emails.send(message)

    [sent] = mail.outbox
    assert sent.subject == "Hi"
    assert sent.to == ["ada@example.com"]
    assert sent.cc == ["c@example.com"]
    assert sent.alternatives[0][0] == "<p>Rich</p>"


@pytest.mark.django_db
def test_an_email_sent_in_a_rolled_back_transaction_is_never_delivered(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        emails.send(EmailMultiAlternatives("Hi", "Plain", None, ["ada@example.com"]))
        raise RuntimeError("rolled back")

    assert mail.outbox == []


def test_as_data_is_json_and_keeps_every_recipient_list():
    message = EmailMultiAlternatives(
        "Hi", "Plain", "from@example.com", ["to@example.com"], bcc=["b@example.com"],
        reply_to=["r@example.com"], headers={"X-Kind": "invite"},
    )  # fmt: skip

    data = emails.as_data(message)

    assert data["from_email"] == "from@example.com"
    assert data["bcc"] == ["b@example.com"]
    assert data["reply_to"] == ["r@example.com"]
    assert data["headers"] == {"X-Kind": "invite"}
    assert data["html"] is None


@pytest.mark.django_db
def test_addresses_a_module_suppresses_are_left_out(monkeypatch):
    monkeypatch.setattr(emails.extensions, "provider", lambda feature: __name__)
    message = EmailMultiAlternatives("Hi", "Plain", None, ["Bounced@example.com", "ok@example.com"])

    emails.send(message)

    assert mail.outbox[0].to == ["ok@example.com"]


@pytest.mark.django_db
def test_nothing_is_sent_when_every_recipient_is_suppressed(monkeypatch):
    monkeypatch.setattr(emails.extensions, "provider", lambda feature: __name__)

    emails.send(EmailMultiAlternatives("Hi", "Plain", None, ["bounced@example.com"]))

    assert mail.outbox == []


def suppressed(addresses):
    """Stands in for a module that `provides: email_suppression` (see the tests above)."""
    return [a for a in addresses if a.lower() == "bounced@example.com"]


@pytest.mark.django_db
def test_a_provider_failure_raises_in_the_task_so_a_queue_retries_it(settings):
    settings.EMAIL_BACKEND = "quickscale_core.tests.test_emails.FailingBackend"

    message = EmailMultiAlternatives("Hi", "x", None, ["a@example.com"])

    result = emails.deliver.enqueue(emails.as_data(message))

    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "smtplib.SMTPServerDisconnected"


class FailingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("provider down")


@pytest.mark.django_db
def test_a_message_no_retry_can_fix_is_dropped_with_a_log_line_not_retried(caplog):
    message = EmailMultiAlternatives("Hi\nBcc: victim@example.com", "x", None, ["a@example.com"])

    result = emails.deliver.enqueue(emails.as_data(message))

    assert result.status == "SUCCESSFUL"
    assert result.return_value == 0
    assert mail.outbox == []
    assert "not retried" in caplog.text


@pytest.mark.django_db
def test_a_suppression_provider_answering_oddly_suppresses_nothing(monkeypatch):
    monkeypatch.setattr(emails.extensions, "provider", lambda feature: __name__)
    monkeypatch.setattr(sys.modules[__name__], "suppressed", lambda addresses: [None, 3])

    emails.send(EmailMultiAlternatives("Hi", "Plain", None, ["ok@example.com"]))

    assert mail.outbox[0].to == ["ok@example.com"]
