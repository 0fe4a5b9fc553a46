"""Checking in: one anonymous answer set per verified worker per day."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.accounts.tests.factories import MembershipFactory
from breakroom.core.models import SpentToken
from breakroom.core.tests.tokens_helpers import token_client
from breakroom.core.tokens.client import TokenClientError
from breakroom.pulse.actions import do_rebuild_rollups
from breakroom.pulse.dashboards import published_dashboard, refresh_dashboards
from breakroom.pulse.models import Answer, PendingRollup, Question, Rollup
from breakroom.pulse.queries import todays_questions
from breakroom.workplaces.models import Site

from .conftest import check_in, forged_token, spend_check_in

TODAY = datetime.datetime(2026, 11, 26, 18, 0, tzinfo=datetime.UTC)
PERIOD = "2026-11-26"


@pytest.fixture(autouse=True)
def _thursday() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_verified_worker_checks_in_anonymously(
    site: Site, verified_worker: User, questions: list[Question]
) -> None:
    rate, breaks, notice = questions

    status, answer = check_in(
        verified_worker,
        site,
        {rate.pk: 4, breaks.pk: 0, notice.pk: 1},
        period=PERIOD,
        department=site.departments.first().pk,  # type: ignore[union-attr]
    )

    assert (status, answer) == (201, {"stored": 3})
    assert sorted(Answer.objects.values_list("question_id", "value")) == sorted(
        [(rate.pk, 4), (breaks.pk, 0), (notice.pk, 1)]
    )
    assert set(Answer.objects.values_list("day", flat=True)) == {datetime.date(2026, 11, 26)}
    assert SpentToken.objects.count() == 1
    assert PendingRollup.objects.filter(site=site).count() == 1


def test_a_second_check_in_the_same_day_is_refused(
    site: Site, verified_worker: User, questions: list[Question]
) -> None:
    check_in(verified_worker, site, {questions[0].pk: 3}, period=PERIOD)

    with pytest.raises(TokenClientError) as refused:
        check_in(verified_worker, site, {questions[0].pk: 5}, period=PERIOD)

    assert (refused.value.status, refused.value.code) == (409, "limit")
    assert list(Answer.objects.values_list("value", flat=True)) == [3]


def test_the_same_token_cannot_be_spent_twice(
    site: Site, verified_worker: User, questions: list[Question]
) -> None:
    token = token_client(verified_worker).take(purpose="pulse", period=PERIOD, count=1)[0]
    spend_check_in(site, token.as_json(), {questions[0].pk: 3})

    status, answer = spend_check_in(site, token.as_json(), {questions[0].pk: 1})

    assert (status, answer["error"]) == (409, "spent")
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({0: 9}, "out_of_range"),
        ({1: 2}, "out_of_range"),
        ({2: 7}, "out_of_range"),
        ({}, "malformed"),
    ],
)
def test_bad_answers_store_nothing_and_keep_the_token(
    site: Site,
    verified_worker: User,
    questions: list[Question],
    answers: dict[int, int],
    error: str,
) -> None:
    token = token_client(verified_worker).take(purpose="pulse", period=PERIOD, count=1)[0]

    status, refused = spend_check_in(
        site, token.as_json(), {questions[index].pk: value for index, value in answers.items()}
    )
    retried = spend_check_in(site, token.as_json(), {questions[0].pk: 2})

    assert (status, refused["error"]) == (400, error)
    assert retried[0] == 201  # the refused check-in did not use the token up
    assert Answer.objects.count() == 1


def test_a_question_not_asked_today_is_refused(
    site: Site, verified_worker: User, questions: list[Question]
) -> None:
    later = Question.objects.create(
        site=site, kind="scale", text_en="Next month", starts_on=datetime.date(2026, 12, 1)
    )
    token = token_client(verified_worker).take(purpose="pulse", period=PERIOD, count=1)[0]

    status, refused = spend_check_in(site, token.as_json(), {later.pk: 3})

    assert (status, refused["error"]) == (400, "not_today")
    assert not Answer.objects.exists()
    assert not SpentToken.objects.exists()


def test_a_token_for_another_day_or_site_is_refused(
    site: Site, other_site: Site, verified_worker: User, questions: list[Question]
) -> None:
    tomorrow = token_client(verified_worker).take(purpose="pulse", period="2026-11-27", count=1)[0]
    elsewhere_key = token_client(None, site=other_site.slug).key_for("pulse", PERIOD)

    wrong_day = spend_check_in(site, tomorrow.as_json(), {questions[0].pk: 3})
    wrong_site = spend_check_in(site, forged_token(elsewhere_key.key_id), {questions[0].pk: 3})

    assert (wrong_day[0], wrong_day[1]["error"]) == (400, "wrong_token")
    assert (wrong_site[0], wrong_site[1]["error"]) == (404, "unknown_key")
    assert not Answer.objects.exists()
    assert not SpentToken.objects.exists()


def test_a_forged_token_is_refused(site: Site, questions: list[Question]) -> None:
    key = token_client(None).key_for("pulse", PERIOD)

    status, refused = spend_check_in(site, forged_token(key.key_id), {questions[0].pk: 3})

    assert (status, refused["error"]) == (400, "invalid_signature")
    assert not Answer.objects.exists()


def test_an_unverified_worker_gets_no_token(
    site: Site, worker: User, questions: list[Question]
) -> None:
    with pytest.raises(TokenClientError) as refused:
        check_in(worker, site, {questions[0].pk: 3}, period=PERIOD)

    assert refused.value.status == 403
    assert not Answer.objects.exists()


def test_no_more_than_three_questions_a_day_and_they_take_turns(site: Site) -> None:
    for number in range(5):
        Question.objects.create(
            site=site,
            kind="yes_no",
            text_en=f"Question {number}",
            starts_on=datetime.date(2026, 1, 1),
            position=number,
        )

    monday = todays_questions(site, datetime.date(2026, 11, 23))
    tuesday = todays_questions(site, datetime.date(2026, 11, 24))

    assert len(monday) == 3
    assert len(tuesday) == 3
    assert monday != tuesday


def test_five_answers_appear_on_the_dashboard_four_do_not_and_four_more_change_nothing(
    site: Site, questions: list[Question]
) -> None:
    workers = [
        MembershipFactory.create(
            site=site, is_verified=True, verified_on=datetime.date(2026, 11, 1)
        ).user
        for _ in range(9)
    ]
    rate = questions[0]

    def answer_and_publish(group: list[User]) -> object:
        for worker in group:
            check_in(worker, site, {rate.pk: 5}, period=PERIOD)
        do_rebuild_rollups(site_id=site.pk, day=datetime.date(2026, 11, 26))
        refresh_dashboards(site_id=site.pk)
        document = published_dashboard(site.slug)
        assert document is not None
        return document["questions"][0]["by_week"]["cells"]["5|2026-11-23"]

    after_four = answer_and_publish(workers[:4])
    after_five = answer_and_publish(workers[4:5])
    after_nine = answer_and_publish(workers[5:9])

    assert (after_four, after_five, after_nine) == (None, 5, 5)
    assert sum(Rollup.objects.values_list("count", flat=True)) == 9


def test_the_check_in_page_is_for_verified_members(
    client: Client,
    site: Site,
    verified_worker: User,
    worker: User,
    outsider: User,
    questions: list[Question],
) -> None:
    url = reverse("pulse:checkin", kwargs={"slug": site.slug})
    pages = {}
    for person in (verified_worker, worker, outsider):
        client.force_login(person)
        pages[person.username] = client.get(url)

    assert pages["vera-verified"].status_code == 200
    assert "How hard was the rate today?" in pages["vera-verified"].content.decode()
    assert 'id="checkin"' in pages["vera-verified"].content.decode()
    assert 'id="checkin"' not in pages["will-worker"].content.decode()
    assert pages["otto-outsider"].status_code == 404


def test_a_check_in_form_sent_without_javascript_stores_nothing(
    client: Client, site: Site, verified_worker: User, questions: list[Question]
) -> None:
    client.force_login(verified_worker)

    response = client.post(reverse("pulse:checkin", kwargs={"slug": site.slug}), {"q1": "3"})

    assert response.status_code == 400
    assert "needs JavaScript" in response.content.decode()
    assert not Answer.objects.exists()


def test_exported_check_in_counts_equal_the_spent_tokens(
    client: Client, site: Site, questions: list[Question]
) -> None:
    workers = [
        MembershipFactory.create(
            site=site, is_verified=True, verified_on=datetime.date(2026, 11, 1)
        ).user
        for _ in range(6)
    ]
    for worker in workers:
        check_in(worker, site, {questions[0].pk: 3}, period=PERIOD)
    do_rebuild_rollups(site_id=site.pk, day=datetime.date(2026, 11, 26))
    refresh_dashboards(site_id=site.pk)

    exported = client.get(reverse("pulse:figures-csv", kwargs={"slug": site.slug})).content.decode()
    page = client.get(reverse("pulse:dashboard", kwargs={"slug": site.slug})).content.decode()

    spent = SpentToken.objects.filter(key__purpose="pulse", key__period=PERIOD).count()
    assert spent == 6
    assert f"durham,5,,participation_daily,check-ins,{PERIOD},{spent}" in exported
    assert f"durham,5,,participation,check-ins,2026-11-23,{spent}" in exported
    assert "How hard was the rate today?" in exported
    assert ",by_month,3,2026-11-01,6" in exported
    assert "Answers by month" in page
    assert "/api/v1/sites/durham/tokens/pulse/2026-11-24/spent" in page


def test_the_dashboard_page_is_rendered_once_per_published_version(
    client: Client, site: Site, questions: list[Question], django_assert_max_num_queries: object
) -> None:
    worker = MembershipFactory.create(
        site=site, is_verified=True, verified_on=datetime.date(2026, 11, 1)
    ).user
    check_in(worker, site, {questions[0].pk: 3}, period=PERIOD)
    do_rebuild_rollups(site_id=site.pk, day=datetime.date(2026, 11, 26))
    refresh_dashboards(site_id=site.pk)
    url = reverse("pulse:dashboard", kwargs={"slug": site.slug})
    first = client.get(url).content.decode()

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        again = client.get(url).content.decode()
    refresh_dashboards(site_id=site.pk)
    after_refresh = client.get(url).content.decode()

    assert again == first
    assert "How hard was the rate today?" in after_refresh
