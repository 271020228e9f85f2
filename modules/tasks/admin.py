"""The queue in the admin. django-tasks-db's "Task results" list every task (waiting,
running, finished with its value, failed with its traceback); this module adds an action to
run failed tasks again, and read-only lists of workers and periodic-task slots."""

from django.contrib import admin, messages
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import services
from .models import ScheduleSlot, WorkerHeartbeat

# Tasks whose arguments are secrets in transit: an email carries password-reset links and
# sign-in codes, which would let whoever reads them take over the account.
SECRET_ARGUMENTS = {"quickscale_core.emails.deliver"}


class TaskResultAdmin(DBTaskResultAdmin):
    actions = ["enqueue_again"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["shown_arguments" if name == "args_kwargs" else name for name in fields]

    @admin.display(description="arguments")
    def shown_arguments(self, obj):
        if obj.task_path not in SECRET_ARGUMENTS:
            return obj.args_kwargs
        data = (obj.args_kwargs.get("args") or [{}])[0]
        data = data if isinstance(data, dict) else {}
        return (
            f"Email “{data.get('subject', '')}” to {', '.join(data.get('to') or [])} "
            "(its content is not shown: it may hold sign-in links and codes)"
        )

    def has_run_again_permission(self, request):
        # Running a task again acts with its arguments (an email is sent again): superusers.
        return request.user.is_superuser

    @admin.action(description="Run the selected failed tasks again", permissions=["run_again"])
    def enqueue_again(self, request, queryset):
        again = services.enqueue_again(queryset.values_list("pk", flat=True))
        skipped = queryset.count() - len(again)
        self.message_user(request, f"{len(again)} task(s) enqueued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} skipped: only failed tasks whose code still exists run again.",
                messages.WARNING,
            )


# django-tasks-db registers its own admin first (it comes earlier in INSTALLED_APPS).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("hostname", "pid", "queues", "started_at", "seen_at", "worker_id")


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(ReadOnlyAdmin):
    list_display = ("name", "next_run_at", "last_enqueued_at")
    actions = ["run_now"]

    def has_run_now_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="Run the selected periodic tasks now", permissions=["run_now"])
    def run_now(self, request, queryset):
        moved = services.run_periodic_now(queryset.values_list("name", flat=True))
        self.message_user(
            request,
            f"{moved} periodic task(s) will run at the next worker pulse.",
            messages.SUCCESS,
        )
