"""No N+1: pages run the same number of queries for a few rows or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quickscale_core.testing import skip_unless_htmx_page
from quickscale_themes.todo import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_list_limit(settings):
    # Billing's free plan allows 3 lists; these tests need more (harmless without billing).
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": None}}


def fill(team, user, prefix: str, lists: int, tasks: int):
    created = []
    for number in range(lists):
        todo_list = services.create_list(team, user, name=f"{prefix} {number}")
        for index in range(tasks):
            task = services.add_task(team, todo_list, title=f"Task {index}")
            if index % 3 == 0:
                services.set_done(team, task, True)
        created.append(todo_list)
    return created


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_page_queries_do_not_grow_with_lists(
    member, team, user, django_assert_max_num_queries
):
    url = reverse("todo:lists")
    fill(team, user, "Few", lists=1, tasks=2)
    few = count_queries(member, url)

    fill(team, user, "Many", lists=15, tasks=4)
    with django_assert_max_num_queries(few):
        assert member.get(url).status_code == 200


def test_list_page_queries_do_not_grow_with_tasks(
    member, team, user, django_assert_max_num_queries
):
    [todo_list] = fill(team, user, "List", lists=1, tasks=2)
    url = reverse("todo:list_detail", args=[todo_list.pk]) + "?status=all"
    few = count_queries(member, url)

    for index in range(60):
        services.add_task(team, todo_list, title=f"Later {index}")
    with django_assert_max_num_queries(few):
        response = member.get(url)
    # The first page of 50; the rest is one click away (test_views.py). The React page reads
    # its tasks from the API (test_api.py checks its queries).
    skip_unless_htmx_page("todo/list_detail.html")
    assert response.content.decode().count('<li id="task-') == 50


def test_dashboard_summary_is_a_fixed_number_of_queries(
    member, team, user, django_assert_max_num_queries
):
    fill(team, user, "List", lists=4, tasks=10)
    with django_assert_max_num_queries(5):
        member.get(reverse("todo:summary"), headers={"HX-Request": "true"})
