"""What a client app is made of, read from its source without importing it.

The client project's virtualenv is not ours and its settings may need secrets, so nothing
is imported: the app config, models, URL mounts, settings and imports are read with `ast`.
Everything the module needs is in `App`; everything the adopting client must change by
hand is in `App.references` (files outside the app that name it).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from extract.errors import Refused

# Never part of the client's own code.
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "media", "staticfiles"}
SKIPPED_PREFIXES = ("quickscale_", "quickscale-backup-", ".")
CUSTOM_SETTINGS = Path("config/settings/custom.py")
ROOT_URLCONF = "config.urls"
ENV_METHODS = {"str", "int", "bool", "float", "list", "tuple", "dict", "json", "url", "path"}


@dataclass
class UrlMount:
    prefix: str  # where the project mounts the app's URL module, "crm/"
    include: str  # the app's URL module, "crm.urls"
    where: str  # the file and line that mounts it, for the adoption steps


@dataclass
class EnvVar:
    name: str
    example: str
    help: str


@dataclass
class Setting:
    name: str
    source: str  # the assignment in custom.py, with the comment lines above it
    env: list[EnvVar]
    uses: set[str]  # names the assignment reads


@dataclass
class App:
    project: Path
    folder: Path
    name: str  # the app's dotted path in the client, "crm"
    label: str
    verbose_name: str
    client: str  # the client project's name, for messages and docs
    apps_py: bool
    models: list[tuple[str, str]] = field(default_factory=list)  # (class, table)
    urls: list[UrlMount] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    settings_read: set[str] = field(default_factory=set)
    custom_imports: dict[str, str] = field(default_factory=dict)  # bound name -> import line
    extra_templates: list[Path] = field(default_factory=list)  # project-level templates/<ns>/
    extra_static: list[Path] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)  # a module.yml the app already had
    warnings: list[str] = field(default_factory=list)

    def submodules(self) -> set[str]:
        """Top-level modules of the app ("urls", "models", "api"): a dotted string naming one
        of them is an import path; any other ("crm.contact") is a model label."""
        return {
            p.stem if p.is_file() else p.name
            for p in self.folder.iterdir()
            if (p.suffix == ".py" and p.is_file()) or (p / "__init__.py").is_file()
        }


def python_files(folder: Path, skip: Path | None = None):
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).parts
        if any(part in SKIPPED_DIRS or part.startswith(SKIPPED_PREFIXES) for part in rel[:-1]):
            continue
        if skip is not None and path.is_relative_to(skip):
            continue
        yield path


def parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (SyntaxError, UnicodeDecodeError):
        return None


def dotted(project: Path, path: Path) -> str:
    parts = path.relative_to(project).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def constant(node: ast.AST | None):
    if isinstance(node, ast.Constant):
        return node.value
    # verbose_name = _("Contacts")
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        return node.args[0].value
    return None


def discover(project: Path, app_path: str, template: Path) -> App:
    project = project.resolve()
    if not (project / "manage.py").is_file():
        raise Refused(f"FROM={project} is not a Django project (no manage.py): give the client "
                      "project's folder, the one with manage.py.")  # fmt: skip
    folder = (project / app_path).resolve()
    if not folder.is_relative_to(project) or folder == project or not folder.is_dir():
        raise Refused(f"APP={app_path} is not a folder inside {project}: give the app's path "
                      "relative to the project, for example APP=crm.")  # fmt: skip
    rel = folder.relative_to(project)
    if rel.parts[0].startswith("quickscale_"):
        raise Refused(f"APP={app_path} is part of QuickScale itself, not a client app.")
    has_models = (folder / "models.py").is_file() or (folder / "models/__init__.py").is_file()
    if not (folder / "__init__.py").is_file() or not ((folder / "apps.py").is_file() or has_models):
        raise Refused(f"APP={app_path} is not a Django app: it needs __init__.py and apps.py or "
                      "models.py (create it with `manage.py startapp`).")  # fmt: skip
    answers = read_yaml(project / ".copier-answers.yml")
    slug = answers.get("project_slug")
    if slug and rel.as_posix() == slug:
        raise Refused(f"APP={app_path} is the project's own app, which every QuickScale project "
                      "has (INSTALLED_APPS lists it): move what you want to share into an app "
                      "of its own (`manage.py startapp`), then extract that.")  # fmt: skip
    for bad in ("settings.py", "module.yml.jinja"):
        if (folder / bad).exists():
            raise Refused(f"{rel}/{bad}: a module's settings.py is its Django settings, copied "
                          "into base.py; rename the app's own settings.py (for example to "
                          "conf.py) in the client first.")  # fmt: skip
    jinja = sorted(str(p.relative_to(project)) for p in folder.rglob("*.jinja"))
    if jinja:
        raise Refused(f"{', '.join(jinja)}: Copier would render files ending in .jinja; rename "
                      "them in the client first.")  # fmt: skip

    name, label, verbose, apps_py = app_config(project, folder)
    app = App(
        project=project,
        folder=folder,
        name=name,
        label=label,
        verbose_name=verbose or label.replace("_", " ").title(),
        client=answers.get("project_name") or project.name,
        apps_py=apps_py,
    )
    app.models = models_of(folder, label)
    app.urls = url_mounts(project, app)
    read_settings(app, base_setting_names(template))
    app.extra_templates, app.extra_static = project_level_folders(project, app)
    imports_of(app, template)
    app.references = references(project, app)
    if (folder / "module.yml").is_file():
        app.manifest = read_yaml(folder / "module.yml")
    return app


def read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except yaml.YAMLError as exc:
        raise Refused(f"{path} is not valid YAML ({exc}); fix it first.") from exc
    return data if isinstance(data, dict) else {}


def app_config(project: Path, folder: Path) -> tuple[str, str, str | None, bool]:
    """(name, label, verbose_name, has apps.py): Django's rules for picking the config."""
    default_name = dotted(project, folder)
    tree = parse(folder / "apps.py") if (folder / "apps.py").is_file() else None
    if tree is None:
        if (folder / "apps.py").is_file():
            raise Refused(f"{folder / 'apps.py'} does not parse: fix it first.")
        return default_name, default_name.rsplit(".", 1)[-1], None, False
    configs = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
            (isinstance(b, ast.Name) and b.id.endswith("AppConfig"))
            or (isinstance(b, ast.Attribute) and b.attr.endswith("AppConfig"))
            for b in node.bases
        ):
            values = {
                target.id: stmt.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for target in stmt.targets
                if isinstance(target, ast.Name)
            }
            configs.append(values)
    chosen = [c for c in configs if constant(c.get("default")) is True] or configs
    if len(chosen) != 1:
        raise Refused(f"{folder / 'apps.py'} has {len(configs)} AppConfig classes and none is "
                      "`default = True`: mark the one INSTALLED_APPS uses as default.")  # fmt: skip
    values = chosen[0]
    name = constant(values.get("name"))
    if not isinstance(name, str):
        raise Refused(f"{folder / 'apps.py'}: the AppConfig's `name` must be a plain string.")
    label = constant(values.get("label")) or name.rsplit(".", 1)[-1]
    verbose = constant(values.get("verbose_name"))
    return name, label, verbose if isinstance(verbose, str) else None, True


