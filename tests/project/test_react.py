"""Project tier: a React project (`frontend: react`) builds, checks and tests its frontend with
Node, keeps its typed API client in step with the API, passes its Python suite, and serves its
build from Django (django-vite, whitenoise) under production settings.

One project, the most representative (todo theme, every module), rendered and built once per
session by the `react_project` fixture (tests/conftest.py) as its first `make run` builds it:
npm install from the suite's shared npm cache (.cache/npm), `make api-client`, `npm run
build`. The browser journeys serve the same project (tests/e2e/test_browser.py).
"""

from __future__ import annotations

import json
import re

from tests.project.test_project_suite import PROD_ENV
from tests.support.helpers import edit, run
from tests.support.node import make_with_shared_venv, npm

LANDING_ENTRY = "quickscale_themes/starter/frontend_react/src/entries/landing.tsx"
APP_ENTRY = "quickscale_themes/starter/frontend_react/src/entries/app.tsx"
STATIC_PREFIX = "/static/frontend/"


def test_frontend_type_checks_lints_and_passes_its_tests(react_project):
    """What `make test` runs before pytest (frontend.mk, frontend-test), script by script."""
    npm(react_project, "run", "typecheck")
    npm(react_project, "run", "lint")
    result = npm(react_project, "test")
    output = result.stdout + result.stderr
    assert re.search(r"Tests\s+\d+ passed", output), output[-3000:]
    assert not re.search(r"\d+ failed", output), output[-3000:]
    # The todo theme's tests run too (vite.config.ts collects every theme's and the client's).
    assert "quickscale_themes/todo/frontend_react/" in output, output[-3000:]


def test_api_client_is_generated_from_the_schema_and_drift_fails_the_check(
    react_project, project_python
):
    schema = (react_project / "api-client" / "schema.d.ts").read_text()
    assert '"/me/": {' in schema and '"/lists/": {' in schema, schema[:2000]
    assert (react_project / "api-client" / "openapi.yaml").is_file()
    make_with_shared_venv(react_project, project_python, "api-client-check")

    # A field added to a serializer changes the schema: the committed client no longer matches.
    serializer = react_project / "quickscale_modules" / "api" / "me.py"
    original = serializer.read_text()
    field = "    email = serializers.EmailField()\n"
    edit(serializer, field, field + "    display_name = serializers.CharField()\n")
    try:
        drifted = make_with_shared_venv(react_project, project_python, "api-client-check",
                                        check=False)  # fmt: skip
    finally:
        serializer.write_text(original)

    output = drifted.stdout + drifted.stderr
    assert drifted.returncode != 0, output
    assert "api-client/schema.d.ts no longer matches the API: run 'make api-client'" in output
    assert not (react_project / ".api-client-check").exists(), "the check cleans up after itself"
    assert (react_project / "api-client" / "schema.d.ts").read_text() == schema, "never rewritten"


def test_python_suite_passes(react_project, project_python, project_env):
    result = run([project_python, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                  "--nomigrations"], react_project, project_env)  # fmt: skip
    assert " passed" in result.stdout and "failed" not in result.stdout, result.stdout[-3000:]


