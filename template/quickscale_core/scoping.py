"""Team isolation as the default for your models: subclass TeamScopedModel.

    class Project(TeamScopedModel):
        name = models.CharField(max_length=100)

    Project.objects.for_team(request.team)      # what views and APIs use
    Project.objects.create(team=request.team, name="Apollo")
    Project.objects.all()                       # raises UnscopedQuery: the filter was forgotten
    Project.unscoped.all()                      # admin, management commands, reports

`objects` refuses every query that does not start from a team, so forgetting the filter fails
the first test that runs the code instead of leaking another team's rows. `unscoped` is Django's
plain manager and the model's default manager, so the admin, dumpdata, related managers
(`team.project_set`) and validation keep working. QuickScale's docs/modules/teams.md.
"""

from __future__ import annotations

from django.db import models


class UnscopedQuery(RuntimeError):
    """A team-scoped model was queried without a team."""


class TeamScopedQuerySet(models.QuerySet):
    # The team of for_team(), kept through chained calls, so that create(), get_or_create()
    # and update_or_create() on a scoped queryset make rows in that team.
    _team = None

    def for_team(self, team) -> TeamScopedQuerySet:
        scoped = self.filter(team=team)
        scoped._team = team
        return scoped

    def _clone(self):
        clone = super()._clone()
        clone._team = self._team
        return clone

    def create(self, **fields):
        if self._team is not None and "team" not in fields and "team_id" not in fields:
            fields["team"] = self._team
        return super().create(**fields)


class TeamScopedManager(models.Manager.from_queryset(TeamScopedQuerySet)):
    """The strict manager: every query starts with .for_team(team); create() needs a team."""

    def get_queryset(self) -> TeamScopedQuerySet:
        raise UnscopedQuery(
            f"{self.model.__name__}.objects needs a team: use "
            f"{self.model.__name__}.objects.for_team(request.team), or "
            f"{self.model.__name__}.unscoped for admin and maintenance code."
        )

    def for_team(self, team) -> TeamScopedQuerySet:
        if team is None:
            raise UnscopedQuery(f"{self.model.__name__}.objects.for_team() got no team.")
        return super().get_queryset().for_team(team)

    def create(self, **fields):
        if fields.get("team") is None and fields.get("team_id") is None:
            raise UnscopedQuery(f"{self.model.__name__}.objects.create() needs team=.")
        return super().get_queryset().create(**fields)


class TeamScopedModel(models.Model):
    """A model whose rows belong to one team (quickscale_core.Team)."""

    team = models.ForeignKey("quickscale_core.Team", on_delete=models.CASCADE)

    # Declared first, so it is the default manager Django's own machinery uses.
    unscoped = models.Manager()
    objects = TeamScopedManager()

    class Meta:
        abstract = True
