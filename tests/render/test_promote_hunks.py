"""`make promote`'s reverse substitution, without a project (the round trip through real
clients is tests/update/test_promote.py): which answer values are put back as Jinja, and
which refuse the hunk because they may not mean the project."""

from __future__ import annotations

import jinja2
import pytest

from promote import hunks
from promote.gitops import Hunk, lines
from promote.render import map_lines, mark

SOURCE = (
    "FROM python:3.12-slim\n"
    'LABEL title="{{ project_name }}"\n'
    "WORKDIR /app\n"
    "ENV HOST={{ domain }}\n"
    "CMD run\n"
)
DATA = {"project_name": "Data", "project_slug": "data", "domain": "data.example.com"}
ACME = {"project_name": "Client Acme", "project_slug": "client_acme",
        "domain": "client-acme.example.com"}  # fmt: skip
AB = {"project_name": "AB", "project_slug": "ab", "domain": "ab.example.com"}
QUESTIONS = {"project_name", "project_slug", "domain", "description", "author_name"}


def promoted(answers: dict, added: str, source: str = SOURCE, jinja: bool = True) -> str:
    """The source after adding `added` below the client's WORKDIR line."""
    if jinja:
        env = jinja2.Environment(keep_trailing_newline=True)  # noqa: S701 - a test render
        out = env.from_string(mark(source)).render(**answers)
        file = map_lines(source, out)
    else:
        file = map_lines(source, source.replace("\n", "\ue0000\ue001\n"))
        file.origin = list(range(len(file.rendered)))
    old = file.rendered[1:4]
    hunk = Hunk("@@ -2,3 +2,4 @@", 2)
    hunk.body = [(" ", old[0]), (" ", old[1]), ("+", added), (" ", old[2])]
    at = hunks.locate(hunk.old, file.rendered, 1, 0)
    assert at == 1
    edits = hunks.Edits()
    reverser = hunks.Reverser(file, answers, QUESTIONS, jinja=jinja)
    hunks.plan(hunk, at, file, reverser, edits)
    return lines(edits.apply(file.source))[3]


def test_distinctive_values_are_reversed_longest_first():
    assert promoted(ACME, 'COOKIE = "client_acme_sessionid"\n') == (
        'COOKIE = "{{ project_slug }}_sessionid"\n'
    )
    # The domain holds the single-word slug "data": the longer, distinctive value wins.
    assert promoted(DATA, "ALLOWED = data.example.com\n") == "ALLOWED = {{ domain }}\n"
    # A word that merely starts with the slug is not it.
    assert promoted(DATA, "VOLUME /database\n") == "VOLUME /database\n"


@pytest.mark.parametrize(
    ("answers", "added", "jinja"),
    [
        (DATA, "VOLUME /data\n", True),  # the slug "data": a path, not the project
        (DATA, 'LABEL other="Data"\n', True),  # the name rendered by an expression
        (AB, 'LABEL org.opencontainers.image.title="ab"\n', True),  # 2 characters
        (AB, 'CACHE_PREFIX = "ab:"\n', False),  # a plain copy
    ],
)
def test_single_word_values_refuse_the_hunk(answers, added, jinja):
    with pytest.raises(hunks.Refused, match="a single word that may not mean the project"):
        promoted(answers, added, jinja=jinja)


def test_distinctive():
    assert [hunks.distinctive(v) for v in ("client_acme", "Client Acme", "a.io", "acme2")] == [
        True
    ] * 4
    assert not any(hunks.distinctive(v) for v in ("data", "ab", "A1", "Acme"))


def test_a_branch_left_checked_out_by_a_killed_run_is_found(tmp_path):
    """A killed run's worktree keeps its branch checked out; promote names it to remove."""
    from promote.gitops import git, worktree_of

    repo = tmp_path / "repo"
    git("init", "-q", "-b", "main", str(repo))
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x",
        cwd=repo)  # fmt: skip
    assert worktree_of(repo, "promote/acme-1234567") is None
    stale = tmp_path / "promote-x" / "worktree"
    git("worktree", "add", "-q", "-b", "promote/acme-1234567", str(stale), cwd=repo)
    assert worktree_of(repo, "promote/acme-1234567") == str(stale)
    assert worktree_of(repo, "main") is None  # the repository's own checkout
