"""Issue 19, part 2: `make extract` turns a client app into a module, and the client adopts
it without losing data.

One round trip on real generated projects: a client project with its own app (a model, two
migrations of which one moves data, a view, a URL, a template, a setting in custom.py and
tests), migrated and holding rows; the app extracted into a copy of the template repository
(its own git history, so the shared `versions` repository is never touched), released as
v0.4.0; the client adds the module through its answers file and `make update`, deletes the
old app as the docs page says, migrates, and finds every row, a clean `makemigrations
--check`, the page and the app's tests passing. The refusals are checked on the same pair.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.helpers import GIT_ENV, REPO, clean_project_env, commit_all, edit, git, run
from tests.support.update_support import generate, make_update, set_answers

NAME = "acme_crm"
MODULE = f"quickscale_modules.{NAME}"

APP_FILES = {
    "crm/__init__.py": "",
    "crm/apps.py": (
        "from django.apps import AppConfig\n\n\n"
        "class CrmConfig(AppConfig):\n"
        '    name = "crm"\n'
        '    verbose_name = "Contacts"\n'
        '    default_auto_field = "django.db.models.BigAutoField"\n'
    ),
    "crm/models.py": (
        "from django.db import models\n\n\n"
        "class Contact(models.Model):\n"
        "    name = models.CharField(max_length=100)\n"
        "    email = models.EmailField()\n\n"
        "    def __str__(self) -> str:\n"
        "        return self.name\n\n\n"
        "class Note(models.Model):\n"
        '    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")\n'
        "    text = models.TextField()\n\n"
        "    def __str__(self) -> str:\n"
        "        return self.text\n"
    ),
    # Absolute imports of the app by itself: extract rewrites them.
    "crm/views.py": (
        "from django.conf import settings\n"
        "from django.shortcuts import render\n\n"
        "from crm.models import Contact\n\n\n"
        "def contacts(request):\n"
        '    rows = Contact.objects.order_by("name")\n'
        '    context = {"contacts": rows, "greeting": settings.CRM_GREETING}\n'
        '    return render(request, "crm/contacts.html", context)\n'
    ),
    "crm/urls.py": (
        "from django.urls import path\n\n"
        "from crm import views\n\n"
        'app_name = "crm"\n'
        'urlpatterns = [path("", views.contacts, name="contacts")]\n'
    ),
    "crm/templates/crm/contacts.html": (
        "<h1>{{ greeting }}</h1>\n"
        "<ul>{% for contact in contacts %}<li>{{ contact.name }}</li>{% endfor %}</ul>\n"
    ),
    "crm/static/crm/crm.css": "h1 { color: teal; }\n",
    "crm/tests/__init__.py": "",
    "crm/tests/test_contacts.py": (
        "import pytest\n"
        "from django.urls import reverse\n\n"
        "from crm.models import Contact\n\n\n"
        "@pytest.mark.django_db\n"
        "def test_the_page_lists_contacts(client):\n"
        '    Contact.objects.create(name="Ada", email="ada@acme.test")\n'
        '    page = client.get(reverse("crm:contacts")).content.decode()\n'
        '    assert "Ada" in page\n'
    ),
    # Client code outside the app that imports it: the adoption steps list it.
    "client_acme/reports.py": (
        "from crm.models import Contact\n\n\ndef contact_count() -> int:\n"
        "    return Contact.objects.count()\n"
    ),
    "client_acme/urls.py": (
        '"""Your URL routes, mounted at the site root before the theme\'s (config/urls.py)."""\n\n'
        "from django.urls import include, path\n\n"
        'urlpatterns: list = [path("crm/", include("crm.urls"))]\n'
    ),
    "config/settings/custom.py": (
        "from .base import INSTALLED_APPS, env\n\n"
        'INSTALLED_APPS = [*INSTALLED_APPS, "crm"]\n'
        "# Greeting at the top of the contacts page.\n"
        'CRM_GREETING = env("CRM_GREETING", default="Hello from Acme")\n'
    ),
}

# A data migration: it names the app by its label, as every migration does.
DATA_MIGRATION = """from django.db import migrations


def add_founder(apps, schema_editor):
    apps.get_model("crm", "Contact").objects.create(name="Founder", email="founder@acme.test")


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]
    operations = [migrations.RunPython(add_founder, migrations.RunPython.noop)]
"""

ROWS = """
from crm.models import Contact, Note
ada = Contact.objects.create(name="Ada", email="ada@acme.test")
Contact.objects.create(name="Bob", email="bob@acme.test")
Note.objects.create(contact=ada, text="Renewal in May")
Note.objects.create(contact=ada, text="Prefers email")
"""

