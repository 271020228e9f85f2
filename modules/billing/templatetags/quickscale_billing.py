from django import template
from django.utils.text import capfirst

register = template.Library()


@register.filter
def entitlement_label(name: str) -> str:
    """A feature key as words: "priority_support" -> "Priority support", "sso" -> "SSO"."""
    name = str(name)
    if len(name) <= 3:
        return name.upper()
    return capfirst(name.replace("_", " "))


@register.filter
def limit_label(value: int | None, name: str) -> str:
    """A limit as a phrase: (20, "projects") -> "20 projects", (1, "seats") -> "1 seat"."""
    words = str(name).replace("_", " ")
    if value is None:
        return f"Unlimited {words}"
    if value == 1 and words.endswith("s"):
        words = words[:-1]
    return f"{value} {words}"
