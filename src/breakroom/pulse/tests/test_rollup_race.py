"""A valid check-in is never dropped by a rollup running at the same time."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from breakroom.accounts.tests.factories import MembershipFactory
from breakroom.core.tests.tokens_helpers import token_client
from breakroom.pulse.actions import do_check_in, do_rebuild_pending_rollups, do_rebuild_rollups
from breakroom.pulse.models import Answer, PendingRollup, Question, Rollup
from breakroom.workplaces.models import Site


@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime.datetime(2026, 11, 26, 18, tzinfo=datetime.UTC), tick=False)
def test_check_ins_racing_rollups_are_all_counted(site: Site, questions: list[Question]) -> None:
    day = datetime.date(2026, 11, 26)
    workers = [
        MembershipFactory.create(site=site, is_verified=True, verified_on=day).user
        for _ in range(12)
    ]
    tokens = [
        token_client(worker).take(purpose="pulse", period="2026-11-26", count=1)[0]
        for worker in workers
    ]
    start = threading.Barrier(len(tokens) + 1)
    errors: list[BaseException] = []

    def check_in(index: int) -> None:
        start.wait()
        try:
            do_check_in(
                site=site,
                key_id=tokens[index].key_id,
                message=tokens[index].message,
                signature=tokens[index].signature,
                answers={questions[0].pk: 1 + index % 5},
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def keep_rolling_up() -> None:
        start.wait()
        try:
            for _ in range(6):
                do_rebuild_rollups(site_id=site.pk, day=day)
        finally:
            connection.close()

    threads = [threading.Thread(target=check_in, args=(index,)) for index in range(len(tokens))]
    threads.append(threading.Thread(target=keep_rolling_up))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    do_rebuild_pending_rollups()

    assert errors == []
    assert Answer.objects.count() == 12
    assert sum(Rollup.objects.values_list("count", flat=True)) == 12
    assert not PendingRollup.objects.exists()
