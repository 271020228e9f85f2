"""Your URL routes, mounted at the site root before the theme's (config/urls.py)."""

urlpatterns: list = []