DUMP = """
import json
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

def rows(label, *fields):
    return sorted(apps.get_model(label)._default_manager.values_list("pk", *fields))

page = Client(HTTP_HOST="localhost").get("/crm/")
print("JSON:" + json.dumps({
    "contacts": rows("crm.Contact", "name", "email"),
    "notes": rows("crm.Note", "text", "contact_id"),
    "applied": sorted(MigrationRecorder.Migration.objects.filter(app="crm")
                      .values_list("name", flat=True)),
    "content_types": sorted(ContentType.objects.filter(app_label="crm")
                            .values_list("pk", "model")),
    "tables": sorted(t for t in connection.introspection.table_names() if t.startswith("crm_")),
    "app": apps.get_app_config("crm").name,
    "page": [page.status_code, page.content.decode()],
}))
"""


def django(project: Path, python: Path, code: str) -> dict | None:
    result = run([python, "manage.py", "shell", "-v", "0", "-c", code], project,
                 clean_project_env())  # fmt: skip
    for line in result.stdout.splitlines():
        if line.startswith("JSON:"):
            return json.loads(json.dumps(json.loads(line.removeprefix("JSON:"))))
    return None


def extract(template: Path, client: Path, *args: str, check: bool = True):
    cmd = [sys.executable, "-m", "extract", "--from", client, "--template", template, *args]
    return run(cmd, REPO, {**clean_project_env(), **GIT_ENV}, check=check)


def client_with_app(template: Path, folder: Path, python: Path) -> Path:
    client = generate(template, folder, ref="v0.3.0")
    for path, text in APP_FILES.items():
        (client / path).parent.mkdir(parents=True, exist_ok=True)
        (client / path).write_text(text)
    env = clean_project_env()
    run([python, "manage.py", "makemigrations", "crm", "-v", "0"], client, env)
    (client / "crm/migrations/0002_founder.py").write_text(DATA_MIGRATION)
    run([python, "manage.py", "migrate", "-v", "0"], client, env)
    django(client, python, ROWS)
    commit_all(client, "Acme's contacts app")
    return client


@pytest.fixture(scope="module")
def round_trip(versions, project_python, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("extract")
    template = root / "quickscale"
    shutil.copytree(versions, template, symlinks=True)
    client = client_with_app(template, root / "acme", project_python)
    before = django(client, project_python, DUMP)

    extracted = extract(template, client, "--app", "crm", "--name", NAME)
    git(template, "merge", "-q", "--ff-only", f"extract/{NAME}")
    git(template, "tag", "v0.4.0")

    # The client, as the module's docs page says: the module in the answers file, the old
    # app and the lines naming it gone before manage.py runs again, `make update`, migrate.
    answers = yaml.safe_load((client / ".copier-answers.yml").read_text())
    set_answers(client, modules=[*answers["modules"], NAME])
    commit_all(client, f"Add the {NAME} module")
    update = make_update(client, project_python, "--vcs-ref", "v0.4.0")
    shutil.rmtree(client / "crm")
    (client / "config/settings/custom.py").write_text("")
    edit(client / "client_acme/urls.py", 'path("crm/", include("crm.urls"))', "")
    edit(client / "client_acme/reports.py", "from crm.models", f"from {MODULE}.models")
    env = clean_project_env()
    migrate = run([project_python, "manage.py", "migrate"], client, env)
    after = django(client, project_python, DUMP)
    return {
        "template": template,
        "client": client,
        "before": before,
        "after": after,
        "extract": extracted.stdout,
        "update": update.stdout,
        "migrate": migrate.stdout,
    }


def test_the_module_is_the_app_moved_with_its_label_kept(round_trip):
    module = round_trip["template"] / "modules" / NAME
    apps_py = (module / "apps.py").read_text()
    assert f'name = "{MODULE}"' in apps_py and 'label = "crm"' in apps_py
    assert f"from {MODULE}.models import Contact" in (module / "views.py").read_text()
    assert f"from {MODULE} import views" in (module / "urls.py").read_text()
    assert (module / "templates/crm/contacts.html").is_file()
    assert (module / "static/crm/crm.css").is_file()
    assert (module / "migrations/0001_initial.py").is_file()
    # Migrations name the app by its label, which stays.
    assert '("crm", "0001_initial")' in (module / "migrations/0002_founder.py").read_text()

    manifest = yaml.safe_load((module / "module.yml").read_text())
    assert manifest["name"] == NAME and manifest["label"] == "Contacts"
    assert manifest["urls"] == [{"prefix": "crm/", "include": f"{MODULE}.urls"}]
    assert manifest["env"][0]["name"] == "CRM_GREETING"
    assert manifest["env"][0]["example"] == "Hello from Acme"
    settings = (module / "settings.py").read_text()
    assert 'CRM_GREETING = env("CRM_GREETING", default="Hello from Acme")' in settings


def test_the_template_registers_the_module(round_trip):
    template = round_trip["template"]
    config = yaml.safe_load((template / "copier.yml").read_text())
    assert NAME in config["modules"]["choices"]
    shipped = yaml.safe_load((template / "tests/shipped.yml").read_text())
    assert f"modules: {NAME}" in shipped["choices"]
    assert f"quickscale_modules/{NAME}/models.py" in shipped["files"]
    assert f"quickscale_modules/{NAME}/settings.py" not in shipped["files"]
    assert "Adopting it in Client Acme" in (template / f"docs/modules/{NAME}.md").read_text()
    assert f"modules/{NAME}.md" in (template / "mkdocs.yml").read_text()
    assert f"the `{NAME}` module" in (template / "CHANGELOG.md").read_text()
    assert git(template, "status", "--porcelain") == ""
    assert git(template, "worktree", "list").count("\n") == 1, "the temporary worktree is gone"
    # What the client must change, listed by extract.
    assert "client_acme/reports.py:1: from crm.models import Contact" in round_trip["extract"]


def test_the_client_adopts_the_module_and_keeps_every_row(round_trip):
    before, after, client = round_trip["before"], round_trip["after"], round_trip["client"]
    assert before["app"] == "crm" and after["app"] == MODULE
    assert sorted(row[1] for row in before["contacts"]) == ["Ada", "Bob", "Founder"]
    for key in ("contacts", "notes", "applied", "content_types", "tables"):
        assert after[key] == before[key], key
    assert after["applied"] == ["0001_initial", "0002_founder"]
    assert "No migrations to apply" in round_trip["migrate"]
    assert f"Added {NAME}" in round_trip["update"]
    assert after["page"][0] == 200 and "Hello from Acme" in after["page"][1]
    assert all(name in after["page"][1] for name in ("Ada", "Bob", "Founder"))
    assert f'"{MODULE}",' in (client / "config/settings/base.py").read_text()
    assert f'include("{MODULE}.urls")' in (client / "config/urls.py").read_text()


def test_the_adopted_project_is_consistent(round_trip, project_python):
    client, env = round_trip["client"], clean_project_env()
    run([project_python, "manage.py", "makemigrations", "--check", "--dry-run"], client, env)
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], client, env)
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    run([ruff, "check", "--no-cache", f"quickscale_modules/{NAME}"], client)  # the project's rules
    tests = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 f"quickscale_modules/{NAME}"], client, env)  # fmt: skip
    assert "1 passed" in tests.stdout


