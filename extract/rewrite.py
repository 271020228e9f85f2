"""The app's files moved to modules/<name>/, its Python pointed at its new import path.

In projects a module is `quickscale_modules.<name>`, so every absolute import of the app by
itself changes (`from crm.models import Contact` -> `from quickscale_modules.acme_crm.models
import Contact`), and so do dotted paths in strings that name one of its modules
(`"crm.urls"`, `"crm.tasks.send"`). What does NOT change is the app label: strings such as
`("crm", "0001_initial")` or `"crm.Contact"` in migrations and foreign keys are labels, and
the label is kept (`label = "crm"` in the AppConfig), so the client's tables, migration
history and content types stay valid. Python is rewritten token by token, never by a
regex over the text, so a variable or a word that happens to be spelled like the app is
left alone.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
import tokenize
from pathlib import Path

from extract.discover import SKIPPED_DIRS, App

IGNORED = shutil.ignore_patterns(*SKIPPED_DIRS, "*.py[co]", ".DS_Store", "module.yml")
DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
SKIP_TOKENS = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT}


def copy_app(app: App, destination: Path, new: str) -> list[str]:
    """Copy the app (and its project-level templates/static folders) to `destination`;
    returns the copied files, relative to it."""
    shutil.copytree(app.folder, destination, ignore=IGNORED)
    for kind, folders in (("templates", app.extra_templates), ("static", app.extra_static)):
        for folder in folders:
            # The project's folder overrides the app's, as Django's DIRS come before app dirs.
            shutil.copytree(folder, destination / kind / folder.name, dirs_exist_ok=True,
                            ignore=IGNORED)  # fmt: skip
    submodules = app.submodules()
    for path in sorted(destination.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        path.write_text(rewrite_python(text, app.name, new, submodules), encoding="utf-8")
    set_app_config(destination, app, new)
    return sorted(
        p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file()
    )


def rewrite_python(text: str, old: str, new: str, submodules: set[str]) -> str:
    """`old` -> `new` in import statements, in code that reaches the package through a
    plain `import old...`, and in string literals that name one of its modules."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return text
    binds_root = any(
        isinstance(node, ast.Import)
        and any(a.asname is None and is_old(a.name, old) for a in node.names)
        for node in ast.walk(ast.parse(text))
    )
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    statement: str | None = None  # "import" / "from" while inside such a statement
    previous = None  # the previous significant token
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            statement, previous = None, None
            i += 1
            continue
        if token.type in SKIP_TOKENS:
            i += 1
            continue
        if token.type == tokenize.NAME and token.string in {"import", "from"} and previous is None:
            statement = token.string
        if token.type == tokenize.STRING:
            replaced = rewrite_string(token.string, old, new, submodules)
            if replaced != token.string:
                edits.append((token.start, token.end, replaced))
        elif token.type == tokenize.NAME and not (previous and previous.string == "."):
            # A dotted name: NAME (. NAME)*.
            j, parts = i, [token.string]
            while (
                j + 2 < len(tokens)
                and tokens[j + 1].string == "."
                and tokens[j + 2].type == tokenize.NAME
            ):
                parts.append(tokens[j + 2].string)
                j += 2
            name = ".".join(parts)
            module_position = (statement == "from" and previous and previous.string == "from") or (
                statement == "import" and previous and previous.string in {"import", ","}
            )
            in_code = statement is None and binds_root
            if is_old(name, old) and (module_position or in_code):
                edits.append((token.start, tokens[j].end, new + name[len(old) :]))
            previous = tokens[j]
            i = j + 1
            continue
        previous = token
        i += 1
    return apply(text, edits)


def is_old(name: str, old: str) -> bool:
    return name == old or name.startswith(old + ".")


def rewrite_string(literal: str, old: str, new: str, submodules: set[str]) -> str:
    """'crm.urls' -> 'quickscale_modules.acme_crm.urls'; 'crm.Contact' (a label) stays."""
    match = re.fullmatch(r"([rRuU]?)(['\"])(.*)\2", literal, re.S)
    if not match or match.group(3).startswith(match.group(2) * 2):
        return literal
    value = match.group(3)
    if not DOTTED.fullmatch(value) or not value.startswith(old + "."):
        return literal
    if value[len(old) + 1 :].split(".")[0] not in submodules:
        return literal
    return f"{match.group(1)}{match.group(2)}{new}{value[len(old) :]}{match.group(2)}"


def apply(text: str, edits) -> str:
    lines = text.splitlines(keepends=True)
    for (row, col), (end_row, end_col), replacement in sorted(edits, reverse=True):
        if row != end_row:
            continue
        line = lines[row - 1]
        lines[row - 1] = line[:col] + replacement + line[end_col:]
    return "".join(lines)


def set_app_config(destination: Path, app: App, new: str) -> None:
    """AppConfig.name becomes the module's path; the label is written out, so it stays."""
    apps_py = destination / "apps.py"

    def keep(indent: str = "    ") -> str:
        return (
            f"{indent}# The label the app had in {app.client}: its tables ({app.label}_*),\n"
            f"{indent}# migration history and content types keep their names (make extract).\n"
            f'{indent}label = "{app.label}"\n'
        )

    if not app.apps_py:
        camel = "".join(part.title() for part in new.rsplit(".", 1)[-1].split("_"))
        apps_py.write_text(
            "from django.apps import AppConfig\n\n\n"
            f"class {camel}Config(AppConfig):\n"
            f'    name = "{new}"\n{keep()}'
            f'    verbose_name = "{app.verbose_name}"\n',
            encoding="utf-8",
        )
        return
    text = apps_py.read_text(encoding="utf-8")
    # The token rewrite leaves `name = "crm"` (a label-like string): set it here.
    name_line = re.compile(rf"^(\s*)name\s*=\s*(['\"]){re.escape(app.name)}\2[^\n]*$", re.M)
    if not name_line.search(text):
        name_line = re.compile(rf"^(\s*)name\s*=\s*(['\"]){re.escape(new)}\2[^\n]*$", re.M)
    match = name_line.search(text)
    if match is None:
        raise ValueError(f'{apps_py}: no `name = "{app.name}"` line to change')
    has_label = re.search(r"^\s+label\s*=", text, re.M)
    replacement = f'{match.group(1)}name = "{new}"' + (
        "" if has_label else "\n" + keep(match.group(1)).rstrip("\n")
    )
    apps_py.write_text(text[: match.start()] + replacement + text[match.end() :], encoding="utf-8")
