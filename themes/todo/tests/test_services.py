"""Business rules: validation, ownership, ordering and completion."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quickscale_themes.todo import selectors, services
from quickscale_themes.todo.models import Task

pytestmark = pytest.mark.django_db


def titles(todo_list, done=False):
    tasks = Task.objects.filter(todo_list=todo_list, done=done).order_by("position", "pk")
    return [task.title for task in tasks]


def test_create_list_tidies_the_name_and_refuses_duplicates(user):
    todo_list = services.create_list(user, name="  Launch   checklist ")
    assert todo_list.name == "Launch checklist"

    with pytest.raises(ValidationError) as error:
        services.create_list(user, name="launch checklist")
    assert "You already have a list with this name." in str(error.value)

    with pytest.raises(ValidationError):
        services.create_list(user, name="   ")


def test_rename_keeps_its_own_name_valid_and_refuses_another_lists(user, groceries):
    services.rename_list(user, groceries, name="GROCERIES")  # same list, other case: fine
    services.create_list(user, name="Home")

    with pytest.raises(ValidationError):
        services.rename_list(user, groceries, name="home")
    groceries.refresh_from_db()
    assert groceries.name == "GROCERIES"


def test_another_users_objects_are_refused(user, theirs):
    task = theirs.tasks.get()
    with pytest.raises(PermissionDenied):
        services.rename_list(user, theirs, name="Mine now")
    with pytest.raises(PermissionDenied):
        services.add_task(user, theirs, title="Sneaky")
    with pytest.raises(PermissionDenied):
        services.set_done(user, task, True)
    with pytest.raises(PermissionDenied):
        services.move_task(user, task, "up")
    with pytest.raises(PermissionDenied):
        services.delete_task(user, task)
    with pytest.raises(PermissionDenied):
        services.delete_list(user, theirs)
    assert theirs.tasks.count() == 1


def test_tasks_cannot_move_into_another_users_list(user, groceries, theirs):
    task = services.add_task(user, groceries, title="Milk")
    with pytest.raises(PermissionDenied):
        services.update_task(user, task, todo_list=theirs)


def test_tasks_are_added_at_the_end(user, groceries):
    for title in ("Milk", "Eggs", "Bread"):
        services.add_task(user, groceries, title=title)
    assert titles(groceries) == ["Milk", "Eggs", "Bread"]


def test_completing_records_the_time_and_reopening_clears_it(user, groceries):
    task = services.add_task(user, groceries, title="Milk")

    services.set_done(user, task, True)
    task.refresh_from_db()
    assert task.done and task.completed_at is not None

    services.set_done(user, task, False)
    task.refresh_from_db()
    assert not task.done and task.completed_at is None


def test_move_swaps_neighbours_and_stops_at_the_ends(user, groceries):
    milk, eggs, bread = (
        services.add_task(user, groceries, title=t) for t in ("Milk", "Eggs", "Bread")
    )

    services.move_task(user, bread, "up")
    assert titles(groceries) == ["Milk", "Bread", "Eggs"]
    services.move_task(user, milk, "up")  # already first
    assert titles(groceries) == ["Milk", "Bread", "Eggs"]
    services.move_task(user, milk, "down")
    assert titles(groceries) == ["Bread", "Milk", "Eggs"]
    services.move_task(user, eggs, "down")  # already last
    assert titles(groceries) == ["Bread", "Milk", "Eggs"]

    with pytest.raises(ValueError):
        services.move_task(user, eggs, "sideways")


def test_move_renumbers_tasks_with_equal_positions(user, groceries):
    tasks = [services.add_task(user, groceries, title=t) for t in ("A", "B", "C")]
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(position=7)

    services.move_task(user, tasks[2], "up")

    assert titles(groceries) == ["A", "C", "B"]
    positions = list(Task.objects.filter(todo_list=groceries).values_list("position", flat=True))
    assert sorted(positions) == [0, 1, 2]


def test_move_only_counts_tasks_in_the_same_state(user, groceries):
    first = services.add_task(user, groceries, title="First")
    services.set_done(user, services.add_task(user, groceries, title="Done one"), True)
    last = services.add_task(user, groceries, title="Last")

    services.move_task(user, last, "up")

    assert titles(groceries) == ["Last", "First"]
    first.refresh_from_db()
    assert first.position == 1


def test_update_task_validates_and_refuses_unknown_fields(user, groceries):
    task = services.add_task(user, groceries, title="Milk")

    services.update_task(
        user,
        task,
        title=" Oat  milk ",
        priority=Task.Priority.HIGH,
        due_date=datetime.date(2030, 1, 1),
    )
    task.refresh_from_db()
    assert (task.title, task.priority, task.due_date) == ("Oat milk", 3, datetime.date(2030, 1, 1))

    with pytest.raises(ValidationError):
        services.update_task(user, task, title="")
    with pytest.raises(ValidationError):
        services.update_task(user, task, priority=9)
    with pytest.raises(TypeError):
        services.update_task(user, task, completed_at=None)


def test_moving_a_task_to_another_list_puts_it_last(user, groceries):
    home = services.create_list(user, name="Home")
    services.add_task(user, home, title="Paint")
    milk = services.add_task(user, groceries, title="Milk")

    services.update_task(user, milk, todo_list=home)

    assert titles(home) == ["Paint", "Milk"]
    assert titles(groceries) == []


def test_without_plans_there_is_no_list_limit(user, settings):
    from quickscale_core import extensions

    if extensions.provider("entitlements"):
        pytest.skip("a module provides plans: test_plan_limit.py covers the limit")
    assert selectors.list_limit(user) is None
    for number in range(12):
        services.create_list(user, name=f"List {number}")
    assert selectors.can_create_list(user)
