from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "quickscale_modules.api"
    label = "quickscale_api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the API key scheme with drf-spectacular before any schema is generated.
        from . import schema  # noqa: F401
