"""The documentation builds as a site, strictly (broken links and nav entries fail)."""

import shutil
import sys
from pathlib import Path

from tests.support.helpers import REPO, run


def test_docs_build_strict(tmp_path):
    mkdocs = shutil.which("mkdocs") or str(Path(sys.executable).parent / "mkdocs")
    result = run([mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")], REPO)
    assert (tmp_path / "site" / "index.html").exists(), result.stderr
    assert (tmp_path / "site" / "updating" / "index.html").exists()
