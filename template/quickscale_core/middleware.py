"""Middleware of the core app (listed in MIDDLEWARE in config/settings/base.py)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import patch_cache_control

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


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set; listed right after CSPMiddleware.

    - Permissions-Policy from settings.PERMISSIONS_POLICY (browser features the site never
      uses, such as camera or geolocation, are off for it and for anything it embeds), unless
      the view set its own.
    - Server error pages (500.html, 503.html) are rendered without a request, so their inline
      <style> cannot carry the CSP nonce: responses of 500 and above allow inline styles.
      They show no user content, and scripts stay as strict as everywhere else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", {})
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items()
            )
        if response.status_code >= 500:
            # Read by CSPMiddleware, which runs after this on the way out; like csp_replace.
            response._csp_replace = {
                **(getattr(response, "_csp_replace", None) or {}),
                "style-src": ["'self'", "'unsafe-inline'"],
            }
        return response


class PrivateCacheMiddleware:
    """`Cache-Control: private` on every response to a signed-in user, unless the view set its
    own Cache-Control: pages that show someone's account must never be stored by a shared
    cache (a CDN or corporate proxy) and served to someone else. Views showing secrets
    add `no-store` themselves (django.views.decorators.cache.never_cache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response or not _signed_in(request):
            return response
        patch_cache_control(response, private=True)
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return user.is_authenticated
    except DatabaseError:
        # The database is down (this response is a 503): the user cannot be loaded, and an
        # error page is private to nobody.
        return False


class RejectNulInPathMiddleware:
    """404 for a URL path holding a NUL character (`%00`): no page has such an address.

    No URL of the project means one, and PostgreSQL refuses NUL in text, so an id such
    as `/payments/receipt/%00/` would otherwise reach a query and answer 500 (with an
    email to ADMINS per request). Form fields already refuse NUL (Django's CharField);
    query-string values are validated by the views that read them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise Http404("The address contains a NUL character.")  # the themed 404 page
        return self.get_response(request)


class CurrentTeamMiddleware:
    """Sets request.team: the team a signed-in user acts in (None for visitors).

    A form or htmx request that says which team its page showed (the hidden `team_id` field of
    {% team_field %}, or the X-Team header every htmx and React request sends) is refused with
    409 when that is no longer the current team: the user switched teams in another tab, and
    the write must not land in the team they switched to. quickscale_core/teams.py.

    Requests with an `Authorization: Bearer` header are not guarded: an API key acts in its
    own team, whatever the session's (the api module sets request.team to it). Other schemes
    (`Basic`, from a password-protected staging site) come from browser tabs and are guarded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from . import teams

        request.team = teams.current_team(request)
        if (
            request.team is not None
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not _bearer(request)
        ):
            claimed = request.headers.get(teams.HEADER) or request.POST.get(teams.FORM_FIELD)
            if claimed and claimed != str(request.team.pk):
                return team_changed(request, claimed)
        return self.get_response(request)


def _bearer(request: HttpRequest) -> bool:
    scheme = request.headers.get("Authorization", "").split(" ", 1)[0]
    return scheme.lower() == "bearer"


def team_changed(request: HttpRequest, claimed: str) -> HttpResponse:
    from . import teams

    htmx = request.headers.get("HX-Request") == "true"
    label = teams.team_label().lower()
    still_member = claimed.isascii() and claimed.isdigit() and len(claimed) < 19
    still_member = still_member and teams.membership(request.user, int(claimed)) is not None
    if not still_member:
        detail = f"You are no longer a member of the {label} this page was for: nothing was saved."
    else:
        detail = (
            f"You switched to the {label} “{request.team.name}” in another tab since this page "
            "was loaded, so nothing was saved."
        )
    if not htmx:
        detail += " Reload the page to see where you are."
    if htmx:
        # htmx swaps no 4xx answer, so the user would see nothing: reload the page instead,
        # which now shows the current team, with the reason on top.
        messages.warning(request, detail)
        response = HttpResponse(status=409)
        response["HX-Refresh"] = "true"
        return response
    if request.accepts("application/json") and not request.accepts("text/html"):
        return JsonResponse({"status": 409, "code": "team_changed", "detail": detail}, status=409)
    html = loader.render_to_string(
        "quickscale_core/team_changed.html", {"detail": detail}, request=request
    )
    return HttpResponse(html, status=409)
