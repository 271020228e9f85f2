"""New databases get the tables of slow-to-replay apps from their final migration state.

dj-stripe's migration 0002 removes 514 fields, and Django re-renders every related model
after each operation: about a minute on a new database, 90 % of a first `make run` with
payments. The SQL is a few percent of that. For each app listed in
settings.QUICKSCALE_MIGRATE_FROM_FINAL_STATE, when a `migrate` run is about to apply every
migration of the app and none of its tables exists yet, this module (run by a pre_migrate
receiver, quickscale_core/apps.py) gives the app's first migration the operations
`makemigrations` would write for the app's models as they stand after its migrations
(Django's own autodetector, from nothing), makes that migration record all of them, and
takes the others off the plan. Django then applies it as usual, in one transaction: the
tables, their indexes and foreign keys, and the record of every migration it stands for
are committed together or not at all. The same tables exist afterwards, and the same
migrations are recorded, in about a second.

"After its migrations" stops at the last migration another app depends on (another app's
migration must see the state it was written against); later ones run as written. Anything
else runs the migrations as written, unchanged: an app partly migrated, a table of the app
already present, an operation that is not a plain schema change (RunPython, RunSQL,
SeparateDatabaseAndState, renames, a custom class), another app's migration that needs one
of the app's earlier states, squashed migrations, database routers, a plan that goes
backwards, or a database that cannot roll back schema changes. `migrate --plan` lists the
migrations as written: it stops before pre_migrate.
tests/project/test_migrate_final_state.py (in QuickScale's repository) compares the schema
both ways on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connections
from django.db.migrations import operations
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation
from django.db.migrations.questioner import MigrationQuestioner
from django.db.migrations.state import ProjectState

# Operations whose effect on a new database is only the schema they leave: replaying them
# and creating the final tables at once give the same result. Compared by exact class, so
# a subclass with behaviour of its own makes the app run its migrations as written.
SCHEMA_OPERATIONS = frozenset(
    {
        operations.CreateModel,
        operations.DeleteModel,
        operations.AddField,
        operations.RemoveField,
        operations.AlterField,
        operations.AlterModelOptions,
        operations.AlterModelManagers,
        operations.AlterModelTableComment,
        operations.AlterUniqueTogether,
        operations.AlterIndexTogether,
        operations.AlterOrderWithRespectTo,
        operations.AddIndex,
        operations.RemoveIndex,
        operations.AddConstraint,
        operations.RemoveConstraint,
    }
)


class RunDeferredSQL(Operation):
    """Runs the statements the schema editor keeps for the end of a migration (indexes,
    foreign keys) now, in the migration's transaction.

    Django records a migration inside its transaction only when nothing is left deferred;
    otherwise it records it after the commit, and a migrate killed in between would leave
    tables without their record (the next run would then replay over them and fail).
    """

    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        while schema_editor.deferred_sql:
            schema_editor.execute(schema_editor.deferred_sql.pop(0))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # The indexes and keys go with their tables, which the operations before drop.

    def describe(self):
        return "Run the deferred index and foreign key statements"


def apply_from_final_state(sender, using="default", plan=None, verbosity=1, stdout=None, **kwargs):
    """pre_migrate receiver: rewrite the plan's migrations of eligible apps, in place."""
    apps_listed = getattr(settings, "QUICKSCALE_MIGRATE_FROM_FINAL_STATE", ())
    if not apps_listed or not plan:
        return
    connection = connections[using]
    for app_label in apps_listed:
        rewritten = final_state_operations(connection, plan, app_label)
        if isinstance(rewritten, str):
            continue
        first, *later = rewritten["migrations"]
        stands_for = [(m.app_label, m.name) for m in rewritten["migrations"]]
        first.operations = [*rewritten["operations"], RunDeferredSQL()]
        # Django records every migration a migration replaces, in its transaction.
        first.replaces = stands_for
        plan[:] = [(m, backwards) for m, backwards in plan if m not in later]
        if verbosity >= 1:
            (stdout or sys.stdout).write(
                f"  {app_label}: new to this database: {first.name} creates the tables that "
                f"{len(stands_for)} migrations build ({len(rewritten['operations'])} operations "
                f"instead of {rewritten['replayed']}) and records all {len(stands_for)}.\n"
            )


def final_state_operations(connection, plan, app_label, loader=None) -> dict | str:
    """What to run instead of app_label's first planned migrations, or why they run as written.

    Returns {"migrations": the plan's Migration objects it stands for, in order,
    "operations": the operations that create the state they leave, "replayed": how many
    operations they hold}, or a sentence saying why not. `loader` is a MigrationLoader of
    the plan's graph (a new one by default: the receiver is not given the command's).
    """
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
    graph = loader.graph
    # Up to the last migration another app's migrations depend on (or the last one).
    children = {key: graph.node_map[key].children for key in keys}
    needed = [key for key in keys if any(child.key[0] != app_label for child in children[key])]
    cut = keys.index(needed[-1]) if needed else len(keys) - 1
    if any(key in needed for key in keys[:cut]):
        return f"another app's migration needs {needed[0][0]}.{needed[0][1]}, an earlier state"
    if not set(keys[: cut + 1]) <= set(graph.forwards_plan(keys[cut])):
        return "the app's migrations branch"
    rewritten = planned[: cut + 1]
    if len(rewritten) < 2:
        return "one migration: nothing to save"
    # The tables and the records are one transaction only where DDL can be rolled back.
    if not connection.features.can_rollback_ddl or not all(m.atomic for m in rewritten):
        return "the schema changes cannot be one transaction here"
    unusual = {
        type(operation).__name__
        for migration in rewritten
        for operation in migration.operations
        if type(operation) not in SCHEMA_OPERATIONS
    }
    if unusual:
        return f"operations other than schema changes: {', '.join(sorted(unusual))}"
    # The first planned migration must come after everything the rewritten ones need.
    position = {(m.app_label, m.name): index for index, (m, _backwards) in enumerate(plan)}
    for key in keys[: cut + 1]:
        for parent in graph.node_map[key].parents:
            if parent.key[0] == app_label or parent.key in loader.applied_migrations:
                continue
            if position.get(parent.key, len(plan)) > position[keys[0]]:
                return f"{key[1]} needs {parent.key[0]}.{parent.key[1]}, planned later"
    tables = set(connection.introspection.table_names())
    if any(table.startswith(f"{app_label}_") for table in tables):
        return "some of the app's tables already exist"
    final = loader.project_state(nodes=keys[cut], at_end=True)
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
        "migrations": rewritten,
        "operations": created,
        "replayed": sum(len(migration.operations) for migration in rewritten),
    }
