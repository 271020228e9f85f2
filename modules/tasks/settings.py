# Settings of the Tasks module. When a project has the module, everything below the
# marker line goes into config/settings/base.py verbatim (extensions/wiring.jinja).
# This file is never imported: the lines above the marker stand in for names base.py
# defines earlier, so that it lints and compiles on its own.
import environ

env = environ.Env()

# --- Included verbatim into config/settings/base.py below this line ---
# Where tasks wait for a worker (docs/modules/tasks.md). Unset: a table in the project's
# database, run by `manage.py run_worker` (as many as you like). redis://...: Redis through
# RQ, for many workers on many machines; the same `manage.py run_worker` runs them.
TASKS_BROKER_URL = env.str("TASKS_BROKER_URL", default="")
if TASKS_BROKER_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job that runs longer than this is stopped by RQ (seconds).
    RQ_QUEUES = {"default": {"URL": TASKS_BROKER_URL, "DEFAULT_TIMEOUT": 900}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {}
# Periodic tasks of this project: {"name": {"task": "dotted.path.to.task", "every": "15m"}}
# or {"cron": "0 3 * * *"} (UTC) instead of "every". Modules add theirs in their manifests
# (`contributes: schedule:`); an entry here with the same task replaces the module's.
TASKS_SCHEDULE = {}
# Workers write a heartbeat this often (seconds). A task still marked running whose worker
# has been silent for TASKS_WORKER_LOST_AFTER seconds is run again by another worker, at
# most TASKS_MAX_RECOVERIES times (a task that kills its worker every time then fails).
TASKS_HEARTBEAT_SECONDS = env.int("TASKS_HEARTBEAT_SECONDS", default=5)
TASKS_WORKER_LOST_AFTER = env.int("TASKS_WORKER_LOST_AFTER", default=60)
TASKS_MAX_RECOVERIES = 3
# Finished task results (shown in the admin) are kept this many days.
TASKS_RESULTS_KEEP_DAYS = 14
# In development (DEBUG), runserver runs a worker beside the site, so queued emails arrive
# without a second terminal; `make worker` is what production runs.
TASKS_WORKER_IN_RUNSERVER = env.bool("TASKS_WORKER_IN_RUNSERVER", default=True)
