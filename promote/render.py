"""Renders of the template with the client's answers, and which source line made which line.

To patch a `.jinja` source the tool must know, for each line of the rendered file, the
source line that produced it and the text each `{{ expression }}` produced there. It
learns that from Copier itself rather than by re-implementing Jinja: every line end of
the source that is plain text gets an invisible marker (a private-use character and the
line number), the marked template is rendered once with the client's answers, and the
markers in the output tell where each rendered line came from. Markers are never put
where Jinja's whitespace control (`-%}`) would have removed the newline, so stripping
them gives exactly what Copier renders (the round-trip guard re-checks that anyway).

A rendered line is mapped to one source line only when nothing else wrote into it: the
source line is plain text and `{{ }}` expressions, no `{% %}` tag and no whitespace
control, and it is rendered exactly once (not in a loop). Everything else (macro
output, loops, conditional lines) is left unmapped, and hunks that would need it refused.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import copier
import jinja2
from jinja2 import meta

from promote.gitops import lines

MARK = re.compile("\ue000(\\d+)\ue001")
TAG = re.compile(
    r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S
)
EXPRESSION = re.compile(r"\{\{(?!-)(.*?)(?<!-)\}\}", re.S)


def snapshot(repo: Path, commit: str, dst: Path) -> Path:
    """The template's files at `commit`, without .git (Copier renders a folder as it is)."""
    dst.mkdir(parents=True)
    archive = subprocess.run(  # noqa: S603
        ["git", "archive", "--format=tar", commit],  # noqa: S607
        cwd=repo,
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(dst)], input=archive.stdout, check=True)  # noqa: S603,S607
    return dst


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


def compiled_once():
    """Copier's work-savers that `make update` ships (template/quickscale_core/
    copier_speedups.py: compiled templates kept per environment, halving a render's time,
    with the same output, which the template suite checks), loaded from this checkout."""
    path = Path(__file__).resolve().parent.parent / "template/quickscale_core/copier_speedups.py"
    spec = importlib.util.spec_from_file_location("quickscale_copier_speedups", path)
    speedups = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(speedups)
    return speedups.enabled()


def render(template: Path, dst: Path, answers: dict) -> Path:
    data = {key: value for key, value in answers.items() if not key.startswith("_")}
    # Copier warns that quickscale_core/applied_answers.yml is missing: a fresh copy has none.
    with compiled_once(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(template),
            str(dst),
            data=data,
            defaults=True,
            unsafe=False,
            quiet=True,
            overwrite=True,
        )
    return dst


def mark(source: str) -> str:
    """The source with a marker before every newline that is plain text and survives."""
    spans = [(m.start(), m.end()) for m in TAG.finditer(source)]
    out, pos, number, span = [], 0, 0, 0
    for match in re.finditer("\n", source):
        at = match.start()
        while span < len(spans) and spans[span][1] <= at:
            span += 1
        inside = span < len(spans) and spans[span][0] <= at
        previous = spans[span - 1] if span else None
        stripped = (
            previous is not None
            and source[previous[1] - 3 : previous[1]] in ("-%}", "-}}", "-#}")
            and not source[previous[1] : at].strip()
        )
        # A `{%-` after whitespace strips back to the last non-blank character: a marker
        # after blanks would stop it there.
        following = re.match(r"\s*(\{[%{#]-)?", source[at:])
        if following and following.group(1) and at and source[at - 1].isspace():
            stripped = True
        out.append(source[pos:at])
        if not inside and not stripped:
            out.append(f"\ue000{number}\ue001")
        pos, number = at, number + 1
    out.append(source[pos:])
    return "".join(out)


def unmark(text: str) -> str:
    return MARK.sub("", text)


@dataclass
class Piece:
    """One `{{ expression }}` of a source line and what it produced in this render."""

    tag: str  # exactly as written in the source: {{ quoted(project_name) }}
    names: frozenset[str]  # the variables it reads
    text: str


@dataclass
class RenderedFile:
    """A rendered .jinja file: its lines, and for each the source line that made it."""

    source: list[str]
    rendered: list[str]
    origin: list[int | None]
    pieces: dict[int, list[Piece]] = field(default_factory=dict)  # by source line

    def literal_text(self) -> str:
        """The source's own text, outside every Jinja tag."""
        return TAG.sub("\0", "".join(self.source))


def simple_pattern(line: str) -> re.Pattern | None:
    """A regex for what a plain source line renders to, or None when it is not plain."""
    body = line.removesuffix("\n")
    if "{%" in body or "{#" in body:
        return None
    parts, pos = [], 0
    for match in EXPRESSION.finditer(body):
        parts.append(re.escape(body[pos : match.start()]))
        parts.append("(.*?)")
        pos = match.end()
    rest = body[pos:]
    if "{{" in rest or "}}" in rest:  # whitespace control, or a tag across lines
        return None
    parts.append(re.escape(rest))
    if parts != [re.escape(body)] and not EXPRESSION.sub("", body).strip():
        return None  # a line of expressions only: macros, multi-line output
    return re.compile("".join(parts))


def map_lines(source_text: str, marked_output: str) -> RenderedFile:
    source = lines(source_text)
    pieces_out = marked_output.split("\n")
    rendered = [unmark(p) + "\n" for p in pieces_out[:-1]]
    if pieces_out[-1]:
        rendered.append(unmark(pieces_out[-1]))
    origin: list[int | None] = []
    fresh = True
    for piece in pieces_out[: len(rendered)]:
        segments = MARK.split(piece)  # text, number, text, number, ...
        numbers = [int(n) for n in segments[1::2]]
        only_first = numbers and all(not s for s in segments[2::2])
        origin.append(numbers[0] if fresh and only_first else None)
        fresh = bool(numbers) and not segments[-1]
    counts: dict[int, int] = {}
    for number in origin:
        if number is not None:
            counts[number] = counts.get(number, 0) + 1
    env = jinja2.Environment(autoescape=False)  # noqa: S701 - parsing only
    result = RenderedFile(source, rendered, origin)
    for index, number in enumerate(origin):
        if number is None:
            continue
        pattern = simple_pattern(source[number]) if number < len(source) else None
        match = pattern.fullmatch(rendered[index].removesuffix("\n")) if pattern else None
        if counts[number] > 1 or match is None:
            origin[index] = None
            continue
        tags = [m.group(0) for m in EXPRESSION.finditer(source[number].removesuffix("\n"))]
        result.pieces[number] = [
            Piece(tag, frozenset(meta.find_undeclared_variables(env.parse(tag))), text)
            for tag, text in zip(tags, match.groups(), strict=True)
        ]
    return result
