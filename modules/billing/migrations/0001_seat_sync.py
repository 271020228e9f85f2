import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("quickscale_core", "0003_teams"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeatSync",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=0)),
                ("synced_version", models.PositiveIntegerField(default=0)),
                ("quantity", models.PositiveIntegerField(blank=True, null=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
                ("retry_at", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "team",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="seat_sync",
                        to="quickscale_core.team",
                    ),
                ),
            ],
            options={"verbose_name": "seat count sync"},
        ),
    ]
