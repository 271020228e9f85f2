from django.contrib import admin

from .models import SeatSync


@admin.register(SeatSync)
class SeatSyncAdmin(admin.ModelAdmin):
    """Where seat counts of plans billed per seat stand in Stripe (read only)."""

    list_display = ("team", "quantity", "version", "synced_version", "attempts", "retry_at")
    list_filter = ("attempts",)
    search_fields = ("team__name",)
    list_select_related = ("team",)
    readonly_fields = [f.name for f in SeatSync._meta.fields]

    def has_add_permission(self, request):
        return False
