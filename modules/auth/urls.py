from allauth.account import views as allauth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("delete/", views.account_delete, name="account_delete"),
    path("", include("allauth.urls")),
    # Django's names for the same pages: LOGIN_URL = "login", and themes link to "logout",
    # "password_change" and "password_reset" whether or not this module is installed. allauth's
    # patterns above match these paths first; these entries only make the names reversible.
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("password/change/", allauth_views.password_change, name="password_change"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
]
