from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import DeleteAccountForm


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """One page with the state of every part of the account and a link to manage each."""
    user = request.user
    sessions = selectors.active_sessions(request)
    context = {
        "email_addresses": selectors.email_addresses(user),
        "email_verified": selectors.is_email_verified(user),
        "has_password": user.has_usable_password(),
        "mfa_enabled": selectors.mfa_enabled(user),
        "recovery_codes_left": selectors.recovery_codes_left(user),
        "available_providers": selectors.available_providers(request),
        "connected_providers": selectors.connected_providers(user),
        "sessions": sessions,
        "other_sessions": sum(not s.is_current for s in sessions),
    }
    return render(request, "quickscale_auth/settings.html", context)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; only a POST with the right password deletes."""
    form = DeleteAccountForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user)
        logout(request)
        # After logout: the new, anonymous session carries the message to the next page.
        messages.success(request, "Your account and its data have been deleted.")
        return redirect("home")
    return render(request, "quickscale_auth/delete.html", {"form": form})
