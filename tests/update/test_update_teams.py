"""Issue 16, "Adding it to a live project": the teams module added to, then removed from, a
project generated before teams existed, with users, a Stripe customer, todo lists and an API
key in its database; the customer moves to its user's personal team. One project serves both
tests (the removal starts where the addition ends), because each generation and update costs
a minute of the update tier.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.support.helpers import clean_project_env, commit_all, git, run
from tests.support.update_support import EXIT_REFUSED, head_and_status, make_update, set_modules
from tests.update.test_update import real_history, start_from  # noqa: F401 - a fixture

BEFORE = ["auth", "api", "payments", "billing"]
PASSWORD = "correct-horse-battery-staple"

# Written with the services of the version before teams: what a live project holds. Two
# owners have a list of the same name (names were unique per owner; they become unique per
# team). Stripe is never called: the customer row is what dj-stripe stores after a checkout.
CLIENT_DATA = f"""
from djstripe.models import Customer
from quickscale_core.models import User
from quickscale_modules.api import services as api
from quickscale_themes.todo import services as todo

ada = User.objects.create_user(
    email="ada@acme.test", password="{PASSWORD}", first_name="Ada", last_name="Lovelace"
)
bob = User.objects.create_user(email="bob@acme.test", password="{PASSWORD}")
User.objects.create_user(email="cy@acme.test", password="{PASSWORD}")  # no lists at all
for user, names in ((ada, ["Launch", "Hiring"]), (bob, ["Launch"])):
    for name in names:
        todo_list = todo.create_list(user, name=name)
        todo.add_task(user, todo_list, title=name + ": first")
        todo.add_task(user, todo_list, title=name + ": second", done=True)
api.create_key(ada, "Deploy script")
Customer.objects.create(id="cus_AcmeAda000001", livemode=False, subscriber=ada, email=ada.email)
"""

# Every row the update must keep, by primary key, readable before and after teams.
DUMP = """
import json
from django.apps import apps

def rows(label, *fields):
    model = apps.get_model(label)
    return sorted(model._default_manager.values_list("pk", *fields))

data = {
    "users": rows("quickscale_core.User", "email", "password"),
    "lists": rows("theme_todo.TodoList", "name", "owner_id"),
    "tasks": rows("theme_todo.Task", "title", "done", "todo_list_id"),
    "keys": rows("quickscale_api.ApiKey", "name", "prefix", "hashed_key", "user_id"),
    "customers": [
        {key: str(value) for key, value in row.items()}
        for row in apps.get_model("djstripe.Customer").objects.order_by("pk").values()
    ],
}
try:
    apps.get_model("quickscale_core.Team")
except LookupError:  # the version before teams
    pass
else:
    Membership = apps.get_model("quickscale_core.Membership")
    data["personal"] = sorted(
        Membership.objects.filter(team__personal=True).values_list("user_id", "team_id")
    )
    List = apps.get_model("theme_todo.TodoList")
    data["list_teams"] = dict(List._default_manager.values_list("pk", "team_id"))
    Key = apps.get_model("quickscale_api.ApiKey")
    if "team" in {f.name for f in Key._meta.fields}:
        data["key_teams"] = dict(Key._default_manager.values_list("pk", "team_id"))
    try:
        Link = apps.get_model("quickscale_payments.TeamCustomer")
    except LookupError:  # before the team became the customer
        pass
    else:
        data["customer_teams"] = dict(Link.objects.values_list("customer__id", "team_id"))
print("JSON:" + json.dumps(data, default=str))
"""


def django(project: Path, python: Path, code: str) -> dict | None:
    """Run `code` in the project's Django (its dev settings, its SQLite file)."""
    result = run([python, "manage.py", "shell", "-v", "0", "-c", code], project,
                 clean_project_env())  # fmt: skip
    for line in result.stdout.splitlines():
        if line.startswith("JSON:"):
            return json.loads(line.removeprefix("JSON:"), object_pairs_hook=dict)
    return None


def dump(project: Path, python: Path) -> dict:
    data = django(project, python, DUMP)
    # JSON turns tuples into lists and int keys into strings: compare like with like.
    return json.loads(json.dumps(data))


def before_teams(clone: Path) -> str:
    """The newest commit before teams came into the core (its migration 0003_teams)."""
    added = git(clone, "log", "--diff-filter=A", "--format=%H", "--",
                "template/quickscale_core/migrations/0003_teams.py").split()  # fmt: skip
    return git(clone, "rev-parse", f"{added[-1]}~1").strip() if added else ""


