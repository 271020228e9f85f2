"""Lists belong to the current team (request.team): its members share them, every other team's
list is a 404 on each page, htmx partial and API endpoint, a member removed from the team
loses access on their next request, and a form from a tab showing another team writes nothing.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quickscale_core import teams
from quickscale_core.extensions import reverse_or_none
from quickscale_core.models import Membership
from quickscale_core.testing import sign_in, skip_unless_htmx_page, work_in
from quickscale_themes.todo import selectors, services
from quickscale_themes.todo.models import Task, TodoList

from .conftest import api_mounted

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
JSON = "application/json"


@pytest.fixture(autouse=True)
def no_list_limit(settings):
    # Billing's free plan allows 3 lists; these tests need more (harmless without billing).
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": None}}


@pytest.fixture
def acme(user):
    """A team `user` owns besides their personal one."""
    return teams.create_team(user, "Acme")


@pytest.fixture
def teammate(django_user_model, acme):
    """A second member of Acme, with the default role for invitations ("member")."""
    mate = django_user_model.objects.create_user(
        email="teammate@example.com", password="teammate-horse-battery-staple"
    )
    Membership.objects.create(user=mate, team=acme, role="member")
    return mate


@pytest.fixture
def launch(acme, user):
    """Acme's list, with one task."""
    todo_list = services.create_list(acme, user, name="Apollo")
    services.add_task(acme, todo_list, title="Write the announcement")
    return todo_list


def html_requests(todo_list, task):
    """Every page and partial that names a list or a task: (method, url, data)."""
    list_id, task_id = todo_list.pk, task.pk
    form = {"title": "x", "priority": "2", "name": "x", "rename-name": "x", "direction": "up"}
    return [
        ("get", reverse("todo:list_detail", args=[list_id]), None),
        ("get", reverse("todo:list_delete", args=[list_id]), None),
        ("get", reverse("todo:task_edit", args=[task_id]), None),
        ("post", reverse("todo:list_rename", args=[list_id]), form),
        ("post", reverse("todo:list_delete", args=[list_id]), form),
        ("post", reverse("todo:task_create", args=[list_id]), form),
        ("post", reverse("todo:task_edit", args=[task_id]), form),
        ("post", reverse("todo:task_toggle", args=[task_id]), form),
        ("post", reverse("todo:task_move", args=[task_id]), form),
        ("post", reverse("todo:task_delete", args=[task_id]), form),
    ]


def api_requests(todo_list, task):
    lists, tasks = f"/api/v1/lists/{todo_list.pk}/", f"/api/v1/tasks/{task.pk}/"
    return [
        ("get", lists, None),
        ("put", lists, {"name": "x"}),
        ("patch", lists, {"name": "x"}),
        ("delete", lists, None),
        ("get", tasks, None),
        ("put", tasks, {"list": todo_list.pk, "title": "x"}),
        ("patch", tasks, {"title": "x", "done": True}),
        ("delete", tasks, None),
        ("post", f"{tasks}move/", {"direction": "down"}),
    ]


def assert_untouched(todo_list, task, name, title):
    todo_list.refresh_from_db()
    task.refresh_from_db()
    assert (todo_list.name, task.title, task.done) == (name, title, False)


# ---------- Isolation ----------


def test_another_teams_list_is_a_404_on_every_page_and_partial(member, team, acme, launch):
    """Acme is one of the user's teams, but not the current one: its list is not shown."""
    task = launch.tasks.get()
    for headers in ({}, HTMX):
        for method, url, data in html_requests(launch, task):
            response = getattr(member, method)(url, data, headers=headers)
            assert response.status_code == 404, (method, url, headers)
    assert_untouched(launch, task, "Apollo", "Write the announcement")
    assert Task.objects.filter(todo_list=launch).count() == 1


