"""Teams in the core: a personal team for every user, the current team of a request, the tab
guard, roles, the strict manager, the view mixins and the Team admin.

They run in every project, with or without the auth and api modules: the views below are
declared here (this module is the URLconf of its tests) on top of the project's own URLs.
"""

import json

import pytest
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.views import View

from config.urls import urlpatterns as project_urlpatterns
from quickscale_core import roles, teams
from quickscale_core.models import Membership, Team
from quickscale_core.scoping import TeamScopedManager, UnscopedQuery
from quickscale_core.team_access import (
    TeamMemberRequiredMixin,
    TeamPermissionRequiredMixin,
    TeamRoleRequiredMixin,
    team_permission_required,
)
from quickscale_core.testing import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PASSWORD = "correct-horse-battery-staple"


# Small views that show what a request sees, and the mixins at work.


def team_of_request(request):
    team = request.team
    return JsonResponse(None if team is None else {"id": team.pk, "role": team.role}, safe=False)


def rename_team(request):
    """A write to the current team's data, as any form or htmx request makes one."""
    request.team.name = request.POST["name"]
    request.team.save(update_fields=["name"])
    return HttpResponse("saved")


class Ok(View):
    def get(self, request):
        return HttpResponse("ok")


class AnyMember(TeamMemberRequiredMixin, Ok):
    pass


class MayInvite(TeamPermissionRequiredMixin, Ok):
    team_permission = "members.invite"


class OwnersAndAdmins(TeamRoleRequiredMixin, Ok):
    team_roles = {"owner", "admin"}


@team_permission_required("team.delete")
def delete_team(request):
    return HttpResponse("ok")


@team_permission_required()
def any_member(request):
    return HttpResponse("ok")


urlpatterns = [
    path("test/team/", team_of_request),
    path("test/rename/", rename_team),
    path("test/any-member/", AnyMember.as_view()),
    path("test/may-invite/", MayInvite.as_view()),
    path("test/owners-and-admins/", OwnersAndAdmins.as_view()),
    path("test/delete-team/", delete_team),
    path("test/any-member-fn/", any_member),
    *project_urlpatterns,
]


@pytest.fixture
def acme(django_user_model):
    """A team with an owner, an admin and a member (each also has their personal team)."""
    people = {
        role: django_user_model.objects.create_user(email=f"{role}@acme.test", password=PASSWORD)
        for role in ("owner", "admin", "member")
    }
    team = teams.create_team(people["owner"], "Acme")
    for role in ("admin", "member"):
        Membership.objects.create(user=people[role], team=team, role=role)
    team.people = people
    return team


# Deleting a user leaves their teams in order.


def test_a_deleted_users_personal_team_goes_with_them(user):
    personal = teams.ensure_personal_team(user)

    user.delete()

    assert not Team.objects.filter(pk=personal.pk).exists()


def test_the_last_owner_deleted_hands_the_team_to_the_highest_role(acme):
    acme.people["owner"].delete()

    assert Membership.objects.get(team=acme, user=acme.people["admin"]).role == "owner"
    assert Membership.objects.get(team=acme, user=acme.people["member"]).role == "member"


def test_a_shared_team_with_another_owner_keeps_its_roles(acme):
    Membership.objects.filter(team=acme, user=acme.people["member"]).update(role="owner")

    acme.people["owner"].delete()

    assert Membership.objects.get(team=acme, user=acme.people["admin"]).role == "admin"


def test_a_personal_team_others_joined_passes_to_them(user, django_user_model):
    personal = teams.ensure_personal_team(user)
    guest = django_user_model.objects.create_user(email="guest@acme.test", password=PASSWORD)
    Membership.objects.create(user=guest, team=personal, role="member")

    user.delete()

    personal.refresh_from_db()
    assert not personal.personal
    assert Membership.objects.get(team=personal, user=guest).role == "owner"


def test_deleting_every_owner_at_once_still_leaves_an_owner(acme, django_user_model):
    Membership.objects.filter(team=acme, user=acme.people["admin"]).update(role="owner")

    django_user_model.objects.filter(email__in=["owner@acme.test", "admin@acme.test"]).delete()

    assert Membership.objects.get(team=acme).role == "owner"  # The member, the only one left.


