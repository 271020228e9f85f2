"""The notifications pages: the list, the bell's unread count (polled by htmx), mark read,
preferences, and "my address works again". Thin views: reads in selectors.py, writes in
services.py. Every write is a POST with Django's CSRF check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services

BELL_TEMPLATE = "quickscale_notifications/partials/bell.html"


def _unread_only(request: HttpRequest) -> bool:
    return request.GET.get("show") == "unread"


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, paginated; ?show=unread for the unread ones."""
    unread_only = _unread_only(request)
    page = selectors.notifications_page(
        request.user, request.GET.get("page"), unread_only=unread_only
    )
    context = {
        "page_obj": page,
        "unread_only": unread_only,
        **selectors.bell_context(request),
    }
    return render(request, "quickscale_notifications/list.html", context)


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell with its unread count, for the header's htmx polling. A signed-out tab gets 204
    (htmx swaps nothing) instead of a redirect to the login page inside the header."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    response = render(request, BELL_TEMPLATE, selectors.bell_context(request))
    response["Cache-Control"] = "no-store"
    return response


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, then go to its link (`open`) or back to the list."""
    if not services.mark_read(request.user, pk):
        messages.error(request, "That notification does not exist any more.")
        return redirect("notifications:list")
    notification = selectors.notifications_of(request.user).get(pk=pk)
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url or "notifications:list")
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return _back(request)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Email and in-app on or off, per kind; a security notice's email cannot be turned off."""
    rows = selectors.channels_for(request.user)
    if request.method == "POST":
        services.set_preferences(
            request.user,
            {
                row.kind: {
                    "email": f"{row.kind}:email" in request.POST,
                    "in_app": f"{row.kind}:in_app" in request.POST,
                }
                for row in rows
            },
        )
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    return render(request, "quickscale_notifications/preferences.html", {"rows": rows})


@login_required
@require_POST
def retry_address(request: HttpRequest) -> HttpResponse:
    """The user says their address receives mail again: stop suppressing it."""
    if services.retry_address(request.user):
        messages.success(request, f"We will email {request.user.email} again.")
    return _back(request)
