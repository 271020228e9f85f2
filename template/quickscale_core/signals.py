"""Every user has a personal team from the moment they exist, and their teams are left in
order when they are deleted, however that happens (sign-up, admin, createsuperuser, account
deletion, your own code)."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import User


@receiver(post_save, sender=User, dispatch_uid="quickscale_core.personal_team")
def create_personal_team(sender, instance: User, created: bool, raw: bool = False, **kwargs):
    if created and not raw:  # raw: loaddata restores teams from the fixture itself.
        from .teams import ensure_personal_team

        ensure_personal_team(instance)


@receiver(pre_delete, sender=User, dispatch_uid="quickscale_core.lock_teams")
def lock_teams(sender, instance: User, **kwargs):
    # Inside the deletion's transaction: the user's teams stay locked until it commits, so a
    # concurrent deletion of the team's other owner waits and then sees this one gone.
    from .teams import lock_teams_of

    instance._quickscale_team_ids = lock_teams_of(instance)


@receiver(post_delete, sender=User, dispatch_uid="quickscale_core.settle_teams")
def settle_teams(sender, instance: User, **kwargs):
    from .teams import settle_teams

    settle_teams(getattr(instance, "_quickscale_team_ids", []))
