from django.apps import AppConfig


class StarterThemeConfig(AppConfig):
    name = "quickscale_themes.starter"
    # Prefixed so a client app called "starter" can never clash with the theme's label.
    label = "theme_starter"
    verbose_name = "Starter theme"
    default_auto_field = "django.db.models.BigAutoField"
