"""A failed invoice payment is told to the paying team's billing managers (notices.py), through
quickscale_core.extensions.notify: emailed in every project, in the app with notifications."""

import pytest
from django.core import mail
from djstripe import signals as djstripe_signals

from quickscale_core import teams
from quickscale_core.models import Membership
from quickscale_modules.billing import notices
from quickscale_modules.payments.tests.stripe_fake import add_customer

pytestmark = pytest.mark.django_db


def test_the_billing_managers_of_the_paying_team_are_told(catalog, user, django_user_model):
    acme = teams.create_team(user, "Acme")
    customer = add_customer(catalog, acme)
    admin = django_user_model.objects.create_user(email="admin@example.com")
    viewer = django_user_model.objects.create_user(email="viewer@example.com")
    Membership.objects.create(team=acme, user=admin, role="admin")
    Membership.objects.create(team=acme, user=viewer, role="member")

    told = notices.payment_failed({"customer": customer.id, "amount_due": 2900, "currency": "usd"})

    assert told == 2
    told_to = sorted(address for email in mail.outbox for address in email.to)
    assert told_to == ["admin@example.com", "member@example.com"]
    assert "A payment for Acme failed" in mail.outbox[0].subject
    assert "29 USD" in mail.outbox[0].body and "/billing/" in mail.outbox[0].body


def test_a_customer_of_no_team_tells_nobody():
    assert notices.payment_failed({"customer": "cus_Unknown00000001"}) == 0
    assert notices.payment_failed({}) == 0
    assert mail.outbox == []


def test_stripes_payment_failed_event_reaches_the_notice():
    receivers = djstripe_signals.WEBHOOK_SIGNALS["invoice.payment_failed"].receivers
    assert receivers, "billing/signals.py connects invoice.payment_failed"
