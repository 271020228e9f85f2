"""Prints the React frontend's JavaScript weight against its budgets, and the time to
interactive of the todo list page with React and with HTMX, measured in the same run.

    make bench-frontend   # or: python benchmarks/frontend.py [--runs 5] [--keep] [--committed]

Renders two projects from the working tree (--committed: from HEAD), theme=todo with the
modules auth and api: one with frontend=react, one with frontend=htmx. The React one is
built as a user builds it, with its own `make frontend-build` (uv sync, npm install from
the npm registry, the API client, `vite build`).

Weight: the initial JavaScript of the landing page and of the signed-in app, read from
frontend_build/manifest.json (the entry's file plus every chunk it imports statically,
recursively), gzipped at level 9, in kB of 1000 bytes, against the budgets (landing
<= 100 kB, app <= 200 kB). Chunks loaded later (dynamic imports) are listed apart.

Time to interactive: both projects are served by gunicorn under their production settings
(over plain HTTP on 127.0.0.1, after collectstatic, SQLite), with a signed-in user whose
list has 50 open tasks. Debian's Chromium (/usr/bin/chromium, driven by playwright-core from
npm; benchmarks/browser/tti.mjs) opens /lists/<id>/ in a fresh context (empty cache) for
each run; "ready" is the time from navigation start until the 50th task row is rendered and
the add-task input takes the focus ("ttfb" the first byte of the page, "dcl" and "load" the
ends of DOMContentLoaded and of the load event), median of --runs runs, also with
Chromium's CPU slowed down 4x (roughly a mid-range phone). Then every script the list page,
the landing page and the dashboard load, with the bytes transferred as served. Figures,
never assertions: nothing here fails on a slow number.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchlib import REPO, clean_project_env, free_port, render, run, template_source

from tests.support.browser_support import CHROMIUM, CHROMIUM_ARGS, ServedProject, http

BENCH = Path(__file__).resolve().parent
BROWSER_PACKAGE = BENCH / "browser"
BROWSER_CACHE = REPO / ".cache" / "bench-browser"
PROBE = BENCH / "project_side.py"
MODULES = ["auth", "api"]
TASKS = 50
BUDGETS_KB = {"landing": 100, "app": 200}
ENTRIES = {
    "landing": "quickscale_themes/starter/frontend_react/src/entries/landing.tsx",
    "app": "quickscale_themes/starter/frontend_react/src/entries/app.tsx",
}
# The same page in both frontends: the rows of the task list and the add-task title field.
ROW_SELECTOR = "ul.todo-tasks > li"
INPUT_SELECTOR = 'form.todo-add input[name="title"]'
# Production settings over plain HTTP on 127.0.0.1 (no TLS proxy here).
BENCH_SETTINGS = '''"""Production settings over plain HTTP on 127.0.0.1 (benchmarks/frontend.py)."""

from .prod import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
'''


def kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def initial_chunks(manifest: dict, key: str) -> tuple[list[str], list[str]]:
    """(files loaded with the entry, files it may load later): static imports recursively,
    dynamic imports apart. JavaScript only (CSS is counted by the caller)."""
    initial: list[str] = []
    later: list[str] = []
    seen: set[str] = set()

    def walk(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        chunk = manifest[name]
        initial.append(chunk["file"])
        for imported in chunk.get("imports", []):
            walk(imported)
        later.extend(manifest[d]["file"] for d in chunk.get("dynamicImports", []))

    walk(key)
    return initial, sorted(set(later) - set(initial))


def css_of(manifest: dict, key: str) -> list[str]:
    files, stack, seen = [], [key], set()
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        files += manifest[name].get("css", [])
        stack += manifest[name].get("imports", [])
    return sorted(set(files))


def print_weight(build: Path) -> None:
    manifest = json.loads((build / "manifest.json").read_text())
    print("\nInitial JavaScript, gzipped (level 9), kB = 1000 bytes")
    print(f"{'bundle':<9} {'files':>5} {'raw kB':>8} {'gzip kB':>8} {'budget':>7}  verdict")
    details = []
    for label, entry in ENTRIES.items():
        if entry not in manifest:
            print(f"{label:<9} missing from manifest.json ({entry})")
            continue
        files, later = initial_chunks(manifest, entry)
        raw = sum((build / f).stat().st_size for f in files)
        packed = sum(gzipped(build / f) for f in files)
        budget = BUDGETS_KB[label]
        verdict = "within budget" if packed <= budget * 1000 else "OVER BUDGET"
        print(f"{label:<9} {len(files):>5} {kb(raw):>8} {kb(packed):>8} {budget:>7}  {verdict}")
        for name in files:
            details.append(f"  {label}: {name} {kb(gzipped(build / name))} kB gzipped")
        for name in later:
            details.append(
                f"  {label}: later, dynamic import {name} {kb(gzipped(build / name))} kB"
            )
        for name in css_of(manifest, entry):
            details.append(f"  {label}: stylesheet {name} {kb(gzipped(build / name))} kB gzipped")
    print("\n".join(details))


def project_env(project: Path) -> dict[str, str]:
    return {
        **clean_project_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"sqlite:///{project / 'bench.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AUTH_TRUSTED_PROXY_COUNT": "0",
        "LOG_LEVEL": "WARNING",
    }


def uv() -> str:
    return shutil.which("uv") or sys.exit("uv is needed on PATH (make bench puts .venv/bin first)")


def prepare(project: Path) -> tuple[dict[str, str], dict]:
    """Install, migrate, collect static files and seed a user; returns (env, seed data)."""
    run([uv(), "sync", "--quiet"], project, clean_project_env())
    (project / "config" / "settings" / "bench.py").write_text(BENCH_SETTINGS)
    env = project_env(project)
    python = str(project / ".venv" / "bin" / "python")
    run([python, "manage.py", "migrate", "--noinput", "-v", "0"], project, env)
    run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], project, env)
    seeded = run([python, PROBE, "seed-open-tasks", str(TASKS)], project, env)
    return env, json.loads(seeded.stdout.strip().splitlines()[-1])


def build_react(project: Path) -> float:
    """The project's own `make frontend-build`; returns seconds."""
    start = time.perf_counter()
    env = {**clean_project_env(), "UV": uv()}
    result = run(["make", "frontend-build", f"UV={uv()}"], project, env, check=False)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        sys.exit("make frontend-build failed in the React project: nothing to measure")
    return time.perf_counter() - start


