"""The migration that gave API keys a team (0002_apikey_team) keeps every key working.

The suite runs with --nomigrations (tables straight from the models), so this test runs the
real migration files itself, on a database of its own (SQLite, in memory): the project as it
was before teams, with users and keys, then quickscale_core's 0003_teams, then 0002.
"""

import pytest
from django.db import IntegrityError, transaction

from quickscale_core.testing import migrate_to, migration_database

pytestmark = pytest.mark.django_db

ALIAS = "api_migration_test"
BEFORE_TEAMS = [("quickscale_core", "0002_cache_table"), ("quickscale_api", "0001_initial")]
CORE_TEAMS = [("quickscale_core", "0003_teams")]
KEY_TEAMS = [("quickscale_api", "0002_apikey_team")]


@pytest.fixture
def database(settings):
    settings.MIGRATION_MODULES = {}  # --nomigrations replaced them with none
    with migration_database(ALIAS) as connection:
        yield connection


def manager(apps, model):
    return apps.get_model(*model.split("."))._default_manager.db_manager(ALIAS)


def test_existing_keys_move_to_their_owners_personal_team(database):
    apps = migrate_to(database, BEFORE_TEAMS)
    users = manager(apps, "quickscale_core.User")
    ada = users.create(email="ada@example.com", first_name="Ada", last_name="L", password="!")
    bob = users.create(email="bob@example.com", password="!")
    keys = manager(apps, "quickscale_api.ApiKey")
    for user, prefix in [(ada, "adaKey01"), (ada, "adaKey02"), (bob, "bobKey01")]:
        keys.create(user_id=user.pk, name=prefix, prefix=prefix, hashed_key="-")

    apps = migrate_to(database, CORE_TEAMS)
    # Ada owns her personal team; Bob has none (a membership deleted by hand), only a place in
    # someone else's personal team, which is not his: the migration makes him one.
    teams = manager(apps, "quickscale_core.Team")
    memberships = manager(apps, "quickscale_core.Membership")
    teams.all().delete()
    ada_team = teams.create(name="Ada L", slug="ada-1", personal=True)
    memberships.create(user_id=ada.pk, team=ada_team, role="owner")
    memberships.create(user_id=bob.pk, team=ada_team, role="member")

    apps = migrate_to(database, KEY_TEAMS)

    keys = manager(apps, "quickscale_api.ApiKey")
    by_prefix = dict(keys.values_list("prefix", "team_id"))
    assert by_prefix["adaKey01"] == by_prefix["adaKey02"] == ada_team.pk
    bobs_team = manager(apps, "quickscale_core.Membership").get(user_id=bob.pk, role="owner").team
    assert by_prefix["bobKey01"] == bobs_team.pk != ada_team.pk
    # Named like the personal teams quickscale_core creates.
    assert bobs_team.personal and bobs_team.name == "bob"
    # A key needs a team now.
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        keys.create(user_id=ada.pk, name="Nowhere", prefix="nowhere1", hashed_key="-")


def test_a_project_without_keys_migrates(database):
    migrate_to(database, BEFORE_TEAMS)
    migrate_to(database, CORE_TEAMS)

    apps = migrate_to(database, KEY_TEAMS)

    assert not manager(apps, "quickscale_api.ApiKey").exists()
    assert not manager(apps, "quickscale_core.Team").exists()
