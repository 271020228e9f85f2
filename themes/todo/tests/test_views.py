"""The pages, with and without htmx: each write answers a fragment to htmx and a redirect
to a plain form post, and nobody reaches another team's lists.

Tests that read the HTML of the lists and list pages skip in projects where another page
replaces it (the React frontend's shells, test_react_pages.py; an override in templates/)."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from quickscale_core.testing import skip_unless_htmx_page
from quickscale_themes.todo import services
from quickscale_themes.todo.models import Task, TodoList

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def detail(todo_list, query=""):
    url = reverse("todo:list_detail", args=[todo_list.pk])
    return f"{url}?{query}" if query else url


def test_pages_need_a_signed_in_user(client, groceries):
    for url in (reverse("todo:lists"), detail(groceries)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_htmx_requests_after_the_session_expired_go_to_the_login_page(client, groceries):
    page = detail(groceries, "status=done")
    response = client.post(
        reverse("todo:task_create", args=[groceries.pk]),
        {"title": "Milk"},
        headers={**HTMX, "HX-Current-URL": f"http://testserver{page}"},
    )

    # The whole window goes to the login page, and comes back to the list afterwards.
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next={quote(page)}"
    assert not Task.objects.exists()


def test_lists_page_shows_lists_with_counts(member, team, groceries):
    skip_unless_htmx_page("todo/lists.html")
    services.add_task(team, groceries, title="Milk")

    response = member.get(reverse("todo:lists"))

    assert response.status_code == 200
    assert response.templates[0].name == "todo/lists.html"
    page = response.content.decode()
    assert "Groceries" in page and "1 open" in page
    assert 'href="/lists/"' in page  # the "Lists" entry in the main navigation


def test_create_list_without_javascript_redirects_to_it(member, team):
    response = member.post(reverse("todo:list_create"), {"name": "Home"})

    todo_list = TodoList.objects.for_team(team).get()
    assert response.status_code == 302
    assert response["Location"] == detail(todo_list)


def test_create_list_with_htmx_answers_the_panel(member, team):
    response = member.post(reverse("todo:list_create"), {"name": "Home"}, headers=HTMX)

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "todo/partials/lists_panel.html"
    assert b"<html" not in response.content
    assert "Home" in response.content.decode()
    assert TodoList.objects.for_team(team).filter(name="Home").exists()


def test_invalid_list_names_are_shown_on_the_form(member, team, groceries):
    skip_unless_htmx_page("todo/lists.html")
    response = member.post(reverse("todo:list_create"), {"name": "groceries"})
    assert response.status_code == 400
    assert "There is already a list with this name." in response.content.decode()

    response = member.post(reverse("todo:list_create"), {"name": ""}, headers=HTMX)
    assert response.status_code == 200  # htmx only swaps 2xx responses
    assert "This field is required." in response.content.decode()
    assert TodoList.objects.for_team(team).count() == 1


def test_detail_page_and_its_htmx_panel(member, team, groceries):
    services.add_task(team, groceries, title="Milk")

    page = member.get(detail(groceries))
    panel = member.get(detail(groceries), headers=HTMX)

    assert page.status_code == panel.status_code == 200
    assert b"<html" in page.content and b"<html" not in panel.content
    assert b'id="task-panel"' in panel.content and b"Milk" in panel.content
    assert "HX-Request" in page["Vary"]


def test_filters_and_search_in_the_query(member, team, groceries):
    skip_unless_htmx_page("todo/list_detail.html")
    services.add_task(team, groceries, title="Milk")
    services.set_done(team, services.add_task(team, groceries, title="Eggs"), True)

    done = member.get(detail(groceries, "status=done")).content.decode()
    assert "Eggs" in done and "Milk" not in done
    found = member.get(detail(groceries, "status=all&q=mil")).content.decode()
    assert "Milk" in found and "Eggs" not in found


def test_long_lists_come_in_pages_and_writes_stay_on_the_page(member, team, groceries):
    skip_unless_htmx_page("todo/list_detail.html")
    tasks = [services.add_task(team, groceries, title=f"Task {n:02}") for n in range(60)]

    first = member.get(detail(groceries)).content.decode()
    assert first.count('<li id="task-') == 50 and "Page 1 of 2" in first
    second_url = detail(groceries, "status=open&page=2")
    assert f'href="{second_url.replace("&", "&amp;")}"' in first

    second = member.get(second_url, headers=HTMX).content.decode()
    assert second.count('<li id="task-') == 10 and "Task 59" in second
    # Completing a task on page 2 answers page 2 again.
    response = member.post(
        reverse("todo:task_toggle", args=[tasks[55].pk]), {"next": second_url}, headers=HTMX
    )
    body = response.content.decode()
    assert "Page 2 of 2" in body and "Task 55" not in body and "Task 59" in body
    # A task added from page 1 is shown on the page where it lands.
    response = member.post(
        reverse("todo:task_create", args=[groceries.pk]),
        {"title": "Brand new", "priority": "2", "next": detail(groceries)},
        headers=HTMX,
    )
    assert "Brand new" in response.content.decode() and "Page 2 of 2" in response.content.decode()
    response = member.post(
        reverse("todo:task_create", args=[groceries.pk]), {"title": "Newer", "priority": "2"}
    )
    assert response["Location"] == detail(groceries, "page=2")
    # A page past the end shows the last one.
    assert "Page 2 of 2" in member.get(detail(groceries, "page=9")).content.decode()


def test_add_task_keeps_the_filter_and_validates(member, groceries):
    url = reverse("todo:task_create", args=[groceries.pk])
    back = detail(groceries, "status=all")

    response = member.post(url, {"title": "Milk", "priority": "3", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    task = Task.objects.get()
    assert (task.title, task.priority, task.due_date) == ("Milk", 3, None)

    response = member.post(url, {"title": "", "priority": "2", "next": back}, headers=HTMX)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Task.objects.count() == 1


def test_add_task_with_htmx_returns_the_panel_and_focuses_the_form(member, groceries):
    url = reverse("todo:task_create", args=[groceries.pk])

    response = member.post(url, {"title": "Milk", "priority": "2"}, headers=HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="task-panel"' in body
    assert "Milk" in body and 'data-todo-focus="id_title"' in body


def test_next_cannot_point_elsewhere(member, groceries):
    url = reverse("todo:task_create", args=[groceries.pk])
    for evil in ("https://evil.example/", "/admin/", "//evil.example/lists/1/"):
        response = member.post(url, {"title": "Milk", "priority": "2", "next": evil})
        assert response["Location"] == detail(groceries)


def test_toggle_move_and_delete_without_javascript(member, team, groceries):
    milk = services.add_task(team, groceries, title="Milk")
    eggs = services.add_task(team, groceries, title="Eggs")

    response = member.post(reverse("todo:task_move", args=[eggs.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert [t.title for t in Task.objects.order_by("position")] == ["Eggs", "Milk"]

    member.post(reverse("todo:task_toggle", args=[milk.pk]))
    milk.refresh_from_db()
    assert milk.done

    member.post(reverse("todo:task_delete", args=[milk.pk]))
    assert not Task.objects.filter(pk=milk.pk).exists()


def test_toggle_with_htmx_updates_counts_in_the_panel(member, team, groceries):
    milk = services.add_task(team, groceries, title="Milk")

    response = member.post(
        reverse("todo:task_toggle", args=[milk.pk]), {"next": detail(groceries)}, headers=HTMX
    )

    body = response.content.decode()
    # The open view no longer lists it; the Done tab counts it.
    assert "Nothing left to do" in body
    assert 'Done <span class="todo-tab__count">1</span>' in body


def test_inline_edit_with_htmx(member, team, groceries):
    milk = services.add_task(team, groceries, title="Milk")
    url = reverse("todo:task_edit", args=[milk.pk])

    row = member.get(url, headers=HTMX)
    assert row.templates[0].name == "todo/partials/task_edit_row.html"
    assert f'id="task-{milk.pk}"' in row.content.decode()
    # Its fields get ids of their own: the add form on the same page uses id_title.
    assert f'id="id_task{milk.pk}_title"' in row.content.decode()
    assert 'id="id_title"' not in row.content.decode()

    response = member.post(url, {"title": "Oat milk", "priority": "2"}, headers=HTMX)
    assert 'id="task-panel"' in response.content.decode()
    milk.refresh_from_db()
    assert milk.title == "Oat milk"


def test_edit_page_without_javascript(member, team, groceries):
    milk = services.add_task(team, groceries, title="Milk")
    url = reverse("todo:task_edit", args=[milk.pk])

    assert member.get(url).templates[0].name == "todo/task_edit.html"
    response = member.post(url, {"title": "", "priority": "2"})
    assert response.status_code == 400
    milk.refresh_from_db()
    assert milk.title == "Milk"


def test_rename_and_delete_list(member, groceries):
    response = member.post(
        reverse("todo:list_rename", args=[groceries.pk]), {"rename-name": "Food"}
    )
    assert response.status_code == 302
    groceries.refresh_from_db()
    assert groceries.name == "Food"

    confirm = member.get(reverse("todo:list_delete", args=[groceries.pk]))
    assert b"Delete this list?" in confirm.content
    response = member.post(reverse("todo:list_delete", args=[groceries.pk]), headers=HTMX)
    assert response["HX-Redirect"] == reverse("todo:lists")
    assert not TodoList.unscoped.exists()


def test_rename_to_a_taken_name_keeps_the_old_one(member, team, user, groceries):
    skip_unless_htmx_page("todo/list_detail.html")
    services.create_list(team, user, name="Home")

    response = member.post(
        reverse("todo:list_rename", args=[groceries.pk]), {"rename-name": "HOME"}
    )

    assert response.status_code == 400
    assert "There is already a list with this name." in response.content.decode()
    groceries.refresh_from_db()
    assert groceries.name == "Groceries"


def test_another_teams_lists_and_tasks_are_404(member, theirs):
    task = theirs.tasks.get()
    gets = [
        detail(theirs),
        reverse("todo:list_delete", args=[theirs.pk]),
        reverse("todo:task_edit", args=[task.pk]),
    ]
    posts = [
        reverse("todo:list_rename", args=[theirs.pk]),
        reverse("todo:list_delete", args=[theirs.pk]),
        reverse("todo:task_create", args=[theirs.pk]),
        reverse("todo:task_edit", args=[task.pk]),
        reverse("todo:task_toggle", args=[task.pk]),
        reverse("todo:task_move", args=[task.pk]),
        reverse("todo:task_delete", args=[task.pk]),
    ]
    for url in gets:
        assert member.get(url).status_code == 404, url
    for url in posts:
        assert (
            member.post(url, {"title": "x", "name": "x", "direction": "up"}).status_code == 404
        ), url
    task.refresh_from_db()
    assert (task.title, task.done) == ("Secret task", False)
    assert TodoList.unscoped.filter(pk=theirs.pk).exists()


def test_dashboard_links_to_the_lists_and_loads_the_summary(member, groceries):
    # The React dashboard has its own card (frontend_react/src/dashboard/TasksCard.tsx).
    skip_unless_htmx_page("starter/dashboard.html")

    dashboard = member.get(reverse("dashboard")).content.decode()
    assert reverse("todo:summary") in dashboard and "Your tasks" in dashboard


def test_dashboard_summary_fragment(member, team, groceries):
    services.add_task(team, groceries, title="Milk")

    summary = member.get(reverse("todo:summary"), headers=HTMX)
    assert summary.templates[0].name == "todo/partials/dashboard_card_body.html"
    assert "<dt>Open tasks</dt><dd>1</dd>" in summary.content.decode()
    assert member.get(reverse("todo:summary"))["Location"] == reverse("todo:lists")
