"""System checks that run with every manage.py command.

They make two things loud that would otherwise pass silently: a mismatch between
.copier-answers.yml and the project (a hand edit not applied yet; `make update`
applies it), and conflicts an update left behind (Copier exits 0 with conflict
markers in files; README.md, section Updating, explains how to resolve them).
"""

from pathlib import Path

from django.core.checks import Error, Warning, register
from yaml import YAMLError

from .extensions import (
    KNOWN_POINTS,
    ManifestError,
    installed_modules,
    manifests,
    reverse_or_none,
)
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
    hint = "Fix the manifest as QuickScale's docs/modules/extension-points.md shows."
    try:
        loaded = manifests()
    except ManifestError as exc:
        return [Error(str(exc), hint=hint, id="quickscale.E007")]
    problems = []
    for manifest in loaded:
        problems += [Error(p, hint=hint, id="quickscale.E007") for p in _broken(manifest)]
        problems += [Warning(p, hint=hint, id="quickscale.W002") for p in _suspicious(manifest)]
    return problems


def _broken(manifest) -> list[str]:
    """What would make a page fail: a template or a context function that is not there."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.utils.module_loading import import_string

    found = []
    for point, items in manifest.contributes.items():
        for item in items:
            where = f"{manifest.app} contributes to {point}"
            if "template" in item:
                try:
                    get_template(item["template"])
                except TemplateDoesNotExist:
                    found.append(f"{where} the template {item['template']}, which no folder has.")
            if point == "notification_kinds" and "templates" in item:
                subject = f"{item['templates']}_subject.txt"
                try:
                    get_template(subject)
                except TemplateDoesNotExist:
                    found.append(f"{where} the kind {item['kind']}, whose {subject} is missing.")
            if "context" in item:
                try:
                    import_string(item["context"])
                except ImportError:
                    found.append(
                        f"{where} with context {item['context']}, which is not importable."
                    )
    return found


def _suspicious(manifest) -> list[str]:
    """What silently shows nothing: an unknown point (a typo?), a URL name that does not
    resolve (a nav link is left out; a named page answers "")."""
    found = [
        f"{manifest.app} contributes to the extension point {point!r}, which nothing renders "
        f"here (known: {', '.join(sorted(KNOWN_POINTS))})."
        for point in manifest.contributes
        if point not in KNOWN_POINTS
    ]
    found += [
        f"{manifest.app} links {item.get('label', '')!r} to the URL name {item['url']!r}, "
        "which does not resolve: the link is left out."
        for item in manifest.contributes.get("nav", [])
        if reverse_or_none(item["url"]) is None
    ]
    found += [
        f"{manifest.app} offers the page {page!r} at the URL name {url_name!r}, which does not "
        "resolve."
        for page, url_name in manifest.pages.items()
        if reverse_or_none(url_name) is None
    ]
    return found


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
