"""Business rules for lists and tasks: the only code that creates, changes or deletes them.

Views, API endpoints and the seed command call these functions with the acting user. Each
checks that the user owns what it touches (views and the API already look objects up
through selectors.py, which 404s for anyone else's; this is the second lock), validates
with the model's constraints, and raises:

- django.core.exceptions.ValidationError for bad input (field errors by name),
- PermissionDenied when the object belongs to someone else,
- ListLimitReached when the user's plan allows no more lists (when a module provides plans).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Task, TodoList

# Reads the limit; services.list_limit / can_create_list keep working for older callers.
from .selectors import can_create_list, list_limit  # noqa: F401


class ListLimitReached(Exception):
    """The user's plan allows `limit` lists and they have them all."""

    def __init__(self, limit: int):
        self.limit = limit
        noun = "list" if limit == 1 else "lists"
        super().__init__(f"Your plan includes {limit} {noun}. Upgrade to create more.")


def _ensure_owner(user, todo_list: TodoList) -> None:
    if todo_list.owner_id != user.pk:
        raise PermissionDenied("This list belongs to someone else.")


def _clean_text(value: str | None) -> str:
    # Surrounding spaces never carry meaning in a name or title; inner ones are kept.
    return " ".join((value or "").split())


@transaction.atomic
def create_list(user, *, name: str) -> TodoList:
    # Lock the user's row so two simultaneous requests cannot both pass the limit check
    # (PostgreSQL; SQLite serialises writes anyway).
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    limit = list_limit(user)
    if limit is not None and TodoList.objects.filter(owner=user).count() >= limit:
        raise ListLimitReached(limit)
    todo_list = TodoList(owner=user, name=_clean_text(name))
    todo_list.full_clean()
    todo_list.save()
    return todo_list


def rename_list(user, todo_list: TodoList, *, name: str) -> TodoList:
    _ensure_owner(user, todo_list)
    todo_list.name = _clean_text(name)
    todo_list.full_clean()
    todo_list.save(update_fields=["name", "updated_at"])
    return todo_list


def delete_list(user, todo_list: TodoList) -> None:
    """Deletes the list and its tasks."""
    _ensure_owner(user, todo_list)
    todo_list.delete()


def _next_position(todo_list: TodoList, done: bool) -> int:
    last = Task.objects.filter(todo_list=todo_list, done=done).aggregate(last=Max("position"))
    return 0 if last["last"] is None else last["last"] + 1


@transaction.atomic
def add_task(
    user,
    todo_list: TodoList,
    *,
    title: str,
    due_date=None,
    priority: int = Task.Priority.NORMAL,
    done: bool = False,
) -> Task:
    """Adds a task at the end of the list."""
    _ensure_owner(user, todo_list)
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


def update_task(user, task: Task, **changes) -> Task:
    """Changes any of title, due_date, priority, done and todo_list (another of the user's lists).

    Moving a task to another list or changing `done` puts it at the end of its new group.
    """
    allowed = {"title", "due_date", "priority", "done", "todo_list"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_task() cannot change {', '.join(sorted(unknown))}")
    _ensure_owner(user, task.todo_list)
    if "todo_list" in changes:
        _ensure_owner(user, changes["todo_list"])
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


def set_done(user, task: Task, done: bool) -> Task:
    return update_task(user, task, done=done)


@transaction.atomic
def move_task(user, task: Task, direction: str) -> Task:
    """Swaps the task with its neighbour ("up" or "down") among the list's tasks of the same state.

    Renumbers that group densely (0, 1, 2...) in the same step, so positions stay tidy
    whatever happened before; only rows whose position changes are written.
    """
    if direction not in ("up", "down"):
        raise ValueError('direction must be "up" or "down"')
    _ensure_owner(user, task.todo_list)
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


def delete_task(user, task: Task) -> None:
    _ensure_owner(user, task.todo_list)
    task.delete()
