import pytest

from quickscale_core import teams
from quickscale_core.testing import needs_url
from quickscale_themes.todo import services

# theme.yml contributes the API (contributes: api_routes); a module mounts it, if any.
api_mounted = needs_url("api_todo_list-list", "no module mounts the theme's API in this project")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(
        email="someone-else@example.com", password="another-horse-battery-staple"
    )


@pytest.fixture
def team(user):
    """`user`'s personal team: the current team of their requests until they switch."""
    return teams.ensure_personal_team(user)


@pytest.fixture
def other_team(other_user):
    return teams.ensure_personal_team(other_user)


@pytest.fixture
def member(client, user):
    """The test client, signed in as `user`."""
    client.force_login(user)
    return client


@pytest.fixture
def groceries(team, user):
    return services.create_list(team, user, name="Groceries")


@pytest.fixture
def theirs(other_team, other_user):
    """A list with a task that belongs to another team (another user's personal team)."""
    todo_list = services.create_list(other_team, other_user, name="Private plans")
    services.add_task(other_team, todo_list, title="Secret task")
    return todo_list
