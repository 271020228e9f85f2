from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "quickscale_modules.api"
    label = "quickscale_api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from quickscale_core.models import Membership
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
        # A user who leaves a team or is removed from it loses that team's keys for good, so
        # they do not work again if the user is invited back (docs/modules/api.md).
        post_delete.connect(
            revoke_keys_on_membership_end,
            sender=Membership,
            dispatch_uid="quickscale_api_revoke_keys_on_membership_end",
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


def revoke_keys_on_membership_end(sender, instance, **kwargs) -> None:
    # Every way a membership ends sends this: leaving, removal, a queryset's delete(), the
    # admin. (A deleted user or team takes its keys with it anyway.)
    from .services import revoke_team_keys

    revoke_team_keys(instance.user_id, instance.team_id)
