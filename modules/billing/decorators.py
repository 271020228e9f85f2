"""Gate views on entitlements: `@entitlement_required("exports")` or EntitlementRequiredMixin.

Signed-out visitors go to the login page; signed-in users whose current team's plan lacks the
feature get the "upgrade" page (status 403) that links to the pricing page. The team is the
customer: switching to a team on a better plan opens the view.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from . import selectors


def _refuse(request, feature):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {"feature": feature, "billing_state": selectors.billing_state(request.team)}
    return render(request, "quickscale_billing/upgrade_required.html", context, status=403)


def entitlement_required(feature: str):
    """View decorator: only users whose current team's plan includes `feature` get the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated and selectors.has_entitlement(request.team, feature):
                return view(request, *args, **kwargs)
            return _refuse(request, feature)

        return wrapped

    return decorator


class EntitlementRequiredMixin:
    """Class-based views: set `required_entitlement = "feature"`."""

    required_entitlement: str = ""

    def dispatch(self, request, *args, **kwargs):
        feature = self.required_entitlement
        if request.user.is_authenticated and selectors.has_entitlement(request.team, feature):
            return super().dispatch(request, *args, **kwargs)
        return _refuse(request, feature)
