"""Business rules for lists and tasks: the only code that creates, changes or deletes them.

Views, API endpoints and the seed command call these functions with the team they act in
(request.team), and create_list also with the member creating the list. Each checks that
what it touches belongs to that team (views and the API already look objects up through
selectors.py, which 404s for another team's; this is the second lock), validates with the
model's constraints, and raises:

- django.core.exceptions.ValidationError for bad input (field errors by name),
- PermissionDenied when the object belongs to another team,
- ListLimitReached when the plan allows no more lists (when a module provides plans).

Whether the user may act in the team at all (a member whose role allows
selectors.LISTS_PERMISSION) is checked once per request, by the views and the API.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from quickscale_core.models import Team

from .models import Task, TodoList

# Reads the limit; services.list_limit / can_create_list keep working for older callers.
from .selectors import can_create_list, list_limit  # noqa: F401


class ListLimitReached(Exception):
    """The plan allows `limit` lists and the team has them all."""

    def __init__(self, limit: int):
        self.limit = limit
        noun = "list" if limit == 1 else "lists"
        super().__init__(f"Your plan includes {limit} {noun}. Upgrade to create more.")


def _ensure_team(team, todo_list: TodoList) -> None:
    if team is None or todo_list.team_id != team.pk:
        raise PermissionDenied("This list belongs to another team.")


def _clean_text(value: str | None) -> str:
    # Surrounding spaces never carry meaning in a name or title; inner ones are kept.
    return " ".join((value or "").split())


@transaction.atomic
def create_list(team, user, *, name: str) -> TodoList:
    """A new list of `team`, created by `user` (its `owner`); the team's plan limits how many
    lists it has."""
    if team is None:
        raise PermissionDenied("A list needs a team.")
    # Lock the team's row so two simultaneous requests cannot both pass the limit check
    # (PostgreSQL; SQLite serialises writes anyway).
    Team.objects.select_for_update().filter(pk=team.pk).exists()
    limit = list_limit(team)
    if limit is not None and TodoList.objects.for_team(team).count() >= limit:
        raise ListLimitReached(limit)
    todo_list = TodoList(team=team, owner=user, name=_clean_text(name))
    todo_list.full_clean()
    todo_list.save()
    return todo_list


def rename_list(team, todo_list: TodoList, *, name: str) -> TodoList:
    _ensure_team(team, todo_list)
    todo_list.name = _clean_text(name)
    todo_list.full_clean()
    todo_list.save(update_fields=["name", "updated_at"])
    return todo_list


def delete_list(team, todo_list: TodoList) -> None:
    """Deletes the list and its tasks."""
    _ensure_team(team, todo_list)
    todo_list.delete()


def _next_position(todo_list: TodoList, done: bool) -> int:
    last = Task.objects.filter(todo_list=todo_list, done=done).aggregate(last=Max("position"))
    return 0 if last["last"] is None else last["last"] + 1


@transaction.atomic
def add_task(
    team,
    todo_list: TodoList,
    *,
    title: str,
    due_date=None,
    priority: int = Task.Priority.NORMAL,
    done: bool = False,
) -> Task:
    """Adds a task at the end of the list."""
    _ensure_team(team, todo_list)
    task = Task(
        todo_list=todo_list,
        title=_clean_text(title),
        due_date=due_date,
        priority=priority,
        done=done,
        completed_at=timezone.now() if done else None,
        position=_next_position(todo_list, done),
    )
    task.full_clean()
    task.save()
    return task


def update_task(team, task: Task, **changes) -> Task:
    """Changes any of title, due_date, priority, done and todo_list (another list of the team).

    Moving a task to another list or changing `done` puts it at the end of its new group.
    """
    allowed = {"title", "due_date", "priority", "done", "todo_list"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_task() cannot change {', '.join(sorted(unknown))}")
    _ensure_team(team, task.todo_list)
    if "todo_list" in changes:
        _ensure_team(team, changes["todo_list"])
    if "title" in changes:
        changes["title"] = _clean_text(changes["title"])

    regroup = ("done" in changes and changes["done"] != task.done) or (
        "todo_list" in changes and changes["todo_list"].pk != task.todo_list_id
    )
    for field, value in changes.items():
        setattr(task, field, value)
    if "done" in changes:
        if task.done and task.completed_at is None:
            task.completed_at = timezone.now()
        elif not task.done:
            task.completed_at = None
    with transaction.atomic():
        if regroup:
            task.position = _next_position(task.todo_list, task.done)
        task.full_clean()
        task.save()
    return task


def set_done(team, task: Task, done: bool) -> Task:
    return update_task(team, task, done=done)


@transaction.atomic
def move_task(team, task: Task, direction: str) -> Task:
    """Swaps the task with its neighbour ("up" or "down") among the list's tasks of the same state.

    Renumbers that group densely (0, 1, 2...) in the same step, so positions stay tidy
    whatever happened before; only rows whose position changes are written.
    """
    if direction not in ("up", "down"):
        raise ValueError('direction must be "up" or "down"')
    _ensure_team(team, task.todo_list)
    group = list(
        Task.objects.select_for_update()
        .filter(todo_list_id=task.todo_list_id, done=task.done)
        .order_by("position", "pk")
        .only("pk", "position")
    )
    index = next(i for i, sibling in enumerate(group) if sibling.pk == task.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(group):
        group[index], group[target] = group[target], group[index]
    changed = []
    for position, sibling in enumerate(group):
        if sibling.position != position:
            sibling.position = position
            changed.append(sibling)
    Task.objects.bulk_update(changed, ["position"])
    task.position = next(sibling.position for sibling in group if sibling.pk == task.pk)
    return task


def delete_task(team, task: Task) -> None:
    _ensure_team(team, task.todo_list)
    task.delete()
