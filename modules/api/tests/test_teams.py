"""API keys act for their user within one team, chosen when the key is created: request.team is
the key's team with the user's role there now, leaving the team ends the key's access, and the
core's DRF permission classes decide by that role."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quickscale_core import teams
from quickscale_core.models import Membership
from quickscale_core.testing import work_in
from quickscale_modules.api import services
from quickscale_modules.api.models import ApiKey

from .conftest import PASSWORD, bearer, confirm_password

pytestmark = [pytest.mark.django_db, pytest.mark.urls("quickscale_modules.api.tests.urls")]

TEAM_OF_REQUEST = "/api/v1/test/team/"
KEY_PATTERN = r'<code class="api-key__secret" id="new-api-key">([^<]+)</code>'


@pytest.fixture
def acme(django_user_model):
    """A team with an owner, an admin and a member, each with a key for it."""
    people = {
        role: django_user_model.objects.create_user(email=f"{role}@acme.test", password=PASSWORD)
        for role in ("owner", "admin", "member")
    }
    team = teams.create_team(people["owner"], "Acme")
    for role in ("admin", "member"):
        Membership.objects.create(user=people[role], team=team, role=role)
    team.people = people
    team.keys = {
        role: services.create_key(user, f"{role} script", team=team).key
        for role, user in people.items()
    }
    return team


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user(email="eve@example.com", password=PASSWORD)


# Choosing the team when creating a key.


def test_the_keys_page_offers_the_users_teams_with_the_current_one_chosen(client, acme):
    admin = acme.people["admin"]
    personal = teams.ensure_personal_team(admin)
    confirm_password(client, admin)
    work_in(client, acme)

    page = client.get(reverse("api_keys")).text

    select = re.search(r'<select name="team"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', select)
    assert options == [(str(personal.pk), "", personal.name), (str(acme.pk), " selected", "Acme")]


def test_a_key_is_created_for_the_chosen_team(client, acme):
    admin = acme.people["admin"]
    personal = teams.ensure_personal_team(admin)
    confirm_password(client, admin)
    work_in(client, personal)

    response = client.post(
        reverse("api_keys"), {"name": "Acme sync", "team": acme.pk, "expires": "30"}
    )

    assert response.status_code == 303
    assert ApiKey.objects.get(name="Acme sync").team == acme
    [key] = re.findall(KEY_PATTERN, client.get(reverse("api_keys")).text)
    assert Client().get(TEAM_OF_REQUEST, headers=bearer(key)).json()["drf"]["id"] == acme.pk


def test_without_a_choice_the_key_is_for_the_current_team(client, acme):
    confirm_password(client, acme.people["member"])
    work_in(client, acme)

    client.post(reverse("api_keys"), {"name": "No choice", "expires": "30"})

    assert ApiKey.objects.get(name="No choice").team == acme


def test_a_user_with_one_team_is_not_asked_for_one(client, member):
    confirm_password(client, member)
    personal = teams.ensure_personal_team(member)

    page = client.get(reverse("api_keys")).text
    client.post(reverse("api_keys"), {"name": "Mine", "team": personal.pk, "expires": "30"})

    # Without team pages every user has only their personal team: no team UI on the page.
    assert '<select name="team"' not in page
    assert f'<input type="hidden" name="team" value="{personal.pk}"' in page
    # (The header's team switcher, with the teams module, names the team: not the keys list.)
    assert '<span class="tag">Team:' not in client.get(reverse("api_keys")).text
    assert ApiKey.objects.get().team == personal


def test_a_key_cannot_be_created_for_a_team_of_someone_else(client, acme, outsider):
    confirm_password(client, outsider)

    response = client.post(
        reverse("api_keys"), {"name": "Sneaky", "team": acme.pk, "expires": "30"}
    )

    assert response.status_code == 400
    assert "You are not a member of that team" in response.text
    assert not ApiKey.objects.filter(user=outsider).exists()
    with pytest.raises(ValueError, match="not a member"):
        services.create_key(outsider, "Sneaky", team=acme)


def test_keys_made_in_code_default_to_the_personal_team(member):
    created = services.create_key(member, "From a script")

    assert created.api_key.team == teams.ensure_personal_team(member)
    assert created.api_key.team.personal


def test_the_keys_page_shows_each_keys_team(client, acme):
    admin = acme.people["admin"]
    personal = teams.ensure_personal_team(admin)
    services.create_key(admin, "Personal script", team=personal)
    client.force_login(admin)

    page = client.get(reverse("api_keys")).text

    assert re.search(r"<dt>admin script</dt>\s*<dd>\s*<code>[^<]+</code>\s*"
                     r'<span class="tag">Team: Acme</span>', page)  # fmt: skip
    assert re.search(r"<dt>Personal script</dt>\s*<dd>\s*<code>[^<]+</code>\s*"
                     rf'<span class="tag">Team: {personal.name}</span>', page)  # fmt: skip


# A key acts in its team.


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
def test_a_key_acts_in_its_team_with_the_users_role(client, acme, role):
    user = acme.people[role]
    # The session's current team is another one: a key does not follow the session.
    client.force_login(user)
    work_in(client, teams.ensure_personal_team(user))

    response = client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys[role]))

    assert response.status_code == 200
    seen = {"id": acme.pk, "role": role}
    assert response.json() == {"drf": seen, "django": seen}


@pytest.mark.parametrize("claimed", ["acme", "personal"])
def test_a_keys_write_is_not_held_to_the_sessions_team(client, acme, claimed):
    """The tab guard (a write naming another team than the session's answers 409) is for
    browser tabs: a request made with a key acts in the key's team, whatever the session."""
    admin = acme.people["admin"]
    personal = teams.ensure_personal_team(admin)
    client.force_login(admin)
    work_in(client, personal)
    named = {"acme": acme, "personal": personal}[claimed]

    response = client.post(
        TEAM_OF_REQUEST, headers={**bearer(acme.keys["admin"]), "X-Team": str(named.pk)}
    )

    assert response.status_code == 200
    assert response.json()["drf"] == {"id": acme.pk, "role": "admin"}


def test_me_reports_the_keys_team(client, acme):
    response = client.get(reverse("api_me"), headers=bearer(acme.keys["admin"]))

    assert response.json()["team"] == {"id": acme.pk, "name": "Acme", "role": "admin"}


def test_me_reports_the_sessions_current_team(client, acme):
    client.force_login(acme.people["member"])
    work_in(client, acme)

    response = client.get(reverse("api_me"))

    assert response.json()["team"] == {"id": acme.pk, "name": "Acme", "role": "member"}


def test_a_role_change_applies_to_the_key_at_once(client, acme):
    key = acme.keys["member"]
    assert client.get("/api/v1/test/invite/", headers=bearer(key)).status_code == 403

    Membership.objects.filter(user=acme.people["member"], team=acme).update(role="admin")

    assert client.get("/api/v1/test/invite/", headers=bearer(key)).status_code == 200
    assert client.get(TEAM_OF_REQUEST, headers=bearer(key)).json()["drf"]["role"] == "admin"


def test_a_removed_members_key_is_refused_at_once(client, acme):
    member = acme.people["member"]
    own_key = services.create_key(member, "Personal", team=teams.ensure_personal_team(member))
    assert client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys["member"])).status_code == 200

    Membership.objects.filter(user=member, team=acme).delete()

    response = client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys["member"]))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = response.json()
    assert body["code"] == "not_team_member_api_key"
    assert "no longer a member" in body["detail"]
    # Only that team's access ends: the key of the team they are still in works.
    assert client.get(TEAM_OF_REQUEST, headers=bearer(own_key.key)).status_code == 200
    # Their keys page says why the key stopped working.
    client.force_login(member)
    page = client.get(reverse("api_keys")).text
    assert re.search(r"<dt>member script</dt>\s*<dd>.*?No access: you left this team", page, re.S)
    # And for good: the key is revoked (the next test: when they are invited back).
    assert ApiKey.objects.get(name="member script").is_revoked
    assert not ApiKey.objects.get(name="Personal").is_revoked


