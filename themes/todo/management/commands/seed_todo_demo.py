"""Fills a team with demo lists and tasks, created by one of its members, through the same
services as the pages. Without --team: the user's personal team.

python manage.py seed_todo_demo --email you@example.com --lists 3 --tasks 12
python manage.py seed_todo_demo --email you@example.com --team acme-1a2b3c4d
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quickscale_core import teams
from quickscale_core.models import Team
from quickscale_themes.todo import services
from quickscale_themes.todo.models import Task, TodoList

LIST_NAMES = ["Launch checklist", "Client onboarding", "Home", "Reading", "Team offsite"]
TASK_TITLES = [
    "Write the announcement",
    "Review the pricing page",
    "Call the accountant",
    "Book the venue",
    "Renew the domain",
    "Update the privacy policy",
    "Prepare the demo",
    "Send the invoice",
    "Plan next sprint",
    "Back up the database",
]


class Command(BaseCommand):
    help = "Creates demo lists and tasks in a user's team (plan limits apply)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The user who creates the demo data.")
        parser.add_argument(
            "--team",
            default=None,
            help="The slug of one of the user's teams (default: their personal team).",
        )
        parser.add_argument("--lists", type=int, default=3, help="Lists to create (default 3).")
        parser.add_argument("--tasks", type=int, default=12, help="Tasks per list (default 12).")
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, for repeatable data."
        )

    def handle(self, *args, email, team, lists, tasks, seed, **options):
        if lists < 0 or tasks < 0:
            raise CommandError("--lists and --tasks must be 0 or more.")
        user_model = get_user_model()
        try:
            user = user_model.objects.get(email__iexact=email)
        except user_model.DoesNotExist:
            raise CommandError(
                f"No user with the email {email}: sign up first, or `manage.py createsuperuser`."
            ) from None
        team = self._team(user, team)

        rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        today = timezone.localdate()
        existing = set(TodoList.objects.for_team(team).values_list("name", flat=True))
        created_lists = created_tasks = 0
        for number in range(lists):
            name = self._free_name(LIST_NAMES[number % len(LIST_NAMES)], number, existing)
            try:
                todo_list = services.create_list(team, user, name=name)
            except services.ListLimitReached as exc:
                self.stderr.write(f"Stopped after {created_lists} lists: {exc}")
                break
            existing.add(name)
            created_lists += 1
            for index in range(tasks):
                services.add_task(
                    team,
                    todo_list,
                    title=f"{TASK_TITLES[index % len(TASK_TITLES)]} #{index + 1}",
                    due_date=self._due_date(rng, today),
                    priority=rng.choice(Task.Priority.values),
                    done=rng.random() < 0.3,
                )
                created_tasks += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created_lists} lists and {created_tasks} tasks for {user.email} "
                f"in {team.name}."
            )
        )

    @staticmethod
    def _team(user, slug: str | None) -> Team:
        if slug is None:
            return teams.ensure_personal_team(user)
        team = Team.objects.filter(slug=slug, memberships__user=user).first()
        if team is None:
            raise CommandError(f"{user.email} is not a member of a team with the slug {slug}.")
        return team

    @staticmethod
    def _free_name(base: str, number: int, existing: set[str]) -> str:
        name = base if number < len(LIST_NAMES) else f"{base} {number // len(LIST_NAMES) + 1}"
        suffix = 2
        candidate = name
        while candidate.lower() in {n.lower() for n in existing}:
            candidate = f"{name} ({suffix})"
            suffix += 1
        return candidate

    @staticmethod
    def _due_date(rng: random.Random, today: datetime.date) -> datetime.date | None:
        # A mix: no date, overdue, today, and the coming weeks.
        roll = rng.random()
        if roll < 0.4:
            return None
        return today + datetime.timedelta(days=rng.randint(-5, 21))
