"""Your models. The user model is quickscale_core.User (settings.AUTH_USER_MODEL)."""
