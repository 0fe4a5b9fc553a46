"""docs/tokens.md in a real browser: the phone takes blind-signed tokens, spends one
without its session cookie, cannot spend it twice, and refuses a key list that could
single it out."""

import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from e2e_steps import NewContext, sign_in
from playwright.sync_api import ConsoleMessage, Page, Request, Route, expect
from pytest_django.live_server_helper import LiveServer

from breakroom.accounts.models import User
from breakroom.core.models import SpentToken, TokenIssuance
from breakroom.core.tokens.policy import POLICIES, period_of
from breakroom.public.demo_data import DEMO_PASSPHRASE

TOKENS_PAGE = "/me/sites/durham/tokens/"
STORAGE_KEY = "breakroom:tokens:durham"
KEYS_PATH = "/api/v1/sites/durham/token-keys"
ISSUE_PATH = "/api/v1/sites/durham/tokens/issue"
SPEND_PATH = "/api/v1/sites/durham/tokens/spend"
TAKE_BUTTON = "Take my tokens for the days ahead"
HELD_MESSAGE = "Unused tokens on this phone:"
NONE_MESSAGE = "This phone holds no tokens for this site yet."
REFUSED_MESSAGE = (
    "The server offered a key that is not published for everyone. "
    "Breakroom refused it to protect you."
)
# The first key list makes the site's 2048-bit keys (about 11, a second or more), and
# the phone then blinds and finalizes every token itself.
TAKE_TIMEOUT_MS = 60_000
# Every purpose's limit for every period the phone may take ahead.
EXPECTED_HELD = {name: policy.per_period * policy.horizon for name, policy in POLICIES.items()}

SPEND_AGAIN = """async ([url, token]) => {
  const response = await fetch(url, {
    method: "POST",
    credentials: "omit",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(token),
  });
  return {status: response.status, body: await response.json()};
}"""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stored_tokens(page: Page) -> list[dict[str, str]]:
    tokens: list[dict[str, str]] = page.evaluate(
        f"JSON.parse(localStorage.getItem({STORAGE_KEY!r}) || '[]')"
    )
    return tokens


