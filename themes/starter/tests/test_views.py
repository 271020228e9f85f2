import re
from pathlib import Path

import django
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from quickscale_core.extensions import page_url
from quickscale_core.testing import (
    skip_if_client_template,
    skip_unless_htmx_page,
)
from quickscale_core.testing import skip_if_overridden as skip_if_overridden_by_client
from quickscale_themes.starter import views as starter_views

# The theme package: templates found under it are the theme's, not Django's built-in ones.
THEME_DIR = Path(__file__).resolve().parent.parent

EMAIL = "a@example.com"
PASSWORD = "pw-123456-strong"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(email=EMAIL, password=PASSWORD)


@pytest.fixture
def signed_in_client(client, user):
    client.force_login(user)
    return client


def _template_paths(response):
    return {t.name: Path(t.origin.name) for t in response.templates if t.origin}


def _assert_from_theme(path):
    # A template in the project's own templates/ folder wins over the theme's; the theme's
    # expectations no longer apply to that page, so the test steps aside instead of failing.
    skip_if_client_template(path)
    assert THEME_DIR in path.parents, path


# Landing


@pytest.mark.django_db
def test_landing_shows_project_name(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    _assert_from_theme(_template_paths(response)["starter/landing.html"])
    assert f"<title>{django_settings.PROJECT_NAME}" in response.text
    assert f'<span class="brand__name">{django_settings.PROJECT_NAME}</span>' in response.text


@pytest.mark.django_db
def test_landing_links_anonymous_visitors_to_login(client):
    response = client.get(reverse("home"))

    assert f'href="{reverse("login")}"' in response.text
    assert f'href="{reverse("dashboard")}"' not in response.text
    assert f'action="{reverse("logout")}"' not in response.text


def test_landing_links_signed_in_users_to_dashboard(signed_in_client):
    response = signed_in_client.get(reverse("home"))

    assert f'href="{reverse("dashboard")}"' in response.text
    assert f'href="{reverse("login")}"' not in response.text
    # Django 5 only logs out on POST, so the nav must hold a form with a CSRF token.
    assert re.search(
        rf'<form method="post" action="{re.escape(reverse("logout"))}">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        response.text,
    )


def test_admin_link_only_for_staff(signed_in_client, user):
    admin_link = f'href="{reverse("admin:index")}"'
    assert admin_link not in signed_in_client.get(reverse("home")).text

    user.is_staff = True
    user.save()

    assert admin_link in signed_in_client.get(reverse("home")).text


# Dashboard


@pytest.mark.django_db
def test_dashboard_redirects_anonymous_users_to_login(client, settings):
    settings.LOGIN_URL = "login"

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('dashboard')}"


def test_dashboard_shows_the_signed_in_account(signed_in_client, user):
    skip_unless_htmx_page("starter/dashboard.html")
    response = signed_in_client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert f"<dd>{user.email}</dd>" in response.text
    assert f'<span class="tag">{django_settings.QUICKSCALE_THEME}</span>' in response.text
    assert user.date_joined.strftime("%Y") in response.text
    # The status panel is fetched by htmx, with a plain link as the no-JavaScript fallback.
    status_url = reverse("dashboard_status")
    assert f'hx-get="{status_url}"' in response.text
    assert f'<a href="{status_url}">' in response.text


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        (["payments", "billing"], ['<li class="tag tag--accent">payments</li>', ">billing</li>"]),
        ([], ["No optional modules installed yet."]),
    ],
)
def test_dashboard_lists_installed_modules(rf, user, modules, expected):
    skip_unless_htmx_page("starter/dashboard.html")
    request = rf.get(reverse("dashboard"))
    request.user = user

    html = render_to_string(
        "starter/dashboard.html", {"QUICKSCALE_MODULES": modules}, request=request
    )

    for fragment in expected:
        assert fragment in html


# System status


