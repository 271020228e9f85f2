"""What `make update` tells you after an update (quickscale_core/update.py), on a real git
repository; the update itself (Copier's three-way merge) is tested in QuickScale's own suite."""

import os
import shutil
import signal
import subprocess

import pytest

from quickscale_core import update

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(root, *args):
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "package.json").write_text('{"dependencies": {"react": "19.0.0"}}\n')
    (tmp_path / "package-lock.json").write_text("{}\n")
    (tmp_path / "Makefile").write_text("run:\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    # A user's global git settings (signing, hooks) must not decide this test.
    git(tmp_path, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "Start")
    return tmp_path, git(tmp_path, "rev-parse", "HEAD").strip()


def test_a_changed_package_json_asks_for_npm_install_and_the_lock_file(repo, capsys):
    root, head = repo
    (root / "package.json").write_text('{"dependencies": {"react": "19.1.0"}}\n')

    assert update.summarize(root, head, {}, [], []) == 0

    out = capsys.readouterr().out
    hint = [line for line in out.splitlines() if "npm install" in line]
    assert hint == [
        "package.json changed: run `npm install` (`make run` does it) and commit "
        "package-lock.json; never merge the lock file by hand."
    ]


def test_no_npm_hint_when_package_json_is_unchanged(repo, capsys):
    root, head = repo
    (root / "Makefile").write_text("run:\n\techo hi\n")

    assert update.summarize(root, head, {}, [], []) == 0

    out = capsys.readouterr().out
    assert "Makefile" in out
    assert "npm" not in out


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # The point.
def test_an_interrupt_swallowed_by_a_finalizer_still_stops_the_next_step(repo, monkeypatch):
    """CI flake: SIGTERM arrived while a finished git process's Popen.__del__ ran; Python
    ignored the KeyboardInterrupt there, and the update carried on to the end (exit 0)."""
    monkeypatch.setattr(update, "_interrupted", False)

    class Finalized:
        def __del__(self):
            update.interrupted(signal.SIGTERM, None)

    Finalized()  # Its __del__ runs at once: the handler's KeyboardInterrupt is ignored...

    with pytest.raises(KeyboardInterrupt):
        update.git("status", root=repo)  # ...and the next step stops all the same.