def test_the_template_checks_its_new_module(round_trip):
    """The template repository's own render-tier checks that concern a new module: its files
    and choice recorded, its settings.py linted with the projects' rules, the contract."""
    checks = ["tests/render/test_discipline.py", "tests/render/test_module_settings.py",
              "tests/render/test_contract.py"]  # fmt: skip
    selected = f"{NAME} or record or disappears or ruff"
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *checks,
                  "-k", selected], round_trip["template"])  # fmt: skip
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app", "crm", "--name", "Acme-CRM"], "is not a valid module name"),
        (["--app", "crm", "--name", "greetings"], "modules/greetings/ exists already"),
        (["--app", "crm", "--name", "json"], "is reserved"),
        (["--app", "nowhere", "--name", "other"], "is not a folder inside"),
        (["--app", "templates", "--name", "other"], "is not a Django app"),
        (["--app", "client_acme", "--name", "other"], "the project's own app"),
    ],
)
def test_refusals_write_nothing(round_trip, args, message):
    template = round_trip["template"]
    head = git(template, "rev-parse", "HEAD")
    result = extract(template, round_trip["client"], *args, check=False)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert git(template, "rev-parse", "HEAD") == head
    assert git(template, "status", "--porcelain") == ""
    assert "extract/other" not in git(template, "branch", "--list")


def test_a_dirty_template_or_a_taken_label_is_refused(round_trip):
    template, client = round_trip["template"], round_trip["client"]
    # The module, now in the template, holds the label "crm": a second extraction of an app
    # with that label would make projects with both fail to start.
    app = client / "crm_again"
    app.mkdir()
    (app / "__init__.py").write_text("")
    config = APP_FILES["crm/apps.py"].replace('"crm"', '"crm_again"')
    (app / "apps.py").write_text(config.replace("    verbose", '    label = "crm"\n    verbose'))
    taken = extract(template, client, "--app", "crm_again", "--name", "other", check=False)
    assert taken.returncode == 2 and f"label of modules/{NAME}" in taken.stderr

    leads = client / "leads"
    leads.mkdir()
    (leads / "__init__.py").write_text("")
    (leads / "models.py").write_text("")
    (template / "README.md").write_text("work in progress\n")
    dirty = extract(template, client, "--app", "leads", "--name", "other", check=False)
    git(template, "checkout", "--", "README.md")
    assert dirty.returncode == 2 and "uncommitted changes" in dirty.stderr
    assert "extract/other" not in git(template, "branch", "--list")

    # The same app extracted again under another name while the first branch waits.
    extract(template, client, "--app", "leads", "--name", "leads_a")
    twice = extract(template, client, "--app", "leads", "--name", "leads_b", check=False)
    git(template, "branch", "-D", "extract/leads_a")
    assert twice.returncode == 2, twice.stdout + twice.stderr
    assert "the unmerged branch extract/leads_a" in twice.stderr
