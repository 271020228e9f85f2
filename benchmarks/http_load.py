"""Prints requests per second and p50/p99 latency of generated projects under gunicorn.

    make bench-http      # or: python benchmarks/http_load.py [--requests N] [--concurrency C]
    python benchmarks/http_load.py --compare /path/to/older/checkout   # before and after

Three servers run side by side, each `gunicorn --workers 2 --worker-class sync` from the
shared project venv (tests/conftest.py project_python), production settings:
  bare     `django-admin startproject` with one hello-world view, DEBUG off (the baseline)
  default  the default project (starter theme, no modules)
  all      the project with every module (theme=todo from the working tree when that theme
           is available and passes `manage.py check`; else the committed starter theme)
The generated projects use config.settings.prod (DEBUG off, whitenoise with
CompressedManifestStaticFilesStorage after collectstatic, CONN_MAX_AGE=60) on a throwaway
PostgreSQL server from Debian's binaries (/usr/lib/postgresql/*/bin; SQLite when missing),
SECURE_SSL_REDIRECT=false (no TLS proxy here) and the API throttles raised out of the way.
The client is asyncio in this process: a fixed number of requests at a fixed concurrency,
one connection per request (gunicorn's sync workers close each connection), after a
warm-up, in several rounds over all pages; each page's best round is printed (the one least
disturbed by other processes on the machine: the load average is printed too), and "x bare"
is its requests per second divided by the bare baseline's best (measured at both ends of
each round). "cpu ms" is the CPU time (user + system, from /proc) the server's gunicorn
workers spent per request in that page's best round: the cost of the page itself, whatever
else the machine was doing; "x bare cpu" is the bare hello view's CPU per request divided by
the page's (1.0 = as cheap as the hello view), printed with the goal of issue 20 where it
set one. KiB is the size of one response. Afterwards, the peak RSS (VmHWM) of each server's
largest worker. Figures, not assertions.

--template PATH renders the projects from another checkout's committed state (HEAD) instead of
this repository's; --compare PATH also renders them from PATH and serves them side by side
("default@PATH-name", "all@PATH-name"), so before and after come from one run on one machine:

    git clone -q . /tmp/qs-before && git -C /tmp/qs-before checkout -q <commit>
    python benchmarks/http_load.py --compare /tmp/qs-before
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import (
    PROJECT_VENV,
    TODO_UNAVAILABLE,
    clean_project_env,
    create_database,
    free_port,
    postgres,
    project_python,
    render,
    run,
    shipped_modules,
    stop,
    template_source,
    todo_project,
    wait_until_up,
)

PROBE = Path(__file__).resolve().parent / "project_side.py"
WORKERS = 2
HELLO_VIEW = """

from django.http import HttpResponse  # noqa: E402
from django.urls import path as _path  # noqa: E402


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns.append(_path("", hello))
"""


# Issue 20's goals, as the bare hello view's CPU per request divided by the page's (rows by
# label prefix). The status panel's goal is relative: never more than the dashboard around it.
GOALS = {
    "landing (anonymous)": 0.8,
    "dashboard (signed in)": 0.6,
    "todo list": 0.1,
    "API tasks of list": 0.3,
}
STATUS_ROW, DASHBOARD_ROW = "dashboard status (htmx)", "dashboard (signed in)"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def goal_of(label: str) -> float | None:
    return next((goal for prefix, goal in GOALS.items() if label.startswith(prefix)), None)


@dataclass
class Server:
    name: str
    cwd: Path
    env: dict[str, str]
    wsgi: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    def start(self, log: Path) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            [
                PROJECT_VENV / "bin" / "gunicorn",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--error-logfile",
                str(log),
                self.wsgi,
            ],
            cwd=self.cwd,
            env=self.env,
            start_new_session=True,
        )

    def workers(self) -> list[str]:
        pid = self.proc.pid
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()

    def worker_cpu_seconds(self) -> float:
        """User + system CPU time of this server's workers so far (the master serves nothing)."""
        ticks = 0
        for child in self.workers():
            # Fields after the command's closing parenthesis; utime and stime are 14 and 15.
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / CLOCK_TICKS

    def worker_peak_rss_mib(self) -> tuple[float, float]:
        """(largest VmHWM, largest VmRSS) over this server's workers, in MiB."""
        peaks, current = [], []
        for child in self.workers():
            status = dict(
                line.split(":", 1)
                for line in Path(f"/proc/{child}/status").read_text().splitlines()
            )
            peaks.append(int(status["VmHWM"].split()[0]) / 1024)
            current.append(int(status["VmRSS"].split()[0]) / 1024)
        return max(peaks), max(current)


