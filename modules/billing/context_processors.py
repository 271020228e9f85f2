from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def billing(request: HttpRequest) -> dict[str, object]:
    """`billing`: the current team's BillingState (plan, status, features, limits).

    Lazy: the subscription is only looked up by pages that use it (e.g. the dashboard card).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    team = getattr(request, "team", None)
    return {"billing": SimpleLazyObject(lambda: selectors.billing_state(team or user))}
