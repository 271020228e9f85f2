"""The suite's Jinja compile cache (tests/support/jinja_cache.py) changes no rendered byte."""

from tests.support import jinja_cache
from tests.support.helpers import project_files, render, shipped_modules


def snapshot(project):
    return {
        path.relative_to(project).as_posix(): (path.read_bytes(), path.stat().st_mode)
        for path in project_files(project)
    }


def test_renders_are_identical_with_and_without_the_compile_cache(template_snapshot, tmp_path):
    answers = {"theme": "todo", "modules": shipped_modules()}
    cached = render(template_snapshot, tmp_path / "cached" / "client_acme", **answers)
    with jinja_cache.disabled():
        plain = render(template_snapshot, tmp_path / "plain" / "client_acme", **answers)

    assert snapshot(cached) == snapshot(plain)
