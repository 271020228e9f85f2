"""The api module's reads: a user's API keys, and the key a request came with.

Writes (creating, revoking and checking keys) are in services.py.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F, QuerySet

from .models import ApiKey


def keys_for(user: AbstractBaseUser) -> QuerySet[ApiKey]:
    """The user's keys with their teams, newest first, revoked ones last."""
    return (
        ApiKey.objects.filter(user=user)
        .select_related("team")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
    )


def key_for(user: AbstractBaseUser, key_id: int) -> ApiKey | None:
    """One of the user's keys, revoked or not; None when the user has no key with that id."""
    return ApiKey.objects.filter(user=user, pk=key_id).first()


def key_of_request(request) -> ApiKey | None:
    """The API key a DRF request was authenticated with, or None (session or anonymous)."""
    return request.auth if isinstance(request.auth, ApiKey) else None
