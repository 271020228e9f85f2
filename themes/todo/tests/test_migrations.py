"""The migration that gave lists a team (0002_lists_belong_to_teams) keeps every list.

The suite runs with --nomigrations (tables straight from the models), so this test runs the
real migration files itself, on a database of its own (SQLite, in memory): the project as it
was before teams, with users and lists, then quickscale_core's 0003_teams, then 0002.
"""

import pytest
from django.db import IntegrityError, transaction

from quickscale_core.testing import migrate_to, migration_database

pytestmark = pytest.mark.django_db

ALIAS = "todo_migration_test"
BEFORE_TEAMS = [("quickscale_core", "0002_cache_table"), ("theme_todo", "0001_initial")]
CORE_TEAMS = [("quickscale_core", "0003_teams")]
LIST_TEAMS = [("theme_todo", "0002_lists_belong_to_teams")]


@pytest.fixture
def database(settings):
    settings.MIGRATION_MODULES = {}  # --nomigrations replaced them with none
    with migration_database(ALIAS) as connection:
        yield connection


def test_existing_lists_move_to_their_creators_personal_team(database):
    apps = migrate_to(database, BEFORE_TEAMS)
    User = apps.get_model("quickscale_core", "User")
    TodoList = apps.get_model("theme_todo", "TodoList")
    Task = apps.get_model("theme_todo", "Task")
    ada = User._default_manager.db_manager(ALIAS).create(
        email="ada@example.com", first_name="Ada", last_name="Lovelace", password="!"
    )
    bob = User._default_manager.db_manager(ALIAS).create(email="bob@example.com", password="!")
    lists = TodoList._default_manager.db_manager(ALIAS)
    groceries = lists.create(owner=ada, name="Groceries")
    home = lists.create(owner=ada, name="Home")
    bobs = lists.create(owner=bob, name="groceries")  # the same name, another owner
    Task._default_manager.db_manager(ALIAS).create(todo_list=groceries, title="Milk")

    apps = migrate_to(database, CORE_TEAMS)
    # Ada has her personal team, as quickscale_core's 0003_teams gives every user one; Bob has
    # none (a membership deleted by hand): the migration gives him one.
    Team = apps.get_model("quickscale_core", "Team")
    Membership = apps.get_model("quickscale_core", "Membership")
    Team._default_manager.db_manager(ALIAS).all().delete()
    ada_team = Team._default_manager.db_manager(ALIAS).create(
        name="Ada's own", slug="ada-1", personal=True
    )
    Membership._default_manager.db_manager(ALIAS).create(
        user_id=ada.pk, team=ada_team, role="owner"
    )
    # A personal team she is only a member of is not hers.
    shared = Team._default_manager.db_manager(ALIAS).create(name="Q", slug="q-1", personal=True)
    Membership._default_manager.db_manager(ALIAS).create(user_id=bob.pk, team=shared, role="member")
    ada_team = ada_team.pk

    apps = migrate_to(database, LIST_TEAMS)

    TodoList = apps.get_model("theme_todo", "TodoList")
    Membership = apps.get_model("quickscale_core", "Membership")
    Task = apps.get_model("theme_todo", "Task")
    rows = {
        row["pk"]: row
        for row in TodoList._default_manager.db_manager(ALIAS).values(
            "pk", "name", "owner_id", "team_id", "team__personal", "team__name"
        )
    }
    assert set(rows) == {groceries.pk, home.pk, bobs.pk}, "every list survives"
    assert rows[groceries.pk]["team_id"] == rows[home.pk]["team_id"] == ada_team
    bobs_team = Membership._default_manager.db_manager(ALIAS).get(user_id=bob.pk, role="owner")
    assert rows[bobs.pk]["team_id"] == bobs_team.team_id not in (ada_team, shared.pk)
    # Named like the personal teams quickscale_core creates.
    assert rows[bobs.pk]["team__personal"] and rows[bobs.pk]["team__name"] == "bob"
    assert {row["name"] for row in rows.values()} == {"Groceries", "Home", "groceries"}
    assert all(row["owner_id"] for row in rows.values()), "the creators are kept"
    assert Task._default_manager.db_manager(ALIAS).get().todo_list_id == groceries.pk

    # Names are unique per team now, and a list needs a team.
    lists = TodoList._default_manager.db_manager(ALIAS)
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        lists.create(owner_id=bob.pk, team_id=ada_team, name="HOME")
    lists.create(owner_id=ada.pk, team_id=bobs_team.team_id, name="Home")
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        lists.create(owner_id=ada.pk, name="Nowhere")


def test_a_project_without_lists_migrates(database):
    migrate_to(database, BEFORE_TEAMS)
    migrate_to(database, CORE_TEAMS)

    apps = migrate_to(database, LIST_TEAMS)

    assert not apps.get_model("theme_todo", "TodoList")._default_manager.db_manager(ALIAS).exists()
