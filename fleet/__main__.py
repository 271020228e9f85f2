"""Command line of the fleet tool: `python -m fleet status|update --fleet FILE …`.

The Makefile's fleet-status and fleet-update call it. Exit status: 0 when every project is
updated or up to date, 1 when any needs attention, 2 when the fleet file or an option is
wrong (nothing was touched).
"""

from __future__ import annotations

import argparse
import fcntl
import re
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from fleet import config, report, status
from fleet import rings as rings_module
from fleet.update import DONE, Options, ProjectUpdate, Result, stop_running

EXIT_ATTENTION, EXIT_USAGE = 1, 2
# A tag as it may appear in a branch name: quickscale/update-<version>.
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


class Progress:
    """One line per step and per finished project; lines never interleave."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.finished = 0
        self.lock = threading.Lock()
        self.width = 0

    def step(self, name: str, message: str) -> None:
        with self.lock:
            print(f"        {name}: {message}", flush=True)

    def done(self, result: Result) -> None:
        with self.lock:
            self.finished += 1
            versions = f"{result.from_version or '?'} -> {result.to_version or '?'}"
            why = f": {report.details(result)}" if result.status not in DONE else ""
            print(
                f"[{self.finished:>{len(str(self.total))}}/{self.total}] {result.name} "
                f"{result.status} ({versions}, {result.seconds:.0f} s){why}",
                flush=True,
            )


def truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "yes", "true")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fleet", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("status", "update"):
        command = sub.add_parser(name)
        command.add_argument("--fleet", required=True, type=Path, help="the fleet file (FLEET=)")
        command.add_argument("--ring", default="", help="comma-separated rings (RING=)")
        command.add_argument("--jobs", default="2", help="projects at once (JOBS=)")
        command.add_argument("--workdir", type=Path, help="where the work clones live (WORKDIR=)")
        command.add_argument("--reports", type=Path, help="where report.md/json go (REPORTS=)")
    sub.choices["status"].add_argument("--json", action="store_true", help="print JSON")
    update = sub.choices["update"]
    update.add_argument("--version", default="", help="template release (VERSION=), default newest")
    update.add_argument("--push", default="", help="1 to push each update branch (PUSH=1)")
    update.add_argument("--force", default="", help="1 to skip the ring order check (FORCE=1)")
    return parser.parse_args(argv)


def interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # A cancelled CI job or a closed terminal stops the running commands as Ctrl-C does.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    try:
        jobs = int(args.jobs)
        if not 1 <= jobs <= 64:
            raise ValueError
    except ValueError:
        print(f"JOBS={args.jobs}: give a number of projects from 1 to 64.", file=sys.stderr)
        return EXIT_USAGE
    try:
        fleet = config.load(args.fleet.resolve(), args.workdir.resolve() if args.workdir else None)
        rings = [ring.strip() for ring in args.ring.split(",") if ring.strip()]
        selected = fleet.select(rings)
        if args.reports:
            fleet.reports = args.reports.resolve()
        for folder in (fleet.workdir, fleet.reports):
            claim(folder, fleet.path)
    except config.FleetFileError as exc:
        print(f"fleet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    version = getattr(args, "version", "").strip()
    if version and not VERSION.match(version):
        print(
            f"VERSION={version}: give a release tag of the template, e.g. v1.4.0.", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        lock = hold_workdir(fleet.workdir)
    except BlockingIOError:
        print(
            f"fleet: another fleet command is using {fleet.workdir}; wait for it to finish "
            "(or give this one WORKDIR=another/folder).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    with lock:
        return run_command(args, fleet, selected, rings, jobs)


def claim(folder: Path, fleet_path: Path) -> None:
    """Work clones and reports belong to one fleet file: two files named clients.yml in
    different places would otherwise share .fleet/clients/ and point clones elsewhere."""
    marker = folder / ".fleet-file"
    owner = marker.read_text(encoding="utf-8").strip() if marker.exists() else ""
    if owner and owner != str(fleet_path):
        raise config.FleetFileError(
            f"{folder} belongs to the fleet file {owner}. Give {fleet_path.name} folders of "
            "its own with WORKDIR= and REPORTS=, or delete that folder if the file moved."
        )
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{fleet_path}\n", encoding="utf-8")


def hold_workdir(workdir: Path):
    """An exclusive lock on the work folder: two runs would share git clones."""
    workdir.mkdir(parents=True, exist_ok=True)
    handle = (workdir / ".lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise
    return handle


def run_command(args, fleet, selected, rings, jobs) -> int:
    if args.command == "status":
        standings = status.collect(fleet, selected, jobs)
        print(status.as_json(standings) if args.json else status.table(standings))
        return EXIT_ATTENTION if any(s.unreachable or s.invalid for s in standings) else 0
    return update_fleet(fleet, selected, rings, jobs, args)


def update_fleet(fleet, selected, rings, jobs, args) -> int:
    push = truthy(args.push)
    options = Options(version=args.version.strip() or None, push=push)
    print(
        f"Updating {len(selected)} project(s) of {fleet.path.name} to "
        f"{options.version or 'the newest release'}, {jobs} at a time"
        f"{' (pushing update branches)' if push else ''}; work clones in {fleet.workdir}",
        flush=True,
    )
    releases = status.TemplateReleases()
    if not truthy(args.force):
        behind = rings_module.unfinished(fleet, rings, options.version, releases)
        if behind:
            earlier = ", ".join(rings_module.earlier_rings(fleet, rings))
            print(
                f"fleet: ring(s) {earlier} come before {', '.join(rings)} and are not done:\n  "
                + "\n  ".join(behind)
                + "\nFinish them first (the last report says how), or run again with FORCE=1 "
                "to roll out anyway. Nothing was changed.",
                file=sys.stderr,
            )
            return EXIT_USAGE
    (started, stamp), clock = report.started_at(), time.monotonic()
    progress = Progress(len(selected))
    results: dict[str, Result] = {}
    pool = ThreadPoolExecutor(max_workers=jobs)
    futures = [
        pool.submit(ProjectUpdate(fleet, project, options, releases, progress.step))
        for project in selected
    ]
    try:
        for future in as_completed(futures):
            result = future.result()
            results[result.name] = result
            progress.done(result)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        stopped = stop_running()
        print(
            f"\nInterrupted: stopped {stopped} running command(s). No main branch was touched; "
            "an update branch only moves when its project finished, so run fleet-update again.",
            file=sys.stderr,
        )
        return 130
    pool.shutdown()
    ordered = [results[project.name] for project in selected]
    meta = {
        "version": options.version,
        "rings": rings,
        "push": push,
        "started": started,
        "started_at": stamp,
        "seconds": round(time.monotonic() - clock, 1),
        "counts": report.counts(ordered),
    }
    md, js = report.write(fleet, meta, selected, ordered)
    print(f"\n{report.summary(meta['counts'])}. Report: {md} (JSON: {js})")
    for ring, info in report.ring_progress(fleet, selected, ordered).items():
        print(f"  ring {ring}: {info['state']}")
    return 0 if all(r.status in DONE for r in ordered) else EXIT_ATTENTION


if __name__ == "__main__":
    sys.exit(main())
