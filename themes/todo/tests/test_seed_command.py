import pytest
from django.core.management import CommandError, call_command

from quickscale_core.models import Membership
from quickscale_themes.todo.models import Task, TodoList

pytestmark = pytest.mark.django_db


def test_seeds_lists_and_tasks_in_the_users_personal_team(team, user, settings):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": None}}

    call_command("seed_todo_demo", email=user.email.upper(), lists=2, tasks=5, seed=1)
    call_command("seed_todo_demo", email=user.email, lists=1, tasks=1, seed=1)

    assert TodoList.objects.for_team(team).filter(owner=user).count() == 3
    assert Task.objects.filter(todo_list__team=team).count() == 11
    # Names stay unique when seeding twice.
    assert len(set(TodoList.unscoped.values_list("name", flat=True))) == 3


def test_seeds_another_team_of_the_user(team, user, other_team, settings):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": None}}
    with pytest.raises(CommandError, match="not a member of a team with the slug"):
        call_command("seed_todo_demo", email=user.email, team=other_team.slug, lists=1)
    Membership.objects.create(user=user, team=other_team, role="member")

    call_command("seed_todo_demo", email=user.email, team=other_team.slug, lists=1, tasks=2)

    assert TodoList.objects.for_team(other_team).filter(owner=user).count() == 1
    assert not TodoList.objects.for_team(team).exists()


def test_unknown_email_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No user with the email nobody@example.com"):
        call_command("seed_todo_demo", email="nobody@example.com")