@dataclass
class Target:
    server: Server
    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)

    def raw(self) -> bytes:
        lines = [f"GET {self.path} HTTP/1.1", f"Host: 127.0.0.1:{self.server.port}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()] + ["Connection: close", "", ""]
        return "\r\n".join(lines).encode()


async def fetch(port: int, raw: bytes) -> tuple[int, float, bytes]:
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        data = await reader.read()
        writer.close()
    except OSError:
        return 0, time.perf_counter() - start, b""
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    return status, time.perf_counter() - start, data


async def load(target: Target, total: int, concurrency: int) -> dict:
    raw, port = target.raw(), target.server.port
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            status, seconds, _ = await fetch(port, raw)
            statuses[status] += 1
            latencies.append(seconds)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "rps": total / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": sum(n for status, n in statuses.items() if status != 200),
        "statuses": dict(statuses),
    }


def probe(target: Target) -> tuple[int, bytes]:
    status, _, data = asyncio.run(fetch(target.server.port, target.raw()))
    return status, data


def bare_project(root: Path) -> Server:
    """`django-admin startproject bare` plus a hello-world view, DEBUG off."""
    project = root / "bare"
    project.mkdir()
    run([PROJECT_VENV / "bin" / "django-admin", "startproject", "bare", project])
    settings = project / "bare" / "settings.py"
    text = settings.read_text().replace("DEBUG = True", "DEBUG = False")
    settings.write_text(text.replace("ALLOWED_HOSTS = []", 'ALLOWED_HOSTS = ["127.0.0.1"]'))
    urls = project / "bare" / "urls.py"
    urls.write_text(urls.read_text() + HELLO_VIEW)
    env = {**clean_project_env(), "DJANGO_SETTINGS_MODULE": "bare.settings"}
    return Server("bare", project, env, "bare.wsgi")


def prepare(name: str, project: Path, database_url: str) -> tuple[Server, dict]:
    """Migrate, collectstatic and seed a generated project; its server (not started yet)."""
    env = {
        **clean_project_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AUTH_TRUSTED_PROXY_COUNT": "0",
        "SECURE_SSL_REDIRECT": "false",
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
        "API_THROTTLE_KEY": "1000000/minute",
    }
    python = project_python()
    start = time.perf_counter()
    run([python, "manage.py", "migrate", "-v0"], project, env)
    migrated = time.perf_counter()
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], project, env)
    collected = time.perf_counter()
    seeded = json.loads(run([python, PROBE, "seed"], project, env).stdout.strip().splitlines()[-1])
    manifest = json.loads((project / "staticfiles" / "staticfiles.json").read_text())["paths"]
    seeded["setup"] = {
        "migrate": migrated - start,
        "collectstatic": collected - migrated,
        "static_files": len(manifest),
    }
    seeded["css"] = next(
        (f"/static/{manifest[p]}" for p in sorted(manifest) if p.endswith("css/app.css")), None
    )
    return Server(name, project, env, "config.wsgi"), seeded


