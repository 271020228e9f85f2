import pytest
from django.core.management import CommandError, call_command

from quickscale_themes.todo.models import Task, TodoList

pytestmark = pytest.mark.django_db


def test_seeds_lists_and_tasks_for_a_user(user, settings):
    settings.BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": None}}

    call_command("seed_todo_demo", email=user.email.upper(), lists=2, tasks=5, seed=1)
    call_command("seed_todo_demo", email=user.email, lists=1, tasks=1, seed=1)

    assert TodoList.objects.filter(owner=user).count() == 3
    assert Task.objects.filter(todo_list__owner=user).count() == 11
    # Names stay unique when seeding twice.
    assert len(set(TodoList.objects.values_list("name", flat=True))) == 3


def test_unknown_email_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No user with the email nobody@example.com"):
        call_command("seed_todo_demo", email="nobody@example.com")