def models_of(folder: Path, label: str) -> list[tuple[str, str]]:
    found = []
    for path in python_files(folder):
        if path.parent.name == "migrations" or not (
            path.name == "models.py" or path.parent.name == "models"
        ):
            continue
        for node in (parse(path) or ast.Module(body=[])).body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(b) for b in node.bases]
            if not any(b.endswith("Model") for b in bases):
                continue
            meta = next(
                (n for n in node.body if isinstance(n, ast.ClassDef) and n.name == "Meta"), None
            )
            options = {
                t.id: constant(s.value)
                for s in (meta.body if meta else [])
                if isinstance(s, ast.Assign)
                for t in s.targets
                if isinstance(t, ast.Name)
            }
            if options.get("abstract") is True:
                continue
            found.append((node.name, options.get("db_table") or f"{label}_{node.name.lower()}"))
    return found


def url_mounts(project: Path, app: App) -> list[UrlMount]:
    """Where the project mounts the app's URL modules, with the full prefix: includes are
    followed from config/urls.py, so `path("crm/", include("crm.urls"))` in the client's
    own urls.py (mounted at "") gives "crm/"."""
    edges: dict[str, list[tuple[str, str, str]]] = {}
    for path in python_files(project, skip=app.folder):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "include(" not in text or (tree := parse(path)) is None:
            continue
        for node in ast.walk(tree):
            mount = mounted(node)
            if mount:
                where = f"{path.relative_to(project)}:{node.lineno}"
                edges.setdefault(dotted(project, path), []).append((*mount, where))
    prefixes: dict[str, list[str]] = {ROOT_URLCONF: [""]}
    pending = [ROOT_URLCONF]
    while pending:
        module = pending.pop()
        for prefix, target, _ in edges.get(module, []):
            if target not in prefixes:
                prefixes[target] = []
                pending.append(target)
            prefixes[target] += [p + prefix for p in prefixes[module]]
    found = []
    for module, items in edges.items():
        for prefix, target, where in items:
            if target == app.name or target.startswith(app.name + "."):
                for base in prefixes.get(module) or [""]:
                    found.append(UrlMount(base + prefix, target, where))
    return found


