"""The auth module's Python API.

Other modules, themes and the project's own app call these functions instead of importing
allauth, so the module can change how accounts work inside without breaking its callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required as _reauthentication_required
from allauth.account.decorators import verified_email_required as _verified_email_required
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.adapter import get_adapter as get_socialaccount_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest

# View decorator: like login_required, and users whose email is not verified get a new
# verification email and a page saying so instead of the view.
verified_email_required = _verified_email_required


def reauthentication_required(view=None, *, allow_get: bool = True):
    """View decorator for sensitive actions: the user must have confirmed their password (or
    second factor) in the last few minutes (ACCOUNT_REAUTHENTICATION_TIMEOUT, 5 by default).

    Otherwise they are sent to the confirmation page, and the request they made (a POST
    included) is replayed once they have confirmed. Always on, whatever
    ACCOUNT_REAUTHENTICATION_REQUIRED says. GET requests pass unless `allow_get` is False.
    Put it under `login_required`. Users who have no password (Google or GitHub login only)
    and no second factor are let through: allauth cannot ask them for anything.
    """
    decorator = _reauthentication_required(allow_get=allow_get)
    return decorator(view) if view is not None else decorator


def send_security_notice(
    request: HttpRequest, user: AbstractBaseUser, template_prefix: str, context: dict | None = None
) -> None:
    """Email `user` that something sensitive just happened to their account, like the notices
    for a password or email change: `<template_prefix>_subject.txt`, `_message.txt` and
    `_message.html`, which usually extend "account/email/base_notification.*" (the time, IP
    address and browser of the request are added to the context). Sent to the user's primary
    address, unless ACCOUNT_EMAIL_NOTIFICATIONS is off.
    """
    get_account_adapter(request).send_notification_mail(template_prefix, user, context or {})


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
    """The signed-in user's live sessions (browsers where they are logged in), oldest first."""
    sessions = UserSession.objects.purge_and_list(request.user)
    current = request.session.session_key
    return [
        SessionInfo(s.created_at, s.ip, s.user_agent, s.session_key == current)
        for s in sorted(sessions, key=lambda s: s.created_at)
    ]


@transaction.atomic
def delete_account(user: AbstractBaseUser) -> None:
    """Delete the user and everything that belongs to them, and sign out all their sessions.

    Rows that reference the user with on_delete=CASCADE go with it: email addresses and
    confirmations, two-factor authenticators, social accounts and tokens, session records,
    admin log entries, and any model of yours or of another module declared that way. A
    module that keeps data elsewhere (a payment provider, file storage) cleans it up in a
    `pre_delete` receiver for the user model, which runs inside this transaction.
    """
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.delete()
