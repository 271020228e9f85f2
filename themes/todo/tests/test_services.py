"""Business rules: validation, the team check, ordering and completion."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quickscale_themes.todo import selectors, services
from quickscale_themes.todo.models import Task

pytestmark = pytest.mark.django_db


def titles(todo_list, done=False):
    tasks = Task.objects.filter(todo_list=todo_list, done=done).order_by("position", "pk")
    return [task.title for task in tasks]


def test_create_list_tidies_the_name_and_refuses_duplicates(team, user):
    todo_list = services.create_list(team, user, name="  Launch   checklist ")
    assert todo_list.name == "Launch checklist"

    with pytest.raises(ValidationError) as error:
        services.create_list(team, user, name="launch checklist")
    assert "There is already a list with this name." in str(error.value)

    with pytest.raises(ValidationError):
        services.create_list(team, user, name="   ")


def test_rename_keeps_its_own_name_valid_and_refuses_another_lists(team, user, groceries):
    services.rename_list(team, groceries, name="GROCERIES")  # same list, other case: fine
    services.create_list(team, user, name="Home")

    with pytest.raises(ValidationError):
        services.rename_list(team, groceries, name="home")
    groceries.refresh_from_db()
    assert groceries.name == "GROCERIES"


def test_another_teams_objects_are_refused(team, theirs):
    task = theirs.tasks.get()
    with pytest.raises(PermissionDenied):
        services.rename_list(team, theirs, name="Mine now")
    with pytest.raises(PermissionDenied):
        services.add_task(team, theirs, title="Sneaky")
    with pytest.raises(PermissionDenied):
        services.set_done(team, task, True)
    with pytest.raises(PermissionDenied):
        services.move_task(team, task, "up")
    with pytest.raises(PermissionDenied):
        services.delete_task(team, task)
    with pytest.raises(PermissionDenied):
        services.delete_list(team, theirs)
    assert theirs.tasks.count() == 1


def test_tasks_cannot_move_into_another_teams_list(team, groceries, theirs):
    task = services.add_task(team, groceries, title="Milk")
    with pytest.raises(PermissionDenied):
        services.update_task(team, task, todo_list=theirs)


def test_tasks_are_added_at_the_end(team, groceries):
    for title in ("Milk", "Eggs", "Bread"):
        services.add_task(team, groceries, title=title)
    assert titles(groceries) == ["Milk", "Eggs", "Bread"]


def test_completing_records_the_time_and_reopening_clears_it(team, groceries):
    task = services.add_task(team, groceries, title="Milk")

    services.set_done(team, task, True)
    task.refresh_from_db()
    assert task.done and task.completed_at is not None

    services.set_done(team, task, False)
    task.refresh_from_db()
    assert not task.done and task.completed_at is None


def test_move_swaps_neighbours_and_stops_at_the_ends(team, groceries):
    milk, eggs, bread = (
        services.add_task(team, groceries, title=t) for t in ("Milk", "Eggs", "Bread")
    )

    services.move_task(team, bread, "up")
    assert titles(groceries) == ["Milk", "Bread", "Eggs"]
    services.move_task(team, milk, "up")  # already first
    assert titles(groceries) == ["Milk", "Bread", "Eggs"]
    services.move_task(team, milk, "down")
    assert titles(groceries) == ["Bread", "Milk", "Eggs"]
    services.move_task(team, eggs, "down")  # already last
    assert titles(groceries) == ["Bread", "Milk", "Eggs"]

    with pytest.raises(ValueError):
        services.move_task(team, eggs, "sideways")


def test_move_renumbers_tasks_with_equal_positions(team, groceries):
    tasks = [services.add_task(team, groceries, title=t) for t in ("A", "B", "C")]
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(position=7)

    services.move_task(team, tasks[2], "up")

    assert titles(groceries) == ["A", "C", "B"]
    positions = list(Task.objects.filter(todo_list=groceries).values_list("position", flat=True))
    assert sorted(positions) == [0, 1, 2]


def test_move_only_counts_tasks_in_the_same_state(team, groceries):
    first = services.add_task(team, groceries, title="First")
    services.set_done(team, services.add_task(team, groceries, title="Done one"), True)
    last = services.add_task(team, groceries, title="Last")

    services.move_task(team, last, "up")

    assert titles(groceries) == ["Last", "First"]
    first.refresh_from_db()
    assert first.position == 1


def test_update_task_validates_and_refuses_unknown_fields(team, groceries):
    task = services.add_task(team, groceries, title="Milk")

    services.update_task(
        team,
        task,
        title=" Oat  milk ",
        priority=Task.Priority.HIGH,
        due_date=datetime.date(2030, 1, 1),
    )
    task.refresh_from_db()
    assert (task.title, task.priority, task.due_date) == ("Oat milk", 3, datetime.date(2030, 1, 1))

    with pytest.raises(ValidationError):
        services.update_task(team, task, title="")
    with pytest.raises(ValidationError):
        services.update_task(team, task, priority=9)
    with pytest.raises(TypeError):
        services.update_task(team, task, completed_at=None)


def test_moving_a_task_to_another_list_puts_it_last(team, user, groceries):
    home = services.create_list(team, user, name="Home")
    services.add_task(team, home, title="Paint")
    milk = services.add_task(team, groceries, title="Milk")

    services.update_task(team, milk, todo_list=home)

    assert titles(home) == ["Paint", "Milk"]
    assert titles(groceries) == []


def test_without_plans_there_is_no_list_limit(team, user, settings):
    from quickscale_core import extensions

    if extensions.provider("entitlements"):
        pytest.skip("a module provides plans: test_plan_limit.py covers the limit")
    assert selectors.list_limit(team) is None
    for number in range(12):
        services.create_list(team, user, name=f"List {number}")
    assert selectors.can_create_list(team)
