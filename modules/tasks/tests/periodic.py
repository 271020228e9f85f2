"""Tasks the tests schedule and run (a module's tasks live in its own tasks.py)."""

from pathlib import Path

from django_tasks import task


@task
def tick() -> str:
    return "tick"


@task
def append_line(path: str, line: str) -> str:
    # Opened in append mode per run: what several worker processes did shows as lines.
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    return line


def not_a_task() -> None:
    """A plain function: scheduling it is refused by the system check."""
