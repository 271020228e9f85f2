"""The auth module's reads: email addresses, second factors, social logins, sessions.

Views, other modules and your own code call these instead of querying allauth's models, so the
module can change how accounts are stored without breaking its callers. Writes (deleting an
account, security emails) are in services.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.adapter import get_adapter as get_socialaccount_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest


@dataclass(frozen=True)
class EmailAddressInfo:
    email: str
    verified: bool
    primary: bool


@dataclass(frozen=True)
class Provider:
    id: str
    name: str


@dataclass(frozen=True)
class SessionInfo:
    created_at: datetime
    ip: str
    user_agent: str
    is_current: bool


def primary_email(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The address emails to this user go to, or None for an anonymous user."""
    if not user.is_authenticated:
        return None
    return EmailAddress.objects.get_primary_email(user)


def is_email_verified(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the user has proved they own their login email (by the link or code we sent)."""
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def email_addresses(user: AbstractBaseUser) -> list[EmailAddressInfo]:
    """The user's addresses, primary first: during an email change, the new one is unverified."""
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return [EmailAddressInfo(a.email, a.verified, a.primary) for a in addresses]


def mfa_enabled(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether logging in as this user asks for a second factor (authenticator app code)."""
    if not user.is_authenticated:
        return False
    return is_mfa_enabled(user)


def recovery_codes_left(user: AbstractBaseUser) -> int | None:
    """Unused two-factor recovery codes, or None when the user has none set up."""
    authenticator = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    if authenticator is None:
        return None
    return len(authenticator.wrap().get_unused_codes())


def login_by_code_enabled() -> bool:
    """Whether the login page offers to email a one-time sign-in code (AUTH_LOGIN_BY_CODE)."""
    return bool(getattr(settings, "ACCOUNT_LOGIN_BY_CODE_ENABLED", False))


def available_providers(request: HttpRequest) -> list[Provider]:
    """Social login providers configured for this site (those with a client ID), by name."""
    providers = get_socialaccount_adapter().list_providers(request)
    return sorted((Provider(p.id, p.name) for p in providers), key=lambda p: p.name)


def connected_providers(user: AbstractBaseUser) -> list[str]:
    """IDs of the social providers ("google", "github") the user can log in with."""
    accounts = SocialAccount.objects.filter(user=user).order_by("provider")
    return list(dict.fromkeys(a.provider for a in accounts))


def active_sessions(request: HttpRequest) -> list[SessionInfo]:
    """The signed-in user's live sessions (browsers where they are logged in), oldest first.

    allauth's listing drops the records of sessions that have expired on the way: housekeeping,
    not a change anyone sees, so this stays a read.
    """
    sessions = UserSession.objects.purge_and_list(request.user)
    current = request.session.session_key
    return [
        SessionInfo(s.created_at, s.ip, s.user_agent, s.session_key == current)
        for s in sorted(sessions, key=lambda s: s.created_at)
    ]
