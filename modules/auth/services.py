"""The auth module's Python API: view decorators, security emails, deleting an account.

Other modules, themes and the project's own app call these functions instead of importing
allauth, so the module can change how accounts work inside without breaking its callers.
Reads (email addresses, second factors, sessions) are in selectors.py.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required as _reauthentication_required
from allauth.account.decorators import verified_email_required as _verified_email_required
from allauth.usersessions.models import UserSession
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

# The reads moved to selectors.py; code written against services.<name> keeps working.
from .selectors import (  # noqa: F401
    EmailAddressInfo,
    Provider,
    SessionInfo,
    active_sessions,
    available_providers,
    connected_providers,
    email_addresses,
    is_email_verified,
    login_by_code_enabled,
    mfa_enabled,
    primary_email,
    recovery_codes_left,
)

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
