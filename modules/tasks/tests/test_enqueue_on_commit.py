"""With the database queue, quickscale_core.background.enqueue_on_commit writes the task's
row inside the caller's transaction: it commits with the data or vanishes with it."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from quickscale_core.background import enqueue_on_commit
from quickscale_modules.tasks.tests.periodic import tick


@pytest.mark.django_db
def test_the_task_row_commits_or_rolls_back_with_the_data(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(tick)
        assert DBTaskResult.objects.count() == 1  # written in the transaction, not after it
        raise RuntimeError("rolled back")

    assert DBTaskResult.objects.count() == 0
    with transaction.atomic():
        enqueue_on_commit(tick)

    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "quickscale_modules.tasks.tests.periodic.tick"
    ]
