"""Invitations: the email, each state of the link's page, signing up from it, seats."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quickscale_core import extensions, teams
from quickscale_core.models import Membership
from quickscale_modules.teams import services
from quickscale_modules.teams.models import Invitation

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def invite(client, email="new@example.com", role="member"):
    # The email leaves once the invitation is committed (transaction.on_commit).
    with client.capture_on_commit(execute=True):
        client.post(reverse("teams:invite"), {"email": email, "role": role})
    message = mail.outbox[-1]
    return re.search(r"https?://\S+/teams/invitations/\S+/", message.body).group(0)


@pytest.fixture
def owner_client(client, team_of, django_capture_on_commit_callbacks):
    team, people = team_of()
    sign_in(client, people["owner"], team)
    client.capture_on_commit = django_capture_on_commit_callbacks
    client.team, client.owner = team, people["owner"]
    return client


def path_of(url):
    return url.split("testserver", 1)[1]


def test_the_email_names_the_team_and_links_to_the_invitation(owner_client):
    url = invite(owner_client, "New@Example.com", "admin")

    message = mail.outbox[-1]
    assert message.to == ["new@example.com"]
    assert "Acme" in message.subject and "owner@example.com" in message.subject
    assert "as admin" in message.body and url in message.alternatives[0][0]
    invitation = Invitation.objects.get()
    assert invitation.role == "admin" and invitation.status == "pending"
    assert url.rstrip("/").rsplit("/", 1)[1] not in invitation.token_digest  # Only a digest.


def test_a_verified_invitee_joins_and_lands_in_the_team(owner_client, make_user):
    url = invite(owner_client)
    invitee = sign_in(Client(), make_user("new@example.com"))

    page = invitee.get(path_of(url))
    assert page.status_code == 200 and "Join Acme" in page.content.decode()
    response = invitee.post(path_of(url))

    assert response.status_code == 302
    assert Membership.objects.get(team=owner_client.team, user__email="new@example.com").role == (
        "member"
    )
    assert invitee.session[teams.SESSION_KEY] == owner_client.team.pk
    assert Invitation.objects.get().status == "accepted"
    # The link has done its job: opening it again goes to the team, joining twice is impossible.
    assert invitee.get(path_of(url)).status_code == 302
    assert Membership.objects.filter(user__email="new@example.com").count() == 2  # + personal


def test_the_inviter_is_notified_when_the_invitation_is_accepted(
    owner_client, make_user, monkeypatch
):
    told = []
    monkeypatch.setattr(extensions, "notify", lambda *args: told.append(args))
    url = invite(owner_client)
    invitee = sign_in(Client(), make_user("new@example.com"))

    invitee.post(path_of(url))

    [(user, kind, context)] = told
    assert (user, kind) == (owner_client.owner, "invitation_accepted")
    assert context["member_email"] == "new@example.com" and context["team"] == owner_client.team
    # In the app by default: no email, with or without the notifications module.
    assert extensions.notification_kinds()["invitation_accepted"]["email"] is False


@pytest.mark.parametrize(
    ("state", "status", "text"),
    [
        ("expired", 410, "has expired"),
        ("revoked", 410, "was withdrawn"),
        ("accepted", 410, "already used"),
    ],
)
def test_dead_links_explain_themselves(owner_client, make_user, state, status, text):
    url = invite(owner_client)
    invitation = Invitation.objects.get()
    if state == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    elif state == "revoked":
        invitation.status = "revoked"
    else:
        invitation.status, invitation.accepted_by = "accepted", owner_client.owner
    invitation.save()
    invitee = sign_in(Client(), make_user("new@example.com"))

    page = invitee.get(path_of(url))
    joined = invitee.post(path_of(url))

    assert page.status_code == status and text in page.content.decode()
    assert joined.status_code == status
    assert not Membership.objects.filter(team=owner_client.team, user__email="new@example.com")


def test_an_unknown_link_is_a_clear_404(client):
    page = client.get(reverse("teams:invitation", args=["not-a-real-token"]))

    assert page.status_code == 404 and "does not work" in page.content.decode()


def test_the_wrong_account_is_told_to_switch(owner_client, make_user):
    url = invite(owner_client)
    other = sign_in(Client(), make_user("someone.else@example.com"))

    page = other.get(path_of(url))
    other.post(path_of(url))

    assert page.status_code == 403 and "for another address" in page.content.decode()
    assert not Membership.objects.filter(team=owner_client.team, user__email__startswith="some")


def test_an_unverified_address_must_be_confirmed_first(owner_client, make_user):
    url = invite(owner_client)
    invitee = sign_in(Client(), make_user("new@example.com", verified=False))

    page = invitee.get(path_of(url))
    invitee.post(path_of(url))

    assert page.status_code == 403 and "Confirm your email" in page.content.decode()
    assert Membership.objects.filter(team=owner_client.team).count() == 1


def test_an_existing_member_is_told_so(owner_client, team_of, make_user):
    member = make_user("new@example.com")
    url = invite(owner_client)
    Membership.objects.create(team=owner_client.team, user=member, role="member")
    page = sign_in(Client(), member).get(path_of(url))

    assert page.status_code == 200 and "already a member" in page.content.decode()


def test_inviting_a_member_is_refused(owner_client, make_user):
    Membership.objects.create(
        team=owner_client.team, user=make_user("new@example.com"), role="member"
    )

    page = owner_client.post(
        reverse("teams:invite"), {"email": "new@example.com", "role": "member"}, follow=True
    )

    assert "already a member" in page.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_inviting_again_sends_a_new_link_and_kills_the_old_one(owner_client):
    first = invite(owner_client)
    second = invite(owner_client)

    assert first != second and Invitation.objects.count() == 1
    anonymous = Client()
    assert anonymous.get(path_of(first)).status_code == 404
    assert anonymous.get(path_of(second)).status_code == 200


def test_a_visitor_signs_up_from_the_link_and_lands_in_the_team(owner_client):
    url = invite(owner_client)
    visitor = Client()

    page = visitor.get(path_of(url)).content.decode()
    assert "Sign up with new@example.com to join" in page
    # The button leaves the address out (a long one overflowed a phone's width) but fills it in.
    assert '?email=new%40example.com">Sign up</a>' in page
    signup = visitor.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    # The link proved the address: no confirmation email, signed in, member of the team.
    assert signup.status_code == 302
    membership = Membership.objects.get(team=owner_client.team, user__email="new@example.com")
    assert membership.role == "member"
    assert visitor.session[teams.SESSION_KEY] == owner_client.team.pk
    assert Invitation.objects.get().status == "accepted"


def test_signing_up_with_another_address_joins_nothing_and_verifies_nothing(owner_client):
    # Only the invited address itself skips the confirmation email: opening a link must not
    # verify that address on an account signed up later with another one in the same browser
    # (an attacker's invitation link opened by a victim who then signs up).
    url = invite(owner_client)
    visitor = Client()
    visitor.get(path_of(url))

    visitor.post(
        reverse("account_signup"),
        {"email": "victim@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert not EmailAddress.objects.filter(email="new@example.com").exists()
    assert not EmailAddress.objects.get(email="victim@example.com").verified
    assert not Membership.objects.filter(team=owner_client.team, user__email="victim@example.com")
    assert Invitation.objects.get().status == "pending"


def test_an_invitation_dies_with_its_senders_right_to_invite(owner_client, make_user):
    admin = make_user("admin@example.com")
    Membership.objects.create(team=owner_client.team, user=admin, role="admin")
    invitation, token = services.invite(
        owner_client.team, admin, "friend@example.com", "admin", base_url="http://t/"
    )
    Membership.objects.filter(user=admin, team=owner_client.team).delete()  # Removed.
    friend = sign_in(Client(), make_user("friend@example.com"))

    page = friend.post(reverse("teams:invitation", args=[token]))

    assert page.status_code == 410
    assert not Membership.objects.filter(team=owner_client.team, user__email="friend@example.com")


def test_a_used_link_whose_user_is_gone_is_410_for_visitors(owner_client, make_user):
    url = invite(owner_client)
    Invitation.objects.update(status="accepted", accepted_by=None)

    assert Client().get(path_of(url)).status_code == 410


def test_nobody_is_invited_into_a_personal_team(client, make_user):
    ada = make_user("ada@example.com")
    sign_in(client, ada, teams.ensure_personal_team(ada))

    page = client.post(
        reverse("teams:invite"), {"email": "bob@example.com", "role": "member"}, follow=True
    ).content.decode()

    assert "create a team to invite" in page and not Invitation.objects.exists()


def test_invitations_per_hour_are_limited(owner_client, settings):
    settings.TEAMS_INVITATIONS_PER_HOUR = 3
    for n in range(3):
        invite(owner_client, f"p{n}@example.com")

    page = owner_client.post(
        reverse("teams:invite"), {"email": "p9@example.com", "role": "member"}, follow=True
    ).content.decode()

    assert "3 invitations in the last hour" in page
    assert not Invitation.objects.filter(email="p9@example.com").exists()


def test_seats_cap_members_plus_open_invitations(owner_client, seat_limit):
    seat_limit(2)
    invite(owner_client, "one@example.com")

    page = owner_client.post(
        reverse("teams:invite"), {"email": "two@example.com", "role": "member"}, follow=True
    ).content.decode()

    assert "All 2 seats of this team" in page
    assert list(Invitation.objects.values_list("email", flat=True)) == ["one@example.com"]
    settings_page = owner_client.get(reverse("teams:settings")).content.decode()
    assert "2 of 2 seats in use" in settings_page


def test_revoking_frees_the_seat(owner_client, seat_limit):
    seat_limit(2)
    invite(owner_client, "one@example.com")
    owner_client.post(reverse("teams:revoke", args=[Invitation.objects.get().pk]))

    invite(owner_client, "two@example.com")

    assert Invitation.objects.filter(status="pending").get().email == "two@example.com"


def test_accepting_is_refused_when_the_plan_shrank(owner_client, seat_limit, make_user):
    url = invite(owner_client)
    seat_limit(1)
    invitee = sign_in(Client(), make_user("new@example.com"))

    page = invitee.post(path_of(url))

    assert page.status_code == 409 and "full" in page.content.decode()
    assert Membership.objects.filter(team=owner_client.team).count() == 1


def test_services_refuse_an_invitation_for_a_role_that_does_not_exist(owner_client):
    with pytest.raises(services.TeamError):
        services.invite(
            owner_client.team, owner_client.owner, "x@example.com", "emperor", base_url="http://t/"
        )


def test_renewing_an_expired_invitation_needs_a_free_seat(owner_client, seat_limit):
    invite(owner_client, "one@example.com")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    owner_client.post(reverse("teams:invite"), {"email": "two@example.com", "role": "member"})
    seat_limit(2)  # Owner + two@: one@'s expired invitation no longer holds a seat.

    page = owner_client.post(
        reverse("teams:invite"), {"email": "one@example.com", "role": "member"}, follow=True
    ).content.decode()

    assert "All 2 seats of this team" in page
    assert Invitation.objects.get(email="one@example.com").expired