def test_the_lists_page_and_the_summary_show_the_current_teams_lists_only(
    member, team, acme, launch, groceries
):
    services.add_task(team, groceries, title="Milk")

    summary = member.get(reverse("todo:summary"), headers=HTMX).content.decode()
    assert "<dt>Open tasks</dt><dd>1</dd>" in summary
    panel = member.post(reverse("todo:list_create"), {"name": "Home"}, headers=HTMX)
    assert "Groceries" in panel.text and "Apollo" not in panel.text
    assert TodoList.objects.for_team(team).filter(name="Home").exists()
    assert not TodoList.objects.for_team(acme).filter(name="Home").exists()

    skip_unless_htmx_page("todo/lists.html")
    page = member.get(reverse("todo:lists")).content.decode()
    assert "Groceries" in page and "Apollo" not in page


@api_mounted
def test_another_teams_list_is_a_404_on_every_api_endpoint(member, team, acme, launch, groceries):
    task = launch.tasks.get()
    for method, url, data in api_requests(launch, task):
        response = getattr(member, method)(url, data, content_type=JSON)
        assert response.status_code == 404, (method, url, response.content)

    assert [row["name"] for row in member.get("/api/v1/lists/").json()["results"]] == ["Groceries"]
    assert member.get("/api/v1/tasks/").json()["count"] == 0
    assert member.get(f"/api/v1/tasks/?list={launch.pk}").json()["count"] == 0
    assert member.get("/api/v1/lists/summary/").json()["lists"] == 1
    # A task cannot be added to, or moved into, another team's list.
    added = member.post("/api/v1/tasks/", {"list": launch.pk, "title": "x"}, content_type=JSON)
    assert added.status_code == 400 and "list" in added.json()["errors"]
    mine = services.add_task(team, groceries, title="Milk")
    moved = member.patch(f"/api/v1/tasks/{mine.pk}/", {"list": launch.pk}, content_type=JSON)
    assert moved.status_code == 400 and "list" in moved.json()["errors"]
    assert_untouched(launch, task, "Apollo", "Write the announcement")
    assert Task.objects.filter(todo_list=launch).count() == 1


def test_a_team_of_someone_else_is_as_unreachable(member, theirs):
    task = theirs.tasks.get()
    for headers in ({}, HTMX):
        for method, url, data in html_requests(theirs, task):
            assert getattr(member, method)(url, data, headers=headers).status_code == 404
    assert_untouched(theirs, task, "Private plans", "Secret task")


# ---------- Sharing ----------


def test_two_members_of_a_team_see_and_edit_the_same_lists(client, user, acme, teammate, launch):
    owner = sign_in(Client(), user, acme)
    mate = sign_in(client, teammate, acme)

    # The teammate ("member" role) opens the owner's list and adds a task.
    assert mate.get(reverse("todo:list_detail", args=[launch.pk])).status_code == 200
    response = mate.post(
        reverse("todo:task_create", args=[launch.pk]),
        {"title": "Book the venue", "priority": "2", "team_id": acme.pk},
    )
    assert response.status_code == 302
    # The owner sees it, completes it; the teammate renames the list.
    task = Task.objects.get(title="Book the venue")
    assert owner.post(reverse("todo:task_toggle", args=[task.pk])).status_code == 302
    mate.post(reverse("todo:list_rename", args=[launch.pk]), {"rename-name": "Apollo 11"})
    launch.refresh_from_db()
    task.refresh_from_db()
    assert launch.name == "Apollo 11" and task.done
    assert launch.owner == user  # still the member who created it

    # A list the teammate creates is the team's, theirs as its creator.
    mate.post(reverse("todo:list_create"), {"name": "Retro"})
    retro = TodoList.objects.for_team(acme).get(name="Retro")
    assert retro.owner == teammate
    assert owner.get(reverse("todo:list_detail", args=[retro.pk])).status_code == 200
    assert [t.name for t in selectors.lists_for(acme)] == ["Apollo 11", "Retro"]

    skip_unless_htmx_page("todo/lists.html")
    for client_ in (owner, mate):
        page = client_.get(reverse("todo:lists")).content.decode()
        assert "Apollo 11" in page and "Retro" in page


