"""Workers and periodic-task slots in the admin, read-only; the tasks themselves (queued,
running, failed with their traceback, finished) are django-tasks-db's "Task results"."""

from django.contrib import admin

from .models import ScheduleSlot, WorkerHeartbeat


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

    def has_delete_permission(self, request, obj=None):
        # Deleting a slot makes its task due again at the next pulse: a way to run it now.
        return True
