from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import View
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from quickscale_core.teams import team_label, teams_of
from quickscale_modules.auth.services import reauthentication_required

from . import selectors, services
from .forms import ApiKeyForm

# Where a new key waits between the POST that creates it and the page that shows it.
NEW_KEY_SESSION_KEY = "quickscale_api_new_key"


@never_cache  # The page that shows a new key holds it: no cache may keep it.
@require_http_methods(["GET", "POST"])
@login_required
# A key outlives the session it was created from: creating one asks for the password (or second
# factor) again unless it was confirmed in the last minutes, so a stolen session cannot mint a
# lasting credential. The POST is replayed once the user has confirmed.
@reauthentication_required(allow_get=True)
def api_keys(request: HttpRequest) -> HttpResponse:
    """The user's keys, and a form to create one in one of their teams (the current one unless
    they choose another).

    A created key is shown once, on the page the POST redirects to (so reloading that page
    cannot create a second key); until then it waits in the server-side session, which
    the next GET empties. Its owner is emailed that a key was created.
    """
    user_teams = teams_of(request.user)
    form = ApiKeyForm(request.POST or None, teams=user_teams, current_team=request.team)
    if request.method == "POST" and form.is_valid():
        created = services.create_key(
            request.user,
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
            team=form.cleaned_data["team"],
        )
        request.session[NEW_KEY_SESSION_KEY] = {"id": created.api_key.pk, "key": created.key}
        services.notify_key_created(request, created.api_key)
        return redirect_see_other("api_keys")
    new_key = None
    pending = request.session.pop(NEW_KEY_SESSION_KEY, None) if request.method == "GET" else None
    if pending:
        api_key = selectors.key_for(request.user, pending["id"])
        if api_key is not None:
            new_key = services.NewApiKey(api_key=api_key, key=pending["key"])
    keys = list(selectors.keys_for(request.user))
    member_of = {team.pk for team in user_teams}
    for key in keys:
        # A key of a team the user has left is refused and revoked (apps.py): say why.
        key.team_left = key.team_id not in member_of
    context = {
        "form": form,
        "keys": keys,
        "new_key": new_key,
        # With one team (a project without team pages), the team is not worth mentioning.
        "show_teams": len(user_teams) > 1 or any(key.team_left for key in keys),
        "team_label": team_label(),
    }
    return render(request, "quickscale_api/keys.html", context, status=400 if form.errors else 200)


def redirect_see_other(to: str) -> HttpResponse:
    response = redirect(to)
    response.status_code = 303  # "see the result with a GET", whatever the browser did
    return response


@require_POST
@login_required
def revoke_api_key(request: HttpRequest, key_id: int) -> HttpResponse:
    api_key = services.revoke_key(request.user, key_id)
    if api_key is None:
        raise Http404("No such API key.")
    messages.success(request, f"The key “{api_key.name}” is revoked: it no longer works.")
    return redirect("api_keys")


# The docs pages (urls.py).


class _PlainOptions:
    """OPTIONS answers 200 with the Allow header and no body, as Django's own views do.

    DRF answers OPTIONS with the endpoint's metadata, rendered like its GET: for these HTML
    pages that fed the metadata to the page's template, which then had no script to include
    and failed (500, an email to ADMINS per request, a visitor's included).
    """

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)


class ApiDocsView(_PlainOptions, SpectacularSwaggerSplitView):
    """Swagger UI (/api/v1/docs/) and its start-up script (/api/v1/docs/?script)."""


class ApiRedocView(_PlainOptions, SpectacularRedocView):
    """ReDoc (/api/v1/redoc/)."""
