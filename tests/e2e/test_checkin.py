"""The daily check-in in a real browser: on a phone, a verified worker answers
today's questions once, anonymously (the answers leave without the session cookie,
paid with the day's token); the published dashboard shows the figures under the k
rule; without JavaScript nothing is sent."""

import datetime
from collections import Counter
from collections.abc import Mapping
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from e2e_steps import NewContext, sign_in
from playwright.sync_api import Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from breakroom.accounts.models import User
from breakroom.core.models import SpentToken, TokenIssuance
from breakroom.core.tokens.policy import period_of
from breakroom.public.demo_data import DEMO_PASSPHRASE
from breakroom.pulse.actions import do_rebuild_pending_rollups
from breakroom.pulse.dashboards import refresh_dashboards
from breakroom.pulse.models import Answer, PendingRollup, PublishedPulse, Question, Rollup
from breakroom.pulse.presentation import question_labels
from breakroom.pulse.queries import todays_questions
from breakroom.workplaces.models import DepartmentKind, Site

CHECKIN_PAGE = "/me/sites/durham/checkin/"
CHECKIN_PATH = "/api/v1/sites/durham/pulse/checkin"
ISSUE_PATH = "/api/v1/sites/durham/tokens/issue"
DASHBOARD_PAGE = "/s/durham/pulse/"
PHONE = 360
SEND = "Send my answers"
DONE_MESSAGE = "Thank you. Your answers are in, once and anonymously."
ALREADY_MESSAGE = "You have already checked in today."
NOSCRIPT_MESSAGE = (
    "The check-in needs JavaScript, because your phone does the cryptography itself. "
    "Every other page of Breakroom works without it."
)
REFUSED_WITHOUT_JAVASCRIPT = (
    "Nothing was sent. The check-in needs JavaScript: your phone spends an anonymous "
    "token so your answers count once and cannot be traced to you."
)
DEPARTMENT = "Pick"
WITHHELD = "\N{EN DASH}"
# Sending takes the phone's tokens first: the first key list makes the site's keys and
# the phone blinds and finalizes every token itself.
SEND_TIMEOUT_MS = 60_000
# The dashboard shows eight weeks; the demo's answers are all from this week (the last).
WEEKS_SHOWN = 8


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def record_requests(page: Page) -> list[Request]:
    """Every request the page makes, in order."""
    requests: list[Request] = []

    def record(request: Request) -> None:
        requests.append(request)

    page.on("request", record)
    return requests


def requests_to(requests: list[Request], path: str) -> list[Request]:
    return [request for request in requests if urlsplit(request.url).path == path]


def durham() -> Site:
    return Site.objects.get(slug="durham")


def todays_answers() -> dict[str, tuple[int, int, int | None, int | None]]:
    """Durham's answers of today by id: (question, value, department, shift)."""
    return {
        str(answer_id): (question_id, value, department_id, shift_id)
        for answer_id, question_id, value, department_id, shift_id in Answer.objects.filter(
            site__slug="durham", day=timezone.localdate()
        ).values_list("id", "question_id", "value", "department_id", "shift_id")
    }


def todays_check_ins() -> int:
    """Tokens spent under Durham's `pulse` key of today: one per check-in."""
    return SpentToken.objects.filter(
        key__site_id=durham().pk,
        key__purpose="pulse",
        key__period=period_of("pulse", timezone.localdate()),
    ).count()


def counts_by_value(question: Question) -> Counter[int]:
    """How many of Durham's answers of today gave each value to `question`."""
    return Counter(
        Answer.objects.filter(
            site__slug="durham", day=timezone.localdate(), question=question
        ).values_list("value", flat=True)
    )


def answer(page: Page, choices: Mapping[Question, int]) -> None:
    """Tap the chosen answer of each question, by the labels a person reads."""
    for question, value in choices.items():
        label = question_labels(question)[question.allowed_values().index(value)]
        group = page.get_by_role("group", name=question.text_en, exact=True)
        group.get_by_role("radio", name=label, exact=True).check()


def send(page: Page, *, department: str | None = None) -> None:
    if department is not None:
        page.get_by_text("Department and shift (optional)", exact=True).click()
        page.get_by_label("Department", exact=True).select_option(label=department)
    page.get_by_role("button", name=SEND, exact=True).click()


def first_answers(questions: list[Question]) -> dict[Question, int]:
    return {question: question.allowed_values()[0] for question in questions}


def shown(basis: int | None, now: int, k: int) -> str:
    """What the dashboard shows for a count that is `now`, given the `basis` its last
    shown figure was computed from (None if it was withheld): a shown figure — 0
    included — holds still until k new answers came in (`stable_figure`); otherwise
    the k rule: 0 or at least k, else withheld."""
    if basis is not None and abs(now - basis) < k:
        return str(basis)
    if now == 0 or now >= k:
        return str(now)
    return WITHHELD


def published_basis(site: Site, question: Question, value: int) -> int | None:
    """The basis of this week's figure for one answer, as the dashboard last stored it."""
    stored = PublishedPulse.objects.get(scope=site.slug).basis
    week = (
        timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    ).isoformat()
    basis: int | None = stored.get(f"q{question.pk}:week", {}).get(f"{value}|{week}")
    return basis


