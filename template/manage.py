#!/usr/bin/env python
"""Django's command-line utility. Defaults to development settings."""

import os
import sys

# An update that conflicts in a Python file leaves markers Python cannot parse;
# say what they are instead of showing a bare SyntaxError.
CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as error:
        # config/settings/__init__.py found markers in a settings file: one line is enough.
        if "quickscale.E006" in str(error) and type(error).__name__ == "ImproperlyConfigured":
            sys.exit(str(error))
        if not isinstance(error, SyntaxError):
            raise
        if not (error.text or "").startswith(CONFLICT_MARKERS):
            raise
        where = os.path.relpath(error.filename or "?")
        sys.exit(
            f"{where}, line {error.lineno}: an update left unresolved conflict markers "
            "(quickscale.E006). Keep what you want between <<<<<<< and >>>>>>>, delete the "
            "markers, `git add` the file, run `make test` and commit (README.md, section "
            "Updating)."
        )


if __name__ == "__main__":
    main()
