"""One hunk of the client's diff turned into an edit of the template source, or refused.

The hunk's old lines are found in the template's current rendering with the client's
answers (exactly, nearest to where git put them): if they are not there, the client's
file and the template differ at that place (another template version, or the client's
own edits) and the hunk is refused rather than guessed. Found lines are mapped to source
lines (render.py); a removed line must come from exactly one source line, and added lines
need two neighbours that are adjacent in the source, else Jinja control lines sit
between them and either side could be meant.

Added lines of a `.jinja` file are reverse-substituted: each answer value that one of the
file's own `{{ }}` expressions produced is put back as that exact expression (the file
renders `"Client Acme"` with `{{ quoted(project_name) }}`, so `"Client Acme"` becomes
that), and bare values of project_slug and domain (validated to be safe anywhere) become
`{{ project_slug }}` and `{{ domain }}`. Only project_name, project_slug and domain are
reversed, and only a distinctive value (with a space, `_`, `-`, `.` or a digit): a single
word such as the slug "data" or "ab" is also an ordinary word (`VOLUME /data`), so any
occurrence of it in an added line refuses the hunk, in plain copies too. A hunk is also
refused when a value is ambiguous: it also occurs in the template's own text of the file,
two answers render the same text, or it appears in a form no expression renders (the
project name inside another string), or when an added line holds another answer
(description, author) or edits a line whose expression reads another answer. A plain
copy is applied as is, but never with a line naming the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from promote.gitops import Hunk
from promote.render import RenderedFile

REVERSIBLE = ("project_name", "project_slug", "domain")
CANONICAL = {"project_slug": "{{ project_slug }}", "domain": "{{ domain }}"}
# Free-text answers that may appear in code but are never reversed.
DETECTED = ("description", "author_name", "author_email")
AMBIGUOUS = None
JINJA_OPENER = re.compile(r"\{[{%#]")
SEPARATORS = re.compile(r"[ _.\-0-9]")


def distinctive(value: str) -> bool:
    """A value that can only mean the project: "client_acme", "Client Acme", "acme2".

    A single word ("data", "api", "AB") is also an ordinary word of code and configuration
    (`VOLUME /data`), so an occurrence of it in a fix may not mean the project at all.
    """
    return len(value) >= 3 and bool(SEPARATORS.search(value))


class Refused(Exception):
    """The hunk is not applied; the message says why and what to do."""


@dataclass
class Edits:
    """Changes to a source file's lines: deleted indexes, lines inserted before an index."""

    delete: set[int] = field(default_factory=set)
    insert: dict[int, list[str]] = field(default_factory=dict)

    def apply(self, source: list[str]) -> str:
        out = []
        for index in range(len(source) + 1):
            out += self.insert.get(index, [])
            if index < len(source) and index not in self.delete:
                out.append(source[index])
        return "".join(out)


@dataclass
class Outcome:
    hunk: Hunk
    at: int | None = None  # where its old lines start in the template's rendering
    reason: str | None = None
    reversed: list[str] = field(default_factory=list)


def bounded(text: str, value: str, start: int) -> bool:
    end = start + len(value)
    left = start == 0 or not (text[start - 1].isalnum() and value[0].isalnum())
    right = end == len(text) or not (text[end].isalnum() and value[-1].isalnum())
    return left and right


def occurs(text: str, value: str) -> bool:
    return any(bounded(text, value, m.start()) for m in re.finditer(re.escape(value), text))


def longest_matches(text: str, candidates) -> list[tuple[int, str]]:
    """(position, candidate) of each bounded occurrence, scanning left to right and taking
    the longest candidate at each place (`client_acme` before `acme`), never overlapping."""
    ordered = sorted(candidates, key=len, reverse=True)
    found, pos = [], 0
    while pos < len(text):
        match = next(
            (c for c in ordered if text.startswith(c, pos) and bounded(text, c, pos)), None
        )
        if match is None:
            pos += 1
            continue
        found.append((pos, match))
        pos += len(match)
    return found


def locate(old: list[str], rendered: list[str], expected: int, after: int) -> int | None:
    if not old:
        return None
    first, size = old[0], len(old)
    found = [
        at
        for at in range(after, len(rendered) - size + 1)
        if rendered[at] == first and rendered[at : at + size] == old
    ]
    return min(found, key=lambda at: abs(at - expected)) if found else None


