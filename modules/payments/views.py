import logging
from functools import wraps

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from djstripe.models.webhooks import get_remote_ip
from djstripe.views import ProcessWebhookView

from quickscale_core import teams
from quickscale_core.models import Team
from quickscale_core.team_access import team_allows, team_permission_required

from . import selectors, services

logger = logging.getLogger(__name__)

_process_webhook = ProcessWebhookView.as_view()


@csrf_exempt
@transaction.non_atomic_requests
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's webhook endpoint: the signature is checked here, then dj-stripe records the
    delivery and processes it.

    Anyone can POST here, so nothing is written before the signature is verified with
    STRIPE_WEBHOOK_SECRET: bodies over services.WEBHOOK_MAX_BYTES get 413, bad or missing
    signatures 400 (logged as a warning, not stored). A failure while processing a verified
    event rolls its writes back and returns 500, so Stripe retries.
    """
    if _content_length(request) > services.WEBHOOK_MAX_BYTES:
        return HttpResponse("Payload too large.", status=413)
    endpoint = services.webhook_endpoint()
    if endpoint is None:
        # Anyone can POST here: name the missing setting in the log, not to the caller.
        logger.error("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set.")
        return HttpResponse("Webhooks are not configured.", status=503)
    signature = request.headers.get("Stripe-Signature", "")
    if not services.webhook_signature_is_valid(request.body, signature, endpoint):
        logger.warning(
            "Stripe webhook rejected: missing or invalid signature (from %s).",
            request.META.get("REMOTE_ADDR", "?"),
        )
        return HttpResponseBadRequest("Invalid signature.")
    _drop_untrusted_headers(request)
    return _process_webhook(request, uuid=endpoint.djstripe_uuid)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body for a malformed length either.


def _drop_untrusted_headers(request: HttpRequest) -> None:
    """Remove what dj-stripe would trust from the request before it sees it.

    - X-Djstripe-Webhook-Secret: with DEBUG on, dj-stripe verifies the signature with this
      header's value instead of the endpoint's secret (meant for `stripe listen`), so anyone
      could sign their own events. The secret always comes from STRIPE_WEBHOOK_SECRET.
    - An X-Forwarded-For whose first entry is not an IP address: dj-stripe stores that entry
      in a GenericIPAddressField, which PostgreSQL refuses (a 500 and an email to ADMINS).
      The connection's address is recorded instead.
    """
    request.META.pop("HTTP_X_DJSTRIPE_WEBHOOK_SECRET", None)
    request.__dict__.pop("headers", None)  # HttpRequest.headers is cached from META.
    try:
        ip = get_remote_ip(request)  # dj-stripe's reading: first X-Forwarded-For entry.
        validate_ipv46_address(ip)
        if "%" in ip:  # An IPv6 zone ("fe80::1%eth0") names a local interface, no client.
            raise ValidationError("IPv6 zone")
    except ValidationError:
        request.META.pop("HTTP_X_FORWARDED_FOR", None)
    request.__dict__.pop("headers", None)


@login_required
def purchases(request: HttpRequest) -> HttpResponse:
    """One-time offers to buy, and the current team's past purchases with their receipts."""
    context = {
        "configured": selectors.is_configured(),
        "missing_settings": selectors.missing_settings(),
        "prices": selectors.one_time_prices(),
        "purchases": selectors.purchases(request.team),
        # Buying for the team is "billing.manage" (owners and admins by default).
        "can_buy": team_allows(request, "billing.manage"),
    }
    return render(request, "quickscale_payments/purchases.html", context)


def stripe_unavailable_goes_to(url_name: str):
    """View decorator: when Stripe fails (down, a network error, an account setting missing
    such as the Customer Portal's), say so and go back to `url_name` instead of a 500.
    Logged at ERROR level, so the site's admins hear of it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except stripe.StripeError as error:
                logger.error("Stripe refused or did not answer: %s", error, exc_info=True)
                messages.error(
                    request,
                    "Stripe could not be reached or refused the request: nothing was charged. "
                    "Please try again in a minute.",
                )
                return redirect(url_name)

        return wrapped

    return decorator


@require_POST
@team_permission_required("billing.manage")
@stripe_unavailable_goes_to("payments:purchases")
def buy(request: HttpRequest, price_id: str) -> HttpResponse:
    """Send the user to Stripe Checkout for a one-time price, paid by the current team."""
    if not selectors.is_configured():
        messages.error(request, "Payments are not set up yet: Stripe keys are missing.")
        return redirect("payments:purchases")
    price = selectors.one_time_price(price_id)
    if price is None:
        raise Http404("Not a one-time price on sale.")
    receipt_url = request.build_absolute_uri(reverse("payments:receipt", args=["SESSION"]))
    # The team rides along: the buyer may switch teams in another tab before Stripe returns.
    receipt_url = f"{receipt_url}?team={request.team.pk}"
    session = services.create_checkout_session(
        request.team,
        price,
        buyer=request.user,
        mode="payment",
        # Stripe fills in {CHECKOUT_SESSION_ID}; a reversed URL would escape the braces.
        success_url=receipt_url.replace("SESSION", "{CHECKOUT_SESSION_ID}"),
        cancel_url=request.build_absolute_uri(reverse("payments:cancel")),
    )
    return redirect(session.url)


def checkout_team(request: HttpRequest, session_id: str):
    """The team a checkout was for: the session's (once Stripe's webhook stored it) or the
    `team` of the return URL, if the signed-in user is a member of it; else request.team.
    Checkout can return after the buyer switched teams in another tab."""
    team = selectors.session_team(session_id)
    if team is None:
        wanted = request.GET.get("team", "")
        if wanted.isascii() and wanted.isdigit() and len(wanted) < 19:
            team = Team.objects.filter(pk=int(wanted)).first()
    if team is not None and teams.membership(request.user, team) is not None:
        return team
    return request.team


@login_required
def receipt(request: HttpRequest, session_id: str) -> HttpResponse:
    """Where Checkout returns after payment: the receipt once Stripe's webhook confirms it."""
    found = selectors.receipt(checkout_team(request, session_id), session_id)
    if found is None:
        raise Http404("No such purchase.")
    return render(request, "quickscale_payments/receipt.html", {"receipt": found})


@login_required
def cancel(request: HttpRequest) -> HttpResponse:
    """Where Checkout returns when the user gives up: nothing was charged."""
    return render(request, "quickscale_payments/cancel.html")
