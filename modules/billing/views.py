import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from djstripe.models import Price

from quickscale_modules.payments import services as payments

from . import services

INTERVALS = ("month", "year")
# Stripe's Checkout Session ids: "cs_test_..." / "cs_live_..." and letters and digits.
CHECKOUT_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,250}")


def pricing(request: HttpRequest) -> HttpResponse:
    """Plans from the products and prices synced from Stripe, monthly or yearly."""
    interval = request.GET.get("interval", "month")
    if interval not in INTERVALS:
        interval = "month"
    state = services.billing_state(request.user) if request.user.is_authenticated else None
    context = {
        "configured": payments.is_configured(),
        "missing_settings": payments.missing_settings(),
        "plans": services.plans(),
        "interval": interval,
        "billing_state": state,
        # "" while on the free plan (visitors included): the free card is marked current.
        "current_plan_key": "" if state is None or state.is_free else state.plan_key,
        "can_subscribe": state is None or state.is_free,
        "free_limits": sorted(services.free_entitlements().get("limits", {}).items()),
        "plan_keys": sorted(services.plans_keys()),
    }
    return render(request, "quickscale_billing/pricing.html", context)


@require_POST
@login_required
def subscribe(request: HttpRequest, price_id: str) -> HttpResponse:
    """Send the user to Stripe Checkout (subscription mode) for a plan's price."""
    if not payments.is_configured():
        messages.error(request, "Billing is not set up yet: Stripe keys are missing.")
        return redirect("billing:pricing")
    price = get_object_or_404(Price, id=price_id, active=True)
    if price.type != "recurring" or services.plan_key(price.product) not in services.plans_keys():
        raise Http404("Not a plan's price.")
    current = services.current_subscription(request.user)
    if current is not None:
        # One subscription per user: plan changes, renewals and cancellation happen in the portal.
        if current.status in settings.BILLING_ENTITLED_STATUSES:
            messages.info(request, "You already have a subscription: change your plan here.")
            portal_session = services.create_portal_session(
                request.user, return_url=request.build_absolute_uri(reverse("billing:settings"))
            )
            return redirect(portal_session.url)
        messages.info(request, "Your subscription needs attention before you can change it.")
        return redirect("billing:settings")
    success_url = request.build_absolute_uri(reverse("billing:success"))
    try:
        session = services.create_subscription_checkout(
            request.user,
            price,
            success_url=f"{success_url}?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=request.build_absolute_uri(reverse("billing:cancel")),
        )
    except services.CheckoutAwaitingConfirmation as pending:
        messages.info(request, "Your payment went through: we are confirming your subscription.")
        query = urlencode({"session_id": pending.session_id})
        return redirect(f"{reverse('billing:success')}?{query}")
    return redirect(session.url)


@login_required
def success(request: HttpRequest) -> HttpResponse:
    """Checkout's success URL: confirms the plan only once Stripe's webhook has recorded it."""
    session_id = request.GET.get("session_id", "")
    if not CHECKOUT_SESSION_ID.fullmatch(session_id):
        session_id = ""  # not a Stripe id (cs_...): nothing to look up, never a query with NUL
    state = services.checkout_state(request.user, session_id) if session_id else "pending"
    context = {"state": state, "billing_state": services.billing_state(request.user)}
    return render(request, "quickscale_billing/success.html", context)


@login_required
def cancel(request: HttpRequest) -> HttpResponse:
    """Checkout's cancel URL: the user left before paying."""
    return render(request, "quickscale_billing/cancel.html")


@require_POST
@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """Open the Stripe Customer Portal: plan changes, payment methods, invoices, cancellation."""
    if not payments.is_configured():
        messages.error(request, "Billing is not set up yet: Stripe keys are missing.")
        return redirect("billing:settings")
    session = services.create_portal_session(
        request.user, return_url=request.build_absolute_uri(reverse("billing:settings"))
    )
    return redirect(session.url)


@login_required
def billing_settings(request: HttpRequest) -> HttpResponse:
    """The billing page of account settings: plan, status, renewal or end date, invoices."""
    context = {
        "configured": payments.is_configured(),
        "missing_settings": payments.missing_settings(),
        "billing_state": services.billing_state(request.user),
        "invoices": services.invoices(request.user),
    }
    return render(request, "quickscale_billing/settings.html", context)