class Reverser:
    """Reverse substitution for one rendered file and one project's answers."""

    def __init__(self, file: RenderedFile, answers: dict, questions: set[str], jinja: bool):
        self.file, self.jinja = file, jinja
        self.literal = file.literal_text()
        values = {name: answers.get(name) for name in (*REVERSIBLE, *DETECTED)}
        # Every value is detected, however short; only distinctive ones are reversed.
        self.values = {k: v for k, v in values.items() if isinstance(v, str) and v}
        self.vague = {
            name: value
            for name, value in self.values.items()
            if name in REVERSIBLE and not distinctive(value)
        }
        self.questions = questions
        self.tokens: dict[str, str | None] = {}
        self.vague_tokens: dict[str, str] = {}  # rendered text -> the single-word answer
        if not jinja:
            return
        for pieces in file.pieces.values():
            for piece in pieces:
                answers_read = piece.names & questions
                if len(answers_read) == 1 and answers_read <= set(REVERSIBLE) and piece.text:
                    (name,) = answers_read
                    if name in self.vague:
                        self.vague_tokens[piece.text] = name
                    self.add(piece.text, piece.tag)
        for name, tag in CANONICAL.items():
            if name in self.vague:
                continue
            if name in self.values and self.values[name] not in self.tokens:
                self.add(self.values[name], tag)
        seen: dict[str, str] = {}
        for name in REVERSIBLE:
            value = self.values.get(name)
            if value in seen:  # two answers with the same text: cannot tell them apart
                self.tokens[value] = AMBIGUOUS
            if value:
                seen[value] = name
        for text in list(self.tokens):
            if occurs(self.literal, text):
                self.tokens[text] = AMBIGUOUS

    def add(self, text: str, tag: str) -> None:
        if text in self.tokens and self.tokens[text] != tag:
            self.tokens[text] = AMBIGUOUS
        else:
            self.tokens[text] = tag

    def source_line(self, line: str, removed_pieces, outcome: Outcome) -> str:
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        for name in DETECTED:
            value = self.values.get(name)
            if value and occurs(body, value):
                raise Refused(
                    f"an added line holds the client's {name} ({value!r}): this tool reverses "
                    "only project_name, project_slug and domain; write that line by hand"
                )
        for piece in removed_pieces:
            if piece.names & self.questions - set(REVERSIBLE) and occurs(body, piece.text):
                raise Refused(
                    f"{piece.text!r} was rendered by {piece.tag} on the line this hunk changes, "
                    "which reads an answer this tool does not reverse: write that line by hand"
                )
        self.refuse_vague(body)
        if not self.jinja:
            for name, value in self.values.items():
                if occurs(body, value) and not occurs(self.literal, value):
                    raise Refused(
                        f"an added line names this client ({name} {value!r}) in a file the "
                        "template copies as is: every project would get it. Make the file a "
                        ".jinja template by hand, or leave the client's name out of the fix"
                    )
            return line
        out, literal_from = [], 0
        for pos, text in longest_matches(body, self.tokens):
            if text in self.vague_tokens:
                name = self.vague_tokens[text]
                raise Refused(self.vague_reason(name, self.values[name]))
            if self.tokens[text] is AMBIGUOUS:
                raise Refused(self.ambiguity(text))
            out.append(self.literal_part(body[literal_from:pos]))
            out.append(self.tokens[text])
            outcome.reversed.append(f"{text} -> {self.tokens[text]}")
            literal_from = pos + len(text)
        rest = body[literal_from:]
        out.append(self.literal_part(rest))
        for name in REVERSIBLE:
            value = self.values.get(name)
            if value and any(occurs(part, value) for part in out[0::2]):
                raise Refused(
                    f"{value!r} ({name}) appears in an added line in a form that no expression "
                    "of this file renders (e.g. inside another string): write the Jinja by hand"
                )
        return "".join(out) + end

    def refuse_vague(self, body: str) -> None:
        """Refuse a bounded occurrence of a single-word answer, unless it is part of a longer
        distinctive answer found at the same place (longest match first: "acme" inside the
        domain "acme.example.com" is the domain)."""
        if not self.vague:
            return
        vague = {value: name for name, value in self.vague.items()}
        answers = {v for n, v in self.values.items() if n in REVERSIBLE}
        for _pos, text in longest_matches(body, answers):
            if text in vague:
                raise Refused(self.vague_reason(vague[text], text))

    def vague_reason(self, name: str, value: str) -> str:
        return (
            f"an added line holds {value!r}, the client's {name}: it is a single word that "
            "may not mean the project (an ordinary word of the code, or a path), so this tool "
            "does not reverse it: write the Jinja by hand (or the line, if it is not the project)"
        )

    def literal_part(self, text: str) -> str:
        return JINJA_OPENER.sub(lambda m: "{{ '" + m.group(0) + "' }}", text)

    def ambiguity(self, text: str) -> str:
        names = [n for n in REVERSIBLE if self.values.get(n) == text]
        what = f"{text!r} ({', '.join(names) or 'an answer'})"
        if occurs(self.literal, text):
            return (
                f"{what} also occurs in the template's own text of this file, so an "
                "occurrence in the fix could be either: write the Jinja by hand"
            )
        return f"{what} is rendered by more than one answer or expression: write the Jinja by hand"


