"""Each default role against each action of the team pages, through the pages themselves."""

import pytest
from django.urls import reverse

from quickscale_core.models import Membership, Team
from quickscale_modules.teams.models import Invitation

from .conftest import sign_in

pytestmark = pytest.mark.django_db

# role of the acting user -> actions their role allows (quickscale_core/roles.py defaults).
ALLOWED = {
    "owner": {"rename", "invite", "revoke", "change_role", "remove", "transfer", "delete"},
    "admin": {"rename", "invite", "revoke", "change_role", "remove"},
    "member": set(),
}
ACTIONS = ["rename", "invite", "revoke", "change_role", "remove", "transfer", "delete"]


def act(client, action, team, target, invitation):
    """POST the page's form for `action`; returns whether the change happened."""
    if action == "rename":
        client.post(reverse("teams:rename"), {"name": "Renamed"})
        return Team.objects.get(pk=team.pk).name == "Renamed"
    if action == "invite":
        client.post(reverse("teams:invite"), {"email": "new@example.com", "role": "member"})
        return Invitation.objects.filter(email="new@example.com").exists()
    if action == "revoke":
        client.post(reverse("teams:revoke", args=[invitation.pk]))
        return Invitation.objects.get(pk=invitation.pk).status == "revoked"
    if action == "change_role":
        client.post(reverse("teams:change_role", args=[target.pk]), {"role": "admin"})
        return Membership.objects.get(pk=target.pk).role == "admin"
    if action == "remove":
        client.post(reverse("teams:remove", args=[target.pk]))
        return not Membership.objects.filter(pk=target.pk).exists()
    if action == "transfer":
        client.post(reverse("teams:transfer", args=[target.pk]))
        return Membership.objects.get(pk=target.pk).role == "owner"
    if action == "delete":
        client.post(reverse("teams:delete"), {"confirmation": "Acme"})
        return not Team.objects.filter(pk=team.pk).exists()
    raise AssertionError(action)


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
@pytest.mark.parametrize("action", ACTIONS)
def test_role_matrix(client, team_of, role, action):
    team, people = team_of(**{"actor@example.com": role, "target@example.com": "member"})
    actor = people["owner"] if role == "owner" else people["actor@example.com"]
    target = Membership.objects.get(team=team, user=people["target@example.com"])
    invitation, _token = _invitation(team, people["owner"])
    sign_in(client, actor, team)

    changed = act(client, action, team, target, invitation)

    assert changed is (action in ALLOWED[role]), f"{role} {action}"


def _invitation(team, owner):
    from quickscale_modules.teams import services

    return services.invite(team, owner, "pending@example.com", "member", base_url="http://t/")


def test_an_admin_cannot_remove_or_demote_an_owner(client, team_of):
    team, people = team_of(**{"admin@example.com": "admin"})
    owner_membership = Membership.objects.get(team=team, user=people["owner"])
    sign_in(client, people["admin@example.com"], team)

    client.post(reverse("teams:change_role", args=[owner_membership.pk]), {"role": "member"})
    client.post(reverse("teams:remove", args=[owner_membership.pk]))

    assert Membership.objects.get(pk=owner_membership.pk).role == "owner"


def test_an_admin_cannot_make_someone_owner_or_invite_an_owner(client, team_of):
    team, people = team_of(**{"admin@example.com": "admin", "m@example.com": "member"})
    member = Membership.objects.get(team=team, user=people["m@example.com"])
    sign_in(client, people["admin@example.com"], team)

    client.post(reverse("teams:change_role", args=[member.pk]), {"role": "owner"})
    client.post(reverse("teams:invite"), {"email": "boss@example.com", "role": "owner"})

    assert Membership.objects.get(pk=member.pk).role == "member"
    assert not Invitation.objects.filter(email="boss@example.com").exists()


def test_the_settings_page_offers_only_what_the_role_may_do(client, team_of):
    team, people = team_of(**{"m@example.com": "member"})
    sign_in(client, people["m@example.com"], team)

    page = client.get(reverse("teams:settings")).content.decode()

    assert "Send invitation" not in page and "Change role" not in page and "Delete Acme" not in page
    assert "Leave Acme" in page
    sign_in(client, people["owner"], team)
    page = client.get(reverse("teams:settings")).content.decode()
    assert "Send invitation" in page and "Change role" in page and "Delete Acme" in page


def test_the_last_owner_cannot_leave_but_can_after_a_transfer(client, team_of):
    team, people = team_of(**{"m@example.com": "member"})
    owner = people["owner"]
    sign_in(client, owner, team)

    page = client.post(reverse("teams:leave"), follow=True).content.decode()
    assert "last owner" in page
    assert Membership.objects.filter(team=team, user=owner).exists()

    member = Membership.objects.get(team=team, user=people["m@example.com"])
    client.post(reverse("teams:transfer", args=[member.pk]))
    assert Membership.objects.get(team=team, user=owner).role == "admin"
    client.post(reverse("teams:leave"))
    assert not Membership.objects.filter(team=team, user=owner).exists()
    assert Membership.objects.get(pk=member.pk).role == "owner"


def test_a_personal_team_can_be_neither_left_nor_deleted(client, make_user):
    user = make_user("solo@example.com")
    personal = Team.objects.get(memberships__user=user, personal=True)
    sign_in(client, user, personal)

    client.post(reverse("teams:leave"))
    client.post(reverse("teams:delete"), {"confirmation": personal.name})

    assert Membership.objects.filter(team=personal, user=user).exists()


def test_deleting_needs_the_name_typed(client, team_of):
    team, people = team_of()
    sign_in(client, people["owner"], team)

    page = client.post(reverse("teams:delete"), {"confirmation": "acme"}, follow=True)

    assert Team.objects.filter(pk=team.pk).exists()
    assert "Type the team" in page.content.decode()


def test_nobody_changes_their_own_role(client, team_of):
    team, people = team_of()
    mine = Membership.objects.get(team=team, user=people["owner"])
    sign_in(client, people["owner"], team)

    client.post(reverse("teams:change_role", args=[mine.pk]), {"role": "member"})

    assert Membership.objects.get(pk=mine.pk).role == "owner"


def test_custom_roles_from_settings(client, team_of, settings):
    settings.TEAM_ROLES = {
        "owner": {"label": "Owner", "permissions": ["team.view", "members.invite"]},
        "viewer": {"label": "Viewer", "permissions": ["team.view"]},
    }
    team, people = team_of()
    sign_in(client, people["owner"], team)

    client.post(reverse("teams:invite"), {"email": "v@example.com", "role": "viewer"})
    client.post(reverse("teams:rename"), {"name": "Not allowed"})

    assert Invitation.objects.get(email="v@example.com").role == "viewer"
    assert Team.objects.get(pk=team.pk).name == "Acme"