def targets_for(server: Server, seeded: dict, todo: bool) -> list[Target | str]:
    """What to load on a generated project; a str is a row that cannot be measured."""
    session = {"Cookie": f"sessionid={seeded['session']}"}
    key = {"Authorization": f"Bearer {seeded['api_key']}"} if "api_key" in seeded else None
    rows: list[Target | str] = [
        Target(server, "landing (anonymous)", "/"),
        Target(server, "dashboard (signed in)", "/dashboard/", session),
        # Every dashboard view fetches its status panel with htmx right after loading.
        Target(
            server,
            "dashboard status (htmx)",
            "/dashboard/status/",
            {**session, "HX-Request": "true"},
        ),
    ]
    if key:
        rows.append(Target(server, "API keys page", "/accounts/api-keys/", session))
        rows.append(Target(server, "API me (key)", "/api/v1/me/", key))
    if server.name.startswith("all"):
        if todo and "list_id" in seeded:
            list_id, tasks = seeded["list_id"], seeded["tasks"]
            path = f"/lists/{list_id}/?status=all"
            rows.append(Target(server, f"todo list ({tasks} tasks)", path, session))
            path = f"/api/v1/tasks/?list={list_id}&status=all"
            rows.append(Target(server, f"API tasks of list ({tasks}), page 1", path, key))
            rows.append(
                Target(server, f"API tasks ({tasks}), page_size=100", path + "&page_size=100", key)
            )
        else:
            rows += ["todo list (200 tasks)", "API tasks of list (200)"]
    if seeded.get("css"):
        rows.append(Target(server, "static app.css", seeded["css"], {"Accept-Encoding": "gzip"}))
    return rows


