"""Which client paths are promotable, and the template source each one is generated from.

A generated path comes from `<_subdirectory>/<source>` where a folder may be a symlink
(`template/quickscale_modules` -> `modules/`), a name may be Jinja (`{{project_slug}}`,
`{% if frontend == 'react' %}frontend{% endif %}`) and a rendered file ends with
`.jinja`. Walking the template's own tree and rendering each name with the client's
answers gives the exact map; guessing from the path alone would miss the conditional
names. Ownership follows docs/updating.md ("Ownership zones") and `_skip_if_exists`:
only template-owned and theme files are promoted, the client's zones are reported and left.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

ANSWERS_FILES = {".copier-answers.yml", "quickscale_core/applied_answers.yml"}
# Top-level folders the template owns; every other top-level folder is the client's.
OWNED_FOLDERS = {"config", "quickscale_core", "quickscale_modules", "quickscale_themes", ".github"}
# Rendered from the template, but they hold the client's own dependencies and text.
SHARED_FILES = {"pyproject.toml", "README.md"}
CLIENT_PATTERNS = (
    "templates/*",
    "static/*",
    "config/settings/custom.py",
    "package-lock.json",
    "api-client/*",
    "quickscale_themes/*/frontend_*/static/*/img/*",
)


@dataclass
class Source:
    """Where a generated file comes from in the template repository."""

    path: str  # repository-relative, symlinks resolved: modules/billing/services.py
    rendered: bool  # a .jinja file, rendered with the answers (else a plain copy)


class TemplateMap:
    """Generated path -> Source, for one template tree and one project's answers."""

    def __init__(self, root: Path, answers: dict) -> None:
        config = yaml.safe_load((root / "copier.yml").read_text())
        self.root = root
        self.subdirectory = str(config.get("_subdirectory") or "")
        self.suffix = str(config.get("_templates_suffix", ".jinja"))
        self.questions = {key for key in config if not key.startswith("_")}
        context = {**answers, "_copier_conf": {"answers_file": ".copier-answers.yml"}}
        self.files: dict[str, Source] = {}
        self.folders: dict[str, str] = {"": self._real(root / self.subdirectory)}
        env = jinja2.Environment(autoescape=False)  # noqa: S701 - file names, not HTML
        base = root / self.subdirectory
        for folder, dirs, names in os.walk(base, followlinks=True):
            rel = Path(folder).relative_to(base)
            generated = render_parts(env, rel.parts, context)
            if generated is None:
                dirs[:] = []
                continue
            self.folders["/".join(generated)] = self._real(Path(folder))
            for name in names:
                rendered = name.endswith(self.suffix) and bool(self.suffix)
                out = render_parts(
                    env, (name.removesuffix(self.suffix) if rendered else name,), context
                )
                if out:
                    path = "/".join([*generated, *out])
                    self.files[path] = Source(self._real(Path(folder) / name), rendered)

    def _real(self, path: Path) -> str:
        real, root = Path(os.path.realpath(path)), self.root.resolve()
        return "" if real == root else real.relative_to(root).as_posix()

    def source_for_new(self, path: str) -> str:
        """A file the client added: the same name in the source of its nearest folder."""
        parts = path.split("/")
        for cut in range(len(parts) - 1, -1, -1):
            folder = "/".join(parts[:cut])
            if folder in self.folders:
                return "/".join(p for p in (self.folders[folder], *parts[cut:]) if p)
        raise AssertionError("the root folder is always mapped")


def render_parts(env: jinja2.Environment, parts, context: dict) -> list[str] | None:
    out = []
    for part in parts:
        try:
            name = env.from_string(part).render(context) if "{" in part else part
        except jinja2.TemplateError:
            return None
        if not name:
            return None
        out.append(name)
    return out


def zone(path: str, slug: str, mapped: bool) -> str | None:
    """None when the path is promotable, otherwise why it is left alone."""
    if path in ANSWERS_FILES:
        return "the project's answers: change them in the project and run make update"
    top = path.split("/", 1)[0]
    if top == slug:
        return "client-owned: the project's own app"
    if any(fnmatch.fnmatchcase(path, pattern) for pattern in CLIENT_PATTERNS):
        return "client-owned (docs/updating.md, Ownership zones)"
    if "/" in path and top not in OWNED_FOLDERS:
        return "client-owned: a top-level folder the template does not own"
    if path in SHARED_FILES:
        return "holds the client's own dependencies and text: copy a template fix by hand"
    if "/" not in path and not mapped:
        return "not a template file"
    return None
