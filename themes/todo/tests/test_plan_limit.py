"""The plan's list limit (the "projects" limit), enforced by the service, shown by the pages
and answered by the API. Runs when a module provides plans (billing: the free plan allows 3);
the tests of whose plan counts (the team's) bring their own plans and run in every project."""

import pytest
from django.urls import reverse

from quickscale_core import extensions, teams
from quickscale_core.extensions import page_url
from quickscale_core.models import Membership, Team
from quickscale_core.testing import skip_unless_htmx_page, work_in
from quickscale_themes.todo import selectors, services
from quickscale_themes.todo.models import TodoList

from .conftest import api_mounted

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(team):
    limit = selectors.list_limit(team)
    if limit is None:
        pytest.skip("no module provides plans in this project: lists are unlimited")
    return limit


@pytest.fixture
def full(team, user, limit):
    """`user`'s personal team with as many lists as its plan allows."""
    for number in range(limit):
        services.create_list(team, user, name=f"List {number}")
    return user


def test_the_service_refuses_lists_beyond_the_plan(team, full, limit):
    assert not selectors.can_create_list(team, full)
    with pytest.raises(services.ListLimitReached, match=f"Your plan includes {limit} list"):
        services.create_list(team, full, name="One too many")
    assert TodoList.objects.for_team(team).count() == limit


def test_the_limit_counts_the_teams_lists(team, user, other_team, other_user, limit):
    """The lists of the team the list goes to count, whoever created them."""
    Membership.objects.create(user=other_user, team=team, role="member")
    for number in range(limit):
        services.create_list(team, other_user, name=f"Theirs {number}")

    with pytest.raises(services.ListLimitReached):
        services.create_list(team, user, name="One too many")
    # Their own team is another count.
    assert selectors.can_create_list(other_team, user)


def test_the_page_shows_an_upgrade_prompt_linking_to_pricing(member, team, full, limit):
    # The React page asks the API instead (the two tests below).
    skip_unless_htmx_page("todo/lists.html")
    page = member.get(reverse("todo:lists")).content.decode()
    assert "Upgrade your plan" in page
    assert page_url("pricing") and f'href="{page_url("pricing")}"' in page
    assert 'name="name"' not in page  # no form to fill in for nothing

    response = member.post(reverse("todo:list_create"), {"name": "One too many"})
    assert response.status_code == 403
    assert f"Your plan includes {limit} list" in response.content.decode()
    response = member.post(
        reverse("todo:list_create"), {"name": "One too many"}, headers={"HX-Request": "true"}
    )
    assert "Upgrade your plan" in response.content.decode()
    assert TodoList.objects.for_team(team).count() == limit


@api_mounted
def test_the_api_answers_plan_limit(member, full):
    response = member.post(
        "/api/v1/lists/", {"name": "One too many"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "plan_limit"
    assert "Upgrade" in response.json()["detail"]


@api_mounted
def test_the_summary_tells_the_limit(member, full, limit):
    body = member.get("/api/v1/lists/summary/").json()

    assert (body["lists"], body["list_limit"]) == (limit, limit)


# Whose plan counts: the team's (the team is the customer), never the plan of the member
# creating the list. A stand-in plans provider (the core's "entitlements" extension point, the
# functions below) gives each team a limit, with or without billing; a user stands for their
# personal team, as the billing module reads it.

LIMITS: dict[int, int | None] = {}


def entitlement_limit(holder, limit: str) -> int | None:
    team = holder if isinstance(holder, Team) else teams.ensure_personal_team(holder)
    return LIMITS.get(team.pk)


def has_entitlement(holder, feature: str) -> bool:
    return True


@pytest.fixture
def plans(monkeypatch):
    """Set `plans[team.pk] = limit` (None: unlimited) for the "projects" limit."""
    real = extensions.provider
    monkeypatch.setattr(
        extensions,
        "provider",
        lambda feature: __name__ if feature == "entitlements" else real(feature),
    )
    LIMITS.clear()
    yield LIMITS
    LIMITS.clear()


@pytest.fixture
def acme(user, other_user):
    """A team `user` owns, with `other_user` a member."""
    acme = teams.create_team(user, "Acme")
    Membership.objects.create(user=other_user, team=acme, role="member")
    return acme


def personal(user) -> int:
    return teams.ensure_personal_team(user).pk


def test_a_member_with_a_bigger_plan_is_held_to_the_teams(acme, user, other_user, plans):
    plans[acme.pk] = 1
    plans[personal(other_user)] = None

    services.create_list(acme, other_user, name="First")

    assert selectors.list_limit(acme) == 1
    assert not selectors.can_create_list(acme)
    with pytest.raises(services.ListLimitReached, match="includes 1 list"):
        services.create_list(acme, other_user, name="One too many")
    assert TodoList.objects.for_team(acme).count() == 1


def test_a_member_with_a_smaller_plan_is_not_held_to_theirs(acme, user, other_user, plans):
    plans[acme.pk] = None
    plans[personal(other_user)] = 1

    for number in range(3):
        services.create_list(acme, other_user, name=f"List {number}")

    assert selectors.list_limit(acme) is None
    assert TodoList.objects.for_team(acme).count() == 3
    # Their personal team has its own plan.
    services.create_list(teams.ensure_personal_team(other_user), other_user, name="Mine")
    assert not selectors.can_create_list(teams.ensure_personal_team(other_user))


def test_the_page_shows_the_teams_limit(client, acme, user, other_user, plans):
    skip_unless_htmx_page("todo/lists.html")
    plans[acme.pk] = 2
    plans[personal(other_user)] = 5
    services.create_list(acme, user, name="Theirs")
    client.force_login(other_user)
    work_in(client, acme)

    page = client.get(reverse("todo:lists")).content.decode()

    assert "1 of 2 lists on your plan." in page


@api_mounted
def test_the_summary_tells_the_teams_limit(client, acme, user, other_user, plans):
    plans[acme.pk] = 2
    plans[personal(other_user)] = 5
    client.force_login(other_user)
    work_in(client, acme)

    assert client.get("/api/v1/lists/summary/").json()["list_limit"] == 2
