from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "quickscale_modules.notifications"
    label = "quickscale_notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Delivery events from the provider's webhook (anymail's tracking signal), and the
        # check that EMAIL_PROVIDER names a provider django-anymail has.
        from . import checks, receivers  # noqa: F401
