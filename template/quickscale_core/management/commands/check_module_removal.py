"""Would removing these modules strand data? `make update` asks before it removes a module;
run it yourself against every other database (production) before deploying a removal:

    python manage.py check_module_removal teams

A module names the function that answers in its manifest, `removal_check:
quickscale_modules.<name>.removal.blockers`: it returns sentences saying what stops the
removal and what to do, or an empty list when nothing does. Modules without one have no data
to strand. Exit code 0: nothing stops the removal; 2: something does (printed); 1: the check
could not run (the database is unreachable, the module is not installed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils.module_loading import import_string

from quickscale_core.project import MODULES_PACKAGE

MANIFEST_KEY = "removal_check"
EXIT_BLOCKED = 2


def removal_check(module: str) -> str | None:
    """The dotted path of the module's removal check, None when it declares none."""
    dotted = f"{MODULES_PACKAGE}.{module}"
    config = next((c for c in apps.get_app_configs() if c.name == dotted), None)
    if config is None:
        raise CommandError(
            f"{module} is not installed in this project (INSTALLED_APPS has no {dotted}), "
            "so there is nothing to check."
        )
    manifest = Path(config.path) / "module.yml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    return (data or {}).get(MANIFEST_KEY)


def database_description() -> str:
    """Which database was read, without its password."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        missing = " (not created yet: no data)" if sqlite_file_missing() else ""
        return f"the SQLite file {settings['NAME']}{missing}"
    where = settings.get("HOST") or "localhost"
    if settings.get("PORT"):
        where += f":{settings['PORT']}"
    return f'the {connection.display_name} database "{settings["NAME"]}" on {where}'


def sqlite_file_missing() -> bool:
    """An SQLite file that does not exist yet holds no data; connecting would create it."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return False
    return not Path(connection.settings_dict["NAME"]).exists()


class Command(BaseCommand):
    help = (
        "Say whether removing the given QuickScale modules would strand data (shared teams, "
        "for the teams module) in the database DATABASE_URL points at. Exit code 2 if so."
    )
    # `make update` runs this after `modules` lost the module in .copier-answers.yml, which
    # the system checks report (quickscale.E003): that must not stop the data check.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("modules", nargs="+", help="module names, e.g. teams")

    def handle(self, *args, modules: list[str], **options):
        checks = {module: removal_check(module) for module in modules}
        if not any(checks.values()):
            self.stdout.write(
                f"{', '.join(modules)}: no `{MANIFEST_KEY}` in the manifest, so nothing to check "
                "(removing a module never deletes its tables)."
            )
            return
        database = database_description()
        blocked: dict[str, list[str]] = {}
        for module, dotted in checks.items():
            if not dotted or sqlite_file_missing():
                continue
            try:
                check = import_string(dotted)
            except ImportError as error:
                raise CommandError(
                    f"{module}'s module.yml names `{MANIFEST_KEY}: {dotted}`, which cannot be "
                    f"imported ({error})."
                ) from error
            try:
                reasons = [str(reason) for reason in check()]
            except DatabaseError as error:
                problem = " ".join(str(error).split()).rstrip(".")
                raise CommandError(
                    f"Could not read {database} to check the data of the {module} module "
                    f"({problem}). Start the database or set DATABASE_URL to the one this "
                    "project uses, then try again."
                ) from error
            if reasons:
                blocked[module] = reasons
        names = ", ".join(modules)
        rerun = f"python manage.py check_module_removal {' '.join(modules)}"
        if not blocked:
            self.stdout.write(
                f"Nothing stops removing {names}: checked {database}, the database "
                "DATABASE_URL points at here. Production has its own data: run "
                f"`{rerun}` there too (exit code 2 means blocked) before deploying the removal."
            )
            return
        lines = []
        for module, reasons in blocked.items():
            lines.append(f"Removing {module} would strand data that only its pages manage:")
            lines += [f"  - {reason}" for reason in reasons]
        kept = ", ".join(blocked)
        lines.append(
            f"Do that first, or keep {kept} in `modules` of .copier-answers.yml. This checked "
            f"{database}, the database DATABASE_URL points at here; production has its own "
            f"data, so run `{rerun}` there too (exit code 2 means blocked) before deploying "
            "the removal."
        )
        self.stdout.write("\n".join(lines))
        sys.exit(EXIT_BLOCKED)
