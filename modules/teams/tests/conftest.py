import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from quickscale_core import extensions, teams
from quickscale_core.models import Membership
from quickscale_core.testing import sign_in  # noqa: F401  (the tests import it from here)

from . import seat_plans

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def seat_limit(monkeypatch):
    """Plans answer from seat_plans (unlimited unless a test sets a number), with or without
    the billing module in the project."""
    real = extensions.provider
    monkeypatch.setattr(
        extensions,
        "provider",
        lambda feature: (
            "quickscale_modules.teams.tests.seat_plans"
            if feature == "entitlements"
            else real(feature)
        ),
    )
    seat_plans.SEATS["limit"] = None

    def set_limit(limit: int | None) -> None:
        seat_plans.SEATS["limit"] = limit

    return set_limit


@pytest.fixture(autouse=True)
def fresh_cache():
    """The invitations-per-hour counters live in the cache; each test starts from zero."""
    cache.clear()


@pytest.fixture
def make_user(django_user_model):
    def make(email: str, verified: bool = True):
        user = django_user_model.objects.create_user(email=email, password=PASSWORD)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        return user

    return make


@pytest.fixture
def team_of(make_user):
    """A shared team "Acme" owned by owner@example.com, with members by role."""

    def build(**roles_by_email: str):
        owner = make_user("owner@example.com")
        team = teams.create_team(owner, "Acme")
        people = {"owner": owner}
        for email, role in roles_by_email.items():
            person = make_user(email)
            Membership.objects.create(user=person, team=team, role=role)
            people[email] = person
        return team, people

    return build
