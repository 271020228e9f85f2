"""Middleware of the core app (listed in MIDDLEWARE in config/settings/base.py)."""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answers 503 (with Retry-After) instead of 500 while the database is unreachable.

    During an outage every request fails; as 500s they would each be mailed to ADMINS and
    tell clients the code is broken. An OperationalError or InterfaceError only counts as
    an outage if a fresh connection fails too; anything else stays a 500. With DEBUG on,
    Django's debug page is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if settings.DEBUG or not isinstance(exception, OperationalError | InterfaceError):
            return None
        if database_answers():
            return None
        logger.error("Database unreachable while serving %s: %s", request.path, exception)
        if request.accepts("application/json") and not request.accepts("text/html"):
            response = JsonResponse(
                {
                    "status": 503,
                    "code": "service_unavailable",
                    "detail": "The service is briefly unavailable. Retry later.",
                },
                status=503,
            )
        else:
            # Like 500.html, 503.html is rendered without context: nothing else may work.
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def database_answers() -> bool:
    """Whether a new connection to the default database can run a query.

    A separate connection: the request's own may be broken (Django discards it when the
    request ends) or inside a transaction that must not be closed under its feet.
    """
    probe = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    finally:
        probe.close()
    return True