def plan(hunk: Hunk, at: int, file: RenderedFile, reverser: Reverser, edits: Edits) -> Outcome:
    """The source edits for one located hunk, added to `edits` only if all of it maps."""
    outcome = Outcome(hunk, at)
    origin = file.origin
    size = len(hunk.old)
    local = Edits()
    old_index = 0
    removed_pieces = [
        piece
        for offset, (kind, _text) in enumerate(k for k in hunk.body if k[0] != "+")
        if kind == "-" and origin[at + offset] is not None
        for piece in file.pieces.get(origin[at + offset], [])
    ]
    old_sources = {
        file.rendered[at + i]: origin[at + i] for i in range(size) if origin[at + i] is not None
    }
    pending: list[str] = []

    def flush() -> None:
        if not pending:
            return
        left = origin[at + old_index - 1] if old_index > 0 else None
        right = origin[at + old_index] if old_index < size else None
        if old_index > 0 and old_index < size:
            ok = left is not None and right is not None and right == left + 1
            place = right
        elif old_index == 0:
            ok = at == 0 and right is not None and right == first_mapped()
            place = right
        else:
            ok = at + size == len(file.rendered) and left == len(file.source) - 1
            place = None if left is None else left + 1
        if not ok:
            raise Refused(placement_reason(file, at, old_index, size))
        converted = []
        for line in pending:
            if line in old_sources:  # a line kept or moved: its source line as it is
                converted.append(file.source[old_sources[line]])
            else:
                converted.append(reverser.source_line(line, removed_pieces, outcome))
        local.insert.setdefault(place, []).extend(converted)
        pending.clear()

    def first_mapped() -> int | None:
        return next((o for o in origin if o is not None), None)

    for kind, text in hunk.body:
        if kind == "+":
            pending.append(text)
            continue
        flush()
        if kind == "-":
            number = origin[at + old_index]
            if number is None:
                raise Refused(
                    f"the removed line {text.strip()!r} comes from a Jinja loop, macro or "
                    "conditional, not one source line: change the template by hand"
                )
            local.delete.add(number)
        old_index += 1
    flush()
    edits.delete |= local.delete
    for place, added in local.insert.items():
        edits.insert.setdefault(place, []).extend(added)
    return outcome


def placement_reason(file: RenderedFile, at: int, index: int, size: int) -> str:
    origin = file.origin
    left = origin[at + index - 1] if index > 0 else None
    right = origin[at + index] if index < size else None
    if (index > 0 and left is None) or (index < size and right is None):
        return (
            "the lines are added next to a line that a Jinja loop, macro or conditional "
            "renders (no single source line): add them to the template by hand"
        )
    low = (left + 1) if left is not None else 0
    high = right if right is not None else len(file.source)
    between = [line.strip() for line in file.source[low:high] if line.strip()]
    shown = "; ".join(between[:3]) + (" ..." if len(between) > 3 else "")
    return (
        f"the lines are added where the source has Jinja control lines ({shown}): they could "
        "go on either side, inside or outside the condition; add them by hand"
    )
