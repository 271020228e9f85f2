"""The lists and tasks API: the same rules as the pages, in JSON."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quickscale_themes.todo import selectors, services
from quickscale_themes.todo.models import Task

from .conftest import api_mounted

pytestmark = [pytest.mark.django_db, api_mounted]


@pytest.fixture
def api(client, user):
    """A client signed in as `user` (the API takes the session like an API key; the api
    module's own tests cover keys)."""
    client.force_login(user)
    return client


def test_lists_crud(api):
    created = api.post("/api/v1/lists/", {"name": " Groceries "}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "Groceries"
    assert (body["open_count"], body["done_count"], body["overdue_count"]) == (0, 0, 0)

    url = f"/api/v1/lists/{body['id']}/"
    renamed = api.patch(url, {"name": "Food"}, content_type="application/json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Food"

    listed = api.get("/api/v1/lists/").json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == "Food"

    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_duplicate_list_names_are_a_validation_error(api, groceries):
    response = api.post("/api/v1/lists/", {"name": "GROCERIES"}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"] == {
        "non_field_errors": ["There is already a list with this name."]
    }


def test_tasks_crud_and_completion(api, groceries):
    created = api.post(
        "/api/v1/tasks/",
        {"list": groceries.pk, "title": "Milk", "priority": 3, "due_date": "2030-01-31"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["list"] == groceries.pk and task["position"] == 0 and task["done"] is False

    url = f"/api/v1/tasks/{task['id']}/"
    done = api.patch(url, {"done": True}, content_type="application/json").json()
    assert done["done"] is True and done["completed_at"] is not None

    assert api.get("/api/v1/tasks/?status=open").json()["count"] == 0
    assert api.get(f"/api/v1/tasks/?list={groceries.pk}&status=done").json()["count"] == 1
    assert api.get("/api/v1/tasks/?search=MIL").json()["count"] == 1

    assert api.delete(url).status_code == 204
    assert not Task.objects.exists()


def test_move_endpoint(api, team, groceries):
    services.add_task(team, groceries, title="Milk")
    eggs = services.add_task(team, groceries, title="Eggs")

    response = api.post(
        f"/api/v1/tasks/{eggs.pk}/move/", {"direction": "up"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["position"] == 0
    bad = api.post(
        f"/api/v1/tasks/{eggs.pk}/move/", {"direction": "left"}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_other_teams_data_is_invisible(api, theirs):
    task = theirs.tasks.get()

    assert api.get("/api/v1/lists/").json()["count"] == 0
    assert api.get("/api/v1/tasks/").json()["count"] == 0
    assert api.get(f"/api/v1/tasks/?list={theirs.pk}").json()["count"] == 0
    for url in (f"/api/v1/lists/{theirs.pk}/", f"/api/v1/tasks/{task.pk}/"):
        assert api.get(url).status_code == 404
        assert (
            api.patch(url, {"name": "x", "title": "x"}, content_type="application/json").status_code
            == 404
        )
        assert api.delete(url).status_code == 404
    # Adding a task to their list is refused like a list that does not exist.
    response = api.post(
        "/api/v1/tasks/", {"list": theirs.pk, "title": "Sneaky"}, content_type="application/json"
    )
    assert response.status_code == 400 and "list" in response.json()["errors"]
    assert theirs.tasks.count() == 1


def test_invalid_input_is_a_400(api, groceries):
    blank = api.post(
        "/api/v1/tasks/", {"list": groceries.pk, "title": ""}, content_type="application/json"
    )
    assert blank.status_code == 400 and "title" in blank.json()["errors"]
    bad_priority = api.post(
        "/api/v1/tasks/",
        {"list": groceries.pk, "title": "x", "priority": 7},
        content_type="application/json",
    )
    assert bad_priority.status_code == 400
    assert api.get("/api/v1/tasks/?list=abc").status_code == 400


def test_summary_counts_the_teams_tasks_and_tells_the_plan_limit(
    api, team, user, groceries, theirs, django_assert_max_num_queries
):
    today = timezone.localdate()
    services.add_task(team, groceries, title="Milk")
    services.add_task(team, groceries, title="Rent", due_date=today)
    services.add_task(team, groceries, title="Taxes", due_date=today - timedelta(days=1))
    services.set_done(team, services.add_task(team, groceries, title="Eggs"), True)

    with django_assert_max_num_queries(10):
        response = api.get("/api/v1/lists/summary/")

    assert response.status_code == 200
    # Another team's list and task (theirs) are not counted.
    assert response.json() == {
        "lists": 1,
        "list_limit": selectors.list_limit(team),
        "open": 3,
        "due_today": 1,
        "overdue": 1,
        "done": 1,
    }


def test_needs_credentials(client):
    assert client.get("/api/v1/lists/").status_code == 401
    assert client.get("/api/v1/tasks/").status_code == 401
    assert client.get("/api/v1/lists/summary/").status_code == 401


def test_list_endpoints_do_not_grow_queries_with_rows(
    api, team, user, settings, django_assert_max_num_queries
):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": None}}
    first = services.create_list(team, user, name="First")
    services.add_task(team, first, title="One")
    with django_assert_max_num_queries(20) as captured:
        api.get("/api/v1/tasks/")
    few_tasks = len(captured)
    with django_assert_max_num_queries(20) as captured:
        api.get("/api/v1/lists/")
    few_lists = len(captured)

    for number in range(12):
        todo_list = services.create_list(team, user, name=f"List {number}")
        for index in range(5):
            services.add_task(team, todo_list, title=f"Task {index}")
    # One query more: a list longer than a page is counted (COUNT), a one-page list is not.
    with django_assert_max_num_queries(few_tasks + 1):
        assert api.get("/api/v1/tasks/").json()["count"] == 61
    with django_assert_max_num_queries(few_lists):
        assert api.get("/api/v1/lists/").json()["count"] == 13


def test_documented_in_the_schema(client):
    schema = client.get(reverse("api_schema"), headers={"Accept": "application/json"}).json()

    for path in (
        "/lists/",
        "/lists/{id}/",
        "/lists/summary/",
        "/tasks/",
        "/tasks/{id}/",
        "/tasks/{id}/move/",
    ):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/tasks/"]["get"]["parameters"]}
    assert {"list", "status", "search"} <= parameters


@pytest.mark.parametrize(
    "value",
    ["²", "٣", "１２", "99999999999999999999", "9223372036854775808", "-1", "1.0", " 1", ""],
)
def test_a_list_filter_that_is_not_a_database_id_is_a_400(api, groceries, value):
    response = api.get("/api/v1/tasks/", {"list": value})

    assert response.status_code == 400
    assert "list" in response.json()["errors"]


def test_the_largest_list_id_is_a_valid_filter(api, groceries):
    response = api.get("/api/v1/tasks/", {"list": "9223372036854775807"})

    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize("value", ["\x00", "milk\x00", "x" * 5000, "²", "'; --"])
@pytest.mark.parametrize("param", ["search", "ordering", "status", "page", "page_size"])
@pytest.mark.parametrize("endpoint", ["/api/v1/lists/", "/api/v1/tasks/"])
def test_odd_query_values_are_never_a_server_error(api, groceries, endpoint, param, value):
    response = api.get(endpoint, {param: value})

    assert response.status_code in (200, 400, 404), response.content


@pytest.mark.parametrize("pk", ["²", "99999999999999999999", "-1", "%00", "x" * 300])
@pytest.mark.parametrize("endpoint", ["/api/v1/lists/", "/api/v1/tasks/"])
def test_odd_ids_in_the_path_are_not_found(api, groceries, endpoint, pk):
    assert api.get(f"{endpoint}{pk}/").status_code == 404
