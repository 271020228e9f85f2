"""The lists and tasks in Django's admin: every team's (staff see all rows), read through
TodoList.unscoped, the plain manager, since the admin acts in no team."""

from django.contrib import admin
from django.db.models import Count, Q

from .models import Task, TodoList


class TaskInline(admin.TabularInline):
    model = Task
    fields = ["title", "done", "due_date", "priority", "position"]
    extra = 0
    ordering = ["done", "position"]


@admin.register(TodoList)
class TodoListAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "owner", "open_tasks", "created_at"]
    search_fields = ["name", "team__name", "owner__email"]
    list_select_related = ["team", "owner"]
    autocomplete_fields = ["team", "owner"]
    date_hierarchy = "created_at"
    inlines = [TaskInline]

    def get_queryset(self, request):
        # One query for the counts column, not one per row.
        return TodoList.unscoped.annotate(
            open_task_count=Count("tasks", filter=Q(tasks__done=False))
        )

    @admin.display(description="Open tasks", ordering="open_task_count")
    def open_tasks(self, obj):
        return obj.open_task_count


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "todo_list", "team", "done", "due_date", "priority"]
    list_filter = ["done", "priority", "due_date"]
    search_fields = ["title", "todo_list__name", "todo_list__team__name"]
    list_select_related = ["todo_list__team"]
    autocomplete_fields = ["todo_list"]
    readonly_fields = ["completed_at", "created_at", "updated_at"]

    @admin.display(description="Team", ordering="todo_list__team__name")
    def team(self, obj):
        return obj.todo_list.team