def mounted(node: ast.AST) -> tuple[str, str] | None:
    """("crm/", "crm.urls") for path("crm/", include("crm.urls")) and re_path(r"^crm/", ...)."""
    if not (isinstance(node, ast.Call) and len(node.args) >= 2):
        return None
    func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
    inner = node.args[1]
    if func not in {"path", "re_path"} or not isinstance(inner, ast.Call) or not inner.args:
        return None
    if getattr(inner.func, "id", getattr(inner.func, "attr", "")) != "include":
        return None
    target = inner.args[0]
    if isinstance(target, ast.Tuple) and target.elts:
        target = target.elts[0]
    prefix, target = constant(node.args[0]), constant(target)
    if not isinstance(prefix, str) or not isinstance(target, str):
        return None
    if func == "re_path":
        prefix = prefix.removeprefix("^")
    return prefix, target


def base_setting_names(template: Path) -> set[str]:
    """Settings base.py defines: those stay the project's, never copied into the module."""
    source = template / "template/config/settings/base.py.jinja"
    text = source.read_text(encoding="utf-8") if source.is_file() else ""
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*[:=]", text, re.M)) | {"env"}


def read_settings(app: App, base_names: set[str]) -> None:
    """Settings the app reads (settings.X, getattr(settings, "X")) that the client defines in
    config/settings/custom.py: their assignments move into the module's settings.py."""
    for path in python_files(app.folder):
        for node in ast.walk(parse(path) or ast.Module(body=[])):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "settings"
                and node.attr.isupper()
            ):
                app.settings_read.add(node.attr)
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "getattr"
                and len(node.args) >= 2
                and getattr(node.args[0], "id", "") == "settings"
                and isinstance(constant(node.args[1]), str)
            ):
                app.settings_read.add(constant(node.args[1]))
    custom = app.project / CUSTOM_SETTINGS
    tree = parse(custom) if custom.is_file() else None
    if tree is None:
        return
    lines = custom.read_text(encoding="utf-8").splitlines()
    assigned: dict[str, Setting] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            for alias in stmt.names:
                bound = (alias.asname or alias.name).split(".")[0]
                if isinstance(stmt, ast.ImportFrom) and stmt.level:
                    continue  # from .base import env: stand-ins above the marker
                app.custom_imports[bound] = import_line(stmt, alias)
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        if len(targets) != 1 or not isinstance(targets[0], ast.Name):
            continue
        start = stmt.lineno - 1
        while start > 0 and lines[start - 1].lstrip().startswith("#"):
            start -= 1
        comments = [line.strip().lstrip("#").strip() for line in lines[start : stmt.lineno - 1]]
        uses = (
            {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)} if stmt.value else set()
        )
        name = targets[0].id
        assigned[name] = Setting(
            name, "\n".join(lines[start : stmt.end_lineno]), env_vars(stmt, comments, name), uses
        )
    wanted, seen = sorted(app.settings_read & set(assigned)), set()
    while wanted:
        name = wanted.pop(0)
        if name in seen:
            continue
        if name in base_names:
            app.warnings.append(
                f"The app reads settings.{name}, which config/settings/custom.py overrides; it is "
                "a project setting (base.py has it), so the module gets each project's value."
            )
            continue
        seen.add(name)
        wanted += sorted((assigned[name].uses & set(assigned)) - seen)
    order = list(assigned)
    app.settings = [assigned[n] for n in sorted(seen, key=order.index)]


