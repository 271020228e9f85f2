from django.apps import AppConfig


class QuickscaleCoreConfig(AppConfig):
    name = "quickscale_core"
    verbose_name = "QuickScale core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks with Django's check framework.
        from . import checks  # noqa: F401