@pytest.mark.e2e
def test_worker_checks_in_on_a_phone_once_a_day_without_the_session_cookie(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    page = new_context(viewport={"width": PHONE, "height": 740}).new_page()
    requests = record_requests(page)
    sign_in(page, "night-picker", DEMO_PASSPHRASE)
    page.goto("/me/sites/durham/")
    page.get_by_role("link", name="Today's check-in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's check-in")
    assert urlsplit(page.url).path == CHECKIN_PAGE
    questions = todays_questions(durham(), timezone.localdate())
    assert len(questions) == 3
    expect(page.locator("fieldset.question legend")).to_have_text(
        [question.text_en for question in questions]
    )
    choices = first_answers(questions)
    department_id = durham().departments.get(kind=DepartmentKind.PICK).pk
    answers_before = todays_answers()
    check_ins_before = todays_check_ins()

    answer(page, choices)
    send(page, department=DEPARTMENT)

    status = page.locator("#checkin-status")
    expect(status).to_have_text(DONE_MESSAGE, timeout=SEND_TIMEOUT_MS)
    answers_after = todays_answers()
    assert len(answers_after) == len(answers_before) + 3
    new = [row for answer_id, row in answers_after.items() if answer_id not in answers_before]
    assert sorted(new) == sorted(
        (question.pk, value, department_id, None) for question, value in choices.items()
    )
    assert todays_check_ins() == check_ins_before + 1
    # The answers left once, without the session cookie and without the page's
    # address; the signing of the tokens carried the cookie (so the test can see one).
    sent = requests_to(requests, CHECKIN_PATH)
    assert [request.method for request in sent] == ["POST"]
    assert "cookie" not in sent[0].all_headers()
    assert "referer" not in sent[0].all_headers()
    response = sent[0].response()
    assert response is not None
    assert response.status == 201
    signing = requests_to(requests, ISSUE_PATH)
    assert signing
    assert all("cookie" in request.all_headers() for request in signing)
    assert {origin(request.url) for request in requests} == {live_server.url}
    page_width: int = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE

    page.reload()
    answer(page, choices)
    send(page)

    expect(status).to_have_text(ALREADY_MESSAGE, timeout=SEND_TIMEOUT_MS)
    assert todays_answers() == answers_after
    assert todays_check_ins() == check_ins_before + 1
    assert len(requests_to(requests, CHECKIN_PATH)) == 1
    assert {origin(request.url) for request in requests} == {live_server.url}


@pytest.mark.e2e
def test_dashboard_shows_todays_figures_under_the_k_rule_after_the_rebuild(
    demo: None, new_context: NewContext
) -> None:
    site = durham()
    k = site.privacy_k
    questions = todays_questions(site, timezone.localdate())
    # The demo published the dashboard after each of its sixteen check-ins.
    previously = {question: counts_by_value(question) for question in questions}
    bases = {
        (question, value): published_basis(site, question, value)
        for question in questions
        for value in question.allowed_values()
    }
    # Where a withheld group stands at k - 1, one more answer makes it shown; a shown
    # figure (0 included) holds still for fewer than k new answers.
    choices = {
        question: max(
            question.allowed_values(), key=lambda value: previously[question][value] == k - 1
        )
        for question in questions
    }
    worker = new_context().new_page()
    sign_in(worker, "night-picker", DEMO_PASSPHRASE)
    worker.goto(CHECKIN_PAGE)
    answer(worker, choices)
    send(worker)
    expect(worker.locator("#checkin-status")).to_have_text(DONE_MESSAGE, timeout=SEND_TIMEOUT_MS)

    # What the background work does: a check-in within 30 seconds of the last queued
    # rebuild (the demo's, here) only marks its day pending, for the catch-up.
    do_rebuild_pending_rollups()
    refresh_dashboards(site_id=site.pk)
    visitor = new_context().new_page()
    visitor.goto(DASHBOARD_PAGE)

    assert not PendingRollup.objects.exists()
    rolled_up = Rollup.objects.filter(site=site, day=timezone.localdate())
    assert sum(rolled_up.values_list("count", flat=True)) == len(todays_answers())
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Daily check-in at Durham fulfilment centre"
    )
    before: list[str] = []
    after: list[str] = []
    for question in questions:
        now = counts_by_value(question)
        assert now - previously[question] == Counter({choices[question]: 1})
        section = visitor.locator("section.question-figures").filter(
            has=visitor.get_by_role("heading", level=2, name=question.text_en, exact=True)
        )
        rows = section.get_by_role("table", name="Answers by week").locator("tbody tr")
        expect(rows).to_have_count(len(question.allowed_values()))
        for index, (value, label) in enumerate(
            zip(question.allowed_values(), question_labels(question), strict=True)
        ):
            figure = shown(bases[(question, value)], now[value], k)
            before.append(shown(bases[(question, value)], previously[question][value], k))
            after.append(figure)
            expect(rows.nth(index).locator("th")).to_have_text(label)
            # No answers in the seven weeks before; this week's figure, then the total.
            expect(rows.nth(index).locator("td")).to_have_text(
                ["0"] * (WEEKS_SHOWN - 1) + [figure, figure]
            )
    # A group of at least k is published; what changed follows the rules above.
    assert any(figure.isdigit() and int(figure) >= k for figure in after)
    assert len(after) == len(before)


@pytest.mark.e2e
def test_check_in_without_javascript_sends_nothing(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "night-picker", DEMO_PASSPHRASE)
    page.goto(CHECKIN_PAGE)
    expect(page.get_by_text(NOSCRIPT_MESSAGE, exact=True)).to_be_visible()
    answer(page, first_answers(todays_questions(durham(), timezone.localdate())))
    answers_before = todays_answers()
    check_ins_before = todays_check_ins()

    with page.expect_response(f"{live_server.url}{CHECKIN_PAGE}") as sent:
        send(page)

    assert sent.value.request.method == "POST"
    assert sent.value.status == 400
    expect(page.get_by_role("alert")).to_have_text(REFUSED_WITHOUT_JAVASCRIPT)
    assert todays_answers() == answers_before
    assert todays_check_ins() == check_ins_before
    night_picker = User.objects.get(username="night-picker")
    assert not TokenIssuance.objects.filter(holder_id=night_picker.pk).exists()
