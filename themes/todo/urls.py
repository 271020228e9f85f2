from django.urls import include, path

from . import views

todo_patterns = [
    path("lists/", views.list_index, name="lists"),
    path("lists/new/", views.list_create, name="list_create"),
    path("lists/summary/", views.summary, name="summary"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>/rename/", views.list_rename, name="list_rename"),
    path("lists/<int:pk>/delete/", views.list_delete, name="list_delete"),
    path("lists/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/toggle/", views.task_toggle, name="task_toggle"),
    path("tasks/<int:pk>/move/", views.task_move, name="task_move"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
]

urlpatterns = [path("", include((todo_patterns, "todo")))]
# The lists and tasks API (api.py) is mounted under /api/v1/ by the api module when the
# project has it: theme.yml contributes it (contributes: api_routes).
