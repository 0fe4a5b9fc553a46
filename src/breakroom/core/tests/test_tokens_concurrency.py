"""Spending the same token from many connections at once: exactly one succeeds."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from breakroom.accounts.models import User
from breakroom.core.errors import ActionError
from breakroom.core.models import SpentToken
from breakroom.core.tokens.service import do_spend_token
from breakroom.workplaces.models import Site

from .tokens_helpers import token_client


@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC), tick=False)
def test_a_token_spent_at_once_from_eight_connections_counts_once(
    site: Site, verified_worker: User
) -> None:
    token = token_client(verified_worker).take(purpose="pulse", period="2026-11-26", count=1)[0]
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def spend_once() -> None:
        start.wait()
        try:
            do_spend_token(
                site_id=site.pk,
                key_id=token.key_id,
                message=token.message,
                signature=token.signature,
            )
            outcomes.append("ok")
        except ActionError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok"] + ["spent"] * 7
    assert SpentToken.objects.count() == 1
