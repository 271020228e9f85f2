"""The operator's actions: run failed tasks again, run a periodic task now."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quickscale_core.background import ATTEMPT_KWARG
from quickscale_modules.tasks.models import ScheduleSlot
from quickscale_modules.tasks.tests.periodic import append_line


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        email="ops@example.com", password="pw-1234567"
    )
    client.force_login(user)
    return client


def failed(*args, **kwargs) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=append_line.enqueue(*args, **kwargs).id)
    row.claim("w")
    row.set_failed(ConnectionError("provider down"))
    return row


@pytest.mark.django_db
def test_failed_tasks_run_again_with_their_arguments_and_a_fresh_attempt_count(staff):
    row = failed("runs-x.txt", "line", **{ATTEMPT_KWARG: 5})
    waiting = DBTaskResult.objects.get(pk=append_line.enqueue("runs-y.txt", "other").id)

    response = staff.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "enqueue_again", "_selected_action": [row.pk, waiting.pk]},
        follow=True,
    )

    assert "1 task(s) enqueued again." in response.content.decode()
    assert "1 skipped" in response.content.decode()
    fresh = DBTaskResult.objects.ready().exclude(pk=waiting.pk).get()
    assert fresh.args_kwargs == {"args": ["runs-x.txt", "line"], "kwargs": {}}
    row.refresh_from_db()
    assert row.status == "FAILED"


@pytest.mark.django_db
def test_the_task_results_list_and_page_show_a_traceback(staff):
    row = failed("runs-x.txt", "line")

    assert (
        staff.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code == 200
    )
    page = staff.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[row.pk]))

    assert "provider down" in page.content.decode()


@pytest.mark.django_db
def test_a_periodic_task_can_be_made_due_now(staff):
    later = timezone.now() + timezone.timedelta(hours=5)
    slot = ScheduleSlot.objects.create(name="nightly", next_run_at=later)

    staff.post(
        reverse("admin:quickscale_tasks_scheduleslot_changelist"),
        {"action": "run_now", "_selected_action": [slot.pk]},
    )

    slot.refresh_from_db()
    assert slot.next_run_at <= timezone.now()
    assert (
        staff.get(reverse("admin:quickscale_tasks_workerheartbeat_changelist")).status_code == 200
    )


@pytest.fixture
def viewer(client, django_user_model):
    """Staff who may only view task results (the permission the red team used)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        email="viewer@example.com", password="pw-1234567", is_staff=True
    )
    user.user_permissions.add(
        Permission.objects.get(codename="view_dbtaskresult"),
        Permission.objects.get(codename="view_scheduleslot"),
    )
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_emails_content_is_never_shown_in_the_admin(staff):
    from django.core.mail import EmailMessage

    from quickscale_core import emails

    reset = "https://example.com/accounts/password/reset/key/SECRET-KEY/"
    result = emails.deliver.enqueue(
        emails.as_data(EmailMessage("Password reset", f"Open {reset}", None, ["ada@example.com"]))
    )

    page = staff.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.id]))

    assert page.status_code == 200
    assert "SECRET-KEY" not in page.content.decode()
    assert "Password reset" in page.content.decode()
    assert "ada@example.com" in page.content.decode()


@pytest.mark.django_db
def test_staff_who_may_only_view_cannot_run_tasks_again(viewer):
    row = failed("runs-x.txt", "line")
    slot = ScheduleSlot.objects.create(name="nightly", next_run_at=timezone.now())

    listing = viewer.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    viewer.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "enqueue_again", "_selected_action": [row.pk]},
    )
    viewer.post(
        reverse("admin:quickscale_tasks_scheduleslot_changelist"),
        {"action": "run_now", "_selected_action": [slot.pk]},
    )

    assert listing.status_code == 200
    assert "enqueue_again" not in listing.content.decode()
    assert DBTaskResult.objects.count() == 1
    assert ScheduleSlot.objects.get(pk=slot.pk).next_run_at == slot.next_run_at


@pytest.mark.django_db
def test_sent_emails_leave_the_results_within_the_hour(settings):
    from django.core.mail import EmailMessage

    from quickscale_core import emails
    from quickscale_modules.tasks.housekeeping import prune_results

    result = emails.deliver.enqueue(
        emails.as_data(EmailMessage("Sign-in code", "123456", None, ["ada@example.com"]))
    )
    kept = failed("runs-x.txt", "line")
    DBTaskResult.objects.filter(pk__in=[result.id, kept.pk]).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timezone.timedelta(hours=2)
    )

    assert prune_results.call() == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [kept.pk]
