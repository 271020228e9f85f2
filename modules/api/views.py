from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import ApiKeyForm


@never_cache  # The response to a creation holds the new key: no cache may keep it.
@require_http_methods(["GET", "POST"])
@login_required
def api_keys(request: HttpRequest) -> HttpResponse:
    """The user's keys, and a form to create one; a new key is shown in the response, once."""
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        new_key = services.create_key(
            request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
        form = ApiKeyForm()
    context = {"form": form, "keys": services.keys_for(request.user), "new_key": new_key}
    return render(request, "quickscale_api/keys.html", context)


@require_POST
@login_required
def revoke_api_key(request: HttpRequest, key_id: int) -> HttpResponse:
    api_key = services.revoke_key(request.user, key_id)
    if api_key is None:
        raise Http404("No such API key.")
    messages.success(request, f"The key “{api_key.name}” is revoked: it no longer works.")
    return redirect("api_keys")
