"""Prints the time from `copier copy` to the first HTTP 200 from `make run`.

    make bench-first-run      # or: python benchmarks/first_run.py

What a new user waits for: Copier renders the project from the committed template (HEAD),
then the project's own `make run` does `uv sync` (dependencies from PyPI), `migrate` on
SQLite and starts runserver; the clock stops when GET / answers 200. Measured with a cold
uv cache (an empty UV_CACHE_DIR: every wheel is downloaded) and a warm one (the same cache
again, for a second fresh project), for the default project and for the one with every
module (warm only). Needs `uv` on PATH and access to PyPI. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchlib import (
    clean_project_env,
    committed_template,
    free_port,
    render,
    shipped_modules,
    stop,
    wait_until_up,
)

# The lines `make run` echoes before each step, in order.
STEPS = {"migrate": "manage.py migrate", "runserver": "manage.py runserver"}
# Issue 20: a first `make run` with payments within 30 s, and a line saying what migrate does.
GOAL_SECONDS = 30.0
NOTICE = "Setting up the database:"


def first_run(src: Path, dst: Path, modules: list[str], uv_cache: Path) -> dict[str, float]:
    """Copy, then `make run` until GET / is 200. Returns seconds per phase."""
    marks: dict[str, float] = {}
    start = time.perf_counter()
    render(src, "HEAD", dst, modules=modules)
    marks["copy"] = time.perf_counter()
    port = free_port()
    uv = shutil.which("uv") or sys.exit("uv is needed on PATH (make bench puts .venv/bin first)")
    env = {**clean_project_env(), "UV_CACHE_DIR": str(uv_cache), "UV": uv}
    proc = subprocess.Popen(  # noqa: S603
        ["make", "run", f"PORT={port}", f"UV={uv}"], cwd=dst, env=env,  # noqa: S607
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    output: list[str] = []

    def read() -> None:
        for line in proc.stdout:
            output.append(line)
            for step, needle in STEPS.items():
                if step not in marks and needle in line and line.lstrip().startswith(uv):
                    marks[step] = time.perf_counter()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", timeout=900, proc=proc)
        marks["http_200"] = time.perf_counter()
    except RuntimeError as exc:
        print("".join(output[-40:]), file=sys.stderr)
        raise SystemExit(f"{exc}") from exc
    finally:
        stop(proc)
    # Each phase ends where the next one starts: "sync" runs from `make run` to the echoed
    # migrate command (make's start-up + uv sync), "start" from runserver to the first 200.
    ends = [("sync", "migrate"), ("migrate", "runserver"), ("start", "http_200")]
    phases = {"copy": marks["copy"] - start}
    previous = marks["copy"]
    for name, end in ends:
        if end in marks:
            phases[name] = marks[end] - previous
            previous = marks[end]
    phases["total"] = marks["http_200"] - start
    phases["notice"] = float(any(NOTICE in line for line in output))
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cold", action="store_true", help="skip the cold uv cache run")
    args = parser.parse_args()
    print(
        f"{'project':<26} {'copy':>6} {'sync':>6} {'migrate':>8} {'start':>6} {'total s':>8} "
        f"{'goal/total':>10} {'notice':>6}"
    )
    with tempfile.TemporaryDirectory(prefix="quickscale-first-run-") as tmp:
        root = Path(tmp)
        src = committed_template(root)
        cache = root / "uv-cache"
        runs = [("default, cold uv cache", [])] if not args.no_cold else []
        if args.no_cold:
            cache = Path.home() / ".cache" / "uv"
        runs += [("default, warm uv cache", []), ("all modules, warm uv cache", shipped_modules())]
        for index, (label, modules) in enumerate(runs):
            phases = first_run(src, root / f"project{index}", modules, cache)
            print(
                f"{label:<26} {phases['copy']:6.1f} {phases.get('sync', 0):6.1f} "
                f"{phases.get('migrate', 0):8.1f} {phases.get('start', 0):6.1f} "
                f"{phases['total']:8.1f} {GOAL_SECONDS / phases['total']:9.2f}x "
                f"{'yes' if phases['notice'] else 'no':>6}"
            )
    print(f"goal/total: the {GOAL_SECONDS:.0f} s goal over the measured total (>= 1 meets it);")
    print(f'notice: `make run` printed "{NOTICE} ..." before migrating.')


if __name__ == "__main__":
    main()
