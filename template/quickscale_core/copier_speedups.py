"""Copier's CLI with four work-savers, for the pinned Copier only: `make update` runs this.

    python -m quickscale_core.copier_speedups update --defaults ...   # same arguments as copier

An update renders the template three times, and Copier 9.19.1 repeats work on every
path it renders (docs/performance.md, "Proposals for Copier", has the figures):

- `Environment.from_string` compiles each path name and templated setting again, about
  18,000 compiles of a few hundred sources per update. Compiled templates are kept per
  Jinja environment (one per Copier Worker, so per rendered copy). A compiled Template
  reads the environment's globals and filters when it renders, so the output is the same;
  the extensions' `preprocess` hook still runs on every call, as compiling would run it
  (Copier's yield tag resets its state there).
- `Worker.answers_relpath` renders the answers file's name once per path part (about
  9,000 renders, each building the whole render context). When the name holds no Jinja
  syntax, rendering returns it unchanged, so it is returned directly.
- `Worker._sync_git_index_executable_bit` runs `git config core.fileMode` once per
  rendered file. The setting is read once per Worker (one destination); only when it is
  `false` does Copier's own method run for each file, as before.
- `Template.local_abspath` clones and checks out the template once per Template object:
  five times per update for two versions (a clone and a checkout of every file each, more
  than a second per update on a quiet machine; for a remote template each also refreshes
  Copier's mirror over the network). Under `main()` (one Copier command per process),
  each (template URL, ref) is cloned once into a folder of its own, which every Template
  of that ref reads (Copier only reads a template's checkout), and which is removed when
  the process exits. Not by install() alone: a process that runs Copier several times
  (this repository's tests, promote/) may change a template between runs.

Everything else is Copier's own code: `main()` hands over to Copier's CLI. The patches are
applied only to Copier 9.19.1 with the patched attributes shaped as expected; any other
version runs plain Copier, so upgrading Copier can never break `make update`, only make it
slower until this module is updated or removed (once Copier does this itself).
The template's own suite renders with these patches too, and compares copies and updates
made with and without them byte for byte (tests/render/test_copier_speedups.py,
tests/update/test_update.py).
"""

from __future__ import annotations

import atexit
import contextlib
import inspect
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

PINNED_COPIER = "9.19.1"

_originals: dict[str, object] = {}
# (template URL, ref) -> the folder holding its one checkout in this process; only while
# main() runs its one Copier command.
_clones: dict[tuple[str, str], str] = {}
_clone_once_on = False


def _signature(function: object) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []


def supported() -> bool:
    """True only for the Copier version these patches were written and tested against."""
    try:
        import copier
        import jinja2
        from copier import _template
        from copier._main import Worker
    except ImportError:
        return False
    answers_relpath = Worker.__dict__.get("answers_relpath")
    return (
        getattr(copier, "__version__", None) == PINNED_COPIER
        and _signature(jinja2.Environment.from_string)
        == ["self", "source", "globals", "template_class"]
        and _signature(jinja2.Environment.preprocess) == ["self", "source", "name", "filename"]
        and isinstance(answers_relpath, property)
        and _signature(answers_relpath.fget) == ["self"]
        and _signature(Worker.__dict__.get("_sync_git_index_executable_bit"))
        == ["self", "dst_relpath", "src_mode"]
        and _signature(getattr(_template, "clone", None)) == ["url", "ref", "location"]
    )


def _cached_from_string(self, source, globals=None, template_class=None):
    original = _originals["from_string"]
    if not isinstance(source, str) or globals is not None or template_class is not None:
        return original(self, source, globals, template_class)
    # On the environment itself: the cache lives exactly as long as the Worker using it.
    compiled = self.__dict__.setdefault("_quickscale_compiled", {})
    template = compiled.get(source)
    if template is None:
        template = compiled[source] = original(self, source)
    else:
        # Compiling runs the extensions' preprocess hooks; keep their side effects.
        self.preprocess(source)
    return template


