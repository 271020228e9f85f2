"""{% task_rows %} keeps rendered rows (templatetags/todo_rows.py): what it reuses must never be
stale, nor shared where it differs (another filter, place, language or time zone)."""

import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from quickscale_core.testing import skip_unless_htmx_page
from quickscale_themes.todo import services
from quickscale_themes.todo.templatetags import todo_rows

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _htmx_page():
    skip_unless_htmx_page("todo/list_detail.html")


def detail(todo_list, query="status=all"):
    return f"{reverse('todo:list_detail', args=[todo_list.pk])}?{query}"


def rows(html: str) -> str:
    """The task rows of a page, without their CSRF tokens (a new mask on every response)."""
    start = html.index('<ul class="todo-tasks"')
    html = html[start : html.index("</ul>", start)]
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "TOKEN", html)


def test_reused_rows_are_the_rows_the_template_renders(member, team, groceries):
    for title in ("Milk", "Eggs", "Bread"):
        services.add_task(team, groceries, title=title)
    first = rows(member.get(detail(groceries), headers=HTMX).content.decode())
    again = rows(member.get(detail(groceries), headers=HTMX).content.decode())

    assert first == again and first.count("<li ") == 3


def test_the_forms_of_reused_rows_pass_the_csrf_check(user, team, groceries):
    milk = services.add_task(team, groceries, title="Milk")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    for done in (True, False):  # rendered, then reused
        html = browser.get(detail(groceries)).content.decode()
        assert todo_rows._TOKEN_PLACEHOLDER not in html
        task_rows = html[html.index('<ul class="todo-tasks"') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', task_rows).group(1)
        team_id = re.search(r'name="team_id" value="(\d+)"', task_rows).group(1)
        assert team_id == str(team.pk)
        response = browser.post(
            reverse("todo:task_toggle", args=[milk.pk]),
            {"csrfmiddlewaretoken": token, "team_id": team_id, "next": detail(groceries)},
        )
        assert response.status_code == 302
        milk.refresh_from_db()
        assert milk.done is done


def test_edits_toggles_and_moves_show_at_once(member, team, groceries):
    milk = services.add_task(team, groceries, title="Milk")
    services.add_task(team, groceries, title="Eggs")
    member.get(detail(groceries))  # rows kept

    services.update_task(team, milk, title="Oat milk", due_date=None, priority=3)
    html = rows(member.get(detail(groceries)).content.decode())
    assert "Oat milk" in html and "High" in html and "“Milk”" not in html

    member.post(reverse("todo:task_toggle", args=[milk.pk]), {"next": detail(groceries)})
    html = rows(member.get(detail(groceries)).content.decode())
    assert "Reopen “Oat milk”" in html

    member.post(reverse("todo:task_toggle", args=[milk.pk]), {"next": detail(groceries)})
    # Reopened at the end: the first row's "up" is disabled, whichever task is first now.
    html = rows(member.get(detail(groceries, "status=open")).content.decode())
    assert re.search(r'aria-label="Move “Eggs” up" disabled', html)
    assert not re.search(r'aria-label="Move “Oat milk” up" disabled', html)
    assert re.search(r'aria-label="Move “Oat milk” down" disabled', html)


def test_rows_follow_the_page_they_return_to(member, team, groceries):
    services.add_task(team, groceries, title="Milk")
    member.get(detail(groceries, "status=all"))
    html = rows(member.get(detail(groceries, "status=open")).content.decode())
    assert 'name="next" value="/lists/' in html and "status=open" in html


def test_the_time_zone_and_language_are_part_of_the_row(member, team, groceries):
    milk = services.add_task(team, groceries, title="Milk")
    services.set_done(team, milk, True)
    milk.refresh_from_db()
    milk.completed_at = milk.completed_at.replace(hour=23, minute=30)
    milk.save(update_fields=["completed_at"])
    utc = rows(member.get(detail(groceries)).content.decode())
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Kiritimati")):  # UTC+14: the next day
        local = rows(member.get(detail(groceries)).content.decode())
    assert utc != local and "Done <time" in local
    with translation.override("de"):
        member.get(detail(groceries))
    assert rows(member.get(detail(groceries)).content.decode()) == utc


def test_the_store_is_bounded(member, team, groceries, monkeypatch):
    monkeypatch.setattr(todo_rows, "MAX_ROWS", 3)
    for n in range(5):
        services.add_task(team, groceries, title=f"Task {n}")
    html = rows(member.get(detail(groceries)).content.decode())
    assert html.count("<li ") == 5
    assert all(len(stored) <= 3 for stored in todo_rows._rows_by_template.values())


def test_rows_rendered_without_a_request_have_no_token_input(team, groceries):
    from django.template import engines

    services.add_task(team, groceries, title="Milk")
    template = engines["django"].from_string("{% load todo_rows %}{% task_rows tasks %}")
    html = template.render({"tasks": groceries.tasks.all(), "current_url": "/lists/"})
    assert 'aria-label="Complete “Milk”"' in html
    assert "csrfmiddlewaretoken" not in html and todo_rows._TOKEN_PLACEHOLDER not in html
