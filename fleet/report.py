"""The fleet report: Markdown for people, JSON for machines, a summary on the terminal."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from fleet.config import Fleet, Project
from fleet.update import DONE, Result

ORDER = ["updated", "up-to-date", "conflicts", "tests-failed", "refused", "error"]


def ring_progress(fleet: Fleet, selected: list[Project], results: list[Result]) -> dict:
    """Per ring, in rollout order: done, needs attention, or not in this run."""
    by_name = {result.name: result for result in results}
    chosen = {project.name for project in selected}
    rings = {}
    for ring in fleet.rings:
        members = [p.name for p in fleet.projects if p.ring == ring]
        ran = [name for name in members if name in chosen]
        pending = [name for name in ran if by_name[name].status not in DONE]
        if not ran:
            state = "not in this run"
        elif pending or len(ran) < len(members):
            state = "needs attention" if pending else "partly run"
        else:
            state = "done"
        rings[ring] = {"state": state, "projects": members, "needs_attention": pending}
    return rings


def cell_text(text: str) -> str:
    """One Markdown table cell: no pipes or newlines; HTML shown as text."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")


def details(result: Result) -> str:
    if result.status == "conflicts":
        return "conflicts in " + ", ".join(f"`{f}`" for f in result.files)
    if result.status == "tests-failed":
        before = set(result.preexisting)
        named = [
            f"`{f}`" + (" (failed before the update too)" if f in before else "")
            for f in result.failures
        ]
        return "failing: " + ", ".join(named)
    if result.reason:
        return result.reason
    return "; ".join(result.notes)


def markdown(fleet: Fleet, meta: dict, rings: dict, results: list[Result]) -> str:
    lines = [
        "# QuickScale fleet update",
        "",
        f"- Fleet file: `{fleet.path.name}`; version: {meta['version'] or 'newest release'}; "
        f"rings: {', '.join(meta['rings']) or 'every ring'}; "
        f"push: {'yes' if meta['push'] else 'no (branches stay in the work clones)'}",
        f"- Started {meta['started']}, {meta['seconds']:.0f} s; {summary(meta['counts'])}",
        "",
        "| project | ring | status | version | branch | details | time |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        version = f"{r.from_version or '?'} → {r.to_version or '?'}"
        branch = f"`{r.branch}`{' (pushed)' if r.pushed else ''}" if r.branch and r.commit else "-"
        cell = cell_text(details(r))
        version = cell_text(version)
        row = [r.name, r.ring, f"**{r.status}**", version, branch, cell, f"{r.seconds:.0f} s"]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Rings", ""]
    for ring, info in rings.items():
        attention = f": {', '.join(info['needs_attention'])}" if info["needs_attention"] else ""
        count = len(info["projects"])
        plural = "s" if count != 1 else ""
        lines.append(f"- **{ring}** ({count} project{plural}): {info['state']}{attention}")
    todo = [r for r in results if r.status not in DONE]
    if todo:
        lines += ["", "## What to do", ""]
        for r in todo:
            step = NEXT_STEP[r.status]
            if r.status == "tests-failed":
                step = step.format(pushed="pushed" if r.pushed else "in the fleet's work clone")
            lines.append(f"- **{r.name}** ({r.status}): {step}")
            if r.status in ("tests-failed", "error") and r.log:
                lines.append(f"  Full output: `{r.log}`.")
            if r.reason and r.status in ("conflicts", "tests-failed"):
                lines.append(f"  {r.reason}")
    return "\n".join(lines) + "\n"


NEXT_STEP = {
    "conflicts": "nothing was committed or pushed; finish this update by hand as the next "
    "line says (docs/updating.md shows how to resolve a conflict).",
    "tests-failed": "the update is committed on its branch ({pushed}), but the project's "
    "checks fail. Fix them on that branch and push it; the next fleet-update checks it again.",
    "refused": "nothing was changed; the reason says what to do first.",
    "error": "nothing was changed; fix the cause (often access to the repository) and "
    "run fleet-update again.",
}


def write(
    fleet: Fleet, meta: dict, selected: list[Project], results: list[Result]
) -> tuple[Path, Path]:
    rings = ring_progress(fleet, selected, results)
    fleet.reports.mkdir(parents=True, exist_ok=True)
    md = fleet.reports / "report.md"
    js = fleet.reports / "report.json"
    text = markdown(fleet, meta, rings, results)
    payload = {
        **meta,
        "fleet": str(fleet.path),
        "ring_progress": rings,
        "projects": [asdict(r) for r in results],
    }
    data = json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
    # The latest run, and every run kept in history/ (a canary run's report stays readable
    # after the next run).
    history = fleet.reports / "history"
    history.mkdir(exist_ok=True)
    for target, content in ((md, text), (js, data)):
        target.write_text(content, encoding="utf-8")
        (history / f"{meta['started_at']}-{target.name}").write_text(content, encoding="utf-8")
    return md, js


def counts(results: list[Result]) -> dict[str, int]:
    found = {status: sum(r.status == status for r in results) for status in ORDER}
    return {status: n for status, n in found.items() if n}


def summary(found: dict[str, int]) -> str:
    return ", ".join(f"{status}: {n}" for status, n in found.items())


def started_at() -> tuple[str, str]:
    """(for people, for file names)"""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%d %H:%M UTC"), now.strftime("%Y%m%dT%H%M%SZ")
