"""Read-side queries: every read of lists and tasks goes through here, scoped to a team.

Views, the API and the seed command call these with the current team (request.team) instead
of building querysets, so "a member only ever sees their team's data" is decided in one place:
another team's list or task is a 404, exactly like one that does not exist. Every member of
the team sees the same lists. Each function runs a fixed number of queries however many rows,
teams or members there are (counts are annotations, not loops).
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from quickscale_core import extensions
from quickscale_core.scoping import UnscopedQuery

from .models import Task, TodoList

# The plan limit that caps how many lists a team has (with billing: BILLING_PLANS "limits").
# It is the team's plan, whoever creates the list (the team is the customer:
# quickscale_core.extensions.entitlement_limit).
LIST_LIMIT = "projects"

# What a member's role must allow to use the team's lists (read and write): every default
# role has it (quickscale_core/roles.py). A read-only role would need a second action here.
LISTS_PERMISSION = "team.view"

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


def _tasks_of(team) -> QuerySet[Task]:
    """Tasks have no team of their own: those of the team's lists."""
    if team is None:  # Like TodoList.objects.for_team(None): never every team's tasks.
        raise UnscopedQuery("Tasks need a team: none was given.")
    return Task.objects.filter(todo_list__team=team)


def lists_for(team) -> QuerySet[TodoList]:
    """The team's lists, each annotated with open_count, done_count and overdue_count."""
    today = timezone.localdate()
    return (
        TodoList.objects.for_team(team)
        .annotate(
            open_count=Count("tasks", filter=Q(tasks__done=False)),
            done_count=Count("tasks", filter=Q(tasks__done=True)),
            overdue_count=Count("tasks", filter=Q(tasks__done=False, tasks__due_date__lt=today)),
        )
        .order_by(Lower("name"), "pk")
    )  # Meta.ordering is dropped from GROUP BY queries


def list_for(team, pk) -> TodoList:
    """One of the team's lists (with counts); 404 for any other team's."""
    return get_object_or_404(lists_for(team), pk=pk)


def tasks_for(team, *, todo_list: TodoList | None = None, task_filter=TaskFilter()):
    """The team's tasks, optionally of one list, filtered by status and search text.

    Open tasks come in their list order; done ones after them, most recently done first.
    """
    tasks = _tasks_of(team).select_related("todo_list")
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


def task_for(team, pk) -> Task:
    """One of the team's tasks (with its list); 404 for any other team's."""
    return get_object_or_404(tasks_for(team, task_filter=TaskFilter(status="all")), pk=pk)


def overview_for(team) -> dict[str, int]:
    """Totals across the team's lists, for the dashboard card: two queries."""
    today = timezone.localdate()
    return _tasks_of(team).aggregate(
        open=Count("pk", filter=Q(done=False)),
        due_today=Count("pk", filter=Q(done=False, due_date=today)),
        overdue=Count("pk", filter=Q(done=False, due_date__lt=today)),
        done=Count("pk", filter=Q(done=True)),
    ) | {"lists": TodoList.objects.for_team(team).count()}


def list_limit(team) -> int | None:
    """How many lists `team` may have: its plan's limit. None when unlimited (or when no module
    provides plans)."""
    return extensions.entitlement_limit(team, LIST_LIMIT)


def can_create_list(team, user=None) -> bool:
    """Whether `team` may have another list (its lists against its plan), whoever creates it.
    `user` is ignored: kept for callers from when the creator's plan set the limit."""
    limit = list_limit(team)
    return limit is None or TodoList.objects.for_team(team).count() < limit