def playwright_core() -> Path:
    """playwright-core from npm in .cache/bench-browser (installed when its pin changes)."""
    wanted = (BROWSER_PACKAGE / "package.json").read_text()
    installed = BROWSER_CACHE / "package.json"
    marker = BROWSER_CACHE / "node_modules" / "playwright-core"
    if not marker.is_dir() or not installed.exists() or installed.read_text() != wanted:
        BROWSER_CACHE.mkdir(parents=True, exist_ok=True)
        installed.write_text(wanted)
        npm = shutil.which("npm") or sys.exit("npm is needed (Node 20+) for the browser figures")
        run([npm, "install", "--no-audit", "--no-fund", "--silent"], BROWSER_CACHE)
    script = BROWSER_CACHE / "tti.mjs"
    shutil.copyfile(BROWSER_PACKAGE / "tti.mjs", script)
    return script


def is_react_page(served: ServedProject, path: str, cookie: str) -> bool:
    status, _headers, body = http("GET", served.url(path), headers={"Cookie": cookie})
    return status == 200 and b'id="root"' in body and b"todo-tasks" not in body


def print_transfers(transfers: list[dict]) -> None:
    print("\nJavaScript transferred per page (as served: gzip from whitenoise), kB")
    for page in transfers:
        total = sum(script["bytes"] for script in page["scripts"])
        print(f"{page['label']:<22} {kb(total):>6} kB in {len(page['scripts'])} scripts")
        for script in page["scripts"]:
            name = script["url"].split("/static/", 1)[-1]
            print(f"  {name} {kb(script['bytes'])} kB")
        names = [s["url"].rsplit("/", 1)[-1].split(".")[0] for s in page["scripts"]]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            print(f"  downloaded twice (hashed and unhashed name): {', '.join(twice)}")


