"""`make promote` (promote/): fixes made in real generated client projects, promoted into a
throwaway template repository (a clone of the `versions` fixture, tags v0.1.0..v0.3.0).

One client project (Client Acme, with auth, payments and billing) makes a fix of each
kind: a module file copied as is (then delivered to a second project by its own
`make update` from a new release), a rendered settings file with the project's name and
slug in it (reversed to the template's own expressions, checked by rendering the promoted
template for another client), hunks that cannot be reversed (refused, shown, the rest
promoted) and changes in the client's own zones (ignored with a note). The render tier
is skipped (TESTS=0): the template suite runs it on its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import copier
import pytest

from tests.support.helpers import (
    GIT_ENV,
    REPO,
    clean_project_env,
    commit_all,
    edit,
    git,
    run,
)
from tests.support.update_support import generate, make_update

MODULES = ["auth", "payments", "billing"]
SERVICES = "quickscale_modules/billing/services.py"
BASE = "config/settings/base.py"
BASE_SOURCE = "template/config/settings/base.py.jinja"
STRIPE_ID = "def _stripe_id(value) -> str:\n"
DOCSTRING = '    """Stripe returns an id or an expanded object, depending on the call."""\n'


@pytest.fixture(scope="module")
def template(versions, tmp_path_factory) -> Path:
    """A clone of the versions repository: promote makes branches and a release in it."""
    repo = tmp_path_factory.mktemp("promote") / "quickscale"
    git(versions.parent, "clone", "-q", str(versions), str(repo))
    return repo


@pytest.fixture(scope="module")
def acme(template, tmp_path_factory) -> Path:
    return generate(template, tmp_path_factory.mktemp("acme") / "acme", "v0.3.0", modules=MODULES)


def promote(template: Path, client: Path, rev: str = "HEAD", **variables: str):
    """The Makefile target as an agency runs it. The suite runs from the venv, so make must
    not re-sync it (-o): a real run syncs it first, like every target."""
    args = [f"{key}={value}" for key, value in {"TESTS": "0", **variables}.items()]
    cmd = ["make", "--no-print-directory", "-o", ".venv/.synced", "-C", REPO, "promote"]
    cmd += [f"FROM={client}", f"REV={rev}", f"TEMPLATE={template}", *args]
    env = {**clean_project_env(), **GIT_ENV}
    env.pop("MAKEFLAGS", None)
    result = run(cmd, env=env, timeout=600, check=False)
    result.code = exit_code(result)
    return result


def exit_code(result) -> int:
    """The tool's own exit status (make turns every failure into its 2)."""
    if result.returncode == 0:
        return 0
    match = re.search(r"\] Error (\d+)", result.stderr)
    return int(match[1]) if match else result.returncode


def branch_for(client: Path) -> str:
    return f"promote/client_acme-{git(client, 'rev-parse', '--short=7', 'HEAD').strip()}"


def promote_branches(template: Path) -> list[str]:
    return git(template, "branch", "--list", "promote/*", "--format=%(refname:short)").split()


