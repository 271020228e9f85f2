"""Rewrite tests/shipped.yml after adding files or choices: `python tests/shipped.py`.

The code is tests/support/shipped.py; this file keeps the documented command working.
"""

import sys
from pathlib import Path

# Run as a script, only tests/ is on sys.path: add the repository for the tests package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.shipped import main  # noqa: E402

if __name__ == "__main__":
    main()
