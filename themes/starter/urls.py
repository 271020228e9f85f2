from django.urls import path, re_path

from . import views

# No app_name: the core, modules and auth templates link to "home" and "dashboard" by bare name,
# whichever theme is installed.
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/status/", views.dashboard_status, name="dashboard_status"),
    # The project's own React pages (React frontend only; a 404 with HTMX).
    re_path(r"^app/", views.app_page, name="app"),
]
