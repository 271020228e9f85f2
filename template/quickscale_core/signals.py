"""Every user has a personal team from the moment they exist, and their teams are left in
order when they are deleted, however that happens (sign-up, admin, createsuperuser, account
deletion, your own code)."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from .models import User


@receiver(post_save, sender=User, dispatch_uid="quickscale_core.personal_team")
def create_personal_team(sender, instance: User, created: bool, raw: bool = False, **kwargs):
    if created and not raw:  # raw: loaddata restores teams from the fixture itself.
        from .teams import ensure_personal_team

        ensure_personal_team(instance)


@receiver(pre_delete, sender=User, dispatch_uid="quickscale_core.leave_teams")
def leave_teams(sender, instance: User, **kwargs):
    # Runs inside the deletion's transaction: a failure keeps the user and every team.
    from .teams import hand_over_teams

    hand_over_teams(instance)