def test_status_for_htmx_is_only_the_fragment(signed_in_client):
    response = signed_in_client.get(reverse("dashboard_status"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<header" not in response.text
    assert response.text.lstrip().startswith('<div id="system-status"')
    assert "Reachable" in response.text
    # Same URL, two bodies: caches must not serve one for the other.
    assert "HX-Request" in response["Vary"]


def test_status_without_htmx_is_the_full_page(signed_in_client, settings):
    skip_unless_htmx_page("starter/dashboard.html")
    settings.DEBUG = False

    response = signed_in_client.get(reverse("dashboard_status"))

    assert response.status_code == 200
    assert response.text.startswith("<!doctype html>")
    assert 'id="system-status"' in response.text
    # Rendered inline: the status panel has nothing left to fetch.
    assert "status--loading" not in response.text
    status = response.context["status"]
    assert status["database_ok"] is True
    assert status["pending_migrations"] == 0  # Tables come from --nomigrations.
    assert "Up to date" in response.text
    assert "debug" not in status and "django_version" not in status


def test_status_hides_the_django_version_and_debug_state_from_members(signed_in_client, settings):
    settings.DEBUG = True

    response = signed_in_client.get(reverse("dashboard_status"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Debug mode" not in response.text
    assert django.get_version() not in response.text


def test_status_shows_the_django_version_and_debug_state_to_staff(signed_in_client, user, settings):
    skip_unless_htmx_page("starter/dashboard.html")
    user.is_staff = True
    user.save()
    settings.DEBUG = False

    response = signed_in_client.get(reverse("dashboard_status"))

    assert response.context["status"]["debug"] is False
    assert re.search(r"Debug mode</span>\s*<span[^>]*>Off</span>", response.text)
    assert django.get_version() in response.text


def test_status_answers_json_to_the_react_dashboard(signed_in_client, user, settings):
    settings.DEBUG = False

    as_json = {"Accept": "application/json"}
    member = signed_in_client.get(reverse("dashboard_status"), headers=as_json)
    user.is_staff = True
    user.save()
    staff = signed_in_client.get(reverse("dashboard_status"), headers=as_json)

    assert member.status_code == 200
    assert member.json() == {"database_ok": True, "pending_migrations": 0}
    assert staff.json() == {
        "database_ok": True,
        "pending_migrations": 0,
        "debug": False,
        "django_version": django.get_version(),
    }
    # Same URL, an HTML page or JSON: caches must key on the header that picks between them.
    assert "Accept" in member["Vary"]


def test_status_json_for_anonymous_requests_is_401_not_a_login_page(client):
    response = client.get(reverse("dashboard_status"), headers={"Accept": "application/json"})

    assert response.status_code == 401
    assert response.json()["detail"]
    assert "Accept" in response["Vary"]


def test_status_varies_on_accept_and_htmx_for_every_answer(signed_in_client):
    for headers in ({}, {"HX-Request": "true"}, {"Accept": "application/json"}):
        response = signed_in_client.get(reverse("dashboard_status"), headers=headers)
        vary = {name.strip() for name in response["Vary"].split(",")}
        assert {"Accept", "HX-Request"} <= vary, headers


def test_status_counts_unapplied_migrations(signed_in_client, settings):
    # Undo --nomigrations so the loader sees the real migrations, none of them recorded.
    settings.MIGRATION_MODULES = {}

    response = signed_in_client.get(reverse("dashboard_status"), headers={"HX-Request": "true"})

    pending = response.context["status"]["pending_migrations"]
    assert pending > 0
    assert f"{pending} pending" in response.text
    assert "python manage.py migrate" in response.text


@pytest.fixture
def migrations_table(django_db_setup, django_db_blocker):
    """django_migrations, which --nomigrations test databases lack, made outside the test's
    transaction (SQLite cannot create tables inside one) and dropped afterwards."""
    with django_db_blocker.unblock():
        recorder = MigrationRecorder(connection)
        recorder.ensure_schema()
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(recorder.Migration)


def test_status_shows_migrations_applied_or_unapplied_since_the_last_check(
    migrations_table, signed_in_client, settings
):
    # The count is remembered per process; `migrate` in another process (a deploy) must
    # still show up on the next check.
    settings.MIGRATION_MODULES = {}
    url, htmx = reverse("dashboard_status"), {"HX-Request": "true"}
    before = signed_in_client.get(url, headers=htmx).context["status"]["pending_migrations"]
    recorder = MigrationRecorder(connection)

    recorder.record_applied("sessions", "0001_initial")
    after_migrate = signed_in_client.get(url, headers=htmx).context["status"]
    recorder.record_unapplied("sessions", "0001_initial")
    after_rollback = signed_in_client.get(url, headers=htmx).context["status"]

    assert after_migrate["pending_migrations"] == before - 1
    assert after_rollback["pending_migrations"] == before


def test_status_reads_the_migration_files_only_when_the_applied_ones_change(
    migrations_table, signed_in_client, settings, monkeypatch
):
    settings.MIGRATION_MODULES = {}
    graphs = []
    count_pending = starter_views._count_pending
    monkeypatch.setattr(
        starter_views, "_count_pending", lambda: graphs.append(1) or count_pending()
    )
    url, htmx = reverse("dashboard_status"), {"HX-Request": "true"}

    for _ in range(3):
        signed_in_client.get(url, headers=htmx)
    MigrationRecorder(connection).record_applied("sessions", "0001_initial")
    signed_in_client.get(url, headers=htmx)

    assert len(graphs) == 2


def test_status_under_debug_reads_the_migration_files_every_time(
    migrations_table, signed_in_client, settings, monkeypatch
):
    # The development server does not restart for a new migration file (makemigrations),
    # so the remembered count would say "up to date" until it did.
    settings.MIGRATION_MODULES = {}
    settings.DEBUG = True
    graphs = []
    count_pending = starter_views._count_pending
    monkeypatch.setattr(
        starter_views, "_count_pending", lambda: graphs.append(1) or count_pending()
    )
    for _ in range(3):
        signed_in_client.get(reverse("dashboard_status"), headers={"HX-Request": "true"})

    assert len(graphs) == 3


def test_status_reports_debug_mode(signed_in_client, user, settings):
    user.is_staff = True
    user.save()
    settings.DEBUG = True

    response = signed_in_client.get(reverse("dashboard_status"), headers={"HX-Request": "true"})

    assert re.search(r"Debug mode</span>\s*<span[^>]*>On</span>", response.text)


@pytest.mark.django_db
def test_status_for_anonymous_htmx_request_redirects_the_whole_window(client):
    response = client.get(reverse("dashboard_status"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(f"{reverse('login')}?next=")


@pytest.mark.django_db
def test_status_for_anonymous_request_redirects_to_login(client):
    response = client.get(reverse("dashboard_status"))

    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")


# Error pages


@pytest.mark.django_db
def test_unknown_url_uses_theme_404(client, settings):
    settings.DEBUG = False

    response = client.get("/this-page-does-not-exist/")

    assert response.status_code == 404
    _assert_from_theme(_template_paths(response)["404.html"])
    assert "We couldn't find that page" in response.text
    assert f'href="{reverse("home")}"' in response.text


def test_500_renders_without_any_context():
    template = get_template("500.html")

    html = template.render()

    _assert_from_theme(Path(template.origin.name))
    assert html.startswith("<!doctype html>")
    assert "Something went wrong" in html


def test_503_renders_without_any_context():
    template = get_template("503.html")

    html = template.render()

    assert html.startswith("<!doctype html>")
    assert "<title>Temporarily unavailable</title>" in html
    assert "Error 503" in html and "Error 500" not in html


# Account pages (django.contrib.auth.urls)

# With the auth module, allauth serves these URLs instead; its tests cover them in this theme.
# (A module that offers a sign-up page replaces them.)
django_auth_pages = pytest.mark.skipif(
    bool(page_url("signup")), reason="an accounts module replaces Django's account pages"
)


@django_auth_pages
@pytest.mark.django_db
def test_login_page_uses_theme_template_with_labelled_fields(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    _assert_from_theme(_template_paths(response)["registration/login.html"])
    fields = response.context["form"].visible_fields()
    assert [f.name for f in fields] == ["username", "password"]
    for field in fields:
        assert f'<label for="{field.id_for_label}">' in response.text
        assert f'id="{field.id_for_label}"' in response.text


@django_auth_pages
@pytest.mark.django_db
def test_login_shows_form_errors(client, user):
    response = client.post(reverse("login"), {"username": EMAIL, "password": "wrong"})

    assert response.status_code == 200
    assert re.search(r'role="alert">\s*<p>Please enter a correct', response.text)


@django_auth_pages
@pytest.mark.django_db
def test_login_with_email_lands_on_dashboard(client, user):
    response = client.post(reverse("login"), {"username": EMAIL, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert f"<dd>{EMAIL}</dd>" in response.text


@django_auth_pages
def test_logout_page_uses_theme_template(signed_in_client, settings):
    settings.LOGOUT_REDIRECT_URL = None  # Otherwise LogoutView redirects instead of rendering.

    response = signed_in_client.post(reverse("logout"))

    assert response.status_code == 200
    _assert_from_theme(_template_paths(response)["registration/logged_out.html"])
    assert not response.wsgi_request.user.is_authenticated


@django_auth_pages
def test_password_change_shows_errors_next_to_fields(signed_in_client):
    response = signed_in_client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": "x", "new_password2": "y"},
    )

    assert response.status_code == 200
    _assert_from_theme(_template_paths(response)["registration/password_change_form.html"])
    assert 'aria-invalid="true"' in response.text
    assert 'class="errorlist"' in response.text


@django_auth_pages
@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["password_reset_done", "password_reset_complete"])
def test_password_reset_pages_use_theme_templates(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    _assert_from_theme(_template_paths(response)[f"registration/{url_name}.html"])


@django_auth_pages
def test_password_change_done_uses_theme_template(signed_in_client):
    response = signed_in_client.get(reverse("password_change_done"))

    _assert_from_theme(_template_paths(response)["registration/password_change_done.html"])


@django_auth_pages
def test_password_reset_sends_plain_text_email(client, user, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": EMAIL})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject.startswith("Reset your")
    assert "\n" not in message.subject
    assert re.search(r"https?://testserver/accounts/reset/[\w-]+/[\w-]+/", message.body)
    assert "didn't" in message.body  # Not HTML-escaped: this is a plain text email.


@django_auth_pages
def test_password_reset_confirm_accepts_a_valid_link(client, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)

    response = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)

    assert response.context["validlink"] is True
    assert '<label for="id_new_password1">' in response.text


@django_auth_pages
@pytest.mark.django_db
def test_password_reset_confirm_explains_a_bad_link(client):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))

    assert response.context["validlink"] is False
    assert "This link has expired" in response.text
    assert f'href="{reverse("password_reset")}"' in response.text


# Static files


@pytest.mark.django_db
def test_static_files_referenced_by_the_layout_exist(client):
    html = client.get(reverse("home")).text
    static_url = "/" + django_settings.STATIC_URL.lstrip("/")

    referenced = re.findall(rf'(?:src|href)="{re.escape(static_url)}([^"?#]+)', html)

    expected = {"starter/css/app.css", "starter/img/favicon.svg", "starter/img/logo.svg"}
    assert expected <= set(referenced)
    assert any(path.startswith("django_htmx/") for path in referenced)  # htmx, served locally
    for path in referenced:
        assert finders.find(path), f"{path} is referenced by the layout but not found"


# The project's own React pages (/app/...)


def test_app_pages_need_a_signed_in_user(client):
    response = client.get("/app/reports")

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/app/reports"


@pytest.mark.django_db
def test_app_pages_are_the_react_app_or_a_404(signed_in_client):
    response = signed_in_client.get("/app/reports")

    if django_settings.QUICKSCALE_FRONTEND == "react":
        assert response.status_code == 200
        assert 'id="root"' in response.text
        assert "entries/app.tsx" in response.text
    else:
        # Only the React frontend hosts pages of its own under /app/.
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("url_name", "entry"), [("home", "entries/landing.tsx"), ("dashboard", "entries/app.tsx")]
)
def test_react_pages_load_their_bundle_with_the_csp_nonce(signed_in_client, url_name, entry):
    if django_settings.QUICKSCALE_FRONTEND != "react":
        pytest.skip("an HTMX project")
    skip_if_overridden_by_client(f"starter/{'landing' if url_name == 'home' else url_name}.html")

    response = signed_in_client.get(reverse(url_name))

    assert response.status_code == 200
    nonce = response.wsgi_request.csp_nonce
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert any(entry in tag and f'nonce="{nonce}"' in tag for tag in scripts), scripts
    # The API client reads the CSRF token from the page (src/api.ts).
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', response.text)
    assert 'data-user-email="a@example.com"' in response.text
