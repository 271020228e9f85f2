from django.conf import settings
from django.http import HttpRequest

from .extensions import installed_modules


def project(request: HttpRequest) -> dict[str, object]:
    """Project identity and what is installed, for layouts and navigation."""
    return {
        "PROJECT_NAME": settings.PROJECT_NAME,
        "PROJECT_DESCRIPTION": settings.PROJECT_DESCRIPTION,
        "QUICKSCALE_THEME": settings.QUICKSCALE_THEME,
        "QUICKSCALE_MODULES": installed_modules(),
        # The Content-Security-Policy nonce under the name django-htmx's {% htmx_script %} reads;
        # lazy: the nonce enters the header only when a page prints it.
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
