from django.apps import AppConfig


class TodoThemeConfig(AppConfig):
    name = "quickscale_themes.todo"
    # Prefixed so a client app called "todo" can never clash with the theme's label.
    label = "theme_todo"
    verbose_name = "Todo"
    default_auto_field = "django.db.models.BigAutoField"
