from django.urls import path

from . import views

# Mounted at accounts/api-keys/ (module.yml), next to the auth module's account pages.
urlpatterns = [
    path("", views.api_keys, name="api_keys"),
    path("<int:key_id>/revoke/", views.revoke_api_key, name="api_key_revoke"),
]
