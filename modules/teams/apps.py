from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "quickscale_modules.teams"
    label = "quickscale_teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        # Accepts the invitation a visitor opened before signing up or logging in.
        from . import signals  # noqa: F401
