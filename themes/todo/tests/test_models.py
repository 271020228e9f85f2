"""The rules the database itself holds (constraints), so no code path can break them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quickscale_themes.todo.models import Task, TodoList

pytestmark = pytest.mark.django_db


def test_list_names_are_unique_per_owner_ignoring_case(user, other_user):
    TodoList.objects.create(owner=user, name="Groceries")
    with pytest.raises(IntegrityError), transaction.atomic():
        TodoList.objects.create(owner=user, name="groceries")
    # Another user may use the same name.
    TodoList.objects.create(owner=other_user, name="Groceries")


def test_blank_names_and_titles_are_refused(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        TodoList.objects.create(owner=user, name="")
    todo_list = TodoList.objects.create(owner=user, name="Home")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(todo_list=todo_list, title="")


@pytest.mark.parametrize("priority", [0, 4])
def test_priority_must_be_low_normal_or_high(user, priority):
    todo_list = TodoList.objects.create(owner=user, name="Home")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(todo_list=todo_list, title="Paint", priority=priority)


@pytest.mark.parametrize(
    ("done", "completed"),
    [(True, False), (False, True)],
    ids=["done-without-time", "open-with-time"],
)
def test_completion_time_matches_done(user, done, completed):
    todo_list = TodoList.objects.create(owner=user, name="Home")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            todo_list=todo_list,
            title="Paint",
            done=done,
            completed_at=timezone.now() if completed else None,
        )


def test_deleting_a_list_deletes_its_tasks(user):
    todo_list = TodoList.objects.create(owner=user, name="Home")
    Task.objects.create(todo_list=todo_list, title="Paint")

    todo_list.delete()

    assert not Task.objects.exists()