@api_mounted
def test_two_members_share_the_lists_in_the_api(client, user, acme, teammate, launch):
    mate = sign_in(client, teammate, acme)

    listed = mate.get("/api/v1/lists/").json()
    assert [row["name"] for row in listed["results"]] == ["Apollo"]
    created = mate.post(
        "/api/v1/tasks/", {"list": launch.pk, "title": "Print flyers"}, content_type=JSON
    )
    assert created.status_code == 201, created.content
    assert launch.tasks.count() == 2


def test_a_member_removed_from_the_team_loses_access_at_once(client, acme, teammate, launch):
    mate = sign_in(client, teammate, acme)
    url = reverse("todo:list_detail", args=[launch.pk])
    assert mate.get(url).status_code == 200

    Membership.objects.filter(user=teammate, team=acme).delete()

    # Their session falls back to their personal team: Acme's list is not there.
    assert mate.get(url).status_code == 404
    assert mate.get(url, headers=HTMX).status_code == 404
    add = reverse("todo:task_create", args=[launch.pk])
    assert mate.post(add, {"title": "Too late", "priority": "2"}).status_code == 404
    # A form still open on Acme's page says which team it was for: refused before any view.
    refused = mate.post(add, {"title": "Too late", "priority": "2", "team_id": acme.pk})
    assert refused.status_code == 409
    assert not Task.objects.filter(title="Too late").exists()
    summary = mate.get(reverse("todo:summary"), headers=HTMX).content.decode()
    assert "<dt>Lists</dt><dd>0</dd>" in summary and "<dt>Open tasks</dt><dd>0</dd>" in summary


@api_mounted
def test_a_removed_member_loses_api_access_at_once(client, acme, teammate, launch):
    mate = sign_in(client, teammate, acme)
    assert mate.get(f"/api/v1/lists/{launch.pk}/").status_code == 200

    Membership.objects.filter(user=teammate, team=acme).delete()

    assert mate.get(f"/api/v1/lists/{launch.pk}/").status_code == 404
    assert mate.get("/api/v1/lists/").json()["count"] == 0
    response = mate.post(
        "/api/v1/tasks/", {"list": launch.pk, "title": "Too late"}, content_type=JSON
    )
    assert response.status_code == 400
    assert not Task.objects.filter(title="Too late").exists()


