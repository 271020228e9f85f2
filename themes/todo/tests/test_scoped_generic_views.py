"""quickscale_core's TeamScopedModel and TeamMemberRequiredMixin with Django's generic views,
on the theme's TodoList (docs/modules/teams.md, "Scoping your own models")."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import CreateView, DetailView, ListView

from quickscale_core.team_access import TeamMemberRequiredMixin
from quickscale_themes.todo.models import TodoList

pytestmark = pytest.mark.django_db


class Lists(TeamMemberRequiredMixin, ListView):
    model = TodoList


class OneList(TeamMemberRequiredMixin, DetailView):
    model = TodoList


class NewList(TeamMemberRequiredMixin, CreateView):
    model = TodoList
    fields = ["name"]
    success_url = "/done/"


def request_as(user, team, method="get", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user, request.team = user, team
    team.role = "owner"
    return request


def test_a_generic_list_view_shows_only_the_current_teams_rows(team, other_team, user, other_user):
    TodoList.objects.create(team=team, owner=user, name="Mine")
    TodoList.objects.create(team=other_team, owner=other_user, name="Theirs")

    response = Lists.as_view()(request_as(user, team))

    assert [item.name for item in response.context_data["object_list"]] == ["Mine"]


def test_a_generic_detail_view_of_another_teams_row_is_404(team, other_team, other_user, user):
    theirs = TodoList.objects.create(team=other_team, owner=other_user, name="Theirs")

    with pytest.raises(Http404):
        OneList.as_view()(request_as(user, team), pk=theirs.pk)


def test_a_generic_create_view_saves_in_the_current_team(team, user):
    response = NewList.as_view()(request_as(user, team, "post", {"name": "New"}))

    assert response.status_code == 302
    assert TodoList.objects.for_team(team).get().name == "New"


def test_a_scoped_queryset_creates_in_its_team(team, user):
    made, created = TodoList.objects.for_team(team).get_or_create(name="Again", owner=user)
    again, created_again = TodoList.objects.for_team(team).get_or_create(name="Again", owner=user)

    assert created and not created_again and made == again and made.team == team
