"""API keys belong to a team: every existing key moves to its owner's personal team, the team
the owner's data moved to, so scripts keep working after the update.

quickscale_core's 0003_teams gave every user who existed before teams a personal team; an
owner found without one here (a membership deleted by hand) gets one, named the same way.
Then the team is required.
"""

import django.db.models.deletion
from django.db import migrations, models


def keys_to_personal_teams(apps, schema_editor):
    import secrets

    from django.utils.text import slugify

    db = schema_editor.connection.alias
    ApiKey = apps.get_model("quickscale_api", "ApiKey")
    Team = apps.get_model("quickscale_core", "Team")
    Membership = apps.get_model("quickscale_core", "Membership")
    User = apps.get_model("quickscale_core", "User")
    keys = ApiKey._default_manager.using(db).filter(team__isnull=True)
    owner_ids = set(keys.values_list("user_id", flat=True).distinct())
    if not owner_ids:
        return
    # The team a user owns among their personal ones (the one the core created for them).
    personal = {}
    for user_id, team_id in (
        Membership._default_manager.using(db)
        .filter(user_id__in=owner_ids, team__personal=True, role="owner")
        .order_by("team_id")
        .values_list("user_id", "team_id")
    ):
        personal.setdefault(user_id, team_id)
    for user in User._default_manager.using(db).filter(pk__in=owner_ids - set(personal)):
        # As quickscale_core.teams.create_team and quickscale_core's 0003_teams name them.
        full_name = f"{user.first_name} {user.last_name}".strip()
        name = (full_name or user.email.split("@")[0])[:90] or "Personal"
        slug = f"{slugify(name)[:40] or 'team'}-{secrets.token_hex(4)}"
        team = Team._default_manager.db_manager(db).create(name=name, slug=slug, personal=True)
        Membership._default_manager.db_manager(db).create(user=user, team=team, role="owner")
        personal[user.pk] = team.pk
    for user_id, team_id in personal.items():
        keys.filter(user_id=user_id).update(team_id=team_id)


class Migration(migrations.Migration):
    dependencies = [
        ("quickscale_api", "0001_initial"),
        ("quickscale_core", "0003_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="team",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="api_keys",
                to="quickscale_core.team",
            ),
        ),
        migrations.RunPython(keys_to_personal_teams, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apikey",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="api_keys",
                to="quickscale_core.team",
            ),
        ),
    ]
