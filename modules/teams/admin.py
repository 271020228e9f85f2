from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "team", "role", "status", "inviter", "created_at", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("email", "team__name")
    list_select_related = ("team", "inviter")
    readonly_fields = ("token_digest", "created_at", "accepted_at", "accepted_by")
    raw_id_fields = ("team", "inviter")
