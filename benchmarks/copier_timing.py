"""Prints how long `copier copy` and `copier update` take, next to Copier's own floor.

    make bench-copier      # or: .venv/bin/python benchmarks/copier_timing.py [options]
    .venv/bin/python benchmarks/copier_timing.py --template /tmp/before --template . --rounds 5
    .venv/bin/python benchmarks/copier_timing.py --cookiecutter-django ~/src/cookiecutter-django

For each template checkout (`--template`, repeatable, default: this working tree; give an
older checkout and this one to print before and after in one run) it builds a throwaway
template repository with two tags (v0.1.0, and v0.2.0 with a small change to base.py) and,
for each answer set, prints:

- the copy time, CPU (this process and the git commands Copier runs) and wall, best of
  `--rounds`;
- Copier's floor: a trivial template built from that copy's output, with the same paths, a
  `.jinja` suffix on the same files (their content kept verbatim) and 11 plain questions
  (no validators, no Jinja in defaults or path names but the project folder), copied the
  same way: a strict floor, as it walks only the output's paths;
- the issue's floor ("a trivial template with the same paths and 11 questions"): the
  template's own tree as Copier walks it (every module and theme folder, the path names
  with their Jinja), `_exclude` rendered to literal patterns for the answers, each kept
  file holding the copy's output verbatim and 11 plain questions whose defaults are the
  copy's answers. What the copy costs above it is the template's own overhead (issue 20:
  ≤ 10 %): questions with validators and computed answers, and rendering file contents;
- the ratio to cookiecutter-django generating its default project (hooks off: its
  post-generation hook installs dependencies), when `--cookiecutter-django` names a local
  clone and cookiecutter is installed;
- then, once per answer set, `make update`'s engine (quickscale_core.update, real Copier and
  git) across the two tags (`--no-update` skips it).

Figures, not assertions: CI speed is watched here, never in timed tests. A copy that fails
(an answer set an older checkout lacks) prints why and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

# The repository, for the tests.support helpers (a script has only benchmarks/ on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import copier  # noqa: E402

from tests.support.helpers import GIT_ENV, REPO, commit_all, edit, git, shipped_modules  # noqa: E402

PROJECT_NAME = "Bench"
PROJECT_SLUG = "bench"
ANSWERS_FILE = ".copier-answers.yml"
# The floor's questions: as many as copier.yml asks (theme_folders, module_manifests and
# applied_answers are hidden), plain strings with literal defaults.
FLOOR_QUESTIONS = ["project_name", "project_slug", "description", "domain", "author_name",
                   "author_email", "theme", "frontend", "modules", "use_docker", "ci"]  # fmt: skip
# Issue 20: the template's overhead over Copier's floor, in percent, for every answer set.
GOAL_OVERHEAD_PERCENT = 10
JINJA_SYNTAX = re.compile(r"\{\{|\{%|\{#")
CCD_CLONE = "a local clone of https://github.com/cookiecutter/cookiecutter-django"
CCD_INSTALL = "`uv pip install cookiecutter` in this venv, or a `cookiecutter` command on PATH"
CCD_HOW = f"not measured: pass --cookiecutter-django PATH ({CCD_CLONE}; {CCD_INSTALL})"


def answer_sets() -> list[tuple[str, dict]]:
    modules = shipped_modules()
    sets = [
        ("default", {}),
        ("react (auth, api)", {"frontend": "react"}),
        (f"all modules ({len(modules)})", {"modules": modules}),
    ]
    if (REPO / "themes" / "todo" / "urls.py").exists():
        sets.append((f"todo, all modules ({len(modules)})", {"theme": "todo", "modules": modules}))
    return sets


def cpu_seconds() -> float:
    """CPU of this process and of its finished children (Copier runs git as subprocesses)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[Path], object], dst: Path) -> tuple[float, float]:
    """(CPU s, wall s) of one run into a fresh destination, removed afterwards."""
    cpu, wall = cpu_seconds(), time.perf_counter()
    run(dst)
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    shutil.rmtree(dst, ignore_errors=True)
    return cpu, wall


def best_of(rounds: int, runs: dict, scratch: Path) -> dict:
    """{key: (CPU s, wall s)}, each the best of `rounds`; the runs take turns in every
    round, so a busy spell of the machine slows all of them rather than one."""
    times: dict = {key: [] for key in runs}
    for index in range(rounds):
        for number, (key, run) in enumerate(runs.items()):
            times[key].append(timed(run, scratch / f"round{index}-{number}"))
    return {key: (min(c for c, _ in got), min(w for _, w in got)) for key, got in times.items()}


