from django.apps import apps
from django.urls import include, path

from . import views

# No app_name: the core, modules and auth templates link to "home" and "dashboard" by bare name,
# whichever theme is installed.
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/status/", views.dashboard_status, name="dashboard_status"),
]

# The theme's API endpoints (api.py), only in projects with the api module.
if apps.is_installed("quickscale_modules.api"):
    urlpatterns.append(path("api/v1/", include("quickscale_themes.starter.api")))
