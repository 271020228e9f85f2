"""Who hears about billing events: a failed invoice payment is told to every member of the
paying team who may manage billing (quickscale_core.extensions.notify; the kind is declared in
module.yml, so projects without the notifications module still email it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from quickscale_core import extensions, roles
from quickscale_core.models import Membership, Team


def billing_managers(team: Team) -> list:
    """Members of `team` whose role may manage billing (TEAM_ROLES' "billing.manage")."""
    allowed = [
        key
        for key, role in roles.roles().items()
        if "billing.manage" in role.get("permissions", [])
    ]
    members = Membership.objects.filter(team=team, role__in=allowed).select_related("user")
    return [membership.user for membership in members if membership.user.is_active]


def payment_failed(invoice: dict[str, Any]) -> int:
    """Stripe's invoice.payment_failed (its invoice object): notify the team's billing managers.
    Returns how many people were told; 0 for a customer that is no team of this project."""
    customer = invoice.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    team = (
        Team.objects.filter(
            stripe_customers__customer__id=customer,
            stripe_customers__livemode=settings.STRIPE_LIVE_MODE,
        ).first()
        if customer
        else None
    )
    if team is None:
        return 0
    path = reverse("billing:settings")
    context = {
        "team": team,
        "amount_due": Decimal(invoice.get("amount_due") or 0) / 100,
        "currency": str(invoice.get("currency") or "").upper(),
        "url": path,
        "billing_url": f"https://{settings.PROJECT_DOMAIN}{path}",
        "project_name": settings.PROJECT_NAME,
    }
    managers = billing_managers(team)
    for user in managers:
        extensions.notify(user, "payment_failed", context)
    return len(managers)
