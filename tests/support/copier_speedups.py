"""The shipped Copier work-savers (template/quickscale_core/copier_speedups.py), for this suite.

`make update` runs Copier through that module; the template suite installs the same patches
in its own process (tests/conftest.py), so its renders take about half the time and the
patches are exercised by every test. Loaded from its file: quickscale_core is a package of
generated projects, not of this repository.
"""

from __future__ import annotations

import importlib.util

from tests.support.helpers import REPO

PATH = REPO / "template/quickscale_core/copier_speedups.py"

_spec = importlib.util.spec_from_file_location("quickscale_copier_speedups", PATH)
speedups = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(speedups)

install = speedups.install
disabled = speedups.disabled
supported = speedups.supported