def test_deleting_every_member_at_once_deletes_the_team(acme, django_user_model):
    django_user_model.objects.filter(email__endswith="@acme.test").delete()

    assert not Team.objects.filter(pk=acme.pk).exists()


def test_the_scoped_queryset_creates_in_its_team(scoped, acme, django_user_model):
    newcomer = django_user_model.objects.create_user(email="new@acme.test", password=PASSWORD)

    made = scoped.for_team(acme).create(user=newcomer, role="member")

    assert made.team == acme


def test_a_team_left_empty_by_a_deletion_is_deleted(django_user_model):
    alone = django_user_model.objects.create_user(email="alone@acme.test", password=PASSWORD)
    team = teams.create_team(alone, "Solo shared")

    alone.delete()

    assert not Team.objects.filter(pk=team.pk).exists()


# Every user has a personal team, however they are created.


def test_a_new_user_gets_a_personal_team_they_own(django_user_model):
    ada = django_user_model.objects.create_user(
        email="ada@example.com", password=PASSWORD, first_name="Ada", last_name="Lovelace"
    )
    bob = django_user_model.objects.create_user(email="bob.smith@example.com", password=PASSWORD)

    [ada_membership] = Membership.objects.filter(user=ada)
    assert ada_membership.role == roles.OWNER
    assert ada_membership.team.personal
    assert ada_membership.team.name == "Ada Lovelace"
    # Without a name, the part of the email before the @.
    assert [team.name for team in teams.teams_of(bob)] == ["bob.smith"]
    assert teams.ensure_personal_team(ada) == ada_membership.team  # no second one


def test_createsuperuser_gets_a_personal_team(django_user_model):
    call_command("createsuperuser", "--noinput", email="root@example.com", verbosity=0)

    root = django_user_model.objects.get(email="root@example.com")
    [team] = teams.teams_of(root)
    assert team.personal and team.role == roles.OWNER


def test_saving_a_user_again_makes_no_other_team(user):
    user.first_name = "Renamed"
    user.save()

    assert Team.objects.filter(memberships__user=user).count() == 1


def test_a_user_in_several_teams_lists_the_personal_one_first(acme):
    admin = acme.people["admin"]
    Team.objects.filter(memberships__user=admin, personal=True).update(name="Zed")

    found = teams.teams_of(admin)

    assert [(team.name, team.role) for team in found] == [("Zed", "owner"), ("Acme", "admin")]


# The strict manager. Only its behaviour is tested here, bound to the core's Membership (a
# model with a `team`), because the core has no TeamScopedModel of its own and a test-only
# model would need an app of its own; TeamScopedModel itself (its `unscoped` default manager,
# the admin of such a model) is tested through the todo theme's TodoList.


@pytest.fixture
def scoped():
    manager = TeamScopedManager()
    manager.model = Membership
    return manager


@pytest.mark.parametrize(
    "query",
    [
        lambda m: m.all(),
        lambda m: m.filter(role="owner"),
        lambda m: m.exclude(role="owner"),
        lambda m: m.count(),
        lambda m: m.first(),
        lambda m: m.get(pk=1),
        lambda m: m.create(role="member"),
    ],
    ids=["all", "filter", "exclude", "count", "first", "get", "create-without-team"],
)
def test_the_strict_manager_refuses_queries_without_a_team(scoped, acme, query):
    with pytest.raises(UnscopedQuery, match="Membership.objects"):
        query(scoped)


def test_the_strict_manager_reads_and_writes_within_a_team(scoped, acme, django_user_model):
    newcomer = django_user_model.objects.create_user(email="new@acme.test", password=PASSWORD)
    other = teams.ensure_personal_team(acme.people["owner"])

    created = scoped.create(team=acme, user=newcomer, role="member")

    in_acme = scoped.for_team(acme)
    assert created in in_acme
    assert in_acme.count() == 4
    assert set(in_acme.values_list("team_id", flat=True)) == {acme.pk}
    assert list(scoped.for_team(other).values_list("user__email", flat=True)) == ["owner@acme.test"]
    # A queryset that starts from a team chains like any other.
    assert in_acme.filter(role="member").count() == 2
    with pytest.raises(UnscopedQuery, match="got no team"):
        scoped.for_team(None)


