"""Seat counts follow membership changes (seats.py), whoever makes them: the teams module's
pages, the admin, a deleted user, your own code. A failed invoice payment is told to the
team's billing managers (notices.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from djstripe.event_handlers import djstripe_receiver

from quickscale_core.models import Membership

from . import notices, seats


@receiver(post_save, sender=Membership, dispatch_uid="billing_seats_on_join")
def member_joined(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seats.note_change(instance.team_id)


@receiver(post_delete, sender=Membership, dispatch_uid="billing_seats_on_leave")
def member_left(sender, instance, **kwargs):
    seats.note_change(instance.team_id)


@djstripe_receiver(["customer.subscription.created", "customer.subscription.updated"])
def subscription_changed(sender, event, **kwargs):
    customer = (event.data.get("object") or {}).get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    if customer:
        seats.check_subscription(customer)


@djstripe_receiver("invoice.payment_failed")
def payment_failed(sender, event, **kwargs):
    notices.payment_failed(event.data.get("object") or {})
