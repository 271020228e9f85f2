"""In-app notifications, each user's channel choices per kind, and what the email provider
reported about deliveries (bounces, complaints) with the addresses no longer mailed."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One thing a user was told in the app; `read_at` is empty until they read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The bell asks "how many unread for this user" on every poll.
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A user's channels for one kind; without a row the kind's declared defaults apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=64)
    email = models.BooleanField()
    in_app = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.kind}"


class DeliveryEvent(models.Model):
    """A bounce, complaint or rejection the provider reported through its signed webhook."""

    provider = models.CharField(max_length=32)
    event_type = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255, blank=True)
    recipient = models.EmailField(max_length=254, db_index=True)
    message_id = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type}: {self.recipient}"


class Suppression(models.Model):
    """An address not to mail any more: it hard-bounced, or its owner marked mail as spam."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "The address bounced"
        COMPLAINED = "complained", "Marked as spam"

    address = models.EmailField(max_length=254, unique=True)  # stored in lower case
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.address
