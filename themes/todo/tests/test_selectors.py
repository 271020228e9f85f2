"""Reads: scoping to the team, counts, filters and search."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from quickscale_themes.todo import selectors, services
from quickscale_themes.todo.selectors import TaskFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(team, user, groceries):
    """Groceries with one open, one overdue, one due later and one done task."""
    today = timezone.localdate()
    services.add_task(team, groceries, title="Milk")
    services.add_task(
        team, groceries, title="Oat milk", due_date=today - datetime.timedelta(days=2)
    )
    services.add_task(team, groceries, title="Bread", due_date=today + datetime.timedelta(days=3))
    services.add_task(team, groceries, title="Eggs", done=True)
    return groceries


def titles(tasks):
    return [task.title for task in tasks]


def test_lists_carry_their_counts(team, mixed):
    [groceries] = selectors.lists_for(team)
    assert (groceries.open_count, groceries.done_count, groceries.overdue_count) == (3, 1, 1)


def test_each_team_sees_only_its_own(team, other_team, mixed, theirs):
    assert [todo_list.name for todo_list in selectors.lists_for(team)] == ["Groceries"]
    assert titles(selectors.tasks_for(other_team, task_filter=TaskFilter("all"))) == ["Secret task"]
    with pytest.raises(Http404):
        selectors.list_for(team, theirs.pk)
    with pytest.raises(Http404):
        selectors.task_for(team, theirs.tasks.get().pk)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["Milk", "Oat milk", "Bread"]),
        ("done", ["Eggs"]),
        ("overdue", ["Oat milk"]),
        ("all", ["Milk", "Oat milk", "Bread", "Eggs"]),
    ],
)
def test_status_filters(team, mixed, status, expected):
    tasks = selectors.tasks_for(team, todo_list=mixed, task_filter=TaskFilter(status=status))
    assert titles(tasks) == expected


def test_search_is_case_insensitive_and_combines_with_the_status(team, mixed):
    found = selectors.tasks_for(team, todo_list=mixed, task_filter=TaskFilter("all", "MILK"))
    assert titles(found) == ["Milk", "Oat milk"]
    found = selectors.tasks_for(team, todo_list=mixed, task_filter=TaskFilter("overdue", "milk"))
    assert titles(found) == ["Oat milk"]


def test_filter_from_a_query_ignores_unknown_statuses():
    assert TaskFilter.from_query({"status": "deleted", "q": "  milk "}) == TaskFilter(
        "open", "milk"
    )
    assert TaskFilter.from_query({}) == TaskFilter("open", "")


def test_overview_totals(team, mixed, theirs):
    today = timezone.localdate()
    services.add_task(team, mixed, title="Today", due_date=today)
    assert selectors.overview_for(team) == {
        "lists": 1,
        "open": 4,
        "due_today": 1,
        "overdue": 1,
        "done": 1,
    }
