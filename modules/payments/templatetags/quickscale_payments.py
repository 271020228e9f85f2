from django import template
from django.conf import settings
from djstripe.settings import djstripe_settings

register = template.Library()


@register.simple_tag(takes_context=True)
def show_setup_help(context) -> bool:
    """Whether setup instructions (settings to set, commands to run) may be shown.

    Staff always see them, everyone does while DEBUG is on; visitors of a live site get a
    neutral notice instead: `{% show_setup_help as setup_help %}{% if setup_help %}...`.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(settings.DEBUG or (user is not None and user.is_staff))


@register.filter
def money(amount: int | None, currency: str) -> str:
    """An amount in the currency's smallest unit (Stripe's format) as "12.50 EUR"."""
    if amount is None:
        return ""
    currency = (currency or "").lower()
    if currency in djstripe_settings.ZERO_DECIMAL_CURRENCIES:
        return f"{amount} {currency.upper()}"
    return f"{amount / 100:.2f} {currency.upper()}"
