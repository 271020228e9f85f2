"""Delivery events from the email provider: anymail verifies the webhook's signature (or basic
auth) before it sends the tracking signal, so every event here is genuine."""

from anymail.signals import tracking
from django.dispatch import receiver

from . import services


@receiver(tracking, dispatch_uid="notifications_delivery_events")
def delivery_event(sender, event, esp_name, **kwargs):
    services.record_delivery_event(event, esp_name)