def test_the_team_admin_lists_teams(admin_client, acme):
    response = admin_client.get("/admin/quickscale_core/team/")

    assert response.status_code == 200
    assert "Acme" in response.text
    found = admin_client.get("/admin/quickscale_core/team/", {"q": "member@acme.test"})
    assert "Acme" in found.text
    change = admin_client.get(f"/admin/quickscale_core/team/{acme.pk}/change/")
    assert change.status_code == 200
    assert "admin@acme.test" in change.text


def test_the_team_admin_list_takes_the_same_queries_for_many_teams(admin_client, acme):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get("/admin/quickscale_core/team/")
        assert response.status_code == 200
        return len(captured)

    few = queries_for_the_list()
    owner = acme.people["owner"]
    for number in range(30):
        team = teams.create_team(owner, f"Team {number}")
        Membership.objects.create(user=acme.people["member"], team=team, role="member")

    assert queries_for_the_list() == few


# The current team.


def test_a_signed_in_user_works_in_their_personal_team_by_default(client, user):
    response = sign_in(client, user).get("/test/team/")

    personal = teams.ensure_personal_team(user)
    assert response.json() == {"id": personal.pk, "role": "owner"}


def test_visitors_have_no_team(client):
    assert client.get("/test/team/").json() is None


def test_the_sessions_team_is_the_current_team_with_the_users_role(client, acme):
    sign_in(client, acme.people["admin"], acme)

    assert client.get("/test/team/").json() == {"id": acme.pk, "role": "admin"}


def test_a_team_the_user_left_is_no_longer_current(client, acme):
    member = acme.people["member"]
    sign_in(client, member, acme)
    assert client.get("/test/team/").json()["id"] == acme.pk

    Membership.objects.filter(user=member, team=acme).delete()

    personal = teams.ensure_personal_team(member)
    assert client.get("/test/team/").json() == {"id": personal.pk, "role": "owner"}


def test_a_session_naming_a_team_of_others_is_ignored(client, acme, user):
    sign_in(client, user, acme)

    personal = teams.ensure_personal_team(user)
    assert client.get("/test/team/").json() == {"id": personal.pk, "role": "owner"}


def test_a_user_without_any_team_gets_a_personal_one_back(client, user):
    Team.objects.filter(memberships__user=user).delete()

    response = sign_in(client, user).get("/test/team/")

    [team] = teams.teams_of(user)
    assert team.personal
    assert response.json() == {"id": team.pk, "role": "owner"}


def _request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request.team = teams.ensure_personal_team(user)
    return request


def test_switch_team_refuses_a_team_the_user_is_not_in(acme, user):
    request = _request_of(user)
    personal = request.team

    assert teams.switch_team(request, acme) is False

    assert teams.SESSION_KEY not in request.session
    assert request.team == personal


def test_switch_team_to_a_team_of_the_user(acme):
    member = acme.people["member"]
    request = _request_of(member)

    assert teams.switch_team(request, acme) is True

    assert request.session[teams.SESSION_KEY] == acme.pk
    assert (request.team, request.team.role) == (acme, "member")


# The tab guard: a write from a page of another team than the current one answers 409.


@pytest.fixture
def two_tabs(client, acme):
    """The owner loaded a page of Acme in one tab, then switched to their personal team in
    another: the session's current team is now the personal one."""
    owner = acme.people["owner"]
    personal = teams.ensure_personal_team(owner)
    sign_in(client, owner, personal)
    return client, acme, personal


def _assert_nothing_written(*team_list):
    for team in team_list:
        assert Team.objects.get(pk=team.pk).name == team.name


def test_a_form_from_a_page_of_another_team_is_refused(two_tabs):
    client, acme, personal = two_tabs

    response = client.post("/test/rename/", {"name": "Hijacked", "team_id": acme.pk})

    assert response.status_code == 409
    assert "Reload the page" in response.text
    assert personal.name in response.text  # the team switched to, named
    _assert_nothing_written(acme, personal)


def test_an_htmx_request_from_a_page_of_another_team_is_refused(two_tabs):
    client, acme, personal = two_tabs

    response = client.post(
        "/test/rename/",
        {"name": "Hijacked"},
        headers={"X-Team": str(acme.pk), "HX-Request": "true"},
    )

    # htmx swaps no 4xx answer: it is told to reload, and the reloaded page says why.
    assert response.status_code == 409 and response["HX-Refresh"] == "true"
    _assert_nothing_written(acme, personal)
    reloaded = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("another tab" in text and personal.name in text for text in reloaded)


