from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("switch/", views.switch, name="switch"),
    path("settings/", views.team_settings, name="settings"),
    path("settings/name/", views.rename, name="rename"),
    path("settings/invite/", views.invite, name="invite"),
    path("settings/invitations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("settings/members/<int:pk>/role/", views.change_role, name="change_role"),
    path("settings/members/<int:pk>/remove/", views.remove, name="remove"),
    path("settings/members/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("settings/leave/", views.leave, name="leave"),
    path("settings/delete/", views.delete, name="delete"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
