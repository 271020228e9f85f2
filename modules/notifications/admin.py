from django.contrib import admin

from .models import DeliveryEvent, Notification, Preference, Suppression


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__email"]
    raw_id_fields = ["user"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "in_app"]
    raw_id_fields = ["user"]


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    list_display = ["recipient", "event_type", "provider", "occurred_at", "received_at"]
    list_filter = ["event_type", "provider"]
    search_fields = ["recipient", "message_id"]


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Delete a row to mail the address again (its owner can do so from their account too)."""

    list_display = ["address", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["address"]
