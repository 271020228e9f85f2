"""Prints database queries per page for every main page of a generated project.

    make bench-queries      # or: python benchmarks/query_counts.py [--verbose]

Renders the default project and the all-modules project (theme=todo from the working tree
when that theme is available and passes `manage.py check`, else the committed starter), and
runs benchmarks/project_side.py inside each with the shared project venv: test settings,
an in-memory SQLite database built without migrations, a signed-in verified user, an API
key and a todo list of 200 tasks. Each page is requested once to warm up, then once under
CaptureQueriesContext; "same" is the largest number of queries with the same shape
(literals removed), the N+1 signal; "cpu ms" is the CPU time Django spends on the page in
process (median of 10, no HTTP, SQLite in memory).
Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchlib import (
    TODO_UNAVAILABLE,
    clean_project_env,
    project_python,
    render,
    run,
    shipped_modules,
    template_source,
    todo_project,
)

PROBE = Path(__file__).resolve().parent / "project_side.py"


def page_rows(project: Path) -> list[dict]:
    env = {**clean_project_env(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = run([project_python(), PROBE, "queries"], project, env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_table(title: str, rows: list[dict], verbose: bool) -> None:
    print(f"\n{title}")
    print(f"{'page':<34} {'status':>6} {'queries':>7} {'same':>5} {'cpu ms':>7} {'KiB':>6}")
    for row in rows:
        print(
            f"{row['page']:<34} {row['status']:>6} {row['queries']:>7} "
            f"{row['max_same_shape']:>5} {row['ms']:7.1f} {row['kb']:6.1f}"
        )
    for row in rows:
        if row["repeated_sql"]:
            print(f"  {row['page']}: {row['max_same_shape']}x {row['repeated_sql']}")
        if verbose:
            for sql in row["sql"]:
                print(f"    {row['page']}: {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every query of every page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quickscale-queries-") as tmp:
        root = Path(tmp)
        src, ref = template_source(root, worktree=False)
        default = render(src, ref, root / "default")
        print_table("default project (starter, no modules)", page_rows(default), args.verbose)
        modules = shipped_modules()
        todo, why = todo_project(root, modules)
        if todo is None:
            print(f"\n{TODO_UNAVAILABLE} ({why}): todo pages are left out")
            project = render(src, ref, root / "all_modules", modules=modules)
            title = f"all modules ({', '.join(modules)}), starter theme"
        else:
            project = todo
            title = f"all modules ({', '.join(modules)}), todo theme"
        print_table(title, page_rows(project), args.verbose)


if __name__ == "__main__":
    main()
