"""Logging filters used by LOGGING in config/settings/base.py."""

import logging


class SkipServiceUnavailable(logging.Filter):
    """Drops "503 Service Unavailable" request records (used on the ADMINS email handler).

    A 503 says a dependency is down, not that the code is wrong; while the database is
    unreachable every request and every load-balancer probe of /healthz/ is one, and
    mailing each would flood the admins. They are still logged to the console.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503
