"""An anonymous report sent without JavaScript, its receipt, and the thread that follows.

PRIVACY.md 4 (the report flow works with JavaScript off), 6 (the receipt is shown
once and the reporter confirms saving it) and 19 (nothing from another origin).
"""

import hashlib
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from e2e_steps import NewContext, sign_in
from playwright.sync_api import Page, Request, Response, expect
from pytest_django.live_server_helper import LiveServer

from breakroom.core import pow
from breakroom.core.receipts import WORDS_PER_CODE, word_list
from breakroom.public.demo_data import DEMO_PASSPHRASE
from breakroom.voice.models import Category, Report, ReportMessage

ORGANISER = "organiser-durham"
SITE_PAGE = "/s/durham/"
REPORT_FORM = "/s/durham/report/"
RECEIPT_HEADING = "Your report is sent. Save your code."
SAVED_LABEL = "I have saved my code somewhere safe:"
PHONE_WIDTH = 360
# report.js tries about 2^REPORT_POW_BITS hashes before it sends; a slow run or an
# unlucky challenge may take several times the usual second.
PROOF_OF_WORK_WAIT_MS = 30_000


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Every reporter here sends from 127.0.0.1: start each test below the per-sender caps.

    The live server runs in this process, so its local-memory cache is this one.
    """
    cache.clear()
    yield
    cache.clear()


def with_canary(words: str) -> tuple[str, str]:
    """`words` with a unique canary at the end, and the canary."""
    canary = f"canary-{uuid.uuid4().hex}"
    return f"{words} {canary}", canary


def canary_text() -> tuple[str, str]:
    """A report text and the unique canary inside it."""
    return with_canary("Told at 17:55 that the whole line stays two more hours.")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def open_report_form(page: Page) -> None:
    page.goto(SITE_PAGE)
    page.get_by_role("link", name="Send an anonymous report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send an anonymous report")


def fill_report(page: Page, text: str) -> None:
    page.get_by_label("Mandatory overtime", exact=True).check()
    page.get_by_label("What happened?", exact=True).fill(text)


def send_report(page: Page, text: str) -> str:
    """From the site page, send a "Mandatory overtime" report; return the receipt code."""
    open_report_form(page)
    fill_report(page, text)
    page.get_by_role("button", name="Send my report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RECEIPT_HEADING)
    return page.locator(".receipt").inner_text()


def confirm_saved(page: Page) -> None:
    page.get_by_label(SAVED_LABEL, exact=True).check()
    page.get_by_role("button", name="Done", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")


def open_thread(page: Page, code: str) -> None:
    page.goto(SITE_PAGE)
    page.get_by_role("link", name="Read replies with your code", exact=True).click()
    page.get_by_label("Your receipt code:", exact=True).fill(code)
    page.get_by_role("button", name="Open my report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report")


def answer_in_thread(page: Page, text: str) -> None:
    page.get_by_label("Your answer:", exact=True).fill(text)
    page.get_by_role("button", name="Send my answer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report")


def open_report_from_inbox(page: Page, report: Report) -> None:
    """Find `report` among the site's "Mandatory overtime" reports and open it.

    Reports of one week are listed in no meaningful order (PRIVACY.md 2), so the
    new one is told apart by its address, not by its place in the list.
    """
    page.goto("/organise/durham/reports/")
    page.get_by_label("Category:", exact=True).select_option(label="Mandatory overtime")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.locator(f'a[href="/organise/durham/reports/{report.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mandatory overtime")


def new_report(before: set[uuid.UUID]) -> Report:
    return Report.objects.exclude(pk__in=before).get()


def existing_reports() -> set[uuid.UUID]:
    return set(Report.objects.values_list("pk", flat=True))


@pytest.mark.e2e
def test_reporter_without_javascript_and_the_organiser_talk_in_the_reports_thread(
    demo: None, new_context: NewContext
) -> None:
    text, canary = canary_text()
    reply, reply_canary = with_canary("Thank you for telling us. Which department was it?")
    answer, answer_canary = with_canary("Pick, on nights. It was the third time this month.")
    reports_before = existing_reports()
    reporter = new_context(java_script_enabled=False).new_page()
    organiser = new_context(java_script_enabled=False).new_page()
    code = send_report(reporter, text)
    confirm_saved(reporter)
    report = new_report(reports_before)
    sign_in(organiser, ORGANISER, DEMO_PASSPHRASE)

    open_report_from_inbox(organiser, report)
    organiser_saw = organiser.locator(".card .pre").all_inner_texts()
    organiser.get_by_label("Your answer:", exact=True).fill(reply)
    organiser.get_by_role("button", name="Reply to the reporter", exact=True).click()
    expect(organiser.locator(".card.mine .pre")).to_have_text([reply])
    open_thread(reporter, code)
    reporter_saw = reporter.locator(".card .pre").all_inner_texts()
    answer_in_thread(reporter, answer)
    organiser.reload()

    words = code.split(" ")
    assert len(words) == WORDS_PER_CODE
    assert set(words) <= set(word_list())
    assert organiser_saw == [text]
    assert reporter_saw == [text, reply]
    expect(reporter.locator(".card .pre")).to_have_text([text, reply, answer])
    expect(organiser.locator(".card .pre")).to_have_text([text, reply, answer])
    expect(organiser.locator(".card.theirs .pre")).to_have_text([answer])
    report.refresh_from_db()
    assert report.category == Category.MANDATORY_OVERTIME
    assert canary.encode() not in bytes(report.body_sealed)
    messages = list(ReportMessage.objects.filter(report=report))
    assert [message.from_reporter for message in messages] == [False, True]
    sealed = b"".join(bytes(message.body_sealed) for message in messages)
    assert reply_canary.encode() not in sealed
    assert answer_canary.encode() not in sealed


@pytest.mark.e2e
def test_receipt_stays_until_the_reporter_confirms_they_saved_the_code(
    demo: None, new_context: NewContext
) -> None:
    text, _canary = canary_text()
    reporter = new_context(java_script_enabled=False).new_page()
    code = send_report(reporter, text)

    reporter.get_by_role("button", name="Done", exact=True).click()
    expect(
        reporter.get_by_text("Tick the box once you have saved your code.", exact=True)
    ).to_be_visible()
    unconfirmed_heading = reporter.get_by_role("heading", level=1).inner_text()
    unconfirmed_code = reporter.locator(".receipt").inner_text()
    confirm_saved(reporter)

    assert unconfirmed_heading == RECEIPT_HEADING
    assert unconfirmed_code == code
    expect(reporter.get_by_text(code)).to_have_count(0)


@pytest.mark.e2e
def test_receipt_code_is_on_one_page_only_and_the_reporter_never_gets_a_cookie(
    demo: None, new_context: NewContext
) -> None:
    text, _canary = canary_text()
    context = new_context(java_script_enabled=False)
    reporter = context.new_page()
    pages: list[tuple[str, str, str]] = []
    cookies: list[object] = []

    def record(response: Response) -> None:
        # Read at once: a page's body is gone once the browser has moved on.
        if response.request.is_navigation_request():
            pages.append((response.request.method, urlsplit(response.url).path, response.text()))

    def arrived() -> None:
        cookies.append(context.cookies())

    reporter.on("response", record)

    reporter.goto(SITE_PAGE)
    arrived()
    reporter.get_by_role("link", name="Send an anonymous report", exact=True).click()
    expect(reporter.get_by_role("heading", level=1)).to_have_text("Send an anonymous report")
    arrived()
    fill_report(reporter, text)
    reporter.get_by_role("button", name="Send my report", exact=True).click()
    expect(reporter.get_by_role("heading", level=1)).to_have_text(RECEIPT_HEADING)
    arrived()
    code = reporter.locator(".receipt").inner_text()
    confirm_saved(reporter)
    arrived()
    reporter.get_by_role("link", name="Durham fulfilment centre", exact=True).click()
    expect(reporter.get_by_role("heading", level=1)).to_have_text("Durham fulfilment centre")
    arrived()

    # Site page, report form, receipt, "Thank you", site page again.
    assert [(method, path, code in markup) for method, path, markup in pages] == [
        ("GET", SITE_PAGE, False),
        ("GET", REPORT_FORM, False),
        ("POST", REPORT_FORM, True),
        ("POST", "/s/durham/report/saved/", False),
        ("GET", SITE_PAGE, False),
    ]
    assert cookies == [[], [], [], [], []]


@pytest.mark.e2e
def test_reporters_journey_requests_nothing_from_another_origin(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    text, _canary = canary_text()
    context = new_context(java_script_enabled=False)
    reporter = context.new_page()
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    reporter.on("request", record)

    code = send_report(reporter, text)
    confirm_saved(reporter)
    open_thread(reporter, code)
    answer_in_thread(reporter, "It happened again on Friday.")

    expect(reporter.locator(".card.mine .pre")).to_have_text(["It happened again on Friday."])
    paths = {urlsplit(url).path for url in requested}
    assert {SITE_PAGE, REPORT_FORM, "/static/breakroom/breakroom.css"} <= paths
    assert {origin(url) for url in requested} == {live_server.url}
    assert context.cookies() == []


@pytest.mark.e2e
def test_report_form_with_javascript_solves_the_proof_of_work_and_sends(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    text, canary = canary_text()
    reports_before = existing_reports()
    reporter = new_context().new_page()
    requested: list[str] = []
    posted: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)
        if request.method == "POST":
            posted.append(request.post_data or "")

    reporter.on("request", record)
    open_report_form(reporter)
    fill_report(reporter, text)

    reporter.get_by_role("button", name="Send my report", exact=True).click()

    expect(reporter.get_by_role("heading", level=1)).to_have_text(
        RECEIPT_HEADING, timeout=PROOF_OF_WORK_WAIT_MS
    )
    assert len(posted) == 1
    fields = parse_qs(posted[0], keep_blank_values=True)
    challenge, nonce = fields["pow_challenge"][0], fields["pow_nonce"][0]
    assert nonce.isdigit()
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    assert pow.leading_zero_bits(digest) >= settings.REPORT_POW_BITS
    assert fields["body"] == [text]
    report = new_report(reports_before)
    assert report.category == Category.MANDATORY_OVERTIME
    assert canary.encode() not in bytes(report.body_sealed)
    assert "/static/breakroom/report.js" in {urlsplit(url).path for url in requested}
    assert {origin(url) for url in requested} == {live_server.url}


@pytest.mark.e2e
def test_report_form_and_receipt_fit_a_small_phone_screen(
    demo: None, new_context: NewContext
) -> None:
    text, _canary = canary_text()
    reporter = new_context(
        java_script_enabled=False, viewport={"width": PHONE_WIDTH, "height": 740}
    ).new_page()

    open_report_form(reporter)
    form_width: int = reporter.evaluate("document.documentElement.scrollWidth")
    fill_report(reporter, text)
    reporter.get_by_role("button", name="Send my report", exact=True).click()
    expect(reporter.get_by_role("heading", level=1)).to_have_text(RECEIPT_HEADING)
    receipt_width: int = reporter.evaluate("document.documentElement.scrollWidth")

    assert form_width <= PHONE_WIDTH
    assert receipt_width <= PHONE_WIDTH