def measure(target: Target, total: int, concurrency: int) -> dict:
    asyncio.run(load(target, max(50, total // 20), concurrency))  # warm-up
    before = target.server.worker_cpu_seconds()
    result = asyncio.run(load(target, total, concurrency))
    result["cpu_ms"] = (target.server.worker_cpu_seconds() - before) * 1000 / total
    return result


def best(runs: list[dict]) -> dict:
    """The round with the most requests per second (the least disturbed by other processes)."""
    return max(runs, key=lambda result: result["rps"])


def checkout_projects(
    checkout: Path, root: Path, modules: list[str], suffix: str
) -> tuple[dict[str, Path], Path | None, str]:
    """The default and all-modules projects from `checkout`'s committed state (todo theme when
    that checkout has it): ({name: project}, the todo project or None, why not)."""
    root.mkdir(parents=True)
    default = render(checkout, "HEAD", root / "default")
    if (checkout / "themes" / "todo" / "urls.py").exists():
        todo = render(checkout, "HEAD", root / "todo", theme="todo", modules=modules)
        return {f"default{suffix}": default, f"all{suffix}": todo}, todo, ""
    project = render(checkout, "HEAD", root / "all_modules", modules=modules)
    return {f"default{suffix}": default, f"all{suffix}": project}, None, "not in that checkout"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per page (1000)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight (4)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all pages (2)")
    parser.add_argument(
        "--template", type=Path, help="render from this checkout's HEAD (default: this repository)"
    )
    parser.add_argument(
        "--compare", type=Path, help="also render from this checkout's HEAD, served side by side"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quickscale-http-") as tmp, postgres() as pg_server:
        root = Path(tmp)
        modules = shipped_modules()
        if args.template:
            projects, todo, why = checkout_projects(args.template, root / "main", modules, "")
        else:
            src, ref = template_source(root, worktree=False)
            todo, why = todo_project(root, modules)
            all_project = todo or render(src, ref, root / "all_modules", modules=modules)
            projects = {"default": render(src, ref, root / "default"), "all": all_project}
        if args.compare:
            suffix = f"@{args.compare.resolve().name}"
            older, _, _ = checkout_projects(args.compare, root / "compare", modules, suffix)
            projects = {
                name: path
                for pair in zip(projects.items(), older.items(), strict=True)
                for name, path in pair
            }
        servers, seeds = [bare_project(root)], {}
        print(f"{'setup':<16} {'migrate s':>10} {'collectstatic s':>16} {'static files':>13}")
        for name, project in projects.items():
            url = (
                create_database(pg_server, "bench_" + re.sub(r"\W", "_", name))
                if pg_server
                else f"sqlite:///{root / f'{name}.sqlite3'}"
            )
            server, seeds[name] = prepare(name, project, url)
            servers.append(server)
            timing = seeds[name]["setup"]
            print(
                f"{name:<16} {timing['migrate']:10.1f} {timing['collectstatic']:16.1f} "
                f"{timing['static_files']:13d}"
            )
        database = "PostgreSQL" if pg_server else "SQLite (PostgreSQL not installed)"
        print(
            f"\ndatabase: {database}; gunicorn {WORKERS} sync workers per server; "
            f"{args.requests} requests per page at concurrency {args.concurrency}, "
            f"best of {args.rounds} rounds"
        )
        theme = "todo (working tree)" if todo else "starter"
        print(f"all = modules {', '.join(modules)}; theme {theme}")
        if todo is None:
            print(f"{TODO_UNAVAILABLE} ({why})")
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        try:
            for server in servers:
                server.start(root / f"{server.name}-gunicorn.log")
            for server in servers:
                wait_until_up(f"http://127.0.0.1:{server.port}/", proc=server.proc)
            rows: list[Target | str] = [Target(servers[0], "hello world", "/")]
            for server in servers[1:]:
                rows += targets_for(server, seeds[server.name], todo is not None)
            results: dict[int, list[dict]] = {}
            skipped: dict[int, str] = {}
            sizes: dict[int, float] = {}
            for index, row in enumerate(rows):
                if isinstance(row, Target):
                    status, data = probe(row)
                    sizes[index] = len(data) / 1024
                    if status != 200:
                        skipped[index] = f"answers {status}: {data[:200]!r}"
                    elif b"content-encoding: gzip" in data.lower():
                        row.label += " [gzip]"
            for _ in range(args.rounds):
                # The baseline at both ends of each round, so a drift shows as a spread.
                for index, row in [*enumerate(rows), (0, rows[0])]:
                    if isinstance(row, Target) and index not in skipped:
                        result = measure(row, args.requests, args.concurrency)
                        results.setdefault(index, []).append(result)
            print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
            print_results(rows, results, skipped, sizes)
            print(f"\n{'server':<16} {'worker peak RSS MiB':>20} {'RSS now MiB':>12}")
            for server in servers:
                peak, now = server.worker_peak_rss_mib()
                print(f"{server.name:<16} {peak:20.1f} {now:12.1f}")
        finally:
            for server in servers:
                if server.proc is not None:
                    stop(server.proc)


def print_results(
    rows: list[Target | str],
    results: dict[int, list[dict]],
    skipped: dict[int, str],
    sizes: dict[int, float],
) -> None:
    bare_runs = results[0]
    reference = best(bare_runs)["rps"]
    bare_cpu = min(run["cpu_ms"] for run in bare_runs)
    spread = ", ".join(f"{run['rps']:.0f}" for run in bare_runs)
    print(f"bare hello world req/s in each measurement: {spread}")
    cpu_spread = ", ".join(f"{run['cpu_ms']:.2f}" for run in bare_runs)
    print(f"bare hello world worker CPU ms per request in each measurement: {cpu_spread}")
    print(
        f"\n{'server':<16} {'page':<38} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'x bare':>7} {'cpu ms':>7} {'x bare cpu':>10} {'goal':<16} {'KiB':>6} {'errors':>6}"
    )
    dashboard_cpu: dict[str, float] = {}
    for index, row in enumerate(rows):
        if isinstance(row, str):
            print(f"{'all':<16} {row:<38} {TODO_UNAVAILABLE}")
            continue
        if index in skipped:
            print(f"{row.server.name:<16} {row.label:<38} not measured: {skipped[index]}")
            continue
        result = best(results[index])
        # The round with the least CPU per request: the one least disturbed by other processes.
        cpu = min(run["cpu_ms"] for run in results[index])
        ratio = bare_cpu / cpu if cpu else float("inf")
        goal, target = "", goal_of(row.label)
        if row.label == DASHBOARD_ROW:
            dashboard_cpu[row.server.name] = cpu
        if target is not None:
            goal = f">= {target:.2f} {'met' if ratio >= target else 'not met'}"
        elif row.label == STATUS_ROW and row.server.name in dashboard_cpu:
            met = cpu <= dashboard_cpu[row.server.name]
            goal = f"<= dashboard {'met' if met else 'not met'}"
        errors = sum(run["errors"] for run in results[index])
        print(
            f"{row.server.name:<16} {row.label:<38} {result['rps']:7.0f} {result['p50']:7.1f} "
            f"{result['p99']:7.1f} {result['rps'] / reference:7.3f} {cpu:7.2f} {ratio:10.3f} "
            f"{goal:<16} {sizes[index]:6.1f} {errors:6d}"
        )


if __name__ == "__main__":
    main()
