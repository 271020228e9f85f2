"""`make extract`'s text edits, without a project (the round trip is tests/update/test_extract.py):
the import rewrite must move the app's paths and never its label, and the copier.yml and
mkdocs.yml edits must load back in both layouts those files come in."""

from __future__ import annotations

import shutil

import yaml

from extract.register import add_choice, add_nav, choice_values
from extract.rewrite import rewrite_python
from tests.support.helpers import REPO

NEW = "quickscale_modules.acme_crm"
SUBMODULES = {"models", "urls", "views", "tasks"}


def moved(source: str) -> str:
    return rewrite_python(source, "crm", NEW, SUBMODULES)


def test_imports_and_module_paths_move():
    source = (
        "import crm.models\n"
        "from crm import views\n"
        "from crm.models import (\n    Contact,\n)\n"
        "contact = crm.models.Contact\n"
        'urls = include("crm.urls")\n'
        "task = 'crm.tasks.send'\n"
    )
    assert moved(source) == (
        f"import {NEW}.models\n"
        f"from {NEW} import views\n"
        f"from {NEW}.models import (\n    Contact,\n)\n"
        f"contact = {NEW}.models.Contact\n"
        f'urls = include("{NEW}.urls")\n'
        f"task = '{NEW}.tasks.send'\n"
    )


def test_labels_relative_imports_and_lookalikes_stay():
    source = (
        "from .models import Note\n"
        "from . import crm\n"
        "crm = Crm()\n"
        "crm.save()\n"
        'fk = models.ForeignKey("crm.Contact", on_delete=models.CASCADE)\n'
        'dependencies = [("crm", "0001_initial")]\n'
        'source = "crm"\n'
        'namespace = "crm:contacts"\n'
        'template = "crm/contacts.html"\n'
        'other = "crm_reports.urls"\n'
    )
    assert moved(source) == source


def test_the_choice_is_added_in_each_layout(tmp_path):
    # The real copier.yml (label: value choices, comments) and PyYAML's list layout.
    real = tmp_path / "real"
    real.mkdir()
    shutil.copy(REPO / "copier.yml", real / "copier.yml")
    add_choice(real, "acme_crm", "Contacts", "Clients and notes of Acme")
    text = (real / "copier.yml").read_text()
    assert "    Contacts - clients and notes of Acme: acme_crm\n" in text
    assert text.count("\n") == (REPO / "copier.yml").read_text().count("\n") + 1
    assert choice_values(yaml.safe_load(text))[-1] == "acme_crm"

    dumped = tmp_path / "dumped"
    dumped.mkdir()
    config = yaml.safe_load((REPO / "copier.yml").read_text())
    config["modules"]["choices"] = choice_values(config)
    (dumped / "copier.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    add_choice(dumped, "acme_crm", "Contacts", "a colon: quoted by PyYAML in the other layout")
    assert "  - acme_crm\n" in (dumped / "copier.yml").read_text()
    assert choice_values(yaml.safe_load((dumped / "copier.yml").read_text()))[-1] == "acme_crm"


def test_the_page_joins_the_modules_nav(tmp_path):
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    assert add_nav(tmp_path, "Contacts", "acme_crm")
    nav = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())["nav"]
    modules = next(item["Modules"] for item in nav if "Modules" in item)
    assert modules[-1] == {"Contacts": "modules/acme_crm.md"}


def test_references_to_the_clients_other_apps_refuse(tmp_path):
    """A module whose migrations or models name another client app breaks every project."""
    import pytest

    from extract.errors import Refused
    from extract.validate import check_references

    crm = tmp_path / "crm"
    (crm / "migrations").mkdir(parents=True)
    (crm / "models.py").write_text(
        "from django.conf import settings\nfrom django.db import models\n\n\n"
        "class Contact(models.Model):\n"
        "    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n"
        '    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE)\n'
        '    me = models.ForeignKey("crm.Contact", on_delete=models.CASCADE)\n'
        '    deal = models.ForeignKey("sales.Deal", on_delete=models.CASCADE)\n'
    )
    (crm / "migrations/0001_initial.py").write_text(
        "from django.conf import settings\nfrom django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [\n"
        "        migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n"
        '        ("quickscale_core", "0001_initial"),\n'
        '        ("sales", "0001_initial"),\n'
        "    ]\n"
        "    operations = [\n"
        '        migrations.AddField("contact", "tag", models.ManyToManyField(to="tags.Tag")),\n'
        "    ]\n"
    )
    with pytest.raises(Refused) as refused:
        check_references(REPO, crm, "crm", [])
    message = str(refused.value)
    assert "the client's own app(s) sales, tags" in message
    assert "crm/models.py:9: 'sales.Deal'" in message
    assert "crm/migrations/0001_initial.py:9: ('sales', '0001_initial')" in message
    # A module's or a third-party app's label is fine.
    check_references(REPO, crm, "crm", ["sales", "tags"])