def test_a_json_client_is_told_the_team_changed_in_json(two_tabs):
    client, acme, personal = two_tabs

    response = client.post(
        "/test/rename/",
        {"name": "Hijacked"},
        headers={"X-Team": str(acme.pk), "Accept": "application/json"},
    )

    assert response.status_code == 409
    body = json.loads(response.content)
    assert body["status"] == 409 and body["code"] == "team_changed"
    assert "another tab" in body["detail"] and personal.name in body["detail"]
    _assert_nothing_written(acme, personal)


def test_a_write_from_a_page_of_the_current_team_goes_through(two_tabs):
    client, acme, personal = two_tabs

    response = client.post(
        "/test/rename/",
        {"name": "Mine", "team_id": personal.pk},
        headers={"X-Team": str(personal.pk)},
    )

    assert response.status_code == 200
    assert Team.objects.get(pk=personal.pk).name == "Mine"


def test_a_write_that_names_no_team_goes_through(two_tabs):
    client, acme, personal = two_tabs

    assert client.post("/test/rename/", {"name": "Mine"}).status_code == 200


def test_a_browser_tab_sending_basic_credentials_is_guarded(two_tabs):
    # A password-protected staging site: the browser sends `Authorization: Basic` with every
    # request. Only Bearer requests (API keys, which act in their own team) skip the guard.
    client, acme, personal = two_tabs

    response = client.post(
        "/test/rename/",
        {"name": "Hijacked"},
        headers={"X-Team": str(acme.pk), "Authorization": "Basic c3RhZ2luZzpzZWNyZXQ="},
    )

    assert response.status_code == 409
    _assert_nothing_written(acme, personal)


def test_reads_are_never_refused(two_tabs):
    client, acme, personal = two_tabs

    response = client.get("/test/team/", {"team_id": acme.pk}, headers={"X-Team": str(acme.pk)})

    assert response.status_code == 200
    assert response.json()["id"] == personal.pk


# Roles.


def test_default_roles():
    assert list(roles.roles()) == ["owner", "admin", "member"]
    assert all(roles.allows("owner", action) for action in roles.ACTIONS)
    assert roles.allows("admin", "members.invite")
    assert not roles.allows("admin", "team.delete")
    assert not roles.allows("admin", "team.transfer")
    assert roles.allows("member", "team.view")
    assert not roles.allows("member", "members.invite")
    assert not roles.allows(None, "team.view")
    assert not roles.allows("stranger", "team.view")
    assert [roles.rank(role) for role in ("owner", "admin", "member", "stranger")] == [0, 1, 2, 3]
    assert roles.assignable_by("owner") == ["owner", "admin", "member"]
    # Others give their own role or a lower one, never owner.
    assert roles.assignable_by("admin") == ["admin", "member"]
    assert roles.assignable_by("member") == ["member"]
    assert roles.label("admin") == "Admin"
    assert roles.role_choices() == [("owner", "Owner"), ("admin", "Admin"), ("member", "Member")]


def test_team_roles_from_settings_replace_the_defaults(settings):
    settings.TEAM_ROLES = {
        "owner": {"label": "Owner", "permissions": ["team.view", "team.delete"]},
        "billing": {"label": "Billing", "permissions": ["team.view", "billing.manage"]},
        "viewer": {"permissions": ["team.view"]},
    }

    assert roles.allows("billing", "billing.manage")
    assert not roles.allows("billing", "members.invite")
    assert not roles.allows("admin", "team.view")  # no longer a role
    assert not roles.allows("owner", "members.invite")  # owners may only what is listed
    assert [roles.rank(role) for role in ("owner", "billing", "viewer", "admin")] == [0, 1, 2, 3]
    assert roles.assignable_by("owner") == ["owner", "billing", "viewer"]
    assert roles.assignable_by("billing") == ["billing", "viewer"]
    assert roles.assignable_by("viewer") == ["viewer"]
    assert roles.label("viewer") == "Viewer"


