"""A plans provider for test_extensions.py: the two functions a `provides: entitlements`
module offers (the billing module's services are the real one)."""


def has_entitlement(user, feature: str) -> bool:
    return False


def entitlement_limit(user, limit: str) -> int | None:
    return 7
