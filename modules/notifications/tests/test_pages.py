"""The notifications pages: list, bell, mark read (POST + CSRF, from two tabs), preferences,
the bounced-address prompt, and query strings that must never break the list."""

import pytest
from django.test import Client
from django.urls import reverse

from quickscale_core import extensions
from quickscale_modules.notifications import selectors
from quickscale_modules.notifications.models import Notification, Preference, Suppression

pytestmark = pytest.mark.django_db


def make(user, count=1, **fields):
    return [
        Notification.objects.create(user=user, kind="report_ready", title=f"Report {i}", **fields)
        for i in range(count)
    ]


def test_pages_need_a_signed_in_user(client):
    for name in ["notifications:list", "notifications:preferences"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # The bell polled from a signed-out tab swaps nothing in (no login page inside the header).
    assert client.get(reverse("notifications:bell")).status_code == 204


def test_the_header_bell_shows_the_unread_count_and_polls(signed_in, ada):
    make(ada, 3)

    page = signed_in.get(extensions.page_url("dashboard") or "/")
    bell = signed_in.get(reverse("notifications:bell"))

    for response in (page, bell):
        assert 'id="notification-bell"' in response.text
        assert '<span class="tag tag--accent" data-unread-count>3</span>' in response.text
        assert f'hx-get="{reverse("notifications:bell")}"' in response.text
    assert bell["Cache-Control"] == "no-store"


def test_list_shows_only_my_notifications_newest_first(signed_in, ada, bob):
    make(ada, 2)
    make(bob, 1, url="/secret/")
    response = signed_in.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert response.text.index("Report 1") < response.text.index("Report 0")
    assert "/secret/" not in response.text


def test_mark_read_and_mark_all_read(signed_in, ada):
    first, second, third = make(ada, 3)

    response = signed_in.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:list")
    assert selectors.unread_count(ada) == 2
    signed_in.post(reverse("notifications:read_all"))
    assert selectors.unread_count(ada) == 0


def test_open_marks_read_and_follows_only_a_local_link(signed_in, ada):
    local, foreign = make(ada, 1, url="/billing/")[0], make(ada, 1, url="https://evil.example/")[0]

    assert (
        signed_in.post(reverse("notifications:read", args=[local.pk]), {"open": "1"}).url
        == "/billing/"
    )
    response = signed_in.post(
        reverse("notifications:read", args=[foreign.pk]),
        {"open": "1", "next": "https://evil.example/"},
    )
    assert response.url == reverse("notifications:list")


def test_writes_need_post_and_csrf(ada):
    [notification] = make(ada)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada)

    assert browser.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert browser.post(reverse("notifications:read", args=[notification.pk])).status_code == 403
    assert browser.post(reverse("notifications:read_all")).status_code == 403
    assert selectors.unread_count(ada) == 1


def test_someone_elses_notification_cannot_be_marked(signed_in, bob):
    [theirs] = make(bob)

    response = signed_in.post(reverse("notifications:read", args=[theirs.pk]))

    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_two_tabs_marking_read(ada):
    """Tab A marks all read while tab B still shows the old list: tab B's clicks change
    nothing more and fail nothing, and both bells agree."""
    first, second = make(ada, 2)
    tab_a, tab_b = Client(), Client()
    tab_a.force_login(ada)
    tab_b.force_login(ada)

    tab_a.post(reverse("notifications:read", args=[first.pk]))
    read_at = Notification.objects.get(pk=first.pk).read_at
    assert tab_b.post(reverse("notifications:read", args=[first.pk])).status_code == 302
    assert Notification.objects.get(pk=first.pk).read_at == read_at  # the first read time stays
    tab_b.post(reverse("notifications:read_all"))
    assert tab_a.post(reverse("notifications:read_all")).status_code == 302
    for tab in (tab_a, tab_b):
        assert "data-unread-count" not in tab.get(reverse("notifications:bell")).text


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=0",
        "page=99999999999999999999999",
        "page=1e3",
        "page=%00",
        "page=",
        "page=1&page=2",
        "show=unread&page=9",
        "show=%F0%9F%94%94",
        "show[]=unread",
        "%ff=%fe",
    ],
)
def test_odd_query_strings_never_fail(signed_in, ada, query):
    make(ada, 25)

    response = signed_in.get(f"{reverse('notifications:list')}?{query}")

    assert response.status_code == 200


def test_preferences_page_saves_each_kind(signed_in, ada):
    response = signed_in.get(reverse("notifications:preferences"))
    assert (
        'name="report_ready:email" aria-label="A report is ready: email" checked' in response.text
    )
    assert 'name="new_sign_in:email"' in response.text and "Always (security)" in response.text

    # Unticked boxes are absent from the POST: email off, in-app on for report_ready.
    signed_in.post(reverse("notifications:preferences"), {"report_ready:in_app": "on"})

    saved = Preference.objects.get(user=ada, kind="report_ready")
    assert (saved.email, saved.in_app) == (False, True)
    assert Preference.objects.get(user=ada, kind="new_sign_in").email is True


def test_a_bounced_address_is_flagged_with_a_way_out(signed_in, ada):
    Suppression.objects.create(
        address="ada@example.com", reason="bounced", detail="No such mailbox"
    )

    settings_page = signed_in.get(extensions.page_url("account_settings"))
    assert "Mail to <strong>ada@example.com</strong> bounces" in settings_page.text
    assert reverse("account_email") in settings_page.text
    assert "Email problem" in settings_page.text  # the header badge, on every page

    response = signed_in.post(reverse("notifications:retry_address"), {"next": "/accounts/"})
    assert response.status_code == 302 and not Suppression.objects.exists()
