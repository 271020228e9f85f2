"""Tasks the tests schedule and run (a module's tasks live in its own tasks.py)."""

import os
import time
from pathlib import Path

from django_tasks import task


@task
def tick() -> str:
    return "tick"


@task
def append_line(path: str, line: str, pause: float = 0.0) -> str:
    # Opened in append mode per run: what several worker processes did shows as lines, with
    # the process that ran it and its parent (RQ runs each job in a child of the worker).
    # `pause` keeps a worker busy a moment, so that a second one gets its share.
    time.sleep(pause)
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(f"{line} pid={os.getpid()} ppid={os.getppid()}\n")
    return line


@task
def hold(path: str, release: str) -> str:
    """Notes its start, then waits until the file `release` exists (a test kills the worker
    meanwhile), then notes its end."""
    append_line.call(path, "start")
    deadline = time.monotonic() + 120
    while not Path(release).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{release} never appeared")
        time.sleep(0.1)
    append_line.call(path, "done")
    return "done"


def not_a_task() -> None:
    """A plain function: scheduling it is refused by the system check."""


@task
def explode(message: str) -> None:
    # "<NUL>" becomes the NUL character here: PostgreSQL would refuse it in the arguments.
    raise ValueError(message.replace("<NUL>", "\x00"))
