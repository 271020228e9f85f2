from django.contrib import admin

from .models import CustomerPurge, TeamCustomer


@admin.register(TeamCustomer)
class TeamCustomerAdmin(admin.ModelAdmin):
    """Which team each Stripe customer bills (read only: made by checkouts and webhooks)."""

    list_display = ("customer", "team", "livemode", "created_at")
    list_filter = ("livemode",)
    search_fields = ("team__name", "customer__id")
    list_select_related = ("team", "customer")
    readonly_fields = ("team", "customer", "livemode", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(CustomerPurge)
class CustomerPurgeAdmin(admin.ModelAdmin):
    """Customers of deleted teams still to delete in Stripe (their subscriptions still run)."""

    list_display = ("customer", "team_name", "attempts", "retry_at", "short_error")
    search_fields = ("team_name", "customer__id")
    readonly_fields = [f.name for f in CustomerPurge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # A deleted row would leave the subscription running unnoticed.

    @admin.display(description="Last error")
    def short_error(self, obj: CustomerPurge) -> str:
        return obj.last_error[:80]
