"""The texts of extensions/update_guard.jinja, which plain `copier update` shows when it refuses
answers that would lose the user's code (the update tier runs the real refusals)."""

from pathlib import Path

import jinja2
import pytest

ROOT = Path(__file__).resolve().parents[2]


def refusal(applied: dict, data: dict) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT), autoescape=False)  # noqa: S701
    template = env.from_string(
        "{% from 'extensions/update_guard.jinja' import refuse_folder_changes %}"
        "{{ refuse_folder_changes(applied, data) }}"
    )
    return template.render(applied=applied, data=data)


APPLIED = {"project_slug": "client_acme", "theme": "starter", "frontend": "htmx"}


def test_htmx_to_react_is_refused_without_claiming_a_deletion():
    # Every frontend keeps frontend_htmx/: saying it would be deleted was false (red team).
    text = refusal(APPLIED, {"frontend": "react"})

    assert "is not supported" in text and "nothing was changed" in text
    assert "delete" not in text


def test_react_to_htmx_names_the_react_folder_it_would_delete():
    text = refusal({**APPLIED, "frontend": "react"}, {"frontend": "htmx"})

    assert "would delete the frontend folder quickscale_themes/starter/frontend_react/" in text


@pytest.mark.parametrize("data", [{}, {"frontend": "htmx"}, {"modules": ["auth"]}])
def test_unchanged_folder_answers_pass(data):
    assert refusal(APPLIED, data) == ""
