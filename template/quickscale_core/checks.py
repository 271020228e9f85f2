"""System checks that run with every manage.py command.

They make two things loud that would otherwise pass silently: a mismatch between
.copier-answers.yml and the project (a hand edit not applied yet; `make update`
applies it), and conflicts an update left behind (Copier exits 0 with conflict
markers in files; README.md, section Updating, explains how to resolve them).
"""

from pathlib import Path

from django.core.checks import Error, Warning, register
from yaml import YAMLError

from .extensions import ManifestError, installed_modules, manifests
from .project import (
    ANSWERS_FILE,
    APPLIED_FILE,
    UPDATE_COMMAND,
    answered_modules,
    conflicted_files,
    modules_on_disk,
    project_root,
    read_answers,
    unapplied_answers,
)


@register()
def answers_match_installed_modules(app_configs, **kwargs) -> list:
    return module_problems(project_root(), installed_modules())


def module_problems(root: Path, wired: list[str]) -> list:
    """Compare the answers file in `root` with module folders and INSTALLED_APPS."""
    try:
        answers = read_answers(root)
    except (OSError, ValueError, YAMLError) as exc:
        return [
            Error(
                f"{ANSWERS_FILE} cannot be read: {exc}",
                hint=f"Fix the YAML (compare with `git diff {ANSWERS_FILE}`), then run "
                f"`{UPDATE_COMMAND}`.",
                id="quickscale.E001",
            )
        ]
    if answers is None:
        return [
            Warning(
                f"{ANSWERS_FILE} is missing, so template updates cannot be applied.",
                hint=f"Restore it from git history: `git checkout HEAD -- {ANSWERS_FILE}`.",
                id="quickscale.W001",
            )
        ]

    wanted = set(answered_modules(answers))
    on_disk = set(modules_on_disk(root))
    wired = set(wired)
    problems = []
    for name in sorted(wanted - on_disk):
        problems.append(
            Error(
                f"Module '{name}' is listed in {ANSWERS_FILE} but is not installed "
                f"(quickscale_modules/{name}/ is missing).",
                hint=f"Run `{UPDATE_COMMAND}` to install it; plain `copier update` cannot "
                "apply a hand-edited answers file.",
                id="quickscale.E002",
            )
        )
    for name in sorted(on_disk - wanted):
        problems.append(
            Error(
                f"Module '{name}' is installed (quickscale_modules/{name}/) but is not "
                f"listed in {ANSWERS_FILE}.",
                hint=f"Add '{name}' back to `modules` in {ANSWERS_FILE} to keep it, or run "
                f"`{UPDATE_COMMAND}` to remove it.",
                id="quickscale.E003",
            )
        )
    try:
        applied = read_answers(root, APPLIED_FILE)
    except (OSError, ValueError, YAMLError):
        applied = None  # re-rendered by the next update; nothing to compare with until then
    for key in unapplied_answers(answers, applied) if applied else []:
        problems.append(
            Error(
                f"`{key}` in {ANSWERS_FILE} is {answers.get(key)!r}, but the project was "
                f"generated with {applied.get(key)!r}.",
                hint=f"Run `{UPDATE_COMMAND}` to apply the new answer, or put the old value "
                f"back in {ANSWERS_FILE}.",
                id="quickscale.E005",
            )
        )
    for name in sorted((on_disk & wanted) - wired):
        problems.append(
            Error(
                f"Module '{name}' is installed but missing from INSTALLED_APPS.",
                hint=f"Add 'quickscale_modules.{name}' back to INSTALLED_APPS in "
                f"config/settings/base.py (or run `{UPDATE_COMMAND}`).",
                id="quickscale.E004",
            )
        )
    return problems


@register()
def manifests_are_well_formed(app_configs, **kwargs) -> list:
    """A module.yml or theme.yml broken by an edit stops `check`, `runserver` and `migrate`
    with the file and the fix, instead of failing the first page that reads it."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    hint = "Fix the manifest as QuickScale's docs/modules/extension-points.md shows."
    try:
        loaded = manifests()
    except ManifestError as exc:
        return [Error(str(exc), hint=hint, id="quickscale.E007")]
    problems = []
    for manifest in loaded:
        for point, items in manifest.contributes.items():
            for item in items:
                if "template" not in item:
                    continue
                try:
                    get_template(item["template"])
                except TemplateDoesNotExist:
                    problems.append(
                        Error(
                            f"{manifest.app} contributes the template {item['template']} to "
                            f"{point}, and no template folder has it.",
                            hint=hint,
                            id="quickscale.E007",
                        )
                    )
    return problems


@register()
def no_unresolved_update_conflicts(app_configs, **kwargs) -> list:
    return conflict_problems(project_root())


def conflict_problems(root: Path) -> list:
    files = conflicted_files(root)
    if not files:
        return []
    listing = ", ".join(files[:20]) + (f" and {len(files) - 20} more" if len(files) > 20 else "")
    return [
        Error(
            f"An update left unresolved conflicts in: {listing}.",
            hint="In each file keep what you want between the <<<<<<< and >>>>>>> markers "
            "and delete the markers; apply what a .rej file holds by hand, then delete it. "
            "Then `git add` the files, run `make test` and commit.",
            id="quickscale.E006",
        )
    ]
