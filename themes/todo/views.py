"""Thin views: parse the request, call selectors (reads) and services (writes), render.

Every view acts in the current team (request.team, set by quickscale_core's
CurrentTeamMiddleware): the lists shown are the team's, shared by all its members, and a list
or task of another team is a 404. Which team that is lives in the session; a form left open
in a tab whose team was switched elsewhere is refused with 409 before it reaches a view
({% team_field %} in each form, the X-Team header on htmx requests).

Every page works without JavaScript (forms post, then redirect); with htmx the
same URLs answer with the fragment to swap (templates/todo/partials/), so nothing reloads
the whole page. htmx error fragments are sent with status 200 because htmx 2 does not swap
4xx responses; full pages with errors use 400.
"""

from functools import wraps
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required as django_login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from quickscale_core import extensions
from quickscale_core.team_access import check_team_permission

from . import selectors, services
from .forms import ListForm, MoveForm, TaskForm

TASKS_PER_PAGE = 50


def member_required(view):
    """A signed-in member of the current team whose role allows using its lists
    (selectors.LISTS_PERMISSION; 403 otherwise).

    Like Django's login_required, except that an htmx request whose session has expired sends
    the whole window to the login page (and back to the page it was on), instead of htmx
    swapping the login form into a panel."""

    @wraps(view)
    def team_view(request, *args, **kwargs):
        check_team_permission(request, selectors.LISTS_PERMISSION)
        return view(request, *args, **kwargs)

    protected = django_login_required(team_view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            back = request.htmx.current_url_abs_path or reverse("todo:lists")
            return HttpResponseClientRedirect(redirect_to_login(back).url)
        return protected(request, *args, **kwargs)

    return wrapped


def _attach_errors(form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form: on the field it names, else on top."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _vary(response: HttpResponse) -> HttpResponse:
    # Same URL, a page or a fragment: caches must key on the header that picks between them.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _pricing_url() -> str:
    """Where to upgrade: the pricing page a module offers (billing), "" when none does."""
    return extensions.page_url("pricing")


# ---------- Lists ----------


def _lists_context(request, form: ListForm | None = None, limit_error: str = "") -> dict:
    lists = list(selectors.lists_for(request.team))
    limit = selectors.list_limit(request.team)
    return {
        "lists": lists,
        "list_form": form or ListForm(),
        "list_limit": limit,
        "can_create_list": limit is None or len(lists) < limit,
        "limit_error": limit_error,
        "pricing_url": _pricing_url(),
    }


@member_required
@require_GET
def list_index(request):
    return _vary(render(request, "todo/lists.html", _lists_context(request)))


@member_required
@require_POST
def list_create(request):
    form = ListForm(request.POST)
    limit_error = ""
    created = None
    if form.is_valid():
        try:
            created = services.create_list(
                request.team, request.user, name=form.cleaned_data["name"]
            )
        except services.ListLimitReached as exc:
            limit_error = str(exc)
        except ValidationError as exc:
            _attach_errors(form, exc)

    if created and not request.htmx:
        messages.success(request, f"List “{created.name}” created.")
        return redirect("todo:list_detail", pk=created.pk)
    context = _lists_context(request, None if created else form, limit_error)
    context["created"] = created
    if request.htmx:
        return render(request, "todo/partials/lists_panel.html", context)
    return render(request, "todo/lists.html", context, status=403 if limit_error else 400)


@member_required
@require_GET
def summary(request):
    """The dashboard card (fetched by htmx when the dashboard loads)."""
    if not request.htmx:
        return redirect("todo:lists")
    context = {"overview": selectors.overview_for(request.team)}
    return _vary(render(request, "todo/partials/dashboard_card_body.html", context))


# ---------- One list and its tasks ----------


def _detail_url(todo_list, query: str = "") -> str:
    url = reverse("todo:list_detail", args=[todo_list.pk])
    return f"{url}?{query}" if query else url


def _return_query(request, todo_list) -> str:
    """The filter query the user was looking at ("status=done&q=milk"), from the form's `next`.

    Only the list's own page is accepted, so `next` can't send anyone elsewhere.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return ""
    parts = urlsplit(target)
    if parts.path != reverse("todo:list_detail", args=[todo_list.pk]):
        return ""
    # Keep only the filter's own keys.
    values = parse_qs(parts.query)
    query = QueryDict(mutable=True)
    for key in ("status", "q", "page"):
        if values.get(key):
            query[key] = values[key][0]
    return query.urlencode()


def _page_url(todo_list, task_filter, number: int) -> str:
    query = QueryDict(mutable=True)
    query["status"] = task_filter.status
    if task_filter.search:
        query["q"] = task_filter.search
    if number > 1:
        query["page"] = number
    return _detail_url(todo_list, query.urlencode())


def _detail_context(request, todo_list, query: str = "", **extra) -> dict:
    values = QueryDict(query)
    task_filter = selectors.TaskFilter.from_query(values)
    tasks = selectors.tasks_for(request.team, todo_list=todo_list, task_filter=task_filter)
    # Pages of TASKS_PER_PAGE keep a long list as fast as a short one (one COUNT more).
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(values.get("page"))
    return {
        "todo_list": todo_list,
        "tasks": page.object_list,
        "page_obj": page,
        "previous_page_url": (
            _page_url(todo_list, task_filter, page.previous_page_number())
            if page.has_previous()
            else ""
        ),
        "next_page_url": (
            _page_url(todo_list, task_filter, page.next_page_number()) if page.has_next() else ""
        ),
        "task_filter": task_filter,
        "statuses": selectors.STATUSES,
        "task_form": TaskForm(),
        "rename_form": ListForm(instance=todo_list, prefix="rename"),
        "current_url": _detail_url(todo_list, query),
        "today": timezone.localdate(),
        **extra,
    }


def _render_detail(request, todo_list, query: str = "", status: int = 200, reread=True, **extra):
    """The list page, or with htmx its task panel (counts, filters, tasks, add form)."""
    if reread:
        # Counts changed if something was written: read the list again through the selector.
        todo_list = selectors.list_for(request.team, todo_list.pk)
    context = _detail_context(request, todo_list, query, **extra)
    if request.htmx:
        return _vary(render(request, "todo/partials/task_panel.html", context))
    return _vary(render(request, "todo/list_detail.html", context, status=status))


def _page_showing(request, todo_list, query: str, task) -> str:
    """`query` turned to the page of the filtered list that shows `task` (a new task goes
    last, so after adding one the user sees it, not page 1)."""
    values = QueryDict(query, mutable=True)
    task_filter = selectors.TaskFilter.from_query(values)
    shown = selectors.tasks_for(request.team, todo_list=todo_list, task_filter=task_filter)
    order = list(shown.values_list("pk", flat=True))
    values.pop("page", None)
    if task.pk in order and order.index(task.pk) >= TASKS_PER_PAGE:
        values["page"] = order.index(task.pk) // TASKS_PER_PAGE + 1
    return values.urlencode()


def _after_write(request, todo_list, query: str, message: str = ""):
    if request.htmx:
        return _render_detail(request, todo_list, query)
    if message:
        messages.success(request, message)
    return redirect(_detail_url(todo_list, query))


@member_required
@require_GET
def list_detail(request, pk):
    todo_list = selectors.list_for(request.team, pk)
    return _render_detail(request, todo_list, request.GET.urlencode(), reread=False)


@member_required
@require_POST
def list_rename(request, pk):
    todo_list = selectors.list_for(request.team, pk)
    form = ListForm(request.POST, instance=todo_list, prefix="rename")
    query = _return_query(request, todo_list)
    if form.is_valid():
        try:
            services.rename_list(request.team, todo_list, name=form.cleaned_data["name"])
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            return _after_write(request, todo_list, query, "List renamed.")
    # form.is_valid() already set the new name on the instance: show the stored one.
    todo_list.refresh_from_db(fields=["name"])
    return _render_detail(request, todo_list, query, status=400, rename_form=form)


@member_required
@require_http_methods(["GET", "POST"])
def list_delete(request, pk):
    todo_list = selectors.list_for(request.team, pk)
    if request.method == "GET":
        # Without JavaScript the delete button leads here: a confirmation page.
        return render(request, "todo/list_confirm_delete.html", {"todo_list": todo_list})
    name = todo_list.name
    services.delete_list(request.team, todo_list)
    messages.success(request, f"List “{name}” deleted.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("todo:lists"))
    return redirect("todo:lists")


@member_required
@require_POST
def task_create(request, pk):
    todo_list = selectors.list_for(request.team, pk)
    form = TaskForm(request.POST)
    query = _return_query(request, todo_list)
    if form.is_valid():
        try:
            task = services.add_task(request.team, todo_list, **form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            query = _page_showing(request, todo_list, query, task)
            if request.htmx:
                # Ready for the next one: the fresh form's title field takes the focus.
                return _render_detail(request, todo_list, query, focus_new_task=True)
            return _after_write(request, todo_list, query, "Task added.")
    return _render_detail(request, todo_list, query, status=400, task_form=form)


# ---------- One task ----------


@member_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task = selectors.task_for(request.team, pk)
    todo_list = task.todo_list
    query = _return_query(request, todo_list)
    # Own ids: inline, this form shares the page with the add form's fields.
    form = TaskForm(request.POST or None, instance=task, auto_id=f"id_task{task.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(request.team, task, **form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            return _after_write(request, todo_list, query, "Task saved.")
    if request.method == "POST":
        task.refresh_from_db()
    context = {
        "task": task,
        "form": form,
        "todo_list": todo_list,
        "current_url": _detail_url(todo_list, query),
        "today": timezone.localdate(),
    }
    status = 400 if form.errors else 200
    if request.htmx:
        # Inline editing: the task's row becomes a form.
        return _vary(render(request, "todo/partials/task_edit_row.html", context))
    return _vary(render(request, "todo/task_edit.html", context, status=status))


@member_required
@require_POST
def task_toggle(request, pk):
    task = selectors.task_for(request.team, pk)
    services.set_done(request.team, task, not task.done)
    message = "Task completed." if task.done else "Task reopened."
    return _after_write(request, task.todo_list, _return_query(request, task.todo_list), message)


@member_required
@require_POST
def task_move(request, pk):
    task = selectors.task_for(request.team, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.move_task(request.team, task, form.cleaned_data["direction"])
    return _after_write(request, task.todo_list, _return_query(request, task.todo_list))


@member_required
@require_POST
def task_delete(request, pk):
    task = selectors.task_for(request.team, pk)
    todo_list = task.todo_list
    services.delete_task(request.team, task)
    return _after_write(request, todo_list, _return_query(request, todo_list), "Task deleted.")
