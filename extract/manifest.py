"""module.yml and settings.py for the extracted module, from what discover.py found.

The manifest holds only what was found, so every line can be checked against the client
project: the URLs it mounts the app under, the environment variables its custom.py
settings read, the modules its imports need, and the `pages`/`contributes`/`provides` of a
module.yml the app already had (its dotted paths moved to the new import path).
"""

from __future__ import annotations

import builtins
import re
from pathlib import Path

import yaml

from extract.discover import App
from extract.errors import Refused
from extract.rewrite import rewrite_string

MARKER = "# --- Included verbatim into config/settings/base.py below this line ---"
KEPT_SECTIONS = ("apps", "middleware", "context_processors", "pages", "provides", "contributes")


def build(app: App, name: str, description: str) -> dict:
    new = f"quickscale_modules.{name}"
    manifest: dict = {
        "name": name,
        "label": app.verbose_name,
        "description": description,
        "requires": app.requires,
    }
    urls = []
    for mount in app.urls:
        item = {"prefix": mount.prefix, "include": new + mount.include[len(app.name) :]}
        if item not in urls:
            urls.append(item)
    if urls:
        manifest["urls"] = urls
    manifest["dependencies"] = []
    env = [
        {"name": var.name, "example": var.example, "help": var.help}
        for setting in app.settings
        for var in setting.env
    ]
    if env:
        manifest["env"] = env
    submodules = app.submodules()
    for key in KEPT_SECTIONS:
        if app.manifest.get(key):
            manifest[key] = moved(app.manifest[key], app.name, new, submodules)
    return manifest


def moved(value, old: str, new: str, submodules: set[str]):
    """The app's own module.yml sections with "crm.selectors.x" -> the module's path."""
    if isinstance(value, dict):
        return {k: moved(v, old, new, submodules) for k, v in value.items()}
    if isinstance(value, list):
        return [moved(v, old, new, submodules) for v in value]
    if isinstance(value, str):
        return rewrite_string(repr(value), old, new, submodules)[1:-1]
    return value


def manifest_text(app: App, manifest: dict) -> str:
    header = (
        f"# Extracted from {app.client}'s `{app.name}` app by `make extract`\n"
        f"# (QuickScale's docs/agency.md). The app keeps its label `{app.label}`, so the\n"
        f"# tables ({app.label}_*) and migration history of projects that had the app stay\n"
        "# valid. `dependencies`: add the pinned requirements of the packages the app imports.\n"
    )
    return header + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)


def settings_text(app: App, base_names: set[str]) -> str | None:
    """modules/<name>/settings.py: the custom.py assignments the app reads, below the marker;
    above it, stand-ins for names base.py defines so the file lints on its own."""
    if not app.settings:
        return None
    defined = {s.name for s in app.settings}
    needed = set().union(*(s.uses for s in app.settings)) - defined - set(dir(builtins))
    stand_ins, imports = [], []
    for used in sorted(needed):
        if used == "env":
            continue
        if used in app.custom_imports:
            imports.append(f"{app.custom_imports[used]}  # noqa: E402")
        elif used in base_names:
            stand_ins.append(f"{used} = None  # stands in for base.py's {used}")
        else:
            app.warnings.append(
                f"settings.py uses `{used}`, which neither base.py nor an import in custom.py "
                "defines: edit modules/<name>/settings.py."
            )
    lines = [
        f"# Settings of the {app.verbose_name} module, moved from {app.client}'s",
        "# config/settings/custom.py by `make extract`. When a project has the module,",
        "# everything below the marker line goes into config/settings/base.py verbatim",
        "# (extensions/wiring.jinja). This file is never imported: the lines above the marker",
        "# stand in for names base.py defines earlier, so that it lints on its own.",
        "import environ",
        "",
        "env = environ.Env()",
        *stand_ins,
        "",
        MARKER,
        *imports,
        *(setting.source for setting in app.settings),
    ]
    text = "\n".join(lines) + "\n"
    if re.search(r"\{\{|\{%|\{#", text):
        raise Refused(
            "a setting moved from custom.py contains {{, {% or {#, which the wiring would read "
            "as Jinja: change it in the client first"
        )
    return text


def write(folder: Path, app: App, manifest: dict, base_names: set[str]) -> list[str]:
    written = ["module.yml"]
    (folder / "module.yml").write_text(manifest_text(app, manifest), encoding="utf-8")
    settings = settings_text(app, base_names)
    if settings:
        (folder / "settings.py").write_text(settings, encoding="utf-8")
        written.append("settings.py")
    return written
