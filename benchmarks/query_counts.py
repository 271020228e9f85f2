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

Then the CPU time per request of the pages with a goal in issue 20 (the todo list page and
the API's tasks of a list, 50 tasks each), best of ROUNDS x REPEAT requests, and their ratio
to a bare Django project's hello view measured the same way in the same run (http_load.py's
baseline: startproject, DEBUG off, the test client, no HTTP). `--before REF` measures the todo
project rendered from the commit REF as well (e.g. the commit before a change), interleaved
with the working tree's, so both come from the same machine and minute.

`--floors` prints only the floors under issue 20's page goals (docs/performance.md,
"Floors"): CPU per request through Django's WSGI handler of a hello view in a bare
startproject, the same view behind the all-modules project's middleware (anonymous, signed
in, signed in with the current team), and the real landing page and dashboard, under the
project's production settings (config.settings.prod after collectstatic, behind a TLS proxy)
with an in-memory SQLite database. `--floors --before REF` adds the project of commit REF.
Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from benchlib import (
    TODO_UNAVAILABLE,
    clean_project_env,
    committed_template,
    project_python,
    render,
    run,
    shipped_modules,
    template_source,
    todo_project,
)
from http_load import bare_project

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


# (row, goal in CPU ms, goal as a ratio to the bare hello view) from issue 20.
CPU_GOALS = {
    "todo list page, 50 tasks": (8.0, 0.1),
    "API tasks of a list, page of 50": (None, 0.3),
}
ROUNDS = 5
REPEAT = 20
FLOOR_ROUNDS = 5  # processes per project, alternating; each measures 3 rounds of FLOOR_REPEAT
FLOOR_REPEAT = 1000
# The ratio goals of issue 20 that a floor row bounds from above.
FLOOR_GOALS = {
    "hello, the project's middleware": "landing >= 0.8x",
    "hello, signed in, no team lookup": "dashboard >= 0.6x (if the team were free)",
    "hello, signed in, with the team": "dashboard >= 0.6x (as the team costs now)",
    "landing (anonymous)": ">= 0.8x",
    "dashboard": ">= 0.6x",
}


def prod_env() -> dict[str, str]:
    """config.settings.prod behind a TLS proxy, with an in-memory SQLite database."""
    return {
        **clean_project_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
        "DATABASE_URL": "sqlite://:memory:",
        "ALLOWED_HOSTS": "127.0.0.1",
        "AUTH_TRUSTED_PROXY_COUNT": "0",
    }


def floors(projects: dict[str, Path], bare: Path) -> tuple[float, dict[str, dict]]:
    """Best CPU ms per request of each floor row in each project, and of the bare view."""
    for project in projects.values():
        run(
            [project_python(), "manage.py", "collectstatic", "--noinput", "-v0"],
            project,
            prod_env(),
        )
    bare_env = {**clean_project_env(), "DJANGO_SETTINGS_MODULE": "bare.settings"}
    args = ["cpu-floors", "3", str(FLOOR_REPEAT)]
    hello = float("inf")
    best: dict[str, dict] = {name: {} for name in projects}
    for _ in range(FLOOR_ROUNDS):
        result = run([project_python(), PROBE, *args], bare, bare_env)
        hello = min(hello, json.loads(result.stdout.strip().splitlines()[-1])["hello"])
        for name, project in projects.items():
            result = run([project_python(), PROBE, *args], project, prod_env())
            for row, ms in json.loads(result.stdout.strip().splitlines()[-1]).items():
                best[name][row] = min(best[name].get(row, float("inf")), ms)
    return hello, best


def print_floors(hello: float, best: dict[str, dict]) -> None:
    names = list(best)
    print(
        f"\nFloors: CPU ms per request through Django's WSGI handler (best of "
        f"{FLOOR_ROUNDS}x3 rounds of {FLOOR_REPEAT}), load average {os.getloadavg()[0]:.1f}"
    )
    header = "".join(f" {name[:16]:>16} {'x bare':>7}" for name in names)
    print(f"{'row':<34}{header}  bounds")
    print(f"{'hello, bare startproject':<34}" + f" {hello:13.3f} ms {1:6.3f}x" * len(names))
    for row in best[names[-1]]:
        cells = ""
        for name in names:
            ms = best[name].get(row)
            cells += f" {ms:13.3f} ms {hello / ms:6.3f}x" if ms else f" {'-':>16} {'-':>7}"
        print(f"{row:<34}{cells}  {FLOOR_GOALS.get(row, '')}")


def cpu_rows(projects: dict[str, Path], bare: Path) -> tuple[float, dict[str, dict]]:
    """Best CPU ms of each goal row in each project, and of the bare hello view."""
    env = {**clean_project_env(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    bare_env = {**clean_project_env(), "DJANGO_SETTINGS_MODULE": "bare.settings"}
    hello = float("inf")
    best: dict[str, dict] = {name: {} for name in projects}
    for _ in range(ROUNDS):
        result = run([project_python(), PROBE, "cpu-hello", str(REPEAT)], bare, bare_env)
        hello = min(hello, json.loads(result.stdout.strip().splitlines()[-1])["hello"])
        for name, project in projects.items():
            result = run([project_python(), PROBE, "cpu-todo", str(REPEAT)], project, env)
            for row, ms in json.loads(result.stdout.strip().splitlines()[-1]).items():
                best[name][row] = min(best[name].get(row, float("inf")), ms)
    return hello, best


def print_cpu(hello: float, best: dict[str, dict]) -> None:
    names = list(best)
    print(f"\nCPU per request (best of {ROUNDS}x{REPEAT}), bare hello view {hello:.3f} ms")
    header = "".join(f" {name[:16]:>16} {'x bare':>7}" for name in names)
    print(f"{'page':<34}{header}  goal")
    for row, (goal_ms, goal_ratio) in CPU_GOALS.items():
        cells = ""
        for name in names:
            ms = best[name].get(row)
            cells += f" {ms:13.2f} ms {hello / ms:6.3f}x" if ms else f" {'-':>16} {'-':>7}"
        goal = " and ".join(
            ([f"<= {goal_ms:g} ms"] if goal_ms else []) + [f">= {goal_ratio:g}x bare"]
        )
        print(f"{row:<34}{cells}  {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every query of every page")
    parser.add_argument(
        "--before", metavar="REF", help="also measure the todo project of this commit (CPU rows)"
    )
    parser.add_argument(
        "--floors", action="store_true", help="only the floors under the page goals (see above)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quickscale-queries-") as tmp:
        root = Path(tmp)
        src, ref = template_source(root, worktree=False)
        if args.floors:
            modules = shipped_modules()
            projects = {}
            if args.before:
                projects[f"before {args.before}"] = render(
                    src, args.before, root / "before", theme="todo", modules=modules
                )
            projects["now (HEAD)"] = render(src, ref, root / "now", theme="todo", modules=modules)
            print_floors(*floors(projects, bare_project(root).cwd))
            return
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
        if todo is None:
            return
        projects = {}
        if args.before:
            before = render(
                committed_template(root), args.before, root / "todo_before",
                theme="todo", modules=modules,
            )  # fmt: skip
            projects[f"before {args.before}"] = before
        projects["now (working tree)"] = todo
        print_cpu(*cpu_rows(projects, bare_project(root).cwd))


if __name__ == "__main__":
    main()
