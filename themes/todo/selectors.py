"""Read-side queries: every read of lists and tasks goes through here, scoped to the user.

Views, the API and the seed command call these instead of building querysets, so "a user
only ever sees their own data" is decided in one place, and each function runs a fixed
number of queries however many rows there are (counts are annotations, not loops).
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from quickscale_core import extensions

from .models import Task, TodoList

# The plan limit that caps how many lists a user has (with billing: BILLING_PLANS "limits").
LIST_LIMIT = "projects"

STATUSES = ("open", "done", "overdue", "all")
DEFAULT_STATUS = "open"


@dataclass(frozen=True)
class TaskFilter:
    """What the task list shows: a status from STATUSES and a search text."""

    status: str = DEFAULT_STATUS
    search: str = ""

    @classmethod
    def from_query(cls, query) -> "TaskFilter":
        """From request.GET (or any mapping); unknown statuses fall back to the default.

        NUL characters are dropped from the search text: PostgreSQL refuses them in a query
        (a 500 for `?q=%00`), and nobody types them on purpose.
        """
        status = query.get("status", DEFAULT_STATUS)
        return cls(
            status=status if status in STATUSES else DEFAULT_STATUS,
            search=(query.get("q") or "").replace("\x00", "").strip()[:100],
        )


def lists_for(user) -> QuerySet[TodoList]:
    """The user's lists, each annotated with open_count, done_count and overdue_count."""
    today = timezone.localdate()
    return (
        TodoList.objects.filter(owner=user)
        .annotate(
            open_count=Count("tasks", filter=Q(tasks__done=False)),
            done_count=Count("tasks", filter=Q(tasks__done=True)),
            overdue_count=Count("tasks", filter=Q(tasks__done=False, tasks__due_date__lt=today)),
        )
        .order_by(Lower("name"), "pk")
    )  # Meta.ordering is dropped from GROUP BY queries


def list_for(user, pk) -> TodoList:
    """One of the user's lists (with counts); 404 for anyone else's."""
    return get_object_or_404(lists_for(user), pk=pk)


def tasks_for(user, *, todo_list: TodoList | None = None, task_filter=TaskFilter()):
    """The user's tasks, optionally of one list, filtered by status and search text.

    Open tasks come in their list order; done ones after them, most recently done first.
    """
    tasks = Task.objects.filter(todo_list__owner=user).select_related("todo_list")
    if todo_list is not None:
        tasks = tasks.filter(todo_list=todo_list)
    status = task_filter.status
    if status == "open":
        tasks = tasks.filter(done=False)
    elif status == "done":
        tasks = tasks.filter(done=True)
    elif status == "overdue":
        tasks = tasks.filter(done=False, due_date__lt=timezone.localdate())
    if task_filter.search:
        tasks = tasks.filter(title__icontains=task_filter.search)
    return tasks.order_by("done", "-completed_at", "position", "pk")


def task_for(user, pk) -> Task:
    """One of the user's tasks (with its list); 404 for anyone else's."""
    return get_object_or_404(tasks_for(user, task_filter=TaskFilter(status="all")), pk=pk)


def overview_for(user) -> dict[str, int]:
    """Totals across the user's lists, for the dashboard card: two queries."""
    today = timezone.localdate()
    return Task.objects.filter(todo_list__owner=user).aggregate(
        open=Count("pk", filter=Q(done=False)),
        due_today=Count("pk", filter=Q(done=False, due_date=today)),
        overdue=Count("pk", filter=Q(done=False, due_date__lt=today)),
        done=Count("pk", filter=Q(done=True)),
    ) | {"lists": TodoList.objects.filter(owner=user).count()}


def list_limit(user) -> int | None:
    """How many lists the user may have: None when unlimited (or when no module provides plans)."""
    return extensions.entitlement_limit(user, LIST_LIMIT)


def can_create_list(user) -> bool:
    limit = list_limit(user)
    return limit is None or TodoList.objects.filter(owner=user).count() < limit