def import_line(stmt: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    as_part = f" as {alias.asname}" if alias.asname else ""
    if isinstance(stmt, ast.Import):
        return f"import {alias.name}{as_part}"
    return f"from {stmt.module} import {alias.name}{as_part}"


def env_vars(stmt: ast.stmt, comments: list[str], setting: str) -> list[EnvVar]:
    """env("CRM_GREETING", default="Hello") -> CRM_GREETING, example "Hello"."""
    found = []
    for node in ast.walk(stmt):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and getattr(func.value, "id", "") == "env"
            and func.attr in ENV_METHODS
        )
        variable = constant(node.args[0])
        if not is_env or not isinstance(variable, str):
            continue
        default = next((constant(k.value) for k in node.keywords if k.arg == "default"), "")
        if isinstance(default, bool):
            default = "true" if default else "false"
        help_text = " ".join(comments) or f"Read as settings.{setting}."
        found.append(EnvVar(variable, "" if default is None else str(default), help_text))
    return found


def project_level_folders(project: Path, app: App) -> tuple[list[Path], list[Path]]:
    """templates/<ns>/ and static/<ns>/ at the project's root for the app's namespaces: the
    client may keep an app's templates there; they travel with the module."""
    spaces = {app.label, app.name.rsplit(".", 1)[-1]}
    for kind in ("templates", "static"):
        if (app.folder / kind).is_dir():
            spaces |= {p.name for p in (app.folder / kind).iterdir() if p.is_dir()}
    found = []
    for kind in ("templates", "static"):
        found.append([project / kind / s for s in sorted(spaces) if (project / kind / s).is_dir()])
    return found[0], found[1]


def module_apps(template: Path) -> dict[str, str]:
    """Import roots of the apps each module installs (rest_framework -> api)."""
    roots = {}
    for manifest in sorted((template / "modules").glob("*/module.yml")):
        data = read_yaml(manifest)
        for entry in data.get("apps") or []:
            root = entry.split(".")[0]
            if root != "django":
                roots.setdefault(root, manifest.parent.name)
    return roots


def imports_of(app: App, template: Path) -> None:
    """Modules the app needs (`requires`) and third-party packages it imports."""
    local = {p.name for p in app.project.iterdir() if p.is_dir()} | {
        p.stem for p in app.project.glob("*.py")
    }
    known = {"django", "quickscale_core", "quickscale_themes", app.name.split(".")[0]}
    # What every project installs (environ, pytest, ...), as the project_slug validator knows.
    reserved = read_yaml(template / "extensions" / "reserved_names.yml")
    known |= set(reserved.get("project") or [])
    apps_of_modules = module_apps(template)
    requires, third = set(), set()
    for path in python_files(app.folder):
        for node in ast.walk(parse(path) or ast.Module(body=[])):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for full in names:
                root = full.split(".")[0]
                if root == "quickscale_modules" and full.count(".") >= 1:
                    requires.add(full.split(".")[1])
                elif root in apps_of_modules:
                    requires.add(apps_of_modules[root])
                elif (
                    root not in known and root not in local and root not in sys.stdlib_module_names
                ):
                    third.add(root)
    app.requires = sorted(requires)
    app.third_party = sorted(third)


def references(project: Path, app: App) -> list[str]:
    """Lines outside the app that name it: imports, INSTALLED_APPS, includes. The client
    changes them when it adopts the module (the adoption steps list them)."""
    pattern = re.compile(
        rf"^\s*(from|import)\s+{re.escape(app.name)}(\.|\s|$)"
        rf"|[\"']{re.escape(app.name)}(\.[\w.]+)?[\"']"
    )
    found = []
    for path in python_files(project, skip=app.folder):
        if "migrations" in path.relative_to(project).parts:
            continue  # ("crm", "0002_...") and "crm.Contact" are labels: they stay valid
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(project)}:{number}: {line.strip()}")
    return found