def test_a_role_from_settings_decides_what_a_view_allows(client, settings, acme):
    settings.TEAM_ROLES = {
        **roles.DEFAULT_ROLES,
        "member": {"label": "Member", "permissions": ["team.view", "members.invite"]},
    }

    sign_in(client, acme.people["member"], acme)

    assert client.get("/test/may-invite/").status_code == 200


# The view mixins and the decorator.

ALLOWED, REFUSED = 200, 403
VIEWS = [
    ("/test/any-member/", {"owner": ALLOWED, "admin": ALLOWED, "member": ALLOWED}),
    ("/test/may-invite/", {"owner": ALLOWED, "admin": ALLOWED, "member": REFUSED}),
    ("/test/owners-and-admins/", {"owner": ALLOWED, "admin": ALLOWED, "member": REFUSED}),
    ("/test/delete-team/", {"owner": ALLOWED, "admin": REFUSED, "member": REFUSED}),
    ("/test/any-member-fn/", {"owner": ALLOWED, "admin": ALLOWED, "member": ALLOWED}),
]


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
@pytest.mark.parametrize(("url", "expected"), VIEWS)
def test_views_decide_by_the_role_in_the_current_team(client, acme, role, url, expected):
    sign_in(client, acme.people[role], acme)

    assert client.get(url).status_code == expected[role]


@pytest.mark.parametrize(("url", "expected"), VIEWS)
def test_visitors_are_sent_to_the_login_page(client, settings, url, expected):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{resolve_url(settings.LOGIN_URL)}?next={url}"


def test_the_role_of_the_current_team_counts_not_the_highest(client, acme):
    member = acme.people["member"]  # owner of their personal team, member of Acme
    sign_in(client, member)
    assert client.get("/test/delete-team/").status_code == ALLOWED

    sign_in(client, member, acme)

    assert client.get("/test/delete-team/").status_code == REFUSED


def test_a_write_from_a_team_you_were_removed_from_says_so(two_tabs):
    client, acme, personal = two_tabs
    Membership.objects.filter(team=acme, user=acme.people["owner"]).delete()

    response = client.post("/test/rename/", {"name": "Late", "team_id": acme.pk})

    assert response.status_code == 409
    assert "no longer a member" in response.text
    _assert_nothing_written(acme, personal)


def test_can_asks_the_users_role_in_that_team(acme, django_user_model, settings):
    settings.TEAM_ROLES = {
        "owner": {"label": "Owner", "permissions": ["team.view", "reports.export"]},
        "admin": {"label": "Admin", "permissions": ["team.view"]},
        "member": {"label": "Member", "permissions": ["team.view"]},
    }
    outsider = django_user_model.objects.create_user(email="eve@acme.test", password=PASSWORD)

    assert teams.can(acme.people["owner"], acme, "reports.export")
    assert not teams.can(acme.people["admin"], acme, "reports.export")
    assert not teams.can(outsider, acme, "team.view")


@pytest.mark.parametrize("method, headers", [("post", {}), ("get", {"HX-Request": "true"})])
def test_forms_and_htmx_read_one_membership_not_every_team(acme, method, headers):
    """Only a full page draws the team switcher: a form post or an htmx request reads the
    one membership it acts in, so a user in thousands of teams does not load them all on
    every click (issue 20's review)."""
    admin = acme.people["admin"]
    for number in range(3):
        teams.create_team(admin, f"Side {number}")
    request = getattr(RequestFactory(), method)("/", headers=headers)
    request.user = admin
    request.session = SessionStore()
    request.session[teams.SESSION_KEY] = acme.pk

    with CaptureQueriesContext(connection) as queries:
        team = teams.current_team(request)

    assert (team, team.role) == (acme, "admin")
    memberships = [q["sql"] for q in queries if '"quickscale_core_membership"' in q["sql"]]
    assert len(memberships) == 1 and "LIMIT 1" in memberships[0], memberships
    assert not hasattr(request, teams.REQUEST_TEAMS)
    # Without a team in the session, both ways fall back to the same team.
    del request.session[teams.SESSION_KEY]
    page = RequestFactory().get("/")
    page.user, page.session = admin, request.session
    personal = teams.ensure_personal_team(admin)
    assert teams.current_team(request) == teams.current_team(page) == personal