def print_tti(results: list[dict], runs: int) -> None:
    print(f"\nTime to interactive of /lists/<id>/ with {TASKS} open tasks, median of {runs} runs")
    print(f"{'frontend':<9} {'CPU':>4} {'ready ms':>9} {'min-max':>13} {'ttfb':>5} {'dcl':>5} "
          f"{'load':>5}  console errors")  # fmt: skip
    for row in results:
        good = [r for r in row["runs"] if "error" not in r]
        if not good:
            why = row["runs"][0]["error"] if row["runs"] else "no runs"
            print(f"{row['label']:<9} {row['throttle']:>3}x  not measured: {why}")
            continue
        ready = [r["ready"] for r in good]
        ttfb, dcl, load = (
            statistics.median(r[key] for r in good) for key in ("ttfb", "dcl", "load")
        )
        errors = sorted({e for r in row["runs"] for e in r["errors"]})
        spread = f"{min(ready):.0f}-{max(ready):.0f}"
        print(
            f"{row['label']:<9} {row['throttle']:>3}x {statistics.median(ready):9.0f} "
            f"{spread:>13} {ttfb:5.0f} {dcl:5.0f} {load:5.0f}  {len(errors) or 'none'}"
        )
        for error in errors:
            print(f"  {row['label']}: {error[:200]}")
        if len(good) < len(row["runs"]):
            print(f"  {row['label']}: {len(row['runs']) - len(good)} run(s) failed: "
                  f"{next(r['error'] for r in row['runs'] if 'error' in r)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured visits per page (5)")
    parser.add_argument("--keep", action="store_true", help="keep the projects (path printed)")
    parser.add_argument(
        "--committed",
        action="store_true",
        help="render the committed template (HEAD), not the working tree",
    )
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium package")
    root = Path(tempfile.mkdtemp(prefix="quickscale-frontend-"))
    served: list[ServedProject] = []
    try:
        src, ref = template_source(root, worktree=not args.committed)
        react = render(src, ref, root / "react_todo", theme="todo", frontend="react",
                       modules=MODULES)  # fmt: skip
        htmx = render(src, ref, root / "htmx_todo", theme="todo", modules=MODULES)
        print(f"Projects: theme todo, modules {', '.join(MODULES)}; load average "
              f"{os.getloadavg()[0]:.1f}")  # fmt: skip
        seconds = build_react(react)
        print(
            f"React project built with `make frontend-build` in {seconds:.0f} s "
            "(uv sync, npm install, API client, vite build)"
        )
        print_weight(react / "frontend_build")

        pages: list[dict] = []
        script_pages: list[dict] = []
        for label, project in (("htmx", htmx), ("react", react)):
            env, seeded = prepare(project)
            server = ServedProject(project, project / ".venv" / "bin" / "python", env,
                                   free_port(), root / f"{label}.log")  # fmt: skip
            server.start()
            served.append(server)
            path = f"/lists/{seeded['list_id']}/"
            cookie = f"{seeded['cookie_name']}={seeded['session']}"
            if label == "react" and not is_react_page(server, path, cookie):
                print(f"\nThe React project serves {path} server-rendered (no React todo "
                      "pages yet): its row below measures that page.")  # fmt: skip
            cookies = [{"name": seeded["cookie_name"], "value": seeded["session"],
                        "domain": "127.0.0.1", "path": "/"}]  # fmt: skip
            script_pages.append({"label": f"{label} {path}", "url": server.url(path),
                                 "cookies": cookies})  # fmt: skip
            if label == "react":
                script_pages += [
                    {"label": "react / (signed out)", "url": server.url("/"), "cookies": []},
                    {"label": "react /dashboard/", "url": server.url("/dashboard/"),
                     "cookies": cookies},
                ]  # fmt: skip
            pages.append({
                "label": label, "url": server.url(path), "rows": TASKS,
                "rowSelector": ROW_SELECTOR, "inputSelector": INPUT_SELECTOR,
                "cookies": cookies,
            })  # fmt: skip
        config = {
            "executablePath": str(CHROMIUM), "args": CHROMIUM_ARGS, "runs": args.runs,
            "timeoutMs": 30000, "throttles": [1, 4], "pages": pages,
            "scriptPages": script_pages,
        }  # fmt: skip
        config_file = root / "tti.json"
        config_file.write_text(json.dumps(config))
        node = shutil.which("node") or sys.exit("node is needed (Node 20+) for the browser figures")
        result = run([node, playwright_core(), config_file], BROWSER_CACHE)
        measured = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"\nChromium {measured['browser']}, 1280x800, empty cache each run; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        print_tti(measured["results"], args.runs)
        print_transfers(measured["transfers"])
    finally:
        for server in served:
            server.stop()
        if args.keep:
            print(f"\nProjects kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
