"""Refusals checked before anything is written: the module name and the app label.

NAME becomes a folder, a Python package (`quickscale_modules.<name>`) and a value users
store in `.copier-answers.yml`, so it follows the rules of project_slug (copier.yml) and is
never reused: a choice is never removed or renamed. The label is kept from the client, so
it must not collide with the label of any app a project can have next to the module.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import yaml

from extract.errors import Refused

NAME = re.compile(r"[a-z][a-z0-9_]*")
# Labels of the apps every project, or a module's third-party apps, install.
DJANGO_LABELS = {"admin", "auth", "contenttypes", "sessions", "messages", "staticfiles", "humanize"}
# Every django.contrib app: a module may depend on any of them.
CONTRIB_LABELS = DJANGO_LABELS | {
    "admindocs", "flatpages", "gis", "postgres", "redirects", "sitemaps", "sites", "syndication"
}  # fmt: skip
RELATIONS = {"ForeignKey", "ManyToManyField", "OneToOneField"}


def check_template(template: Path) -> None:
    if not (template / "copier.yml").is_file() or not (template / "modules").is_dir():
        raise Refused(f"{template} is not a QuickScale template repository (no copier.yml and "
                      "modules/): run make extract in it, or pass --template.")  # fmt: skip


def check_name(template: Path, name: str) -> None:
    if not NAME.fullmatch(name or ""):
        raise Refused(f'NAME="{name}" is not a valid module name: use lowercase letters, '
                      'digits and underscores, starting with a letter, for example '
                      'NAME=acme_crm.')  # fmt: skip
    reserved_file = template / "extensions" / "reserved_names.yml"
    reserved = yaml.safe_load(reserved_file.read_text()) if reserved_file.is_file() else {}
    if name in (reserved.get("keywords") or []):
        raise Refused(f'NAME="{name}" is a Python keyword: choose another, like {name}_app.')
    if name in (reserved.get("project") or []) or name in (reserved.get("stdlib") or []):
        raise Refused(f'NAME="{name}" is reserved (Python standard library, Django or a '
                      f'package projects use): choose another, like {name}_app.')  # fmt: skip
    if (template / "modules" / name).exists():
        raise Refused(f'modules/{name}/ exists already: choose another NAME (a module is '
                      'never replaced by extract).')  # fmt: skip
    config = yaml.safe_load((template / "copier.yml").read_text())
    choices = (config.get("modules") or {}).get("choices") or []
    values = choices.values() if isinstance(choices, dict) else choices
    if name in values:
        raise Refused(f'"{name}" is already a choice of the modules question in copier.yml: '
                      "choose another NAME.")  # fmt: skip
    if (template / "docs" / "modules" / f"{name}.md").exists():
        raise Refused(f"docs/modules/{name}.md exists already: choose another NAME.")


def app_label(folder: Path) -> str | None:
    """The label of the AppConfig in folder/apps.py: `label`, else the last part of `name`."""
    path = folder / "apps.py"
    if not path.is_file():
        return None
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef):
            values = {
                t.id: s.value.value
                for s in node.body
                if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
                for t in s.targets
                if isinstance(t, ast.Name)
            }
            if "name" in values:
                return values.get("label") or str(values["name"]).rsplit(".", 1)[-1]
    return None


def taken_labels(template: Path) -> dict[str, str]:
    """label -> who has it, for every app a project of this template may install."""
    taken = {label: "Django" for label in DJANGO_LABELS}
    taken["quickscale_core"] = "the core"
    for kind in ("modules", "themes"):
        for folder in sorted((template / kind).iterdir()):
            label = app_label(folder) if folder.is_dir() else None
            if label:
                taken[label] = f"{kind}/{folder.name}"
            manifest = folder / "module.yml"
            if manifest.is_file():
                for entry in yaml.safe_load(manifest.read_text()).get("apps") or []:
                    taken.setdefault(entry.rsplit(".", 1)[-1], f"{entry} ({kind}/{folder.name})")
    return taken


def pending_labels(template: Path) -> dict[str, str]:
    """Labels of modules waiting on other extract/* branches (not merged yet): two of them
    with one label would break every project that selects both once merged."""
    found: dict[str, str] = {}
    refs = subprocess.run(  # noqa: S603
        ["git", "for-each-ref", "--format=%(refname:short)", "refs/heads/extract/"],  # noqa: S607
        cwd=template, capture_output=True, text=True, check=False,
    ).stdout.split()  # fmt: skip
    for branch in refs:
        name = branch.removeprefix("extract/")
        apps = subprocess.run(  # noqa: S603
            ["git", "show", f"{branch}:modules/{name}/apps.py"],  # noqa: S607
            cwd=template, capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip
        match = re.search(r"""^\s*label\s*=\s*["']([\w]+)["']""", apps, re.MULTILINE)
        if match:
            found[match.group(1)] = f"the module {name} on the unmerged branch {branch}"
    return found


def check_label(template: Path, label: str) -> None:
    owner = taken_labels(template).get(label) or pending_labels(template).get(label)
    if owner:
        raise Refused(f'The app\'s label "{label}" is the label of {owner}: a project with both '
                      "could not start. Set another `label` in the client's AppConfig and "
                      "migrate its tables first (Django cannot rename a label in place), "
                      "then extract.")  # fmt: skip


def app_references(folder: Path) -> list[tuple[str, str]]:
    """(label, where) for every other app the app's models and migrations name: migration
    `dependencies` tuples and "label.Model" targets of relation fields. AUTH_USER_MODEL
    (settings.AUTH_USER_MODEL, swappable_dependency) is an expression, never a label."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(errors="replace"))
        except SyntaxError:
            continue
        where = path.relative_to(folder.parent).as_posix()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and "migrations" in path.parts
                and any(isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets)
            ):
                for item in getattr(node.value, "elts", []):
                    first = item.elts[0] if isinstance(item, ast.Tuple) and item.elts else None
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        found.append((first.value, f"{where}:{item.lineno}: {ast.unparse(item)}"))
            elif isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called not in RELATIONS:
                    continue
                targets = node.args[:1] + [k.value for k in node.keywords if k.arg == "to"]
                for target in targets:
                    if isinstance(target, ast.Constant) and isinstance(target.value, str):
                        if "." in target.value:
                            label = target.value.split(".", 1)[0]
                            found.append((label, f"{where}:{node.lineno}: {target.value!r}"))
    return found


def check_references(template: Path, folder: Path, label: str, third_party: list[str]) -> None:
    """The module's migrations and models may only point at its own app, Django, the core,
    the modules and third-party apps: an app of the client's own is in no other project,
    so every project that selects the module would fail to migrate."""
    allowed = set(taken_labels(template)) | CONTRIB_LABELS | {label, *third_party}
    foreign = [(other, where) for other, where in app_references(folder) if other not in allowed]
    if foreign:
        labels = ", ".join(sorted({other for other, _ in foreign}))
        shown = "\n  ".join(where for _, where in foreign[:10])
        raise Refused(f"the app's models or migrations reference the client's own app(s) "
                      f"{labels}, which no other project has, so every project that selects "
                      f"the module would fail to migrate:\n  {shown}\nExtract those apps "
                      "first (and make this one require them), or remove the references "
                      "in the client, then extract.")  # fmt: skip
