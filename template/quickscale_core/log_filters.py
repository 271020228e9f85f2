"""Logging filters used by LOGGING in config/settings/base.py."""

import logging
import re


class SkipServiceUnavailable(logging.Filter):
    """Drops "503 Service Unavailable" request records (used on the ADMINS email handler).

    A 503 says a dependency is down, not that the code is wrong; while the database is
    unreachable every request and every load-balancer probe of /healthz/ is one, and
    mailing each would flood the admins. They are still logged to the console.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503


# Paths whose last part is a secret: allauth's and Django's password reset links, allauth's
# email confirmation links and team invitation links. Whoever reads the log could otherwise
# reset the password or join the team.
SECRET_PATH = re.compile(
    r"(?P<prefix>/password/reset/key/|/reset/[^/\s\"']+/|/confirm-email/|/invitations/)"
    r"(?P<secret>[^/?#\s\"']+)"
)
# What those views redirect to once the key is in the session: no secret in it.
NOT_SECRET = ("set-password", "done")
REDACTED = "[redacted]"


def redact_secret_paths(text: str) -> str:
    def replace(match: re.Match) -> str:
        if match["secret"].endswith(NOT_SECRET):
            return match[0]
        return match["prefix"] + REDACTED

    return SECRET_PATH.sub(replace, text)


class RedactSecretPaths(logging.Filter):
    """Replaces the key in password reset and email confirmation paths with "[redacted]".

    Used on the console handlers in LOGGING (runserver's "GET /accounts/password/reset/key/..."
    lines, "Not Found: <path>" warnings) and on gunicorn's access log (quickscale_core/apps.py).
    It rewrites the record's message and arguments, plain or a mapping like gunicorn's.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_secret_paths(record.msg)
        if isinstance(record.args, dict):
            # In place: gunicorn's mapping is a dict subclass that answers "-" for missing keys.
            for key, value in record.args.items():
                record.args[key] = _redact(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact(value) for value in record.args)
        return True


def _redact(value: object) -> object:
    return redact_secret_paths(value) if isinstance(value, str) else value
