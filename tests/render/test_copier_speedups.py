"""Copier's work-savers that `make update` ships (template/quickscale_core/copier_speedups.py):
the same rendered bytes, and plain Copier whenever Copier is not the pinned version.

Updates with and without them are compared in tests/update/test_update.py.
"""

import functools

import copier
import jinja2
import pytest
from copier._main import Worker

from tests.support import copier_speedups
from tests.support.helpers import project_files, render, shipped_modules

speedups = copier_speedups.speedups


def snapshot(project):
    return {
        path.relative_to(project).as_posix(): (path.read_bytes(), path.stat().st_mode)
        for path in project_files(project)
    }


def test_renders_are_identical_with_and_without_the_speedups(template_snapshot, tmp_path):
    answers = {"theme": "todo", "modules": shipped_modules()}
    assert copier_speedups.supported(), "the pinned Copier (template/pyproject.toml.jinja)"
    patched = render(template_snapshot, tmp_path / "patched" / "client_acme", **answers)
    with copier_speedups.disabled():
        plain = render(template_snapshot, tmp_path / "plain" / "client_acme", **answers)

    assert snapshot(patched) == snapshot(plain)


def unknown_version(monkeypatch):
    monkeypatch.setattr(copier, "__version__", "9.20.0")


def reshaped_attribute(monkeypatch):
    # A cached_property where a property was: same behaviour, another shape.
    reshaped = functools.cached_property(Worker.__dict__["answers_relpath"].fget)
    reshaped.__set_name__(Worker, "answers_relpath")
    monkeypatch.setattr(Worker, "answers_relpath", reshaped)


def changed_signature(monkeypatch):
    original = Worker.__dict__["_sync_git_index_executable_bit"]

    def sync(self, dst_relpath, src_mode, index=None):
        return original(self, dst_relpath, src_mode)

    monkeypatch.setattr(Worker, "_sync_git_index_executable_bit", sync)


@pytest.mark.parametrize("change", [unknown_version, reshaped_attribute, changed_signature])
def test_any_other_copier_runs_unpatched(change, monkeypatch, tmp_path):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl/copier.yml").write_text("name: {type: str, default: acme}\n")
    (tmp_path / "tpl/{{ name }}.txt.jinja").write_text("{{ name }}\n")
    with copier_speedups.disabled():
        change(monkeypatch)
        untouched = (jinja2.Environment.from_string, Worker.__dict__.get("answers_relpath"))

        assert not copier_speedups.install()
        assert (jinja2.Environment.from_string, Worker.__dict__.get("answers_relpath")) == untouched
        copier.run_copy(str(tmp_path / "tpl"), str(tmp_path / "out"), defaults=True, quiet=True)
        assert (tmp_path / "out/acme.txt").read_text() == "acme\n"
        monkeypatch.undo()
    assert jinja2.Environment.from_string is speedups._cached_from_string, "back on after"