def count_by_purpose(purposes: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(POLICIES, 0)
    for purpose in purposes:
        counts[purpose] += 1
    return counts


def member_id(username: str) -> int:
    return User.objects.get(username=username).pk


def issued_to(username: str) -> dict[str, int]:
    """How many tokens the server signed for `username`, per purpose."""
    counts = dict.fromkeys(POLICIES, 0)
    for purpose, count in TokenIssuance.objects.filter(holder_id=member_id(username)).values_list(
        "key__purpose", "count"
    ):
        counts[purpose] += count
    return counts


def record_requests(page: Page) -> list[Request]:
    """Every request the page makes, in order."""
    requests: list[Request] = []

    def record(request: Request) -> None:
        requests.append(request)

    page.on("request", record)
    return requests


def record_problems(page: Page) -> list[str]:
    """Script errors and console errors (a CSP violation is one)."""
    problems: list[str] = []

    def record_error(error: Exception) -> None:
        problems.append(str(error))

    def record_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("pageerror", record_error)
    page.on("console", record_console)
    return problems


def requests_to(requests: list[Request], path: str) -> list[Request]:
    return [request for request in requests if urlsplit(request.url).path == path]


def open_tokens_page(page: Page, username: str) -> None:
    sign_in(page, username, DEMO_PASSPHRASE)
    page.goto(TOKENS_PAGE)


@pytest.mark.e2e
def test_verified_worker_takes_tokens_and_spends_one_without_the_cookie(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    seeded_holders = set(TokenIssuance.objects.values_list("holder_id", flat=True))
    seeded_spent = set(SpentToken.objects.values_list("pk", flat=True))
    page = new_context().new_page()
    requests = record_requests(page)
    problems = record_problems(page)
    open_tokens_page(page, "night-picker")
    status = page.locator("#tokens-status")
    expect(status).to_have_text(NONE_MESSAGE)

    page.get_by_role("button", name=TAKE_BUTTON, exact=True).click()

    expect(status).to_contain_text(HELD_MESSAGE, timeout=TAKE_TIMEOUT_MS)
    stored = stored_tokens(page)
    assert issued_to("night-picker") == EXPECTED_HELD
    assert count_by_purpose([token["purpose"] for token in stored]) == EXPECTED_HELD
    # Nobody else was issued tokens by this journey (the demo's own check-ins took theirs
    # before it started).
    assert set(
        TokenIssuance.objects.exclude(holder_id__in=seeded_holders).values_list(
            "holder_id", flat=True
        )
    ) == {member_id("night-picker")}
    for purpose, count in EXPECTED_HELD.items():
        expect(page.locator(f'[data-held="{purpose}"]')).to_have_text(str(count))
    assert page.evaluate("window.breakroomTokens.held()") == len(stored)

    today = timezone.localdate().isoformat()
    todays_pulse = [
        token for token in stored if token["purpose"] == "pulse" and token["period"] == today
    ]
    assert len(todays_pulse) == 1
    spent_copy = {field: todays_pulse[0][field] for field in ("key_id", "message", "signature")}

    result: dict[str, Any] = page.evaluate(f"window.breakroomTokens.spend('pulse', '{today}')")

    assert result == {"spent": True, "purpose": "pulse", "period": today}
    spent = SpentToken.objects.select_related("key").exclude(pk__in=seeded_spent).get()
    assert (spent.key.key_id, spent.key.purpose, spent.key.period) == (
        spent_copy["key_id"],
        "pulse",
        today,
    )
    remaining = stored_tokens(page)
    assert len(remaining) == len(stored) - 1
    assert spent_copy["message"] not in {token["message"] for token in remaining}
    expect(page.locator('[data-held="pulse"]')).to_have_text(str(EXPECTED_HELD["pulse"] - 1))
    # No script error and no blocked resource so far (the refusals below are logged).
    assert problems == []

    spend_url = page.locator("#tokens").get_attribute("data-spend-url")
    again: dict[str, Any] = page.evaluate(SPEND_AGAIN, [spend_url, spent_copy])

    assert again["status"] == 409
    assert again["body"]["error"] == "spent"
    assert SpentToken.objects.exclude(pk__in=seeded_spent).count() == 1
    assert len(stored_tokens(page)) == len(stored) - 1

    # The session cookie went with the signing requests only: the key list and the
    # spending carried none (the first check shows the test can see a cookie at all).
    signing = requests_to(requests, ISSUE_PATH)
    assert signing
    assert all("cookie" in request.all_headers() for request in signing)
    anonymous = requests_to(requests, KEYS_PATH) + requests_to(requests, SPEND_PATH)
    assert len(requests_to(requests, SPEND_PATH)) == 2
    assert not any("cookie" in request.all_headers() for request in anonymous)
    assert {origin(request.url) for request in requests} == {live_server.url}

    # Taking again signs nothing: every period is at its limit (409 `limit`), so the
    # spent token is not replaced.
    counts: dict[str, int] = page.evaluate("window.breakroomTokens.take()")

    assert counts == {**EXPECTED_HELD, "pulse": EXPECTED_HELD["pulse"] - 1}
    assert issued_to("night-picker") == EXPECTED_HELD
    expect(status).to_contain_text(HELD_MESSAGE)


@pytest.mark.e2e
@pytest.mark.parametrize("tampering", ["key id of another key", "two keys for one period"])
def test_phone_refuses_a_key_list_that_could_single_it_out(
    demo: None, new_context: NewContext, tampering: str
) -> None:
    page = new_context().new_page()
    requests = record_requests(page)

    def tamper(route: Route) -> None:
        response = route.fetch()
        document = response.json()
        keys = document["keys"]
        if tampering == "key id of another key":
            keys[0]["key_id"] = keys[1]["key_id"]
        else:
            keys.append({**keys[1], "purpose": keys[0]["purpose"], "period": keys[0]["period"]})
        route.fulfill(response=response, json=document)

    page.route(f"**{KEYS_PATH}", tamper)
    open_tokens_page(page, "night-picker")

    page.get_by_role("button", name=TAKE_BUTTON, exact=True).click()

    expect(page.locator("#tokens-status")).to_have_text(REFUSED_MESSAGE, timeout=TAKE_TIMEOUT_MS)
    assert requests_to(requests, KEYS_PATH)
    assert requests_to(requests, ISSUE_PATH) == []
    assert not TokenIssuance.objects.filter(holder_id=member_id("night-picker")).exists()
    assert stored_tokens(page) == []
    expect(page.get_by_role("button", name=TAKE_BUTTON, exact=True)).to_be_enabled()


@pytest.mark.e2e
def test_tokens_of_a_period_that_is_over_are_dropped_on_load(
    demo: None, new_context: NewContext
) -> None:
    page = new_context().new_page()
    open_tokens_page(page, "night-picker")
    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    def token(purpose: str, when: datetime.date) -> dict[str, str]:
        period = period_of(purpose, when)
        return {"key_id": "0" * 64, "purpose": purpose, "period": period, "message": period}

    kept = [
        token("pulse", today),
        token("pulse", today - day),  # in its day of grace
        token("report", today),
        token("diary", today + 7 * day),
    ]
    over = [token("pulse", today - 2 * day), token("report", today - 14 * day)]
    stored = [{**item, "signature": "c2ln"} for item in [*kept, *over]]
    page.evaluate(
        "([key, tokens]) => localStorage.setItem(key, JSON.stringify(tokens))",
        [STORAGE_KEY, stored],
    )

    page.reload()

    expect(page.locator('[data-held="pulse"]')).to_have_text("2")
    expect(page.locator('[data-held="report"]')).to_have_text("1")
    expect(page.locator('[data-held="diary"]')).to_have_text("1")
    expect(page.locator("#tokens-status")).to_contain_text(HELD_MESSAGE)
    assert [item["message"] for item in stored_tokens(page)] == [item["message"] for item in kept]


@pytest.mark.e2e
def test_unverified_worker_is_told_to_get_verified_first(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    page = new_context().new_page()
    requests = record_requests(page)

    open_tokens_page(page, "icqa-counter")

    expect(
        page.get_by_text(
            "Tokens are for workers verified in person at this site. "
            "Ask an organiser to verify you first.",
            exact=True,
        )
    ).to_be_visible()
    expect(page.locator("#take-tokens")).to_have_count(0)
    assert page.evaluate("typeof window.breakroomTokens") == "object"
    assert [request.url for request in requests if "/api/" in request.url] == []
    assert {origin(request.url) for request in requests} == {live_server.url}
