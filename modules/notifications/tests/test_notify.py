"""extensions.notify: the channels each user chose, the kinds' defaults, security notices, and
what happens without a notifications provider."""

import pytest
from django.core import mail

from quickscale_core import extensions
from quickscale_modules.notifications import selectors, services
from quickscale_modules.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_kind_reaches_the_app_and_the_inbox_by_default(ada):
    extensions.notify(ada, "report_ready", {"report": "Q3", "url": "/reports/3/"})

    notification = Notification.objects.get(user=ada)
    assert notification.title == "Your report Q3 is ready"
    assert notification.url == "/reports/3/" and notification.read_at is None
    [email] = mail.outbox
    assert email.to == ["ada@example.com"] and email.subject == "Your report Q3 is ready"
    assert "the report Q3 is ready" in email.body
    assert selectors.unread_count(ada) == 1


@pytest.mark.parametrize(
    ("choice", "in_app", "emailed"),
    [
        ({"email": False}, 1, 0),
        ({"in_app": False}, 0, 1),
        ({"email": False, "in_app": False}, 0, 0),
    ],
)
def test_preferences_are_honoured(ada, bob, choice, in_app, emailed):
    services.set_preferences(ada, {"report_ready": choice})

    extensions.notify(ada, "report_ready", {"report": "Q3"})
    extensions.notify(bob, "report_ready", {"report": "Q3"})

    assert Notification.objects.filter(user=ada).count() == in_app
    assert sum(email.to == ["ada@example.com"] for email in mail.outbox) == emailed
    # Another user's choices are their own.
    assert Notification.objects.filter(user=bob).count() == 1


def test_a_security_notice_is_never_emailed_twice_nor_turned_off(ada):
    services.set_preferences(ada, {"new_sign_in": {"email": False, "in_app": True}})

    extensions.notify(ada, "new_sign_in", {})

    # Its module sends the email itself; notify adds the in-app notification only.
    assert mail.outbox == []
    assert Notification.objects.get(user=ada).title == "New sign-in to your account"
    [row] = [row for row in selectors.channels_for(ada) if row.kind == "new_sign_in"]
    assert row.email and row.email_locked


def test_unknown_kinds_and_unknown_preferences_are_refused_or_ignored(ada):
    with pytest.raises(ValueError, match="declare it"):
        extensions.notify(ada, "no_such_kind", {})
    services.set_preferences(ada, {"no_such_kind": {"email": False}})
    assert {row.kind for row in selectors.channels_for(ada)} >= {"report_ready", "new_sign_in"}


def test_without_the_notifications_provider_default_emails_are_still_sent(ada, monkeypatch):
    real = extensions.provider
    monkeypatch.setattr(
        extensions,
        "provider",
        lambda feature: None if feature == "notifications" else real(feature),
    )

    extensions.notify(ada, "report_ready", {"report": "Q3"})
    extensions.notify(ada, "new_sign_in", {})

    assert [email.subject for email in mail.outbox] == ["Your report Q3 is ready"]
    assert not Notification.objects.exists()


def test_declared_kinds_have_their_templates():
    # Every kind the installed modules declare renders its in-app title.
    from django.template.loader import get_template

    for item in extensions.notification_kinds().values():
        get_template(f"{item['templates']}_subject.txt")
