from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiKey(models.Model):
    """A secret a user gives to a script or another service to call the API as themselves,
    within one of their teams, chosen when the key is created.

    Only a SHA-256 hash of the key is stored: the key itself is shown once, when it is created
    (services.create_key). The prefix, the part of the key before the dot, is stored in clear so
    the key can be found without scanning and recognised in lists and logs.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    # The team the key acts in (request.team). The key works only while its user is a member
    # of it (authentication.py): leaving or being removed from the team ends its API access.
    team = models.ForeignKey(
        "quickscale_core.Team", on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(
        max_length=100, help_text="What the key is for, e.g. the script using it."
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"
        verbose_name_plural = "API keys"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def save(self, *args, **kwargs) -> None:
        # Revoking is for good: a save that would clear revoked_at (a form, the shell, a bug)
        # keeps the stored revocation time.
        if self.pk is not None and self.revoked_at is None:
            stored = (
                type(self).objects.filter(pk=self.pk).values_list("revoked_at", flat=True).first()
            )
            if stored is not None:
                self.revoked_at = stored
        super().save(*args, **kwargs)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired
