"""What makes a folder in modules/ a module of the template, besides the folder itself.

docs/modules/index.md, "Adding a module to the template": a choice in copier.yml's
`modules` question, the files and choice recorded in tests/shipped.yml (`make shipped`),
a docs page in the mkdocs nav, and a changelog entry. The render tier fails until all
four are there, so extract writes all four. copier.yml and mkdocs.yml are edited as text
(one inserted line each), never re-dumped, so their comments and layout stay; each edit
is checked by loading the file again.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from extract.discover import App
from extract.errors import Refused

TOP_LEVEL = re.compile(r"^[^\s#]")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def choice_values(config: dict) -> list:
    choices = (config.get("modules") or {}).get("choices") or []
    return list(choices.values()) if isinstance(choices, dict) else list(choices)


def add_choice(template: Path, name: str, label: str, description: str) -> None:
    """One line at the end of the `modules` question's choices, in the file's own style
    (`Label - what it does: name`, or `- name` in a list of plain values)."""
    path = template / "copier.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^modules:\s*$", line)), None)
    if start is None:
        raise Refused("copier.yml has no `modules` question: is TEMPLATE a QuickScale template?")
    end = next((i for i in range(start + 1, len(lines)) if TOP_LEVEL.match(lines[i])), len(lines))
    heading = next(
        (i for i in range(start + 1, end) if re.match(r"^\s+choices:\s*$", lines[i])), None
    )
    if heading is None:
        raise Refused("copier.yml: the `modules` question has no `choices:` block to add to.")
    last = heading
    for i in range(heading + 1, end):
        # PyYAML writes a list at the key's own indent ("  choices:\n  - auth").
        inside = indent_of(lines[i]) > indent_of(lines[heading]) or (
            indent_of(lines[i]) == indent_of(lines[heading]) and lines[i].lstrip().startswith("- ")
        )
        if lines[i].strip() and not inside:
            break
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            last = i
    if last == heading:
        raise Refused("copier.yml: the `modules` question's `choices:` block is empty.")
    item = lines[last]
    pad = " " * indent_of(item)
    if item.lstrip().startswith("- "):
        line = f"{pad}- {name}\n"
    else:
        key = f"{label} - {description[:1].lower()}{description[1:]}".rstrip(".")
        line = pad + yaml.safe_dump({key: name}, width=1000, allow_unicode=True).strip() + "\n"
    lines.insert(last + 1, line)
    text = "".join(lines)
    if name not in choice_values(yaml.safe_load(text)):
        raise Refused("copier.yml: the new choice did not load back; add it by hand.")
    path.write_text(text, encoding="utf-8")


def add_nav(template: Path, label: str, name: str) -> bool:
    """The docs page after the last modules/ page of mkdocs.yml's nav (strict builds warn
    about a page missing from the nav, and warnings fail them)."""
    path = template / "mkdocs.yml"
    if not path.is_file():
        return False
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    entries = [
        i for i, line in enumerate(lines) if re.match(r"^\s+- .+: modules/\S+\.md\s*$", line)
    ]
    if not entries:
        return False
    pad = " " * indent_of(lines[entries[-1]])
    entry = yaml.safe_dump([{label: f"modules/{name}.md"}], width=1000).strip()
    lines.insert(entries[-1] + 1, f"{pad}{entry}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return True


def add_changelog(template: Path, entry: str) -> bool:
    path = template / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if "## Unreleased\n" not in text:
        return False
    path.write_text(
        text.replace("## Unreleased\n", f"## Unreleased\n\n{entry}", 1), encoding="utf-8"
    )
    return True


def record_shipped(template: Path) -> bool:
    """`make shipped`: tests/shipped.yml lists what users receive, the new files included."""
    script = template / "tests" / "shipped.py"
    if not script.is_file():
        return False
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(script)], cwd=template, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"tests/shipped.py failed:\n{result.stderr[-2000:]}")
    return True


def changelog_entry(app: App, name: str, description: str) -> str:
    return (
        f"- New: the `{name}` module (docs/modules/{name}.md): {description.rstrip('.')}. "
        f"Extracted from {app.client}'s `{app.name}` app with `make extract`. To add it: add "
        f"`{name}` to `modules` in `.copier-answers.yml`, commit, run `make update`, then "
        f"`make migrate`. {app.client} adopts it as its docs page says; the app label "
        f"`{app.label}` is kept, so its data stays where it is.\n"
    )


def docs_page(app: App, name: str, manifest: dict, settings: str | None) -> str:
    """docs/modules/<name>.md, built from the manifest: a starting point to complete."""
    label = manifest["label"]
    out = [
        f"# {label}",
        "",
        manifest["description"],
        "",
        f"Extracted from {app.client}'s `{app.name}` app with `make extract`",
        "([Running a fleet](../agency.md)). Its Django app label is `"
        + app.label
        + "`, as in "
        + app.client
        + ", so its tables keep their names and its migrations continue that project's "
        "history.",
        "",
        "## Add it to a project",
        "",
        f"Add `{name}` to `modules` in `.copier-answers.yml`"
        + (
            f" (with {', '.join(f'`{r}`' for r in manifest['requires'])}, which it needs)"
            if manifest["requires"]
            else ""
        )
        + ", then:",
        "",
        "```bash",
        f'git commit -am "Add the {name} module"',
        "make update",
        "make migrate",
        "```",
        "",
    ]
    if manifest.get("urls"):
        out += ["## Pages", "", "| Prefix | URL module |", "| --- | --- |"]
        out += [f"| `/{u['prefix']}` | `{u['include']}` |" for u in manifest["urls"]]
        out += [""]
    if app.models:
        out += ["## Data", "", "| Model | Table |", "| --- | --- |"]
        out += [f"| `{model}` | `{table}` |" for model, table in app.models]
        out += [""]
    if settings:
        fragment = settings.split("below this line ---\n", 1)[1].rstrip()
        out += [
            "## Settings",
            "",
            "Written into `config/settings/base.py`; override them in `config/settings/custom.py`:",
            "",
            "```python",
            fragment,
            "```",
            "",
        ]
    if manifest.get("env"):
        out += ["| Variable | Example | What it does |", "| --- | --- | --- |"]
        out += [f"| `{v['name']}` | `{v['example']}` | {v['help']} |" for v in manifest["env"]]
        out += [""]
    out += [
        f"## Adopting it in {app.client}",
        "",
        "The project the app came from keeps its data. Add the module as above, and remove",
        "the old app before `manage.py` runs again (Django refuses two apps with the label",
        f"`{app.label}`; `make update` does not start Django):",
        "",
        f"1. Delete the `{app.folder.relative_to(app.project).as_posix()}/` folder.",
        f"2. Change the lines that name it: imports become `quickscale_modules.{name}...`,",
        "   and its INSTALLED_APPS entry and URL include go (the module's are in",
        "   `config/settings/base.py` and `config/urls.py`)"
        + (". `make extract` found these:" if app.references else "."),
        "",
    ]
    out += [f"    - `{ref.replace('`', '')}`" for ref in app.references]
    if app.references:
        out += [""]
    if app.settings:
        names = ", ".join(f"`{s.name}`" for s in app.settings)
        out += [
            f"3. Remove {names} from `config/settings/custom.py` unless you change the",
            "   module's defaults there.",
        ]
    out += [
        "",
        "Then `make migrate` applies nothing (the history is the app's own) and",
        "`python manage.py makemigrations --check` finds no change.",
        "",
        "## Removing it",
        "",
        f"Remove `{name}` from `modules`, commit and run `make update`. Its tables stay in the",
        f"database; drop them first with `python manage.py migrate {app.label} zero` if the data",
        "can go.",
        "",
    ]
    return "\n".join(out)