# Run inside the project under production settings: the landing page as Django renders it,
# then every script and stylesheet it references and every module those scripts import, each
# fetched through the whole middleware stack (whitenoise answers static files first).
FETCH_LANDING = r'''
import json, posixpath, re, sys
from html.parser import HTMLParser
from urllib.parse import urljoin
import django
django.setup()
from django.test import Client

client = Client()
def get(path):
    return client.get(path, secure=True, HTTP_HOST="client-acme.example.com")

class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.preloads, self.styles = [], [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "module" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and a.get("rel") == "modulepreload":
            self.preloads.append(a["href"])
        elif tag == "link" and a.get("rel") == "stylesheet" and "/frontend/" in a.get("href", ""):
            self.styles.append(a["href"])

page = get("/")
tags = Tags()
tags.feed(page.content.decode())
IMPORT = re.compile(
    r"""(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]+?\bfrom\s*)?["'](\.{1,2}/[^"']+)["']"""
)
files, imported, pending = {}, set(), list(tags.scripts)
while pending:
    url = pending.pop()
    if url in files:
        continue
    response = get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    files[url] = {"status": response.status_code, "class": type(response).__name__,
                  "type": response.get("Content-Type", "")}
    for spec in IMPORT.findall(body.decode(errors="replace")):
        target = posixpath.normpath(urljoin(url, spec))
        imported.add(target)
        pending.append(target)
for url in tags.preloads + tags.styles:
    if url not in files:
        response = get(url)
        files[url] = {"status": response.status_code, "class": type(response).__name__,
                      "type": response.get("Content-Type", "")}
json.dump({"status": page.status_code, "scripts": tags.scripts, "preloads": tags.preloads,
           "styles": tags.styles, "imported": sorted(imported), "files": files}, sys.stdout)
'''


def built_name(url: str) -> str:
    """The manifest's file for a URL Django's static storage made: /static/frontend/ off, and
    whitenoise's content hash (name.0123456789ab.js) off."""
    assert url.startswith(STATIC_PREFIX), url
    return re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url.removeprefix(STATIC_PREFIX))


def initial_files(manifest: dict, key: str) -> tuple[set[str], set[str]]:
    """(JavaScript, CSS) files an entry loads before it runs: itself and its static imports."""
    scripts, styles, pending = set(), set(), [key]
    while pending:
        chunk = manifest[pending.pop()]
        if chunk["file"] in scripts:
            continue
        scripts.add(chunk["file"])
        styles.update(chunk.get("css", []))
        pending += chunk.get("imports", [])
    return scripts, styles


def test_production_serves_the_built_landing_page_through_whitenoise(
    react_project, project_python, project_env, tmp_path
):
    env = {**project_env, **PROD_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = run([project_python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                 react_project, env)  # fmt: skip
    assert "System check identified no issues" in result.stdout
    run([project_python, "manage.py", "collectstatic", "--noinput", "-v0"], react_project, env)

    served = json.loads(run([project_python, "-c", FETCH_LANDING], react_project, env).stdout)

    assert served["status"] == 200
    manifest = json.loads((react_project / "frontend_build" / "manifest.json").read_text())
    scripts, styles = initial_files(manifest, LANDING_ENTRY)
    # The page references its entry and what the entry imports: nothing more (not the app).
    assert [built_name(url) for url in served["scripts"]] == [manifest[LANDING_ENTRY]["file"]]
    referenced = {built_name(url) for url in served["scripts"] + served["preloads"]}
    assert referenced == scripts, (referenced, scripts)
    assert manifest[APP_ENTRY]["file"] not in referenced
    assert {built_name(url) for url in served["styles"]} == styles
    for url, file in served["files"].items():
        assert file["status"] == 200, (url, file)
        assert file["class"] == "WhiteNoiseFileResponse", (url, file)
    for url in served["scripts"] + served["preloads"]:
        assert "javascript" in served["files"][url]["type"], (url, served["files"][url])
    # The browser fetches each module once: the modules the entry imports are the ones the page
    # preloads, under the same URLs (else every import is downloaded a second time).
    loaded = set(served["scripts"]) | set(served["imported"])
    assert loaded == set(served["scripts"]) | set(served["preloads"]), (
        f"the page preloads {served['preloads']} but its scripts import {served['imported']}"
    )


def test_build_output_stays_out_of_git_and_the_lock_file_is_written(react_project):
    """The first build writes package-lock.json (the client commits it); node_modules and the
    build output are ignored."""
    assert (react_project / "package-lock.json").is_file()
    ignored = (react_project / ".gitignore").read_text().splitlines()
    assert "node_modules/" in ignored and "/frontend_build/" in ignored
    lock = json.loads((react_project / "package-lock.json").read_text())
    package = json.loads((react_project / "package.json").read_text())
    assert lock["packages"][""]["dependencies"] == package["dependencies"]
