from django.contrib import admin

from .models import SeatSync


@admin.register(SeatSync)
class SeatSyncAdmin(admin.ModelAdmin):
    """Where seat counts of plans billed per seat stand in Stripe (read only)."""

    list_display = ("team", "quantity", "pending", "attempts", "retry_at", "short_error")
    list_filter = ("attempts",)
    search_fields = ("team__name",)
    list_select_related = ("team",)
    readonly_fields = [f.name for f in SeatSync._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # A deleted row would drop a pending retry.

    @admin.display(boolean=True, description="Waiting for Stripe")
    def pending(self, obj: SeatSync) -> bool:
        return obj.pending

    @admin.display(description="Last error")
    def short_error(self, obj: SeatSync) -> str:
        return obj.last_error[:80]
