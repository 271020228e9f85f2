from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def billing(request: HttpRequest) -> dict[str, object]:
    """`billing`: the signed-in user's BillingState (plan, status, features, limits).

    Lazy: the subscription is only looked up by pages that use it (e.g. the dashboard card).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"billing": SimpleLazyObject(lambda: selectors.billing_state(user))}
