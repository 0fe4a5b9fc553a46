"""Contributed weekly summaries: anonymous, once per worker and week, k-protected."""

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from breakroom.accounts.models import User
from breakroom.accounts.tests.factories import MembershipFactory
from breakroom.core.models import SpentToken
from breakroom.core.tests.tokens_helpers import token_client
from breakroom.diary.models import DiarySummary, PublishedDiaryFigures
from breakroom.workplaces.models import Site

WEEK = "2026-11-23"
SUMMARY = {
    "week": WEEK,
    "hours_band": "55-60",
    "extra_hours_band": "5-9",
    "breaches": {"daily_rest": 2},
}


@pytest.fixture(autouse=True)
def _thursday() -> Any:
    with time_machine.travel(datetime.datetime(2026, 11, 26, 20, tzinfo=datetime.UTC), tick=False):
        yield


def contribute(site: Site, token: dict[str, str], summary: dict[str, Any]) -> tuple[int, Any]:
    response = Client().post(
        f"/api/v1/sites/{site.slug}/diary/summaries",
        json.dumps({**summary, "token": token}),
        content_type="application/json",
    )
    return response.status_code, response.json()


def diary_token(worker: User) -> dict[str, str]:
    return token_client(worker).take(purpose="diary", period="2026-W48", count=1)[0].as_json()


def test_a_verified_worker_contributes_a_week_once(site: Site, verified_worker: User) -> None:
    token = diary_token(verified_worker)

    first = contribute(site, token, SUMMARY)
    again = contribute(site, token, SUMMARY)

    assert first == (201, {"contributed": True})
    assert (again[0], again[1]["error"]) == (409, "spent")
    stored = DiarySummary.objects.get()
    assert (stored.hours_band, stored.extra_hours_band, stored.breaches) == (
        "55-60",
        "5-9",
        {"daily_rest": 2},
    )
    assert {field.name for field in DiarySummary._meta.get_fields()} == {
        "id",
        "site",
        "week",
        "hours_band",
        "extra_hours_band",
        "breaches",
    }
    assert SpentToken.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"hours_band": "a lot"}, "malformed"),
        ({"week": "2026-11-24"}, "malformed"),
        ({"breaches": {"not_a_rule": 1}}, "malformed"),
        ({"week": "2026-11-30"}, "wrong_token"),
    ],
)
def test_bad_summaries_store_nothing(
    site: Site, verified_worker: User, change: dict[str, Any], error: str
) -> None:
    status, answer = contribute(site, diary_token(verified_worker), {**SUMMARY, **change})

    assert (status, answer["error"]) == (400, error)
    assert not DiarySummary.objects.exists()
    assert not SpentToken.objects.exists()


def test_figures_appear_only_for_k_or_more_summaries(site: Site) -> None:
    workers = [
        MembershipFactory.create(
            site=site, is_verified=True, verified_on=datetime.date(2026, 11, 1)
        ).user
        for _ in range(5)
    ]
    for worker in workers[:4]:
        contribute(site, diary_token(worker), SUMMARY)
    after_four = PublishedDiaryFigures.objects.get(site=site).document
    contribute(site, diary_token(workers[4]), SUMMARY)
    after_five = PublishedDiaryFigures.objects.get(site=site).document

    assert after_four["hours"]["cells"][f"55-60|{WEEK}"] is None
    assert after_five["hours"]["cells"][f"55-60|{WEEK}"] == 5
    assert after_five["breaches"]["cells"][f"daily_rest|{WEEK}"] == 5
    assert "basis" not in after_five