def _is_literal(env, text: str) -> bool:
    """Whether Jinja would render `text` as itself (no syntax, no newline to trim)."""
    markers = [env.block_start_string, env.variable_start_string, env.comment_start_string]
    markers += [p for p in (env.line_statement_prefix, env.line_comment_prefix) if p]
    return "\n" not in text and "\r" not in text and not any(m in text for m in markers)


def _answers_relpath(self) -> Path:
    path = str(self.answers_file or self.template.answers_relpath)
    env = self.jinja_env
    if not _is_literal(env, path):
        return _originals["answers_relpath"].fget(self)
    env.preprocess(path)  # as Copier's from_string of the name would
    return Path(path)


def _sync_git_index_executable_bit(self, dst_relpath: Path, src_mode: int) -> None:
    from copier._main import get_git
    from plumbum import ProcessExecutionError

    file_mode_off = self.__dict__.get("_quickscale_file_mode_off")
    if file_mode_off is None:
        git = get_git(context_dir=self.subproject.local_abspath)
        try:
            setting = git("config", "--type=bool", "--get", "core.fileMode").strip()
        except ProcessExecutionError:
            setting = ""  # unset or not a repository: Copier's method returns at once
        file_mode_off = self.__dict__["_quickscale_file_mode_off"] = setting == "false"
    if file_mode_off:
        _originals["sync_index"](self, dst_relpath, src_mode)


def _clone_once(url: str, ref: str = "HEAD", location: str | None = None) -> str:
    """Copier's clone, once per (url, ref) and process; `location` (the caller's empty
    placeholder, which its Template removes) stays unused."""
    if not _clone_once_on:
        return _originals["clone"](url, ref, location)
    key = (str(url), str(ref))
    path = _clones.get(key)
    if path is None or not Path(path).is_dir():
        if not _clones:
            atexit.register(_remove_clones)
        own = tempfile.mkdtemp(prefix="quickscale-copier-clone-")
        path = _clones[key] = _originals["clone"](url, ref, own)
    return path


def _remove_clones() -> None:
    while _clones:
        shutil.rmtree(_clones.popitem()[1], ignore_errors=True)


def install() -> bool:
    """Apply the patches if this Copier is the pinned one; returns whether they are on."""
    if _originals:
        return True
    if not supported():
        return False
    import jinja2
    from copier import _template
    from copier._main import Worker

    _originals["from_string"] = jinja2.Environment.from_string
    _originals["answers_relpath"] = Worker.__dict__["answers_relpath"]
    _originals["sync_index"] = Worker.__dict__["_sync_git_index_executable_bit"]
    _originals["clone"] = _template.clone
    jinja2.Environment.from_string = _cached_from_string
    Worker.answers_relpath = property(_answers_relpath)
    Worker._sync_git_index_executable_bit = _sync_git_index_executable_bit
    _template.clone = _clone_once
    return True


def uninstall() -> None:
    if not _originals:
        return
    import jinja2
    from copier import _template
    from copier._main import Worker

    jinja2.Environment.from_string = _originals.pop("from_string")
    Worker.answers_relpath = _originals.pop("answers_relpath")
    Worker._sync_git_index_executable_bit = _originals.pop("sync_index")
    _template.clone = _originals.pop("clone")
    _remove_clones()


@contextlib.contextmanager
def enabled() -> Iterator[None]:
    """The patches for the duration of the block (left on if they already were)."""
    was_on = bool(_originals)
    install()
    try:
        yield
    finally:
        if not was_on:
            uninstall()


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Plain Copier for the duration of the block (then the patches again, if they were on)."""
    was_on = bool(_originals)
    uninstall()
    try:
        yield
    finally:
        if was_on:
            install()


def main(argv: list[str] | None = None) -> None:
    global _clone_once_on
    _clone_once_on = install()
    from copier._cli import CopierApp

    CopierApp.run(["copier", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
