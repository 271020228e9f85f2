from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

# Mounted at api/v1/ (module.yml). The theme adds its endpoints under the same prefix.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path(
        "redoc/",
        # drf-spectacular's own template loads Google Fonts.
        SpectacularRedocView.as_view(
            url_name="api_schema", template_name="quickscale_api/redoc.html"
        ),
        name="api_redoc",
    ),
]
