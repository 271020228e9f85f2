"""Email through django-anymail: sent by the provider's backend (anymail's test backend here),
retried when the provider fails, never sent to a suppressed address."""

import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django_tasks import default_task_backend

from quickscale_core import emails, extensions
from quickscale_core.background import ATTEMPT_KWARG
from quickscale_modules.notifications.models import Suppression

pytestmark = pytest.mark.django_db

ANYMAIL_TEST = "anymail.backends.test.EmailBackend"
DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_email_goes_through_the_anymail_backend(ada, settings):
    settings.EMAIL_BACKEND = ANYMAIL_TEST

    extensions.notify(ada, "report_ready", {"report": "Q3"})

    [email] = mail.outbox
    assert email.anymail_test_params["subject"] == "Your report Q3 is ready"
    assert email.anymail_status.status == {"sent"}


def test_a_provider_failure_is_retried_later(ada, settings, monkeypatch):
    settings.EMAIL_BACKEND = ANYMAIL_TEST
    settings.TASKS = DEFERRING
    default_task_backend.clear()

    def provider_down(self, payload, message):
        raise AnymailAPIError("provider unavailable")

    monkeypatch.setattr("anymail.backends.test.EmailBackend.post_to_esp", provider_down)

    extensions.notify(ada, "report_ready", {"report": "Q3"})
    [queued] = default_task_backend.results
    with pytest.raises(AnymailAPIError):
        queued.task.call(*queued.args, **queued.kwargs)

    # The same delivery is queued again, deferred, as attempt 2.
    first, retry = default_task_backend.results
    assert retry.task.name == emails.deliver.name
    assert retry.args == first.args and retry.kwargs == {ATTEMPT_KWARG: 2}
    assert retry.task.run_after is not None


def test_a_suppressed_address_is_not_mailed(ada, settings):
    settings.EMAIL_BACKEND = ANYMAIL_TEST
    Suppression.objects.create(address="ada@example.com", reason="bounced")

    extensions.notify(ada, "report_ready", {"report": "Q3"})

    assert mail.outbox == []
    assert emails.suppressed(["ADA@Example.com", "bob@example.com"]) == {"ada@example.com"}


def test_an_unknown_provider_fails_the_system_check(settings):
    from quickscale_modules.notifications.checks import email_provider_exists

    settings.EMAIL_PROVIDER = "no_such_provider"
    assert [e.id for e in email_provider_exists(None)] == ["quickscale_notifications.E001"]
    settings.EMAIL_PROVIDER = "mailgun"
    assert email_provider_exists(None) == []
