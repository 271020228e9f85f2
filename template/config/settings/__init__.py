"""Settings per environment: base (shared), dev, test, prod; custom.py holds your overrides.

An update that conflicts in a settings file leaves markers Python cannot parse, and
every command (manage.py, pytest, gunicorn) would die on a bare SyntaxError. The
settings files are small, so look first and say what happened instead.
"""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from quickscale_core.project import CONFLICT_MARKER, CONFLICT_STOP

for _path in sorted(Path(__file__).parent.glob("*.py")):
    for _number, _line in enumerate(_path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(CONFLICT_MARKER, _line):
            where = f"config/settings/{_path.name}"
            raise ImproperlyConfigured(CONFLICT_STOP.format(where=where, line=_number))