def test_a_key_stays_revoked_when_its_user_rejoins_the_team(client, acme):
    member = acme.people["member"]
    own_key = services.create_key(member, "Personal", team=teams.ensure_personal_team(member))
    Membership.objects.filter(user=member, team=acme).delete()

    # Invited back: the key of the team they left does not come back to life.
    Membership.objects.create(user=member, team=acme, role="member")

    response = client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys["member"]))
    assert response.status_code == 401
    assert response.json()["code"] == "revoked_api_key"
    assert ApiKey.objects.get(name="member script").is_revoked
    # Only that team's keys, and only theirs, were revoked.
    assert client.get(TEAM_OF_REQUEST, headers=bearer(own_key.key)).status_code == 200
    assert client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys["admin"])).status_code == 200
    client.force_login(member)
    page = client.get(reverse("api_keys")).text
    assert re.search(r"<dt>member script</dt>\s*<dd>.*?>Revoked<", page, re.S)


def test_a_key_stops_with_its_team(client, acme):
    acme.delete()

    response = client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys["owner"]))

    assert response.status_code == 401
    assert not ApiKey.objects.filter(name="owner script").exists()


def test_authenticating_a_key_is_still_one_query(client, acme, django_assert_num_queries):
    client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys["admin"]))  # Records the first use.

    # The key, its user, its team and the user's role there, in one query.
    with django_assert_num_queries(1):
        response = client.get(TEAM_OF_REQUEST, headers=bearer(acme.keys["admin"]))

    assert response.json()["drf"] == {"id": acme.pk, "role": "admin"}


