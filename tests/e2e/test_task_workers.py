"""Background workers as production runs them (issue #17): `manage.py run_worker` processes
of a project with the tasks module, on PostgreSQL, then on Redis.

- Database queue, two workers: every enqueued task runs exactly once, and both workers ran
  some of them.
- Database queue, a worker killed (SIGKILL) in the middle of a task: another worker gives the
  task back once the dead one's heartbeat is stale, runs it to the end, and the task is
  recorded successful once; it started twice, finished once.
- Redis (TASKS_BROKER_URL, RQ), two workers: every task runs exactly once, on both workers.

The tasks are quickscale_modules/tasks/tests/periodic.py's: each run appends a line naming
its process to a file, so what the workers did is read back from the file.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.helpers import clean_project_env, render, run
from tests.support.servers import new_database

TASKS = 24
PERIODIC = "quickscale_modules.tasks.tests.periodic"
ENQUEUE = f"""
from {PERIODIC} import append_line
for n in range({{count}}):
    append_line.enqueue({{path!r}}, f"task-{{{{n}}}}", pause=0.5)
"""
STATUS = """
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(task_path__endswith=".{name}")
print(sorted(rows.values_list("status", flat=True)))
"""


@pytest.fixture(scope="module")
def tasks_project(template_snapshot, tmp_path_factory, project_python, postgres_url):
    """The tasks module alone, migrated on its own PostgreSQL database; (project, env)."""
    project = render(template_snapshot, tmp_path_factory.mktemp("tasks") / "client_acme",
                     modules=["tasks"])  # fmt: skip
    database_url = new_database(postgres_url, f"tasks_{os.getpid()}")
    env = {
        **clean_project_env(),
        "DATABASE_URL": database_url,
        "DEBUG": "false",  # as in production: no autoreloader around the workers
        # Short enough for a test to wait out, long enough (3 beats) for a busy worker.
        "TASKS_HEARTBEAT_SECONDS": "1",
        "TASKS_WORKER_LOST_AFTER": "3",
    }
    run([project_python, "manage.py", "migrate", "--noinput", "-v0"], project, env)
    return project, env


def shell(project, python, env, code: str) -> str:
    return run([python, "manage.py", "shell", "-v0", "-c", code], project, env).stdout


@contextmanager
def workers(project, python, env, count: int, logs: Path):
    """`count` run_worker processes; yields their Popen objects, stopped (SIGTERM) after."""
    started = []
    try:
        for n in range(count):
            log = (logs / f"worker-{n}.log").open("w")
            started.append(subprocess.Popen(  # noqa: S603
                [str(python), "manage.py", "run_worker"], cwd=project, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            ))  # fmt: skip
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for_lines(path: Path, count: int, processes, timeout: float = 120) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            time.sleep(1.5)  # anything run twice would show up now
            return path.read_text().splitlines()
        for process in processes:
            assert process.poll() is None, f"worker {process.pid} exited {process.returncode}"
        assert time.monotonic() < deadline, f"{len(lines)} of {count} lines after {timeout} s"
        time.sleep(0.2)


def runs_by_task(lines: list[str]) -> collections.Counter:
    return collections.Counter(line.split()[0] for line in lines)


def worker_pids(lines: list[str], processes) -> set[int]:
    """The workers that ran the lines' tasks: the process itself, or its parent (RQ forks)."""
    pids = {process.pid for process in processes}
    found = set()
    for line in lines:
        fields = dict(part.split("=") for part in line.split()[1:])
        found |= {int(fields["pid"]), int(fields["ppid"])} & pids
    return found


def run_on_two_workers(project, python, env, tmp_path) -> None:
    """Enqueue TASKS tasks, run two workers until all ran: each ran once, on both workers.
    Each task takes half a second, so the worker that starts first cannot run them all
    (12 s) before the other one is up, even on a busy machine."""
    out = tmp_path / "runs.txt"
    shell(project, python, env, ENQUEUE.format(path=str(out), count=TASKS))

    with workers(project, python, env, 2, tmp_path) as started:
        lines = wait_for_lines(out, TASKS, started)

    counts = runs_by_task(lines)
    assert counts == {f"task-{n}": 1 for n in range(TASKS)}, counts
    assert len(worker_pids(lines, started)) == 2, "one worker ran everything"


def test_two_database_workers_run_every_task_exactly_once(tasks_project, project_python, tmp_path):
    project, env = tasks_project

    run_on_two_workers(project, project_python, env, tmp_path)

    statuses = shell(project, project_python, env, STATUS.format(name="append_line"))
    assert statuses.strip() == str(["SUCCESSFUL"] * TASKS)


def test_a_task_whose_worker_is_killed_runs_again_on_another_once(
    tasks_project, project_python, tmp_path
):
    project, env = tasks_project
    out, release = tmp_path / "hold.txt", tmp_path / "release"
    code = f"from {PERIODIC} import hold\nhold.enqueue({str(out)!r}, {str(release)!r})"
    shell(project, project_python, env, code)

    with workers(project, project_python, env, 1, tmp_path) as [first]:
        wait_for_lines(out, 1, [first])
        os.killpg(first.pid, signal.SIGKILL)  # mid-task: no chance to clean up
        first.wait(timeout=10)
    (tmp_path / "second").mkdir()
    with workers(project, project_python, env, 1, tmp_path / "second") as [second]:
        # Given back once the first worker has been silent for TASKS_WORKER_LOST_AFTER.
        lines = wait_for_lines(out, 2, [second], timeout=60)
        release.touch()
        lines = wait_for_lines(out, 3, [second], timeout=60)

    assert [line.split()[0] for line in lines] == ["start", "start", "done"]
    assert worker_pids(lines[1:], [second]) == {second.pid}
    statuses = shell(project, project_python, env, STATUS.format(name="hold"))
    assert statuses.strip() == str(["SUCCESSFUL"])


def test_two_redis_workers_run_every_task_exactly_once(
    tasks_project, project_python, tmp_path, redis_url
):
    project, env = tasks_project
    # Database 1: the shared-cache tests read database 0's keys.
    env = {**env, "TASKS_BROKER_URL": redis_url.rsplit("/", 1)[0] + "/1"}

    run_on_two_workers(project, project_python, env, tmp_path)

    status = run([project_python, "manage.py", "tasks_status", "--json"], project, env).stdout
    assert json.loads(status) | {"oldest_wait_seconds": 0} == {
        "queue": "redis", "waiting": 0, "oldest_wait_seconds": 0, "running": 0,
        "failed_last_day": 0, "workers": 0,
    }  # fmt: skip
