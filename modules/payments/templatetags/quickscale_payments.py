from django import template
from djstripe.settings import djstripe_settings

register = template.Library()


@register.filter
def money(amount: int | None, currency: str) -> str:
    """An amount in the currency's smallest unit (Stripe's format) as "12.50 EUR"."""
    if amount is None:
        return ""
    currency = (currency or "").lower()
    if currency in djstripe_settings.ZERO_DECIMAL_CURRENCIES:
        return f"{amount} {currency.upper()}"
    return f"{amount / 100:.2f} {currency.upper()}"
