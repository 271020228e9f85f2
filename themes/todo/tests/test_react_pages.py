"""The React frontend's todo pages (frontend_react/templates/todo/): Django still serves
/lists/ and /lists/<id>/, so sign-in, the page title and a 404 for someone else's list are
decided on the server before any script runs. Skips in projects with the HTMX frontend (whose
pages test_views.py checks)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

from quickscale_core.testing import skip_if_overridden
from quickscale_themes.todo import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def react_project():
    if settings.QUICKSCALE_FRONTEND != "react":
        pytest.skip("an HTMX project: test_views.py checks its pages")


def _assert_react_shell(response, template_name):
    skip_if_overridden(template_name)
    origin = Path(get_template(template_name).origin.name)
    assert "frontend_react" in origin.parts, origin
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<div id="root"[^>]*data-url-login=', page)
    # The app's bundle, which holds the todo pages (src/register.tsx), with the CSP nonce.
    nonce = response.wsgi_request.csp_nonce
    scripts = re.findall(r"<script[^>]*>", page)
    assert any("entries/app.tsx" in tag and f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', page)
    return page


def test_lists_page_is_the_react_app(member):
    page = _assert_react_shell(member.get(reverse("todo:lists")), "todo/lists.html")

    assert f"<title>Your lists · {settings.PROJECT_NAME}</title>" in page
    assert 'class="page-todo"' in page
    assert 'href="/lists/"' in page  # the "Lists" entry in the main navigation


def test_the_app_knows_the_current_team_for_its_writes(member, team):
    """The API client sends data-team-id as X-Team with each write (starter's src/api.ts)."""
    page = _assert_react_shell(member.get(reverse("todo:lists")), "todo/lists.html")

    assert re.search(rf'<div id="root"[^>]*data-team-id="{team.pk}"', page)


def test_list_page_is_the_react_app_titled_with_the_list(member, team, user):
    todo_list = services.create_list(team, user, name="<Groceries & more>")

    page = _assert_react_shell(
        member.get(reverse("todo:list_detail", args=[todo_list.pk])), "todo/list_detail.html"
    )

    assert f"<title>&lt;Groceries &amp; more&gt; · {settings.PROJECT_NAME}</title>" in page


def test_another_teams_list_is_a_404_before_the_app_loads(member, theirs):
    for url in (
        reverse("todo:list_detail", args=[theirs.pk]),
        reverse("todo:list_detail", args=[theirs.pk + 1000]),
    ):
        response = member.get(url)
        assert response.status_code == 404, url
        assert 'id="root"' not in response.content.decode()


def test_the_pages_need_a_signed_in_user(client, groceries):
    for url in (reverse("todo:lists"), reverse("todo:list_detail", args=[groceries.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
