"""Lists belong to teams: every existing list moves to its creator's personal team.

quickscale_core's 0003_teams gave every user who existed before teams a personal team; a
creator found without one here (a membership deleted by hand) gets one, named the same way.
Then the team is required, and list names are unique per team instead of per creator: each
creator's lists had distinct names and go to a team of their own, so no list is lost or
renamed. The creator (`owner`) becomes optional: a list stays with its team when the account
that created it is deleted.
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models


def lists_to_personal_teams(apps, schema_editor):
    import secrets

    from django.utils.text import slugify

    db = schema_editor.connection.alias
    TodoList = apps.get_model("theme_todo", "TodoList")
    Team = apps.get_model("quickscale_core", "Team")
    Membership = apps.get_model("quickscale_core", "Membership")
    User = apps.get_model("quickscale_core", "User")
    lists = TodoList._default_manager.using(db).filter(team__isnull=True)
    owner_ids = set(lists.values_list("owner_id", flat=True).distinct())
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
        team = Team._default_manager.db_manager(db).create(
            name=name, slug=f"{slugify(name)[:40] or 'team'}-{secrets.token_hex(4)}", personal=True
        )
        Membership._default_manager.db_manager(db).create(user=user, team=team, role="owner")
        personal[user.pk] = team.pk
    for owner_id, team_id in personal.items():
        lists.filter(owner_id=owner_id).update(team_id=team_id)


class Migration(migrations.Migration):
    dependencies = [
        ("quickscale_core", "0003_teams"),
        ("theme_todo", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="todolist",
            name="team",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                to="quickscale_core.team",
            ),
        ),
        migrations.RunPython(lists_to_personal_teams, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="todolist",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, to="quickscale_core.team"
            ),
        ),
        migrations.AlterField(
            model_name="todolist",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="todo_lists",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveConstraint(
            model_name="todolist",
            name="todo_list_name_unique_per_owner",
        ),
        migrations.AddConstraint(
            model_name="todolist",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("team"),
                name="todo_list_name_unique_per_team",
                violation_error_message="There is already a list with this name.",
            ),
        ),
        migrations.AlterModelManagers(
            name="todolist",
            managers=[
                ("unscoped", django.db.models.manager.Manager()),
            ],
        ),
    ]