@pytest.fixture(scope="module")
def teams_added(real_history, tmp_path_factory, project_python):  # noqa: F811
    """A project from before teams, with client data, then `teams` added to its answers,
    `make update` to the current version and `make migrate`; the result committed.
    Returns (project, rows before, rows after, make update's output)."""
    project = start_from(before_teams, real_history, tmp_path_factory.mktemp("teams") /
                         "client_acme", theme="todo", modules=BEFORE)  # fmt: skip
    env = clean_project_env()
    run([project_python, "manage.py", "migrate", "-v", "0"], project, env)
    django(project, project_python, CLIENT_DATA)
    before = dump(project, project_python)
    assert "personal" not in before, "the start version has no teams"
    assert git(project, "status", "--porcelain") == "", "the database is not in git"
    set_modules(project, [*BEFORE, "teams"])
    commit_all(project, "Add the teams module")

    update = make_update(project, project_python, "--vcs-ref", "v0.0.2")
    run([project_python, "manage.py", "migrate", "-v", "0"], project, env)  # `make migrate`

    after = dump(project, project_python)
    commit_all(project, "Update from QuickScale: teams")
    return project, before, after, update.stdout


def test_adding_teams_to_a_live_project_keeps_every_row(teams_added, project_python):
    project, before, after, output = teams_added

    assert "Modules added: teams; removed: none." in output
    assert "run `make migrate`" in output
    for table in ("users", "lists", "tasks", "keys", "customers"):
        assert after[table] == before[table], f"{table}: a row changed or went missing"
    assert len(before["lists"]) == 3 and len(before["tasks"]) == 6 and len(before["keys"]) == 1
    # Every user, with lists or not, has exactly one personal team; it holds their lists.
    personal = dict(after["personal"])
    assert sorted(personal) == sorted(user[0] for user in before["users"])
    assert len(set(personal.values())) == len(personal), "one team each"
    for list_id, _name, owner_id in after["lists"]:
        assert after["list_teams"][str(list_id)] == personal[owner_id]
    assert "key_teams" in after, "API keys act within a team (issue 16)"
    for key_id, *_rest, user_id in after["keys"]:
        assert after["key_teams"][str(key_id)] == personal[user_id]
    # The team is the Stripe customer: Ada's customer moved to her personal team.
    ada = next(user[0] for user in before["users"] if user[1] == "ada@acme.test")
    assert after["customer_teams"] == {"cus_AcmeAda000001": personal[ada]}
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["modules"] == [*BEFORE, "teams"] and answers["_commit"] == "v0.0.2"
    env = clean_project_env()
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, env)
    run([project_python, "manage.py", "makemigrations", "--check", "--dry-run"], project, env)
    # The parts adding teams touches; the whole suite runs in the project tier.
    tests = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--nomigrations", "quickscale_modules/teams", "quickscale_themes/todo",
                 "quickscale_modules/api", "quickscale_modules/billing"], project, env)  # fmt: skip
    assert " passed" in tests.stdout and "failed" not in tests.stdout


SHARE_A_TEAM = """
from quickscale_core import teams
from quickscale_core.models import Membership, User

ada, bob = User.objects.get(email="ada@acme.test"), User.objects.get(email="bob@acme.test")
team = teams.create_team(ada, "Acme Inc")
Membership.objects.create(user=bob, team=team, role="member")
"""

DELETE_THE_TEAM = """
from quickscale_core.models import Team, User
from quickscale_modules.teams import services

ada = User.objects.get(email="ada@acme.test")
team = Team.objects.get(name="Acme Inc")
services.delete_team(team, ada, confirmation="Acme Inc")
"""


def test_removing_teams_is_refused_while_a_team_is_shared(teams_added, project_python):
    project, _, after, _ = teams_added
    django(project, project_python, SHARE_A_TEAM)
    set_modules(project, BEFORE)
    commit_all(project, "Remove the teams module")
    start = head_and_status(project)

    for args in ((), ("--force",)):  # --force is for changed files, never for data
        refused = make_update(project, project_python, *args, check=False)

        assert refused.returncode == EXIT_REFUSED, refused.stdout + refused.stderr
        assert 'Shared team "Acme Inc"' in refused.stderr and "2 members" in refused.stderr
        assert "Delete each of these teams" in refused.stderr
        assert "keep teams in `modules`" in refused.stderr
        assert "DATABASE_URL" in refused.stderr and str(project / "db.sqlite3") in refused.stderr
        assert "check_module_removal teams" in refused.stderr, "how to check production"
        assert "Traceback" not in refused.stderr
        assert head_and_status(project) == start, "a refusal changes nothing"
        assert (project / "quickscale_modules/teams/module.yml").exists()

    django(project, project_python, DELETE_THE_TEAM)
    removed = make_update(project, project_python)

    assert "Modules added: none; removed: teams." in removed.stdout
    assert not (project / "quickscale_modules/teams").exists()
    assert "quickscale_modules.teams" not in (project / "config/settings/base.py").read_text()
    env = clean_project_env()
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, env)
    # Personal teams and what they hold stay: they are the core's.
    final = dump(project, project_python)
    assert final["personal"] == after["personal"] and final["list_teams"] == after["list_teams"]