def label_of(template: Path) -> str:
    if template.resolve() == REPO:
        return "working tree"
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=template,
                           capture_output=True, text=True, check=False)  # fmt: skip
    return found.stdout.strip() or template.name


def build_versions(template: Path, root: Path) -> Path:
    """A git repository of `template`'s files as they are now, tagged v0.1.0 and v0.2.0."""
    repo = root / "quickscale"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=template, capture_output=True,
        text=True, check=True,
    ).stdout.split("\n")  # fmt: skip
    for rel in filter(None, listed):
        src, dst = template / rel, repo / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(src.readlink())
        elif src.is_file():
            shutil.copy2(src, dst)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "v0.1.0")
    git(repo, "tag", "v0.1.0")
    edit(
        repo / "template/config/settings/base.py.jinja",
        'LOGOUT_REDIRECT_URL = "home"\n',
        'LOGOUT_REDIRECT_URL = "home"\nSESSION_COOKIE_AGE = 60 * 60 * 24 * 14\n',
    )
    commit_all(repo, "v0.2.0")
    git(repo, "tag", "v0.2.0")
    # Packed, as a cloned or pushed repository is: Copier clones the template on every copy
    # and update, and cloning hundreds of loose objects cost twice what users see.
    git(repo, "gc", "--quiet")
    return repo


def copy(repo: Path, dst: Path, data: dict) -> None:
    copier.run_copy(
        str(repo), str(dst), data={"project_name": PROJECT_NAME, **data}, vcs_ref="v0.1.0",
        defaults=True, unsafe=False, quiet=True,
    )  # fmt: skip


def rendered_from_jinja(repo: Path) -> set[str]:
    """Output paths (for project_slug "bench") that the template renders from a `.jinja` file."""
    source = repo / "template"
    rendered = set()
    for root, _dirs, files in os.walk(source, followlinks=True):
        for name in files:
            if name.endswith(".jinja"):
                rel = (Path(root) / name).relative_to(source).as_posix().removesuffix(".jinja")
                rel = rel.replace("{{project_slug}}", PROJECT_SLUG)
                rendered.add(rel.replace("{{_copier_conf.answers_file}}", ANSWERS_FILE))
    return rendered


def build_floor(project: Path, jinja_paths: set[str], root: Path) -> Path:
    """Copier's floor for `project`: its paths, `.jinja` where the real template has it."""
    repo = root / "floor"
    questions = {name: {"type": "str", "default": name} for name in FLOOR_QUESTIONS}
    questions["project_name"]["default"] = PROJECT_NAME
    questions["project_slug"]["default"] = PROJECT_SLUG
    (repo / "template").mkdir(parents=True)
    # JSON is YAML: no YAML library needed to write copier.yml.
    (repo / "copier.yml").write_text(json.dumps({"_subdirectory": "template", **questions}))
    for path in sorted(project.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        rel = path.relative_to(project).as_posix()
        name = rel.replace(PROJECT_SLUG + "/", "{{project_slug}}/", 1) if rel.startswith(
            PROJECT_SLUG + "/"
        ) else rel  # fmt: skip
        if rel == ANSWERS_FILE:
            name = "{{_copier_conf.answers_file}}"
        dst = repo / "template" / (name + ".jinja" if rel in jinja_paths else name)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            dst.symlink_to(path.readlink())
        else:
            write_floor_file(path, dst, templated=rel in jinja_paths)
    return tagged_floor(repo)


def write_floor_file(made: Path, dst: Path, templated: bool) -> None:
    """`dst` holds the generated file `made` verbatim; a `.jinja` one renders to it as is."""
    if not templated:
        shutil.copy2(made, dst)
        return
    text = made.read_text()
    dst.write_text("{% raw %}" + text + "{% endraw %}" if JINJA_SYNTAX.search(text) else text)
    shutil.copymode(made, dst)


def tagged_floor(repo: Path) -> Path:
    """The floor committed and tagged v0.1.0, packed as a cloned repository is."""
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "floor")
    git(repo, "tag", "v0.1.0")
    git(repo, "gc", "--quiet")
    return repo


