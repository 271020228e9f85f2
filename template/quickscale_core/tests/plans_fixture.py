"""Stand-ins for test_extensions.py: a plans provider (the two functions a
`provides: entitlements` module offers; the billing module's services are the real one)
and a contributed template's `context` function."""


def has_entitlement(user, feature: str) -> bool:
    return False


def entitlement_limit(user, limit: str) -> int | None:
    return 7


def card_context(request) -> dict:
    return {"greeting": f"From the module for {request.path}"}
