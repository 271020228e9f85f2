"""The module and theme contract (docs/modules/extension-points.md), checked on the sources.

A module or theme is one folder: it names another module only along a declared
`requires`, asks whether a module is installed only through the core's helper, and its
file names never encode module combinations.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MODULES = sorted(p.name for p in (REPO / "modules").iterdir() if (p / "module.yml").exists())
THEMES = sorted(p.name for p in (REPO / "themes").iterdir() if (p / "theme.yml").exists())
TEXT_SUFFIXES = {".py", ".html", ".txt", ".yml", ".js", ".css", ".md", ".jinja"}


def core_rules() -> dict:
    """The manifest rules as the core states them (extensions.py), read without Django, which
    the template's own venv lacks: one statement of the rules, checked before any render."""
    tree = ast.parse((REPO / "template/quickscale_core/extensions.py").read_text())
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id
        in {"KNOWN_POINTS", "AUDIENCES", "REQUIRED_FIELDS", "TEMPLATE_FIELDS", "DEFAULT_ORDER"}
    }


RULES = core_rules()


def manifest(kind: str, name: str) -> dict:
    return yaml.safe_load((REPO / kind / name / f"{kind[:-1]}.yml").read_text())


def required_closure(name: str) -> set[str]:
    """The modules `name` requires, directly or through them."""
    seen: set[str] = set()
    todo = list(manifest("modules", name).get("requires") or [])
    while todo:
        needed = todo.pop()
        if needed not in seen:
            seen.add(needed)
            todo += manifest("modules", needed).get("requires") or []
    return seen


def references(module: str) -> re.Pattern:
    """Ways source text names `module`: imports, template folders and tag libraries,
    URL namespaces, `'module' in ...` tests and INSTALLED_APPS paths."""
    return re.compile(
        rf"quickscale_modules[./]{module}\b"
        rf"|\bquickscale_{module}\b"
        rf"|['\"]{module}['\"]\s+(not\s+)?in\b"
        rf"|['\"]{module}:[a-z_]+['\"]"
    )


def source_files(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts:
            yield path


def named_modules(folder: Path, allowed: set[str]) -> list[str]:
    found = []
    for path in source_files(folder):
        text = path.read_text(encoding="utf-8")
        for other in MODULES:
            if other in allowed:
                continue
            for match in references(other).finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
                found.append(f"{where}:{line}: {match.group(0)}")
    return found


@pytest.mark.parametrize("name", MODULES)
def test_a_module_names_only_the_modules_it_requires(name):
    allowed = {name} | required_closure(name)
    found = named_modules(REPO / "modules" / name, allowed)
    assert not found, (
        f"The {name} module names modules it does not require: {found}. Link to a named page "
        "({% page_url %}), contribute to an extension point, or use a feature helper "
        "(docs/modules/extension-points.md)."
    )


@pytest.mark.parametrize("name", THEMES)
def test_a_theme_names_no_module(name):
    found = named_modules(REPO / "themes" / name, allowed=set())
    assert not found, (
        f"The {name} theme names modules: {found}. Use named pages, extension points or "
        "feature helpers (docs/modules/extension-points.md)."
    )


def test_only_the_core_helper_asks_whether_a_module_is_installed():
    helper = REPO / "template/quickscale_core/extensions.py"
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("modules", "themes", "template")
        for path in source_files(REPO / folder)
        if path != helper
        and path.suffix in {".py", ".html"}
        and re.search(r"is_installed\(\s*['\"]quickscale_modules", path.read_text())
    ]
    assert not offenders, f"Use quickscale_core.extensions.is_installed(): {offenders}"


def test_no_file_name_encodes_a_module_choice():
    conditional = [
        str(path.relative_to(REPO))
        for folder in ("modules", "themes", "template")
        for path in (REPO / folder).rglob("*{%*")
        if "modules" in path.name
    ]
    assert not conditional, (
        f"File names that depend on the modules answer: {conditional}. Ship the file always and "
        "reach it through an extension point (e.g. api_routes) instead."
    )


@pytest.mark.parametrize(
    ("kind", "name"), [("modules", m) for m in MODULES] + [("themes", t) for t in THEMES]
)
def test_manifest_contributions_are_well_formed(kind, name):
    data = manifest(kind, name)
    for point, items in (data.get("contributes") or {}).items():
        known = RULES["KNOWN_POINTS"]
        assert point in known, f"{kind}/{name}: unknown extension point {point!r}; use {known}"
        for item in items:
            assert item.get("when", "always") in RULES["AUDIENCES"], (kind, name, item)
            assert isinstance(item.get("order", RULES["DEFAULT_ORDER"]), int), (kind, name, item)
            needs = RULES["REQUIRED_FIELDS"].get(point, RULES["TEMPLATE_FIELDS"])
            if point == "api_routes":
                assert "when" not in item, f"{kind}/{name}: api_routes items take no `when`"
            assert needs <= set(item), f"{kind}/{name}: {point} items need {sorted(needs)}"
            if "template" in item:
                matches = list((REPO / kind / name).rglob(f"templates/{item['template']}"))
                assert matches, f"{kind}/{name}: {item['template']} is not in the folder"
    for page, url_name in (data.get("pages") or {}).items():
        assert re.fullmatch(r"[a-z_]+", page) and url_name, (kind, name, page)


def test_the_contract_checks_catch_a_cross_reference(tmp_path):
    # The grep itself must find what it is for (a check that cannot fail proves nothing).
    folder = tmp_path / "themes" / "demo"
    folder.mkdir(parents=True)
    (folder / "views.py").write_text("from quickscale_modules.billing import services\n")
    (folder / "page.html").write_text(
        "{% if 'api' in QUICKSCALE_MODULES %}{% url 'billing:pricing' %}{% endif %}"
    )

    found = [hit.split(": ", 1)[1] for hit in named_modules(folder, set()) if hit]

    assert sorted(found) == sorted(["quickscale_modules.billing", "'api' in", "'billing:pricing'"])
