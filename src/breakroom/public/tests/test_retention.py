"""PRIVACY.md 9: content past its retention period is deleted by a scheduled task."""

import datetime
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from breakroom.accounts.models import User
from breakroom.public.retention import do_apply_retention
from breakroom.pulse.models import Answer, Question
from breakroom.voice.actions import do_send_report, do_set_report_status
from breakroom.voice.models import Category, Report, ReportMessage, ReportStatus
from breakroom.workplaces.models import Site


def test_old_content_is_deleted_and_recent_content_kept(site: Site, organiser: User) -> None:
    with time_machine.travel(datetime.datetime(2024, 10, 2, 12, tzinfo=datetime.UTC), tick=False):
        old = do_send_report(site=site, category=Category.PAY, body="Old and resolved.")
        do_set_report_status(organiser=organiser, report=old.report, status=ReportStatus.RESOLVED)
        ancient = do_send_report(site=site, category=Category.PAY, body="Old and open.")
    with time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC), tick=False):
        recent = do_send_report(site=site, category=Category.PAY, body="Recent.")
    question = Question.objects.create(
        kind="yes_no", text_en="Breaks?", starts_on=datetime.date(2024, 1, 1)
    )
    Answer.objects.create(site=site, day=datetime.date(2025, 9, 1), question=question, value=1)
    Answer.objects.create(site=site, day=datetime.date(2026, 11, 1), question=question, value=0)

    with time_machine.travel(datetime.datetime(2026, 11, 28, 3, tzinfo=datetime.UTC), tick=False):
        deleted = do_apply_retention()
        again = do_apply_retention()

    assert list(Report.objects.values_list("pk", flat=True)) == [recent.report.pk]
    assert not ReportMessage.objects.filter(
        report_id__in=[old.report.pk, ancient.report.pk]
    ).exists()
    assert list(Answer.objects.values_list("value", flat=True)) == [0]
    assert deleted["resolved reports"] >= 1
    assert deleted["answers"] == 1
    assert again["answers"] == 0
    assert again["resolved reports"] == 0


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_finished_task_rows_are_deleted_and_queued_ones_kept(site: Site) -> None:
    # A finished task's row holds the moment it was queued, which is close to the
    # moment someone sent a report; only rows still waiting for the worker stay.
    from breakroom.voice.tasks import refresh_report_figures

    refresh_report_figures.enqueue(site_id=site.pk)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    waiting = refresh_report_figures.enqueue(site_id=site.pk)

    deleted = do_apply_retention()

    assert deleted["finished tasks"] == 1
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [uuid.UUID(waiting.id)]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_frequent_prune_in_the_readme_leaves_no_finished_rows(site: Site) -> None:
    from breakroom.voice.tasks import refresh_report_figures

    refresh_report_figures.enqueue(site_id=site.pk)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    before = DBTaskResult.objects.count()

    call_command("prune_db_task_results", min_age_days=0, queue_name="*", verbosity=0)

    assert before == 1
    assert not DBTaskResult.objects.exists()
