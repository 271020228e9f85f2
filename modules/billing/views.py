import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quickscale_core.team_access import team_allows, team_permission_required
from quickscale_modules.payments import selectors as payments
from quickscale_modules.payments.views import checkout_team, stripe_unavailable_goes_to

from . import selectors, services
from .models import SeatSync

INTERVALS = ("month", "year")
# Stripe's Checkout Session ids: "cs_test_..." / "cs_live_..." and letters and digits.
CHECKOUT_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,250}")


def pricing(request: HttpRequest) -> HttpResponse:
    """Plans from the products and prices synced from Stripe, monthly or yearly."""
    interval = request.GET.get("interval", "month")
    if interval not in INTERVALS:
        interval = "month"
    # The current team's plan: the team is the customer.
    state = selectors.billing_state(request.team) if request.user.is_authenticated else None
    context = {
        "configured": payments.is_configured(),
        "missing_settings": payments.missing_settings(),
        "plans": selectors.plans(),
        "interval": interval,
        "billing_state": state,
        # "" while on the free plan (visitors included): the free card is marked current.
        "current_plan_key": "" if state is None or state.is_free else state.plan_key,
        "can_subscribe": state is None or state.is_free,
        "can_manage": state is None or team_allows(request, "billing.manage"),
        "free_limits": sorted(selectors.free_entitlements().get("limits", {}).items()),
        "plan_keys": sorted(selectors.plans_keys()),
    }
    return render(request, "quickscale_billing/pricing.html", context)


@require_POST
@team_permission_required("billing.manage")
@stripe_unavailable_goes_to("billing:pricing")
def subscribe(request: HttpRequest, price_id: str) -> HttpResponse:
    """Send the user to Stripe Checkout (subscription mode) for a plan's price, paid by the
    current team."""
    if not payments.is_configured():
        messages.error(request, "Billing is not set up yet: Stripe keys are missing.")
        return redirect("billing:pricing")
    price = selectors.plan_price(price_id)
    if price is None:
        raise Http404("Not a plan's price.")
    success_url = request.build_absolute_uri(reverse("billing:success"))
    try:
        session = services.subscribe(
            request.team,
            price,
            buyer=request.user,
            # The team rides along: the buyer may switch teams before Stripe returns.
            success_url=f"{success_url}?session_id={{CHECKOUT_SESSION_ID}}&team={request.team.pk}",
            cancel_url=request.build_absolute_uri(reverse("billing:cancel")),
        )
    except services.AlreadySubscribed as subscribed:
        # Plan changes, renewals and cancellation happen in the portal.
        if subscribed.entitled:
            messages.info(request, "You already have a subscription: change your plan here.")
            portal_session = services.create_portal_session(
                request.team, return_url=request.build_absolute_uri(reverse("billing:settings"))
            )
            return redirect(portal_session.url)
        messages.info(request, "Your subscription needs attention before you can change it.")
        return redirect("billing:settings")
    except services.CheckoutAwaitingConfirmation as pending:
        messages.info(request, "Your payment went through: we are confirming your subscription.")
        query = urlencode({"session_id": pending.session_id, "team": request.team.pk})
        return redirect(f"{reverse('billing:success')}?{query}")
    return redirect(session.url)


@login_required
def success(request: HttpRequest) -> HttpResponse:
    """Checkout's success URL: confirms the plan only once Stripe's webhook has recorded it."""
    session_id = request.GET.get("session_id", "")
    if not CHECKOUT_SESSION_ID.fullmatch(session_id):
        session_id = ""  # not a Stripe id (cs_...): nothing to look up, never a query with NUL
    team = checkout_team(request, session_id) if session_id else request.team
    state = selectors.checkout_state(team, session_id) if session_id else "pending"
    context = {"state": state, "billing_state": selectors.billing_state(team), "team": team}
    return render(request, "quickscale_billing/success.html", context)


@login_required
def cancel(request: HttpRequest) -> HttpResponse:
    """Checkout's cancel URL: the user left before paying."""
    return render(request, "quickscale_billing/cancel.html")


@require_POST
@team_permission_required("billing.manage")
@stripe_unavailable_goes_to("billing:settings")
def portal(request: HttpRequest) -> HttpResponse:
    """Open the Stripe Customer Portal: plan changes, payment methods, invoices, cancellation."""
    if not payments.is_configured():
        messages.error(request, "Billing is not set up yet: Stripe keys are missing.")
        return redirect("billing:settings")
    session = services.create_portal_session(
        request.team, return_url=request.build_absolute_uri(reverse("billing:settings"))
    )
    return redirect(session.url)


@login_required
def billing_settings(request: HttpRequest) -> HttpResponse:
    """The billing page of account settings: the current team's plan, status, renewal or end
    date, seats and invoices. Members without "billing.manage" see it without the buttons."""
    context = {
        "configured": payments.is_configured(),
        "missing_settings": payments.missing_settings(),
        "billing_state": selectors.billing_state(request.team),
        "invoices": selectors.invoices(request.team),
        "can_manage": team_allows(request, "billing.manage"),
        "seat_sync": SeatSync.objects.filter(team=request.team).first(),
    }
    return render(request, "quickscale_billing/settings.html", context)
