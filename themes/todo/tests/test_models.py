"""The rules the database itself holds (constraints), so no code path can break them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quickscale_core.models import Membership
from quickscale_core.scoping import UnscopedQuery
from quickscale_themes.todo.models import Task, TodoList

pytestmark = pytest.mark.django_db


def test_list_names_are_unique_per_team_ignoring_case(team, user, other_team, other_user):
    TodoList.objects.create(team=team, owner=user, name="Groceries")
    with pytest.raises(IntegrityError), transaction.atomic():
        TodoList.objects.create(team=team, owner=user, name="groceries")
    # Another member of the team cannot either: the lists are the team's.
    Membership.objects.create(user=other_user, team=team, role="member")
    with pytest.raises(IntegrityError), transaction.atomic():
        TodoList.objects.create(team=team, owner=other_user, name="GROCERIES")
    # Another team may use the same name.
    TodoList.objects.create(team=other_team, owner=other_user, name="Groceries")


def test_a_list_needs_a_team(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        TodoList.unscoped.create(owner=user, name="Nowhere")


def test_objects_refuses_queries_without_a_team(team, user):
    """TeamScopedModel's strict manager: forgetting the team fails at once."""
    with pytest.raises(UnscopedQuery):
        TodoList.objects.filter(owner=user)
    with pytest.raises(UnscopedQuery):
        TodoList.objects.create(owner=user, name="Nowhere")
    with pytest.raises(UnscopedQuery):
        TodoList.objects.for_team(None)
    assert not TodoList.objects.for_team(team).exists()


def test_a_list_outlives_its_creators_account(team, user, other_user):
    """Deleting the account of the member who created a list leaves the list to the team."""
    Membership.objects.create(user=other_user, team=team, role="member")
    todo_list = TodoList.objects.create(team=team, owner=other_user, name="Shared")

    other_user.delete()

    todo_list.refresh_from_db()
    assert todo_list.owner is None and todo_list.team == team


def test_deleting_a_team_deletes_its_lists(team, user):
    TodoList.objects.create(team=team, owner=user, name="Home")

    team.delete()

    assert not TodoList.unscoped.exists()


def test_blank_names_and_titles_are_refused(team, user):
    with pytest.raises(IntegrityError), transaction.atomic():
        TodoList.objects.create(team=team, owner=user, name="")
    todo_list = TodoList.objects.create(team=team, owner=user, name="Home")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(todo_list=todo_list, title="")


@pytest.mark.parametrize("priority", [0, 4])
def test_priority_must_be_low_normal_or_high(team, user, priority):
    todo_list = TodoList.objects.create(team=team, owner=user, name="Home")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(todo_list=todo_list, title="Paint", priority=priority)


@pytest.mark.parametrize(
    ("done", "completed"),
    [(True, False), (False, True)],
    ids=["done-without-time", "open-with-time"],
)
def test_completion_time_matches_done(team, user, done, completed):
    todo_list = TodoList.objects.create(team=team, owner=user, name="Home")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            todo_list=todo_list,
            title="Paint",
            done=done,
            completed_at=timezone.now() if completed else None,
        )


def test_deleting_a_list_deletes_its_tasks(team, user):
    todo_list = TodoList.objects.create(team=team, owner=user, name="Home")
    Task.objects.create(todo_list=todo_list, title="Paint")

    todo_list.delete()

    assert not Task.objects.exists()
