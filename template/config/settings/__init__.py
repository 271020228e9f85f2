"""Settings per environment: base (shared), dev, test, prod; custom.py holds your overrides.

An update that conflicts in a settings file leaves markers Python cannot parse, and
every command (manage.py, pytest, gunicorn) would die on a bare SyntaxError. The
settings files are small, so look first and say what happened instead.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

for _path in sorted(Path(__file__).parent.glob("*.py")):
    for _number, _line in enumerate(_path.read_text(encoding="utf-8").splitlines(), start=1):
        if _line.startswith(("<<<<<<< ", ">>>>>>> ")) or _line in ("<<<<<<<", ">>>>>>>"):
            raise ImproperlyConfigured(
                f"config/settings/{_path.name}, line {_number}: an update left unresolved "
                "conflict markers (quickscale.E006). Keep what you want between <<<<<<< and "
                ">>>>>>>, delete the markers, `git add` the file, run `make test` and commit "
                "(README.md, section Updating)."
            )
