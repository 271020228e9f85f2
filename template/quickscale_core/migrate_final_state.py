"""New databases get the tables of slow-to-replay apps from their final migration state.

dj-stripe's migration 0002 removes 514 fields, and Django re-renders every related model
after each operation: about a minute on a new database, 90 % of a first `make run` with
payments. The SQL is a few percent of that. For each app listed in
settings.QUICKSCALE_MIGRATE_FROM_FINAL_STATE, when a `migrate` run is about to apply *every*
migration of the app and none of its tables exists yet, this module (a pre_migrate receiver)
gives the app's first migration the operations `makemigrations` would write for the app's
final models (Django's own autodetector, from nothing) and the later ones no operation.
Django then runs and records them as usual: the same migrations end up applied, and the
same tables exist, in about a second.

Anything else runs the migrations as written, unchanged: an app partly migrated, a table
of the app already present, an operation that is not a plain schema change (RunPython,
RunSQL, SeparateDatabaseAndState, renames, a custom class), another app's migration that
needs one of the app's earlier states, squashed migrations, database routers, or a plan
that goes backwards. tests/project/test_migrate_final_state.py (in QuickScale's repository)
compares the schema both ways on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connections

# Operations whose effect on a new database is only the schema they leave: replaying them
# and creating the final tables at once give the same result. Compared by exact class name
# in django.db.migrations.operations, so a subclass with behaviour of its own makes the app
# run its migrations as written.
SCHEMA_OPERATIONS = frozenset(
    {
        "CreateModel",
        "DeleteModel",
        "AddField",
        "RemoveField",
        "AlterField",
        "AlterModelOptions",
        "AlterModelManagers",
        "AlterModelTableComment",
        "AlterUniqueTogether",
        "AlterIndexTogether",
        "AlterOrderWithRespectTo",
        "AddIndex",
        "RemoveIndex",
        "AddConstraint",
        "RemoveConstraint",
    }
)


def apply_from_final_state(sender, using="default", plan=None, verbosity=1, stdout=None, **kwargs):
    """pre_migrate receiver: rewrite the plan's migrations of eligible apps in place."""
    apps_listed = getattr(settings, "QUICKSCALE_MIGRATE_FROM_FINAL_STATE", ())
    if not apps_listed or not plan:
        return
    connection = connections[using]
    for app_label in apps_listed:
        rewritten = final_state_operations(connection, plan, app_label)
        if isinstance(rewritten, str):
            continue
        first, *later = rewritten["migrations"]
        first.operations = rewritten["operations"]
        for migration in later:
            migration.operations = []
        if verbosity >= 1:
            (stdout or sys.stdout).write(
                f"  {app_label}: new to this database, so its {len(rewritten['migrations'])} "
                f"migration(s) create the app's final tables directly "
                f"({len(rewritten['operations'])} operation(s) instead of "
                f"{rewritten['replayed']}).\n"
            )


def final_state_operations(connection, plan, app_label, loader=None) -> dict | str:
    """What to run instead of app_label's planned migrations, or why they run as written.

    Returns {"migrations": the plan's Migration objects of the app, in order, "operations":
    the operations that create its final state, "replayed": how many the migrations hold},
    or a sentence saying why not. `loader` is a MigrationLoader of the plan's graph (a new
    one by default: the receiver is not given the migrate command's).
    """
    # Imported here: the migration machinery is not needed by the processes serving pages.
    from django.db.migrations import operations
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.questioner import MigrationQuestioner
    from django.db.migrations.state import ProjectState

    if settings.DATABASE_ROUTERS:
        return "database routers decide where each app migrates"
    if any(backwards for _migration, backwards in plan):
        return "the plan unapplies migrations"
    planned = [migration for migration, _backwards in plan if migration.app_label == app_label]
    if not planned:
        return "nothing of the app to apply"
    loader = loader or MigrationLoader(connection)
    keys = [(migration.app_label, migration.name) for migration in planned]
    on_disk = sorted(key for key in loader.disk_migrations if key[0] == app_label)
    if sorted(keys) != on_disk:
        return "only some of the app's migrations are planned (partly migrated, or a target)"
    if any(migration.replaces for migration in planned):
        return "the app has squashed migrations"
    unusual = {
        type(operation).__name__
        for migration in planned
        for operation in migration.operations
        if type(operation).__name__ not in SCHEMA_OPERATIONS
        or getattr(operations, type(operation).__name__, None) is not type(operation)
    }
    if unusual:
        return f"operations other than schema changes: {', '.join(sorted(unusual))}"
    graph = loader.graph
    leaves = graph.leaf_nodes(app_label)
    # Other apps' migrations must need only the app's final state, and the first planned
    # migration must come after everything any of the app's migrations needs.
    position = {(m.app_label, m.name): index for index, (m, _backwards) in enumerate(plan)}
    for key in keys:
        node = graph.node_map[key]
        if key not in leaves and any(child.key[0] != app_label for child in node.children):
            return f"another app's migration needs {key[0]}.{key[1]}, an earlier state"
        for parent in node.parents:
            if parent.key[0] == app_label or parent.key in loader.applied_migrations:
                continue
            if position.get(parent.key, len(plan)) > position[keys[0]]:
                return f"{key[1]} needs {parent.key[0]}.{parent.key[1]}, planned later"
    tables = set(connection.introspection.table_names())
    if any(table.startswith(f"{app_label}_") for table in tables):
        return "some of the app's tables already exist"
    final = loader.project_state(nodes=leaves, at_end=True)
    explicit = {
        model.options["db_table"]
        for (label, _name), model in final.models.items()
        if label == app_label and model.options.get("db_table")
    }
    if explicit & tables:
        return "some of the app's tables already exist"
    before = ProjectState(
        models={key: model for key, model in final.models.items() if key[0] != app_label},
        real_apps=final.real_apps,
    )
    changes = MigrationAutodetector(before, final, MigrationQuestioner()).changes(
        graph=graph, trim_to_apps={app_label}, convert_apps={app_label}
    )
    if set(changes) - {app_label}:
        return "creating the app's tables would change other apps"
    created = [op for migration in changes.get(app_label, []) for op in migration.operations]
    return {
        "migrations": planned,
        "operations": created,
        "replayed": sum(len(migration.operations) for migration in planned),
    }
