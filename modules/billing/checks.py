"""System checks for the billing settings: a mistake here would otherwise only show as
Stripe errors, retried for ever."""

from django.conf import settings
from django.core.checks import Error, register

PRORATIONS = ("create_prorations", "always_invoice", "none")


@register()
def seat_proration_is_known(app_configs, **kwargs) -> list:
    value = getattr(settings, "BILLING_SEAT_PRORATION", "create_prorations")
    if value in PRORATIONS:
        return []
    return [
        Error(
            f"BILLING_SEAT_PRORATION is {value!r}; Stripe accepts "
            + ", ".join(repr(p) for p in PRORATIONS)
            + ".",
            hint="Set it in config/settings/custom.py (docs/modules/billing.md, 'Seats').",
            id="quickscale_billing.E001",
        )
    ]


@register()
def per_seat_is_a_switch(app_configs, **kwargs) -> list:
    wrong = [
        key
        for key, plan in getattr(settings, "BILLING_PLANS", {}).items()
        if not isinstance(plan.get("per_seat", False), bool)
    ]
    return [
        Error(
            f'BILLING_PLANS["{key}"]["per_seat"] must be True or False.',
            hint="Billed per member: True; one price for the whole team: False (or leave it out).",
            id="quickscale_billing.E002",
        )
        for key in wrong
    ]
