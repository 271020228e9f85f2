#!/usr/bin/env python
"""Django's command-line utility. Defaults to development settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from quickscale_core.project import CONFLICT_STOP

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # config/settings/__init__.py found markers in a settings file: one line is enough.
        if "quickscale.E006" not in str(error):
            raise
        sys.exit(str(error))
    except SyntaxError as error:
        # Markers in any other Python file: say what they are, not a bare SyntaxError.
        if not (error.text or "").startswith(("<<<<<<<", "=======", ">>>>>>>")):
            raise
        where = os.path.relpath(error.filename or "?")
        sys.exit(CONFLICT_STOP.format(where=where, line=error.lineno))


if __name__ == "__main__":
    main()
