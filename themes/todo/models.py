"""Lists and their tasks. Rules that the database can hold are constraints here; rules that
need the team or the plan (the team's lists, the plan's list limit, ordering) live in
services.py.

A list belongs to a team (TeamScopedModel: the `team` foreign key, and `objects` that refuses
any query not starting with `.for_team(team)`); every member of the team sees and edits it.
Tasks have no team of their own: they are reached through a list of the team.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from quickscale_core.scoping import TeamScopedModel


class TodoList(TeamScopedModel):
    # The member who created the list (the field keeps its first name, `owner`, so existing
    # databases and code that read it keep working). The list belongs to the team: when its
    # creator's account is deleted, it stays with the team.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="todo_lists",
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "list"
        ordering = [Lower("name"), "pk"]
        constraints = [
            # "Groceries" and "groceries" are the same list to a person, and to their team.
            models.UniqueConstraint(
                Lower("name"),
                "team",
                name="todo_list_name_unique_per_team",
                violation_error_message="There is already a list with this name.",
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="todo_list_name_not_blank",
                violation_error_message="A list needs a name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"

    todo_list = models.ForeignKey(TodoList, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.NORMAL)
    # Order within the list among tasks with the same `done` value; services.move_task keeps
    # it dense. Not unique: swapping two positions would need a deferrable constraint,
    # which SQLite lacks.
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["todo_list", "done", "position"], name="todo_task_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title=""),
                name="todo_task_title_not_blank",
                violation_error_message="A task needs a title.",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=3),
                name="todo_task_priority_valid",
            ),
            # A done task knows when it was done; an open one has no completion time.
            models.CheckConstraint(
                condition=models.Q(done=True, completed_at__isnull=False)
                | models.Q(done=False, completed_at__isnull=True),
                name="todo_task_completed_at_matches_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title
