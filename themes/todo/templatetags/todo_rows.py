"""{% task_rows %}: a list page's task rows, each rendered once and then reused.

A list page shows up to 50 rows (views.TASKS_PER_PAGE), and rendering them with the template
engine was most of the page's CPU time (issue 20: 33 ms for 50 rows; docs/decisions.md has the
measured alternatives). A row is the same HTML as long as what it is built from is the same, so
each rendered row is kept under a key made of all of that: every stored field of the task, the
row's place (first or last of the list), the page URL its forms return to, today's date (the
"Overdue" tag), the user, the team and their role in it, the language and the time zone. An
edit, a toggle, a move or a change of role or locale gives another key, so no row is ever
invalidated and none can be stale. Rows are kept per loaded template (a new template, after an
edit with the development server's autoreload or a deploy, starts empty) and per process, at
most MAX_ROWS of them.

The CSRF token is the one part of a row that changes with every page: rows are rendered with a
random placeholder, replaced by the page's token once all rows are joined.
"""

import secrets
import weakref

from django import template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

register = template.Library()

ROW_TEMPLATE = "todo/partials/task_row.html"
# About 2 KB a row: a few MB per process at most.
MAX_ROWS = 2000
# Unguessable, so no task title can contain it.
_TOKEN_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_rows_by_template: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def _task_values(task) -> tuple:
    return tuple(getattr(task, field.attname) for field in task._meta.concrete_fields)


@register.simple_tag(takes_context=True)
def task_rows(context, tasks, page_obj=None) -> str:
    """The <li> of each task, rendered by todo/partials/task_row.html.

    The row template sees: task, first and last (the first and last row of the whole
    filtered list, whose move up / move down is disabled), current_url, today, request and
    csrf_token; nothing else from the page.
    """
    # What {% csrf_token %} would write; "" or "NOTPROVIDED" (no request) write no input.
    token = str(context.get("csrf_token", ""))
    with_token = token not in ("", "NOTPROVIDED")
    row_template = context.template.engine.get_template(ROW_TEMPLATE)
    rows = _rows_by_template.setdefault(row_template, {})
    request = context.get("request")
    user = getattr(request, "user", None)
    team = getattr(request, "team", None)
    shared = {
        "current_url": context.get("current_url", ""),
        "today": context.get("today"),
        "request": request,
        "csrf_token": _TOKEN_PLACEHOLDER if with_token else token,
    }
    page_key = (
        shared["current_url"],
        shared["today"],
        getattr(user, "pk", None),
        getattr(team, "pk", None),
        getattr(team, "role", None),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        with_token,
    )
    has_previous = bool(page_obj and page_obj.has_previous())
    has_next = bool(page_obj and page_obj.has_next())
    tasks = list(tasks)
    html = []
    for index, task in enumerate(tasks):
        first = index == 0 and not has_previous
        last = index == len(tasks) - 1 and not has_next
        key = (page_key, first, last, type(task), _task_values(task))
        row = rows.get(key)
        if row is None:
            row_context = context.new({**shared, "task": task, "first": first, "last": last})
            row = row_template.render(row_context)
            if len(rows) >= MAX_ROWS:
                rows.clear()
            rows[key] = row
        html.append(row)
    html = "".join(html)
    return mark_safe(html.replace(_TOKEN_PLACEHOLDER, token) if with_token else html)  # noqa: S308 - rendered, escaped rows
