from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from djstripe.models import Price
from djstripe.views import ProcessWebhookView

from . import services

_process_webhook = ProcessWebhookView.as_view()


@csrf_exempt
@transaction.non_atomic_requests
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's webhook endpoint: dj-stripe verifies the signature, records and processes it.

    Invalid signatures get 400 (the attempt is kept in dj-stripe's WebhookEventTrigger table);
    a failure while processing rolls its writes back and returns 500, so Stripe retries.
    """
    endpoint = services.webhook_endpoint()
    if endpoint is None:
        return HttpResponse("STRIPE_WEBHOOK_SECRET is not set.", status=503)
    return _process_webhook(request, uuid=endpoint.djstripe_uuid)


@login_required
def purchases(request: HttpRequest) -> HttpResponse:
    """One-time offers to buy, and the user's past purchases with their receipts."""
    context = {
        "configured": services.is_configured(),
        "missing_settings": services.missing_settings(),
        "prices": services.one_time_prices(),
        "purchases": services.purchases(request.user),
    }
    return render(request, "quickscale_payments/purchases.html", context)


@require_POST
@login_required
def buy(request: HttpRequest, price_id: str) -> HttpResponse:
    """Send the user to Stripe Checkout for a one-time price."""
    if not services.is_configured():
        messages.error(request, "Payments are not set up yet: Stripe keys are missing.")
        return redirect("payments:purchases")
    price = get_object_or_404(Price, id=price_id, active=True)
    if price.type != "one_time":
        raise Http404("Not a one-time price.")
    receipt_url = request.build_absolute_uri(reverse("payments:receipt", args=["SESSION"]))
    session = services.create_checkout_session(
        request.user,
        price,
        mode="payment",
        # Stripe fills in {CHECKOUT_SESSION_ID}; a reversed URL would escape the braces.
        success_url=receipt_url.replace("SESSION", "{CHECKOUT_SESSION_ID}"),
        cancel_url=request.build_absolute_uri(reverse("payments:cancel")),
    )
    return redirect(session.url)


@login_required
def receipt(request: HttpRequest, session_id: str) -> HttpResponse:
    """Where Checkout returns after payment: the receipt once Stripe's webhook confirms it."""
    found = services.receipt(request.user, session_id)
    if found is None:
        raise Http404("No such purchase.")
    return render(request, "quickscale_payments/receipt.html", {"receipt": found})


@login_required
def cancel(request: HttpRequest) -> HttpResponse:
    """Where Checkout returns when the user gives up: nothing was charged."""
    return render(request, "quickscale_payments/cancel.html")
