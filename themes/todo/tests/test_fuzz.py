"""Odd query strings thrown at every GET page: a signed-in user's input never causes a 500.

Each value is something a browser, a bot or a curious user can send: digits that are not
ASCII ("²".isdigit() is True, but int() refuses it), numbers beyond any database integer, NUL
bytes (PostgreSQL refuses them in text), very long text, the same parameter twice.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from quickscale_core.testing import skip_unless_htmx_page
from quickscale_themes.todo import services

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "²",
    "٣",  # ARABIC-INDIC DIGIT THREE
    "１２",  # FULLWIDTH DIGITS
    "99999999999999999999",
    "-99999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "\x00",
    "milk\x00bread",
    "x" * 5000,
    "%",
    "'; --",
    "<script>alert(1)</script>",
    "",
    " ",
    "\u202e\ufeff",
]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def task(team, user, groceries):
    return services.add_task(team, groceries, title="Milk")


def _pages(groceries, task):
    detail = reverse("todo:list_detail", args=[groceries.pk])
    return {
        "lists": (reverse("todo:lists"), ["q", "page", "status"]),
        "list_detail": (detail, ["status", "q", "page"]),
        "list_delete": (reverse("todo:list_delete", args=[groceries.pk]), ["next"]),
        "task_edit": (reverse("todo:task_edit", args=[task.pk]), ["next"]),
        "summary": (reverse("todo:summary"), ["q"]),
    }


def _values(param, detail_url):
    if param == "next":
        # `next` is a URL on the list's page whose filter query is read back.
        return [f"{detail_url}?{urlencode({'q': v, 'page': v, 'status': v})}" for v in ODD_VALUES]
    return ODD_VALUES


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("page", ["lists", "list_detail", "list_delete", "task_edit", "summary"])
def test_odd_query_values_never_cause_a_server_error(member, groceries, task, page, htmx):
    url, params = _pages(groceries, task)[page]
    detail = reverse("todo:list_detail", args=[groceries.pk])
    for param in params:
        for value in _values(param, detail):
            response = member.get(url, {param: value}, headers=HTMX if htmx else {})
            assert response.status_code < 500, (param, value)
            assert response.status_code in (200, 302, 400), (param, value)


@pytest.mark.parametrize("page", ["lists", "list_detail", "list_delete", "task_edit", "summary"])
def test_repeated_and_mixed_parameters_never_cause_a_server_error(member, groceries, task, page):
    url, params = _pages(groceries, task)[page]
    query = "&".join(f"{param}={value}" for param in params for value in ("²", "%00", "1", "x"))

    response = member.get(f"{url}?{query}")

    assert response.status_code in (200, 302, 400)


def test_a_nul_byte_in_the_search_box_is_ignored(member, groceries, task):
    # The React page strips it in the browser (src/taskQuery.ts) before calling the API.
    skip_unless_htmx_page("todo/list_detail.html")
    response = member.get(
        reverse("todo:list_detail", args=[groceries.pk]), {"q": "Mi\x00lk", "status": "all"}
    )

    assert response.status_code == 200
    assert "Milk" in response.text


@pytest.mark.parametrize("name", ["list_detail", "list_delete", "list_rename"])
def test_list_ids_beyond_any_database_integer_are_not_found(member, groceries, name):
    response = member.get(reverse(f"todo:{name}", args=[99999999999999999999]))

    assert response.status_code in (404, 405)


@pytest.mark.parametrize("name", ["task_edit", "task_toggle"])
def test_task_ids_beyond_any_database_integer_are_not_found(member, task, name):
    response = member.get(reverse(f"todo:{name}", args=[99999999999999999999]))

    assert response.status_code in (404, 405)
