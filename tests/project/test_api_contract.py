"""The api module's OpenAPI schema holds against a live server: schemathesis fuzzes every
operation with a real API key and must find no server error and no schema violation."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.helpers import render, run, shipped_modules, with_requirements
from tests.support.servers import free_port

pytestmark = [
    pytest.mark.skipif("api" not in shipped_modules(), reason="the api module is not shipped"),
]

CREATE_KEY = """
from django.contrib.auth import get_user_model
from quickscale_modules.api import services
user = get_user_model().objects.create_user(email="fuzz@example.com", password="unused-9-pass")
print(services.create_key(user, "schemathesis").key)
"""


@pytest.mark.parametrize(
    ("theme", "modules"),
    # The todo theme's lists and tasks endpoints with the api module; the starter's with all.
    [("todo", with_requirements("api")), ("starter", shipped_modules())],
    ids=["todo-api", "starter-all-modules"],
)
def test_schemathesis_finds_no_errors(theme, modules, template_snapshot, tmp_path, project_python,
                                      project_env):  # fmt: skip
    project = render(template_snapshot, tmp_path / "client_acme", theme=theme, modules=modules)
    port = free_port()
    env = {
        **project_env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fuzz.sqlite3'}",
        # Fuzzing sends thousands of requests: throttling is tested in the project's suite.
        "API_THROTTLE_KEY": "100000/minute",
        "API_THROTTLE_USER": "100000/minute",
        "API_THROTTLE_ANON": "100000/minute",
        "API_THROTTLE_KEY_FAILURES": "100000/minute",
    }
    run([project_python, "manage.py", "migrate", "-v0"], project, env)
    run([project_python, "manage.py", "spectacular", "--validate", "--fail-on-warn",
         "--file", str(tmp_path / "schema.yml")], project, env)  # fmt: skip
    key = run([project_python, "manage.py", "shell", "-v0", "-c", CREATE_KEY], project, env)
    key = key.stdout.strip().splitlines()[-1]
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [project_python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_until_up(f"{base}/schema/")
        schemathesis = shutil.which("schemathesis") or str(Path(sys.executable).parent / "st")
        result = run(
            [schemathesis, "run", f"{base}/schema/", "--url", base,
             "-H", f"Authorization: Bearer {key}", "--checks", "all",
             # Not these two: business rules refuse schema-valid data (a duplicate list name,
             # a list id that is someone else's), and DRF accepts some schema-invalid input on
             # purpose (a number for a string field, an unusable page_size is ignored).
             "--exclude-checks", "positive_data_acceptance,negative_data_rejection",
             # Random cases per operation in the fuzzing phase. The coverage phase, whatever
             # this number, sends every operation its boundary values and schema-invalid
             # input (missing, wrong-typed, out-of-range parameters and bodies), and the
             # stateful phase chains operations through their links; 50 random cases on top
             # cost half of 100 (the fuzzing phase was 70 % of the run). Set
             # QUICKSCALE_FUZZ_EXAMPLES (and QUICKSCALE_FUZZ_SEED) to dig deeper locally.
             "--max-examples", os.environ.get("QUICKSCALE_FUZZ_EXAMPLES", "50"), "--no-color",
             # Reproducible in CI; set QUICKSCALE_FUZZ_SEED to explore other inputs.
             "--seed", os.environ.get("QUICKSCALE_FUZZ_SEED", "20261123")],
            tmp_path, check=False,
        )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert result.returncode == 0, result.stdout[-8000:]
    assert not server_errors(tmp_path / "server.log")


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def server_errors(log: Path) -> str:
    """Access-log lines with a 5xx status, joined (empty when there are none)."""
    lines = log.read_text().splitlines()
    return "\n".join(line for line in lines if '" 5' in line)
