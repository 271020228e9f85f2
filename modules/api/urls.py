from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

# Mounted at api/v1/ (module.yml). The theme adds its endpoints under the same prefix.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        # The split view serves Swagger UI's start-up script as a file of its own (docs/?script),
        # which the Content-Security-Policy allows; the template puts the nonce on its <style>.
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="quickscale_api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    path(
        "redoc/",
        # ReDoc styles itself with <style> elements it creates at run time (no nonce) and runs
        # its search in a worker made from a blob: URL: this page alone allows both.
        csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            # drf-spectacular's own template loads Google Fonts.
            SpectacularRedocView.as_view(
                url_name="api_schema", template_name="quickscale_api/redoc.html"
            )
        ),
        name="api_redoc",
    ),
]
