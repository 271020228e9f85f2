"""Compiled Jinja templates kept per environment, so the suite's renders take half the time.

Copier compiles every path name, and other templated strings, with Jinja's
`Environment.from_string`, which (unlike `get_template`) caches nothing: a render compiles
some 340 sources about 3,800 times, half of its time. tests/conftest.py installs
this cache for the template suite's own process (projects' `make update` runs its own
Copier). A compiled Template is meant to be rendered many times and reads the environment's
globals and filters when it renders, so what Copier writes is unchanged;
tests/render/test_jinja_cache.py renders the largest project with and without the cache and
compares every byte.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import jinja2

_original_from_string = jinja2.Environment.from_string


def _cached_from_string(self, source, globals=None, template_class=None):
    if not isinstance(source, str) or globals is not None or template_class is not None:
        return _original_from_string(self, source, globals, template_class)
    # On the environment itself: the cache lives exactly as long as the Copier run.
    compiled = self.__dict__.setdefault("_quickscale_compiled", {})
    template = compiled.get(source)
    if template is None:
        template = compiled[source] = _original_from_string(self, source)
    return template


def install() -> None:
    jinja2.Environment.from_string = _cached_from_string


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Jinja as Copier uses it, without the cache, for the duration of the block."""
    jinja2.Environment.from_string = _original_from_string
    try:
        yield
    finally:
        jinja2.Environment.from_string = _cached_from_string
