from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "quickscale_modules.tasks"
    label = "quickscale_tasks"
    verbose_name = "Tasks"

    def ready(self) -> None:
        from . import checks, dev_worker  # noqa: F401

        # In development, runserver runs a worker beside the site (TASKS_WORKER_IN_RUNSERVER).
        dev_worker.start_if_runserver()