# The core's DRF permission classes (quickscale_core/drf_permissions.py), role by role, on the
# small views of tests/urls.py.

ALLOWED = 200
REFUSED = 403

MATRIX = [
    # (method, path, {role: status})
    ("get", "any-member", {"owner": ALLOWED, "admin": ALLOWED, "member": ALLOWED}),
    # team_permission: every method.
    ("get", "invite", {"owner": ALLOWED, "admin": ALLOWED, "member": REFUSED}),
    ("delete", "invite", {"owner": ALLOWED, "admin": ALLOWED, "member": REFUSED}),
    # team_permissions by method; an unmapped read needs team.view, an unmapped write is refused.
    ("get", "by-method", {"owner": ALLOWED, "admin": ALLOWED, "member": ALLOWED}),
    ("post", "by-method", {"owner": ALLOWED, "admin": ALLOWED, "member": REFUSED}),
    ("delete", "by-method", {"owner": ALLOWED, "admin": REFUSED, "member": REFUSED}),
    ("put", "by-method", {"owner": REFUSED, "admin": REFUSED, "member": REFUSED}),
    ("get", "owners-and-admins", {"owner": ALLOWED, "admin": ALLOWED, "member": REFUSED}),
    ("get", "owners-only", {"owner": ALLOWED, "admin": REFUSED, "member": REFUSED}),
]


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
@pytest.mark.parametrize(("method", "path", "expected"), MATRIX)
def test_team_permission_classes(client, acme, role, method, path, expected):
    response = getattr(client, method)(f"/api/v1/test/{path}/", headers=bearer(acme.keys[role]))

    assert response.status_code == expected[role]
    if expected[role] == REFUSED:
        assert response.json()["code"] == "permission_denied"
        assert response.json()["detail"] == "Your role in this team does not allow this."


@pytest.mark.parametrize("path", ["any-member", "invite", "by-method", "owners-only"])
def test_team_permission_classes_need_credentials(client, path):
    response = client.get(f"/api/v1/test/{path}/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_team_permission_classes_follow_the_sessions_current_team(acme):
    member = acme.people["member"]
    client = Client()
    client.force_login(member)

    # In their personal team they are the owner; in Acme a member.
    assert client.get("/api/v1/test/owners-only/").status_code == 200
    work_in(client, acme)
    assert client.get("/api/v1/test/owners-only/").status_code == 403