def build_walk_floor(repo: Path, project: Path, root: Path) -> Path:
    """The issue's floor for `project`, copied from `repo`: the same walk, trivial work."""
    import jinja2
    import yaml

    answers = yaml.safe_load((project / ANSWERS_FILE).read_text())
    answers = {name: answers[name] for name in FLOOR_QUESTIONS}
    chain, theme = [], answers["theme"]
    while theme:  # theme_folders, as copier.yml computes it from the themes' manifests
        chain.append(theme)
        theme = (yaml.safe_load((repo / "themes" / theme / "theme.yml").read_text()) or {}).get(
            "extends"
        )
    context = {**answers, "theme_folders": chain}
    jinja = jinja2.Environment(keep_trailing_newline=True)
    config = yaml.safe_load((repo / "copier.yml").read_text())
    patterns = [
        line
        for pattern in config["_exclude"]
        for line in jinja.from_string(pattern).render(context).split("\n")
        if line.strip()
    ]
    floor = root / "walk-floor"
    questions = {name: {"type": "yaml" if isinstance(value, list) else "str" if isinstance(
        value, str) else "bool", "default": value} for name, value in answers.items()}  # fmt: skip
    (floor / "template").mkdir(parents=True)
    (floor / "copier.yml").write_text(
        json.dumps({"_subdirectory": "template", "_exclude": patterns, **questions})
    )
    source = repo / "template"
    for folder, dirs, files in os.walk(source, followlinks=True):
        here = Path(folder).relative_to(source)
        for name in dirs:
            (floor / "template" / here / name).mkdir(parents=True, exist_ok=True)
        for name in files:
            rel = (here / name).as_posix()
            dst = floor / "template" / rel
            out = jinja.from_string(rel.removesuffix(".jinja")).render(
                {**context, "_copier_conf": {"answers_file": ANSWERS_FILE}}
            )
            made = project / out
            if not made.is_file():  # excluded: Copier walks it but never reads it
                dst.write_text("")
            else:
                write_floor_file(made, dst, templated=rel.endswith(".jinja"))
    return tagged_floor(floor)


def same_files(one: Path, other: Path) -> bool:
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    return files(one) == files(other)


def cookiecutter_runner(template: Path) -> tuple[Callable[[Path], object] | None, str]:
    """(run(dst), how) for cookiecutter-django's default project, or (None, why not)."""
    if not (template / "cookiecutter.json").exists():
        return None, f"not measured: {template} has no cookiecutter.json (want {CCD_CLONE})"
    try:
        from cookiecutter.main import cookiecutter
    except ImportError:
        command = shutil.which("cookiecutter")
        if command is None:
            return None, f"not measured: cookiecutter is not installed ({CCD_INSTALL})"

        def run_cli(dst: Path) -> object:
            dst.mkdir(parents=True)
            return subprocess.run(
                [command, "--no-input", "--accept-hooks", "no", "-o", str(dst), str(template)],
                capture_output=True, check=True,
            )  # fmt: skip

        return run_cli, "the cookiecutter command (its interpreter start included)"

    def run_api(dst: Path) -> object:
        return cookiecutter(str(template), no_input=True, accept_hooks=False, output_dir=str(dst))

    return run_api, "cookiecutter in this process"


