"""Every new user gets a personal team at once, however they are created (sign-up, admin,
createsuperuser, your own code), so data always has a team to belong to."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User


@receiver(post_save, sender=User, dispatch_uid="quickscale_core.personal_team")
def create_personal_team(sender, instance: User, created: bool, raw: bool = False, **kwargs):
    if created and not raw:  # raw: loaddata restores teams from the fixture itself.
        from .teams import ensure_personal_team

        ensure_personal_team(instance)
