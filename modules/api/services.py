"""The api module's Python API: creating, revoking and checking API keys.

Views, themes and the project's own code call these functions rather than touching ApiKey rows,
so the guarantees hold everywhere: a key is shown once, only its hash is stored, and revoked or
expired keys never authenticate.

A key looks like `Ab3dE5gH.<43 random characters>`: the 8 characters before the dot are its
public prefix (stored in clear, shown in lists), the whole key is 256 bits of randomness after
the prefix. Such a key cannot be guessed, so a fast hash (SHA-256) protects it as well as a slow
password hash would, without slowing every API request down. Reads (a user's keys) are in
selectors.py.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from quickscale_core import extensions, teams
from quickscale_core.models import Membership, Team
from quickscale_modules.auth.services import send_security_notice

from . import selectors
from .models import ApiKey

# The reads moved to selectors.py; code written against services.<name> keeps working.
from .selectors import key_of_request, keys_for  # noqa: F401

PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_letters + string.digits
# last_used_at is written at most this often per key, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: `key` is the only time the full key is available."""

    api_key: ApiKey
    key: str


class InvalidApiKey(Exception):
    """The key does not authenticate. `code` says why: "invalid", "revoked", "expired", or
    "not_team_member" (its user is no longer a member of the key's team)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    user: AbstractBaseUser,
    name: str,
    expires_at: datetime | None = None,
    team: Team | None = None,
) -> NewApiKey:
    """Create a key for `user`, acting in `team` (default: their personal team). Give the
    returned `key` to the user now: it is not stored.

    Raises ValueError when `user` is not a member of `team`.
    """
    if team is None:
        team = teams.ensure_personal_team(user)
    elif teams.membership(user, team) is None:
        raise ValueError(f"{user} is not a member of the team {team}: no key for it.")
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        user=user,
        team=team,
        name=name,
        prefix=prefix,
        hashed_key=hash_key(key),
        expires_at=expires_at,
    )
    return NewApiKey(api_key=api_key, key=key)


def revoke_key(user: AbstractBaseUser, key_id: int) -> ApiKey | None:
    """Revoke one of the user's keys for good; None when the user has no key with that id."""
    api_key = selectors.key_for(user, key_id)
    if api_key is not None and api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


def revoke_all_keys(user: AbstractBaseUser) -> int:
    """Revoke every key of the user that is not revoked yet; returns how many were.

    Called when the user's password changes and when they sign out their other sessions
    (apps.py): a key created from a stolen session must not outlive the account's recovery.
    """
    return ApiKey.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def revoke_team_keys(user: AbstractBaseUser | int, team: Team | int) -> int:
    """Revoke every key of the user for `team` that is not revoked yet; returns how many were.

    Called when the user's membership of the team ends (apps.py): a key refused while its user
    is out of the team must not work again if they are invited back.
    """
    return ApiKey.objects.filter(user=user, team=team, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def notify_key_created(request: HttpRequest, api_key: ApiKey) -> None:
    """Email the key's owner that a key was created (name, prefix, expiry, where from, and how
    to revoke it), like the notice for a password change, and notify them in the app."""
    send_security_notice(
        request,
        api_key.user,
        "quickscale_api/email/api_key_created",
        {
            "api_key": api_key,
            "keys_url": request.build_absolute_uri(reverse("api_keys")),
        },
    )
    # In the app too, when the project has notifications (the email above is always sent).
    extensions.notify(
        api_key.user, "api_key_created", {"api_key": api_key, "url": reverse("api_keys")}
    )


def authenticate(key: str) -> ApiKey:
    """The active key matching `key`, with its user and its team; raises InvalidApiKey
    otherwise. `api_key.team.role` is the user's role in the team now: a key whose user has
    left the team, or was removed from it, no longer authenticates.

    Records the time of use (at most once a minute per key).
    """
    prefix, dot, secret = key.partition(".")
    if not dot or len(prefix) != PREFIX_LENGTH or not secret:
        raise InvalidApiKey("invalid", "Invalid API key.")
    # The user's role in the key's team comes with the key: one query per request.
    role = Membership.objects.filter(user=OuterRef("user"), team=OuterRef("team")).values("role")
    api_key = (
        ApiKey.objects.select_related("user", "team")
        .annotate(team_role=Subquery(role[:1]))
        .filter(prefix=prefix)
        .first()
    )
    # Compared in constant time, so response times say nothing about how much of a key matched.
    if api_key is None or not hmac.compare_digest(api_key.hashed_key, hash_key(key)):
        raise InvalidApiKey("invalid", "Invalid API key.")
    # Leaving the team also revokes the key (apps.py): while the user is out of the team, the
    # script's owner is told that reason rather than just "revoked".
    if api_key.team_role is None:
        raise InvalidApiKey(
            "not_team_member",
            f"This API key no longer works: its user is no longer a member of the "
            f"{teams.team_label().lower()} it was created for. Create a new key.",
        )
    if api_key.is_revoked:
        raise InvalidApiKey("revoked", "This API key has been revoked.")
    if api_key.is_expired:
        raise InvalidApiKey("expired", "This API key has expired.")
    if not api_key.user.is_active:
        raise InvalidApiKey("invalid", "Invalid API key.")
    api_key.team.role = api_key.team_role
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
