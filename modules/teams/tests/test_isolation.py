"""One team's pages never show or change another team's members and invitations; the
switcher only switches to your teams; leaving or removal ends access at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quickscale_core import extensions, teams
from quickscale_core.models import Membership, Team
from quickscale_modules.teams import services
from quickscale_modules.teams.models import Invitation

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_teams(team_of, make_user):
    team, people = team_of(**{"m@example.com": "member"})
    rival_owner = make_user("rival@example.com")
    rival = teams.create_team(rival_owner, "Rival")
    rival_member = Membership.objects.create(
        team=rival, user=make_user("rm@example.com"), role="member"
    )
    rival_invitation, _ = services.invite(
        rival, rival_owner, "x@example.com", "member", base_url="/"
    )
    return team, people, rival, rival_member, rival_invitation


def test_another_teams_members_and_invitations_are_404(client, two_teams):
    team, people, rival, rival_member, rival_invitation = two_teams
    sign_in(client, people["owner"], team)

    for name in ("change_role", "remove", "transfer"):
        data = {"role": "admin"} if name == "change_role" else {}
        assert (
            client.post(reverse(f"teams:{name}", args=[rival_member.pk]), data).status_code == 404
        )
    assert client.post(reverse("teams:revoke", args=[rival_invitation.pk])).status_code == 404

    rival_member.refresh_from_db()
    assert rival_member.role == "member"
    assert Invitation.objects.get(pk=rival_invitation.pk).status == "pending"
    page = client.get(reverse("teams:settings")).content.decode()
    assert "rm@example.com" not in page and "x@example.com" not in page


def test_switching_to_a_team_you_are_not_in_is_refused(client, two_teams):
    team, people, rival, *_ = two_teams
    sign_in(client, people["owner"], team)

    client.post(reverse("teams:switch"), {"team": rival.pk})
    client.post(reverse("teams:switch"), {"team": "not-a-number"})

    assert client.session[teams.SESSION_KEY] == team.pk
    assert client.get(reverse("teams:settings")).wsgi_request.team == team


def test_switching_goes_back_to_the_page_but_never_off_site(client, two_teams, make_user):
    team, people, *_ = two_teams
    member = people["m@example.com"]
    sign_in(client, member)

    back = client.post(reverse("teams:switch"), {"team": team.pk, "next": "/teams/"})
    away = client.post(reverse("teams:switch"), {"team": team.pk, "next": "https://evil.example/"})

    assert back["Location"] == "/teams/"
    assert "evil" not in away["Location"]
    assert client.session[teams.SESSION_KEY] == team.pk


def test_a_removed_member_loses_the_team_on_their_next_request(client, two_teams):
    team, people, *_ = two_teams
    member = sign_in(Client(), people["m@example.com"], team)
    assert "Acme" in member.get(reverse("teams:settings")).content.decode()

    sign_in(client, people["owner"], team)
    gone = Membership.objects.get(team=team, user=people["m@example.com"])
    client.post(reverse("teams:remove", args=[gone.pk]))

    response = member.get(reverse("teams:settings"))
    assert response.wsgi_request.team.personal  # Back in their personal team.
    assert "owner@example.com" not in response.content.decode()


def test_a_form_from_a_tab_of_another_team_writes_nothing(client, two_teams, make_user):
    team, people, *_ = two_teams
    owner = people["owner"]
    personal = Team.objects.get(memberships__user=owner, personal=True)
    sign_in(client, owner, personal)  # The tab showed the personal team...
    client.post(reverse("teams:switch"), {"team": team.pk})  # ...another tab switched.

    response = client.post(reverse("teams:rename"), {"name": "Oops", "team_id": personal.pk})

    assert response.status_code == 409
    assert Team.objects.get(pk=team.pk).name == "Acme"


def test_the_switcher_lists_your_teams_in_the_header(client, two_teams):
    team, people, *_ = two_teams
    sign_in(client, people["owner"], team)

    page = client.get(reverse("teams:list")).content.decode()

    switcher = page[
        page.index("team-switcher") : page.index("</details>", page.index("team-switcher"))
    ]
    assert "Switch to Rival" not in switcher
    assert 'aria-current="true">Acme<' in switcher
    assert f'value="{team.pk}"' not in switcher  # The current team is no switch button.


def test_page_queries_do_not_grow_with_members_or_teams(client, team_of, make_user):
    team, people = team_of(**{"a@example.com": "member"})
    sign_in(client, people["owner"], team)
    client.get(reverse("teams:settings"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("teams:settings"))
        client.get(reverse("teams:list"))
    for n in range(8):
        Membership.objects.create(team=team, user=make_user(f"p{n}@example.com"), role="member")
        teams.create_team(people["owner"], f"Extra {n}")
        services.invite(team, people["owner"], f"i{n}@example.com", "member", base_url="/")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("teams:settings"))
        client.get(reverse("teams:list"))

    assert len(many) == len(few)


def test_switching_on_a_page_of_one_object_lands_on_the_dashboard(client, two_teams):
    # /teams/invitations/<token>/ stands for any page of one object of the old team (a list,
    # a task): in the new team it would be a 404.
    team, people, *_ = two_teams
    sign_in(client, people["m@example.com"])

    response = client.post(
        reverse("teams:switch"), {"team": team.pk, "next": "/teams/invitations/abc/"}
    )

    assert response["Location"] == reverse("dashboard")


def test_odd_team_values_are_refused_not_500(client, two_teams):
    team, people, *_ = two_teams
    sign_in(client, people["owner"], team)

    for value in ("²", "١", "9" * 30, "-1", ""):
        assert client.post(reverse("teams:switch"), {"team": value}).status_code == 302
    assert client.session[teams.SESSION_KEY] == team.pk


def test_a_page_reads_the_users_teams_once_for_the_team_and_the_switcher(client, two_teams):
    """Issue 20: the current team and the header's switcher shared one query's rows."""
    team, people, *_ = two_teams
    teams.create_team(people["owner"], "Beta")
    sign_in(client, people["owner"], team)
    dashboard = extensions.page_url("dashboard")
    client.get(dashboard)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(dashboard).content.decode()

    memberships = [q["sql"] for q in queries if '"quickscale_core_membership"' in q["sql"]]
    assert len(memberships) == 1, memberships
    assert 'aria-current="true">Acme<' in page and "Switch to Beta" in page
    # A team joined in another tab or worker shows on the next page: nothing is kept.
    teams.create_team(people["owner"], "Gamma")
    assert "Switch to Gamma" in client.get(dashboard).content.decode()
