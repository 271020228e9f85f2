"""A stand-in plans provider for the teams tests (the `provides: entitlements` contract): the
seat limit is whatever the test sets, so the tests do not depend on which plans a project has."""

SEATS: dict[str, int | None] = {"limit": None}


def has_entitlement(user, feature: str) -> bool:
    return True


def entitlement_limit(user, limit: str) -> int | None:
    return SEATS["limit"] if limit == "seats" else None
