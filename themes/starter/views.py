import django
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.signals import setting_changed
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


def home(request):
    return render(request, "starter/landing.html")


@login_required
def dashboard(request):
    # The status panel is fetched by htmx after the page loads, so the migration graph is only
    # read when someone is actually looking at it.
    return render(request, "starter/dashboard.html")


@login_required
def app_page(request):
    """/app/...: pages the project's own React code registers (its frontend/index.tsx). Only the
    React frontend ships the page that hosts them; with HTMX these URLs are a 404."""
    try:
        template = get_template("starter/app.html")
    except TemplateDoesNotExist:
        raise Http404 from None
    return HttpResponse(template.render({}, request))


def _wants_json(request) -> bool:
    # The React dashboard asks for JSON; browsers' own requests never start with it.
    return request.headers.get("Accept", "").startswith("application/json")


def dashboard_status(request):
    # Same URL, three bodies (JSON, an htmx fragment, the page): caches must key on the
    # headers that pick between them, on every answer.
    response = _dashboard_status(request)
    patch_vary_headers(response, ("HX-Request", "Accept"))
    return response


def _dashboard_status(request):
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse({"detail": "Sign in to see the system status."}, status=401)
        if request.htmx:
            # A plain redirect would be followed by the XHR and the login page swapped into the
            # panel; ask htmx to navigate the whole window instead.
            return HttpResponseClientRedirect(redirect_to_login(resolve_url("dashboard")).url)
        return redirect_to_login(request.get_full_path())

    context = {"status": _system_status(show_internals=request.user.is_staff)}
    if _wants_json(request):
        return JsonResponse(context["status"])
    if request.htmx:
        return render(request, "starter/partials/status.html", context)
    # Without JavaScript the panel's link lands here: the dashboard with the status inline.
    return render(request, "starter/dashboard.html", context)


def _system_status(show_internals: bool):
    try:
        connection.ensure_connection()
    except DatabaseError:
        database_ok = False
        pending_migrations = None
    else:
        database_ok = True
        try:
            pending_migrations = _pending_migrations()
        except DatabaseError:
            pending_migrations = None
    status = {"database_ok": database_ok, "pending_migrations": pending_migrations}
    if show_internals:
        # Staff only: a version number tells attackers which published flaws to try.
        status.update(debug=settings.DEBUG, django_version=django.get_version())
    return status


# Counting unapplied migrations means loading every app's migration files into a graph: most
# of the panel's cost (3.4 of 5.4 ms with every module). The count only changes when the
# code changes (a deploy starts new worker processes, so this per-process memo starts empty)
# or when migrations are applied or unapplied (`migrate` in any process adds or removes rows
# of django_migrations, whose ids are never reused). So each process keeps the last count
# with the row count and highest id it was computed from, and rebuilds the graph only when
# one query says they moved: exact, where a time-to-live would show a stale count. With DEBUG
# on (the development server, which does not restart for a new migration file, and whose
# database may be deleted and recreated) the graph is read every time.
# (key, count): replaced as a whole, so threads of one worker may share it.
_pending: tuple[tuple, int] | None = None


def _pending_migrations() -> int:
    global _pending
    if settings.DEBUG:
        return _count_pending()
    recorder = MigrationRecorder(connection)
    database = (connection.alias, connection.settings_dict["NAME"])
    if (_pending is None or _pending[0][0] != database) and not recorder.has_table():
        # A database never migrated: nothing recorded, nothing to remember.
        return _count_pending()
    table = connection.ops.quote_name(recorder.Migration._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")  # noqa: S608 - quoted name
            key = (database, *cursor.fetchone())
    except DatabaseError:
        _pending = None  # the table went away: the next check starts over
        raise
    memo = _pending
    if memo is not None and memo[0] == key:
        return memo[1]
    count = _count_pending()
    _pending = (key, count)
    return count


def _count_pending() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _forget_pending(*, setting, **kwargs):
    # Tests that switch the migration modules, the apps or the database change the count's inputs.
    global _pending
    if setting in ("MIGRATION_MODULES", "INSTALLED_APPS", "DATABASES"):
        _pending = None


setting_changed.connect(_forget_pending, dispatch_uid="quickscale_starter_pending_migrations")
