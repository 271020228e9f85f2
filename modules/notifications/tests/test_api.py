"""/api/v1/notifications/: list, unread count, mark read, preferences (with the api module)."""

import pytest
from django.urls import reverse

from quickscale_core.testing import needs_url
from quickscale_modules.notifications.models import Notification

pytestmark = [pytest.mark.django_db, needs_url("api_notifications")]


@pytest.fixture
def api(client, ada):
    client.force_login(ada)
    return client


def test_list_and_unread_count(api, ada, bob):
    mine = Notification.objects.create(user=ada, kind="report_ready", title="Mine", url="/r/1/")
    Notification.objects.create(user=bob, kind="report_ready", title="Theirs")

    listed = api.get(reverse("api_notifications")).json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert listed["results"][0]["read_at"] is None
    assert api.get(reverse("api_notifications_unread")).json() == {"unread": 1}
    # Filters the list does not take are ignored; a page that does not exist is DRF's 404.
    odd = api.get(reverse("api_notifications") + "?show=unread&ordering=id&search=x")
    assert odd.json()["count"] == 1
    for page in ["x", "0", "99", "%00"]:
        response = api.get(reverse("api_notifications") + f"?page={page}")
        assert response.status_code == 404, (page, response.status_code)


def test_mark_read_twice_and_someone_elses(api, ada, bob):
    mine = Notification.objects.create(user=ada, kind="report_ready", title="Mine")
    theirs = Notification.objects.create(user=bob, kind="report_ready", title="Theirs")

    for _ in range(2):
        response = api.post(reverse("api_notification_read", args=[mine.pk]))
        assert response.status_code == 200 and response.json()["read_at"]
    assert api.post(reverse("api_notification_read", args=[theirs.pk])).status_code == 404
    Notification.objects.create(user=ada, kind="report_ready", title="Another")
    assert api.post(reverse("api_notifications_read_all")).json() == {"unread": 0}


def test_preferences_read_and_patch(api):
    rows = {row["kind"]: row for row in api.get(reverse("api_notification_preferences")).json()}
    assert rows["report_ready"]["email"] is True and rows["new_sign_in"]["email_locked"] is True

    response = api.patch(
        reverse("api_notification_preferences"),
        {"report_ready": {"email": False}, "new_sign_in": {"email": False}},
        content_type="application/json",
    )

    rows = {row["kind"]: row for row in response.json()}
    assert rows["report_ready"]["email"] is False and rows["report_ready"]["in_app"] is True
    assert rows["new_sign_in"]["email"] is True


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"no_such_kind": {"email": False}},
        {"report_ready": {"email": "maybe"}},
        {"report_ready": 3},
    ],
)
def test_bad_preference_bodies_are_400(api, body):
    response = api.patch(
        reverse("api_notification_preferences"), body, content_type="application/json"
    )
    assert response.status_code == 400


def test_the_api_needs_credentials(client):
    assert client.get(reverse("api_notifications")).status_code in (401, 403)
