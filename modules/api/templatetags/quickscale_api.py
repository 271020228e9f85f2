from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def active_api_key_count(user) -> int:
    """How many of the user's API keys still work (for the account settings page)."""
    return sum(key.is_active for key in selectors.keys_for(user))
