"""The plan's list limit (the "projects" limit), enforced by the service, shown by the pages
and answered by the API. Runs when a module provides plans (billing: the free plan allows 3)."""

import pytest
from django.urls import reverse

from quickscale_core.extensions import page_url
from quickscale_core.models import Membership
from quickscale_core.testing import skip_unless_htmx_page
from quickscale_themes.todo import selectors, services
from quickscale_themes.todo.models import TodoList

from .conftest import api_mounted

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(user):
    limit = selectors.list_limit(user)
    if limit is None:
        pytest.skip("no module provides plans in this project: lists are unlimited")
    return limit


@pytest.fixture
def full(team, user, limit):
    """`user` with as many lists as their plan allows."""
    for number in range(limit):
        services.create_list(team, user, name=f"List {number}")
    return user


def test_the_service_refuses_lists_beyond_the_plan(team, full, limit):
    assert not selectors.can_create_list(team, full)
    with pytest.raises(services.ListLimitReached, match=f"Your plan includes {limit} list"):
        services.create_list(team, full, name="One too many")
    assert TodoList.objects.for_team(team).count() == limit


def test_the_limit_counts_the_teams_lists(team, user, other_team, other_user, limit):
    """The lists of the team the list goes to count, whoever created them (the plan of the
    member creating the list sets the limit)."""
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
