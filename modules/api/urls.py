from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from quickscale_core.extensions import contributed_urlpatterns

from .views import ApiDocsView, ApiRedocView

# Mounted at api/v1/ (module.yml). Other modules and the theme add their endpoints under the
# same prefix through their manifests (contributes: api_routes), after this module's own.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        # The split view serves Swagger UI's start-up script as a file of its own (docs/?script),
        # which the Content-Security-Policy allows; the template puts the nonce on its <style>.
        ApiDocsView.as_view(url_name="api_schema", template_name="quickscale_api/swagger_ui.html"),
        name="api_docs",
    ),
    path(
        "redoc/",
        # ReDoc styles itself with <style> elements it creates at run time (no nonce) and runs
        # its search in a worker made from a blob: URL: this page alone allows both.
        csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            # drf-spectacular's own template loads Google Fonts.
            ApiRedocView.as_view(url_name="api_schema", template_name="quickscale_api/redoc.html")
        ),
        name="api_redoc",
    ),
    # The account the request acts for (me.py).
    path("", include("quickscale_modules.api.me")),
    *contributed_urlpatterns("api_routes"),
]
