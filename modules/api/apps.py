from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "quickscale_modules.api"
    label = "quickscale_api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from quickscale_modules.auth.signals import sessions_ended

        # Registers the API key scheme with drf-spectacular before any schema is generated.
        from . import schema  # noqa: F401

        # A user who changes their password or signs out their other sessions is taking their
        # account back: keys created before then stop working (docs/modules/api.md).
        post_save.connect(
            revoke_keys_on_password_change,
            sender=get_user_model(),
            dispatch_uid="quickscale_api_revoke_keys_on_password_change",
        )
        sessions_ended.connect(
            revoke_keys_on_sessions_ended, dispatch_uid="quickscale_api_revoke_keys_on_sessions"
        )


def revoke_keys_on_password_change(sender, instance, created, **kwargs) -> None:
    # set_password() keeps the new password in `_password` until the user is saved, then Django
    # tells the password validators about the change: a password set, changed or reset, by the
    # user, a reset link, staff in the admin or `manage.py changepassword`. Django's automatic
    # re-hashing of an unchanged password (a newer hasher, more iterations) leaves `_password`
    # empty and does not count, nor does creating a user.
    if not created and getattr(instance, "_password", None) is not None:
        from .services import revoke_all_keys

        revoke_all_keys(instance)


def revoke_keys_on_sessions_ended(sender, user, **kwargs) -> None:
    from .services import revoke_all_keys

    revoke_all_keys(user)