def assert_untouched(template: Path) -> None:
    """The template's checkout never changes: same branch, no modified file."""
    assert git(template, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert git(template, "status", "--porcelain").strip() == ""


def test_module_fix_is_promoted_and_delivered_by_make_update(
    template, acme, project_python, tmp_path
):
    bravo = generate(template, tmp_path / "bravo", "v0.3.0", modules=MODULES,
                     project_name="Bravo Corp")  # fmt: skip
    edit(acme / SERVICES, STRIPE_ID, STRIPE_ID + DOCSTRING)
    sha = commit_all(acme, "Billing: say why _stripe_id takes both")
    branch = branch_for(acme)
    main_before = git(template, "rev-parse", "main").strip()

    result = promote(template, acme)
    assert result.code == 0, result.stdout + result.stderr
    assert f"promoted   {SERVICES} -> modules/billing/services.py (1 of 1 hunk(s))" in result.stdout
    assert f"identical  {SERVICES} (byte for byte the client's file)" in result.stdout
    assert f"Branch {branch} created" in result.stdout
    assert_untouched(template)
    assert git(template, "rev-parse", "main").strip() == main_before

    message = git(template, "log", "-1", "--format=%B", branch)
    assert message.startswith("Promote from client_acme: Billing: say why _stripe_id takes both")
    assert f"Promoted-from: client_acme@{sha}" in message
    assert git(template, "rev-parse", f"{branch}^").strip() == main_before
    changed = git(template, "show", "--name-only", "--format=", branch).split()
    assert changed == ["modules/billing/services.py"]
    assert DOCSTRING in git(template, "show", f"{branch}:modules/billing/services.py")

    # The agency merges it and releases; the other client gets it from its own make update.
    git(template, "merge", "-q", "--ff-only", branch)
    git(template, "tag", "v0.4.0")
    make_update(bravo, project_python)
    assert STRIPE_ID + DOCSTRING in (bravo / SERVICES).read_text()
    assert "_commit: v0.4.0" in (bravo / ".copier-answers.yml").read_text()
    assert "Bravo Corp" in (bravo / BASE).read_text()
    # The client the fix came from takes the same release: both sides made the same change.
    make_update(acme, project_python)
    assert (acme / SERVICES).read_text().count(DOCSTRING) == 1
    assert "_commit: v0.4.0" in (acme / ".copier-answers.yml").read_text()
    commit_all(acme, "Update QuickScale to v0.4.0")


def test_rendered_settings_fix_is_reversed_to_the_templates_expressions(template, acme, tmp_path):
    edit(
        acme / BASE,
        'PROJECT_DOMAIN = "client-acme.example.com"\n',
        'PROJECT_DOMAIN = "client-acme.example.com"\n'
        "# The admin's header, and a session cookie named after the project.\n"
        'ADMIN_SITE_HEADER = "Client Acme"\n'
        'SESSION_COOKIE_NAME = "client_acme_sessionid"\n',
    )
    commit_all(acme, "Admin header and session cookie")
    branch = branch_for(acme)
    reversed_lines = (
        "+ADMIN_SITE_HEADER = {{ quoted(project_name) }}\n"
        '+SESSION_COOKIE_NAME = "{{ project_slug }}_sessionid"\n'
    )

    dry = promote(template, acme, DRY_RUN="1")
    assert dry.code == 0, dry.stdout + dry.stderr
    assert f"--- a/{BASE_SOURCE}" in dry.stdout and reversed_lines in dry.stdout
    assert "DRY_RUN=1: no branch created" in dry.stdout
    assert branch not in promote_branches(template)

    result = promote(template, acme)
    assert result.code == 0, result.stdout + result.stderr
    assert f"promoted   {BASE} -> {BASE_SOURCE} (1 of 1 hunk(s))" in result.stdout
    assert '"Client Acme" -> {{ quoted(project_name) }}' in result.stdout
    assert f"identical  {BASE} (byte for byte the client's file)" in result.stdout
    assert_untouched(template)
    source = git(template, "show", f"{branch}:{BASE_SOURCE}")
    assert "".join(line[1:] for line in reversed_lines.splitlines(keepends=True)) in source

    # Another client gets its own name and slug from the promoted template.
    other = tmp_path / "bravo"
    copier.run_copy(str(template), str(other), data={"project_name": 'Bravo "B" Corp'},
                    vcs_ref=branch, defaults=True, unsafe=False, quiet=True)  # fmt: skip
    settings = (other / BASE).read_text()
    assert 'ADMIN_SITE_HEADER = "Bravo \\"B\\" Corp"\n' in settings
    assert 'SESSION_COOKIE_NAME = "bravo_b_corp_sessionid"\n' in settings


def test_irreversible_hunks_are_refused_and_client_zones_ignored(template, acme):
    # Into the modules' INSTALLED_APPS lines, which a macro renders: no source line to edit.
    edit(acme / BASE, '    "quickscale_modules.billing",\n',
         '    "quickscale_modules.billing",\n    "django.contrib.sitemaps",\n')  # fmt: skip
    # The project's name inside another string: no expression of the file renders that.
    debug = 'DEBUG = env.bool("DEBUG", default=False)\n'
    edit(acme / BASE, debug, debug + 'EMAIL_SUBJECT_PREFIX = "[Client Acme] "\n')
    # A core fix in the same commit is promoted; the client's own zones are left alone.
    views = acme / "quickscale_core/views.py"
    views.write_text(views.read_text() + "\n\n# Promoted along with refused hunks.\n")
    (acme / "client_acme/views.py").write_text('"""Acme views."""\n\nACME = True\n')
    (acme / "templates/404.html").write_text("<h1>Acme: page not found</h1>\n")
    commit_all(acme, "Sitemaps, mail prefix, a core comment, Acme pages")
    branch = branch_for(acme)

    result = promote(template, acme)
    out = result.stdout
    assert result.code == 1, out + result.stderr
    assert (
        f"refused    {BASE} hunk 2 of 2: the lines are added next to a line that a Jinja loop"
        in out
    )
    assert '      +    "django.contrib.sitemaps",' in out  # the hunk is shown
    assert f"refused    {BASE} hunk 1 of 2: 'Client Acme' (project_name) appears" in out
    assert "in a form that no expression of this file renders" in out
    assert '      +EMAIL_SUBJECT_PREFIX = "[Client Acme] "' in out
    assert "promoted   quickscale_core/views.py -> template/quickscale_core/views.py" in out
    assert "ignored    client_acme/views.py: client-owned: the project's own app" in out
    assert "ignored    templates/404.html: client-owned" in out
    assert "identical  quickscale_core/views.py (byte for byte the client's file)" in out

    # The branch holds what applied, and says what did not.
    assert_untouched(template)
    changed = git(template, "show", "--name-only", "--format=", branch).split()
    assert changed == ["template/quickscale_core/views.py"]
    assert "2 hunk(s) were refused" in git(template, "log", "-1", "--format=%B", branch)


def test_refusals_create_nothing(template, acme):
    before = promote_branches(template)
    (acme / "templates/404.html").write_text("<h1>Acme: lost?</h1>\n")
    commit_all(acme, "Only the client's page")
    nothing = promote(template, acme)
    assert nothing.code == 2, nothing.stdout + nothing.stderr
    assert "Nothing to promote" in nothing.stdout

    readme = template / "README.md"
    readme.write_text(readme.read_text() + "\nWork in progress.\n")
    dirty = promote(template, acme, "HEAD~1")
    git(template, "checkout", "-q", "--", "README.md")
    assert dirty.code == 2
    assert "uncommitted changes (README.md)" in dirty.stderr and "git stash" in dirty.stderr

    usage = promote(template, acme, "no-such-commit")
    assert usage.code == 2 and "no-such-commit is not a commit" in usage.stderr
    # A reversed range would promote the fix's undoing.
    reversed_range = promote(template, acme, "HEAD..HEAD~1")
    assert (
        reversed_range.code == 2 and "holds no commits (is it reversed?)" in reversed_range.stderr
    )
    assert promote_branches(template) == before


def test_unsafe_files_and_a_differing_round_trip_create_no_branch(template, acme):
    before = promote_branches(template)
    core = acme / "quickscale_core"
    scoping = core / "scoping.py"
    original = scoping.read_text()
    (core / "notice.txt.jinja").write_text("Hello {{ user }}\n")
    (core / "link.py").symlink_to("../config/settings/base.py")
    scoping.unlink()
    scoping.symlink_to("views.py")
    commit_all(acme, "A template-looking file, a symbolic link, a type change")
    kinds = promote(template, acme)
    out = kinds.stdout
    assert kinds.code == 1, out + kinds.stderr
    assert "ignored    quickscale_core/notice.txt.jinja: refused: a new file whose name" in out
    assert "ignored    quickscale_core/link.py: refused: a symbolic link" in out
    assert (
        "ignored    quickscale_core/scoping.py: refused: a type change "
        "(a regular file became a symbolic link)"
    ) in out

    # Copier excludes .DS_Store: the round trip differs, so nothing is created.
    (core / ".DS_Store").write_text("x = 1\n")
    git(acme, "add", "--force", "quickscale_core/.DS_Store")
    commit_all(acme, "A file the template never renders")
    differs = promote(template, acme)
    assert differs.code == 1, differs.stdout + differs.stderr
    assert "differs    quickscale_core/.DS_Store" in differs.stdout
    assert "The round trip differs for quickscale_core/.DS_Store" in differs.stdout
    assert "no branch was created" in differs.stdout
    assert promote_branches(template) == before
    assert_untouched(template)

    for path in ("notice.txt.jinja", "link.py", ".DS_Store"):
        (core / path).unlink()
    scoping.unlink()
    scoping.write_text(original)
    commit_all(acme, "Back to the template's files")
