"""Production's real task worker: check-ins queue a rollup that `db_worker` runs."""

import datetime
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from breakroom.accounts.models import User
from breakroom.pulse.dashboards import published_dashboard
from breakroom.pulse.models import Question, Rollup
from breakroom.workplaces.models import Site

from .conftest import check_in

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# The worker closes its database connections when it finishes, as a real one does,
# so this test runs outside the usual per-test transaction.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
@time_machine.travel(datetime.datetime(2026, 11, 26, 18, tzinfo=datetime.UTC), tick=False)
def test_a_check_in_is_rolled_up_by_the_database_worker(
    site: Site, verified_worker: User, questions: list[Question]
) -> None:
    check_in(verified_worker, site, {questions[0].pk: 4}, period="2026-11-26")
    queued = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    before = Rollup.objects.count()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert before == 0
    assert len(queued) == 1
    assert json.loads(json.dumps(queued[0]))["kwargs"] == {"site_id": site.pk, "day": "2026-11-26"}
    assert Rollup.objects.get().count == 1
    assert published_dashboard(site.slug) is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.parametrize("canary", ["198.51.100.23", "Canary-UA/1.0"])
@override_settings(TASKS=DATABASE_TASKS)
def test_the_task_queue_holds_no_network_data(
    site: Site,
    verified_worker: User,
    questions: list[Question],
    canary: str,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        from django.utils import timezone

        check_in(
            verified_worker, site, {questions[0].pk: 2}, period=timezone.localdate().isoformat()
        )

    assert canary not in json.dumps(list(DBTaskResult.objects.values()), default=str)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
@time_machine.travel(datetime.datetime(2026, 11, 26, 18, tzinfo=datetime.UTC), tick=False)
def test_check_ins_inside_the_window_get_one_trailing_rebuild(
    site: Site, questions: list[Question]
) -> None:
    from breakroom.accounts.tests.factories import MembershipFactory

    workers = [
        MembershipFactory.create(
            site=site, is_verified=True, verified_on=datetime.date(2026, 11, 1)
        ).user
        for _ in range(3)
    ]
    for worker in workers:
        check_in(worker, site, {questions[0].pk: 4}, period="2026-11-26")

    queued = list(DBTaskResult.objects.values_list("run_after", flat=True))
    deferred = [run_after for run_after in queued if run_after.year == 2026]
    # One rebuild now, one trailing for when the 30-second window closes; the third
    # check-in, inside both, is covered by the trailing one.
    assert len(queued) == 2
    assert deferred == [datetime.datetime(2026, 11, 26, 18, 0, 31, tzinfo=datetime.UTC)]


def test_the_catch_up_rebuilds_pending_days_and_dashboards(
    site: Site, verified_worker: User, questions: list[Question]
) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 26, 18, tzinfo=datetime.UTC), tick=False):
        check_in(verified_worker, site, {questions[0].pk: 4}, period="2026-11-26")
        output = StringIO()
        call_command("rebuild_pending_rollups", stdout=output)

    assert output.getvalue() == "Rebuilt 1 pending days.\n"
    assert Rollup.objects.get().count == 1
    assert published_dashboard(site.slug) is not None
