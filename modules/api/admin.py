from django.contrib import admin, messages
from django.utils import timezone

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created by their owners (the API keys page); staff can see and revoke them.

    Revoking is for good, so the revocation and expiry dates are read-only here: staff revoke
    with the "Revoke selected keys" action and can neither un-revoke a key nor extend it.
    """

    list_display = [
        "name",
        "prefix",
        "user",
        "team",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["user", "team"]
    list_filter = ["created_at", "revoked_at"]
    search_fields = ["name", "prefix", "user__email", "team__name"]
    fields = [
        "user",
        "team",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = [
        "user",
        "team",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke_keys"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request, queryset) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} key(s) revoked.", messages.SUCCESS)