def update_seconds(repo: Path, dst: Path, data: dict) -> float:
    copy(repo, dst, data)
    git(dst, "init", "-q", "-b", "main")
    commit_all(dst, "start")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "quickscale_core.update", "--vcs-ref", "v0.2.0"],
        cwd=dst, env={**GIT_ENV, "PATH": "/usr/bin:/bin"}, capture_output=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def why(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[-1][:90]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--template", type=Path, action="append",
        help="a checkout to measure (repeatable; default: this working tree)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--cookiecutter-django", type=Path, metavar="PATH",
                        help="a local clone of cookiecutter-django: print the ratio")  # fmt: skip
    parser.add_argument("--no-update", action="store_true", help="skip the update timings")
    args = parser.parse_args()
    templates = [path.resolve() for path in args.template or [REPO]]
    rounds = max(1, args.rounds)

    with tempfile.TemporaryDirectory(prefix="quickscale-bench-") as tmp:
        root = Path(tmp)
        ccd_cpu = None
        if args.cookiecutter_django:
            run_ccd, how = cookiecutter_runner(args.cookiecutter_django.resolve())
            if run_ccd is not None:
                try:
                    ccd_cpu, ccd_wall = best_of(rounds, {"ccd": run_ccd}, root / "ccd")["ccd"]
                    ccd_line = f"{ccd_cpu:.2f} s CPU, {ccd_wall:.2f} s wall ({how}, hooks off)"
                except Exception as error:  # noqa: BLE001 - a printer reports and goes on
                    ccd_line = f"failed: {why(error)}"
            else:
                ccd_line = how
        else:
            ccd_line = CCD_HOW
        print(f"cookiecutter-django default project, best of {rounds}: {ccd_line}")
        print(f"\n`copier copy`, best of {rounds}: CPU s (this process and git) / wall s")
        print(f"{'answer set':<26} {'template':<13} {'files':>5} {'copy cpu':>8} {'wall':>6} "
              f"{'floor cpu':>9} {'+floor':>6} {'walk floor':>10} {'+walk':>6} {'goal':>7} "
              f"{'vs ccd':>6}")  # fmt: skip
        repos = {}
        floors: dict[tuple, Path] = {}
        floor_times: dict[tuple, tuple[float, float]] = {}
        for index, template in enumerate(templates):
            try:
                repos[template] = build_versions(template, root / f"t{index}")
            except Exception as error:  # noqa: BLE001
                print(f"{label_of(template)}: cannot build a template repository: {why(error)}")
        for label, data in answer_sets():
            scratch, runs, outputs = root / "copies", {}, {}
            for index, (template, repo) in enumerate(repos.items()):
                sample = scratch / f"sample{index}"
                try:
                    copy(repo, sample, data)  # also warms up: imports, caches
                except Exception as error:  # noqa: BLE001
                    print(f"{label:<26} {label_of(template):<13} copy failed: {why(error)}")
                    continue
                runs[template] = partial(copy, repo, data=data)
                jinja_paths = rendered_from_jinja(repo)
                paths = [path.relative_to(sample).as_posix() for path in sample.rglob("*")]
                key = tuple(sorted((path, path in jinja_paths) for path in paths))
                if key not in floors:
                    floors[key] = build_floor(sample, jinja_paths, root / f"floor{len(floors)}")
                    runs[key] = partial(copy_floor, floors[key])
                walk_key = ("walk", template, label)
                floors[walk_key] = build_walk_floor(repo, sample, root / f"floor{len(floors)}")
                runs[walk_key] = partial(copy_floor, floors[walk_key])
                check = scratch / f"check{index}"
                copy_floor(floors[walk_key], check)
                if not same_files(sample, check):
                    print(f"{label:<26} {label_of(template):<13} the walk floor's files differ")
                shutil.rmtree(check)
                files = sum(1 for path in sample.rglob("*") if path.is_file())
                outputs[template] = (key, walk_key, files)
                shutil.rmtree(sample)
            timings = best_of(rounds, runs, scratch)
            floor_times.update({key: timings[key] for key in runs if key in floors})
            for template, (key, walk_key, files) in outputs.items():
                cpu, wall = timings[template]
                floor_cpu, _floor_wall = floor_times[key]
                walk_cpu, _walk_wall = timings[walk_key]
                over = f"{(cpu / floor_cpu - 1) * 100:+.0f}%"
                over_walk = (cpu / walk_cpu - 1) * 100
                goal = "met" if over_walk <= GOAL_OVERHEAD_PERCENT else "not met"
                ratio = f"{cpu / ccd_cpu:.1f}×" if ccd_cpu else "-"
                print(f"{label:<26} {label_of(template):<13} {files:5d} {cpu:8.2f} {wall:6.2f} "
                      f"{floor_cpu:9.2f} {over:>6} {walk_cpu:10.2f} {over_walk:+5.0f}% {goal:>7} "
                      f"{ratio:>6}")  # fmt: skip
        print(
            "floor cpu, +floor: a template of the output's paths only, and the copy's CPU above"
            " it;\nwalk floor, +walk: the template's own tree (issue 20's floor), and the copy's"
            f" CPU above it;\ngoal: +walk at most {GOAL_OVERHEAD_PERCENT} %; vs ccd: copy CPU over"
            ' cookiecutter-django\'s (make bench-copier ARGS="--cookiecutter-django PATH").'
        )
        if args.no_update:
            return
        print("\n`make update` across one version (wall s, one run)")
        for label, data in answer_sets():
            for index, (template, repo) in enumerate(repos.items()):
                dst = root / f"update{index}" / re.sub(r"\W+", "_", label)
                try:
                    seconds = f"{update_seconds(repo, dst, data):.2f}"
                except Exception as error:  # noqa: BLE001
                    seconds = f"failed: {why(error)}"
                print(f"{label:<26} {label_of(template):<13} {seconds}")
                shutil.rmtree(dst, ignore_errors=True)


def copy_floor(floor: Path, dst: Path) -> None:
    copier.run_copy(str(floor), str(dst), data={"project_name": PROJECT_NAME}, vcs_ref="v0.1.0",
                    defaults=True, unsafe=False, quiet=True)  # fmt: skip


if __name__ == "__main__":
    main()