@api_mounted
def test_a_request_authenticated_by_the_api_alone_acts_in_the_personal_team(
    team, user, acme, launch, groceries
):
    """A request the session middleware saw as anonymous (an API key's) gets the user's
    personal team, as a new session would."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)

    assert [row["name"] for row in api.get("/api/v1/lists/").json()["results"]] == ["Groceries"]
    assert api.get(f"/api/v1/lists/{launch.pk}/").status_code == 404
    created = api.post("/api/v1/lists/", {"name": "From a script"}, format="json")
    assert created.status_code == 201
    assert TodoList.objects.for_team(team).filter(name="From a script").exists()


def test_a_role_without_the_lists_permission_gets_403(client, acme, teammate, launch, settings):
    settings.TEAM_ROLES = {
        "owner": {"label": "Owner", "permissions": ["team.view", "team.edit"]},
        "member": {"label": "Billing only", "permissions": ["billing.manage"]},
    }
    mate = sign_in(client, teammate, acme)

    assert mate.get(reverse("todo:lists")).status_code == 403
    assert mate.get(reverse("todo:list_detail", args=[launch.pk])).status_code == 403
    add = reverse("todo:task_create", args=[launch.pk])
    assert mate.post(add, {"title": "x", "priority": "2"}).status_code == 403
    assert launch.tasks.count() == 1


@api_mounted
def test_a_role_without_the_lists_permission_gets_403_in_the_api(
    client, acme, teammate, launch, settings
):
    settings.TEAM_ROLES = {"member": {"label": "Billing only", "permissions": []}}
    mate = sign_in(client, teammate, acme)

    assert mate.get("/api/v1/lists/").status_code == 403
    assert mate.get(f"/api/v1/lists/{launch.pk}/").status_code == 403


# ---------- A tab left open on another team ----------


def test_the_forms_say_which_team_they_were_for(member, team, groceries):
    skip_unless_htmx_page("todo/lists.html")
    field = f'<input type="hidden" name="team_id" value="{team.pk}">'
    services.add_task(team, groceries, title="Milk")
    lists = member.get(reverse("todo:lists")).content.decode()
    detail = member.get(reverse("todo:list_detail", args=[groceries.pk])).content.decode()
    task = groceries.tasks.get()
    edit = member.get(reverse("todo:task_edit", args=[task.pk])).content.decode()
    confirm = member.get(reverse("todo:list_delete", args=[groceries.pk])).content.decode()

    assert field in lists
    # The rename form, the add form and each task's form.
    assert detail.count(field) == 3
    assert field in edit and field in confirm
    assert f'"X-Team": "{team.pk}"' in detail  # htmx requests send it as a header


def test_a_form_from_a_tab_showing_another_team_writes_nothing(member, team, acme, groceries):
    """The page was loaded in the personal team; the user then switched to Acme elsewhere."""
    work_in(member, acme)
    create = reverse("todo:list_create")

    response = member.post(create, {"name": "Home", "team_id": team.pk})
    assert response.status_code == 409
    assert "since this page was loaded" in response.content.decode()
    response = member.post(create, {"name": "Home"}, headers={**HTMX, "X-Team": str(team.pk)})
    assert response.status_code == 409
    add = reverse("todo:task_create", args=[groceries.pk])
    assert member.post(add, {"title": "Milk", "team_id": team.pk}).status_code == 409
    assert not TodoList.unscoped.filter(name="Home").exists()
    assert not Task.objects.exists()

    # The same form from a page of Acme goes through.
    assert member.post(create, {"name": "Home", "team_id": acme.pk}).status_code == 302
    assert TodoList.objects.for_team(acme).filter(name="Home").exists()


@api_mounted
def test_an_api_write_from_a_tab_showing_another_team_is_a_409(member, team, acme):
    work_in(member, acme)

    response = member.post(
        "/api/v1/lists/",
        {"name": "Home"},
        content_type=JSON,
        headers={"X-Team": str(team.pk), "Accept": JSON},
    )

    assert response.status_code == 409 and response.json()["code"] == "team_changed"
    assert not TodoList.unscoped.exists()


# ---------- Queries ----------


def _count(client, method, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _grow(django_user_model, user, acme, number: int) -> None:
    """Acme gains members with lists; the user joins other teams that have lists too."""
    for index in range(number):
        mate = django_user_model.objects.create_user(email=f"mate{index}@example.com")
        Membership.objects.create(user=mate, team=acme, role="member")
        services.create_list(acme, mate, name=f"Theirs {index}")
        other = teams.create_team(mate, f"Other {index}")
        Membership.objects.create(user=user, team=other, role="member")
        services.add_task(other, services.create_list(other, mate, name="Other"), title="x")


def test_queries_do_not_grow_with_teams_and_members(
    member, user, acme, launch, django_user_model, django_assert_num_queries
):
    work_in(member, acme)
    task = launch.tasks.get()
    requests = [
        ("get", reverse("todo:lists"), {}),
        ("get", reverse("todo:list_detail", args=[launch.pk]), {}),
        ("get", reverse("todo:list_detail", args=[launch.pk]), {"headers": HTMX}),
        ("get", reverse("todo:task_edit", args=[task.pk]), {"headers": HTMX}),
        ("get", reverse("todo:summary"), {"headers": HTMX}),
    ]
    if reverse_or_none("api_todo_list-list"):  # the API is mounted: its reads too
        requests += [
            ("get", "/api/v1/lists/", {}),
            ("get", f"/api/v1/tasks/?list={launch.pk}", {}),
            ("get", "/api/v1/lists/summary/", {}),
        ]
    one_team = [_count(member, method, url, **kwargs) for method, url, kwargs in requests]

    _grow(django_user_model, user, acme, 6)

    for (method, url, kwargs), expected in zip(requests, one_team, strict=True):
        with django_assert_num_queries(expected):
            getattr(member, method)(url, **kwargs)
