"""PRIVACY.md 3 and 19 in a real browser: no cookie before sign-in, no other origin."""

from urllib.parse import urlsplit

import pytest
from e2e_steps import (
    DURHAM,
    NewContext,
    enter_code,
    join_site,
    show_verification_code,
    sign_in,
    sign_up,
)
from playwright.sync_api import Request, expect
from pytest_django.live_server_helper import LiveServer

from breakroom.public.demo_data import DEMO_PASSPHRASE


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.e2e
def test_verification_journey_requests_nothing_from_another_origin(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    requested: list[str] = []
    worker_context = new_context()
    organiser_context = new_context()
    worker = worker_context.new_page()
    organiser = organiser_context.new_page()

    def record(request: Request) -> None:
        requested.append(request.url)

    worker.on("request", record)
    organiser.on("request", record)

    sign_up(worker, "quiet-picker")
    join_site(worker, DURHAM)
    code = show_verification_code(worker)
    sign_in(organiser, "organiser-durham", DEMO_PASSPHRASE)
    enter_code(organiser, site_slug="durham", code=code)
    expect(organiser.get_by_role("status")).to_have_text("quiet-picker is now verified.")
    worker.reload()
    expect(worker.get_by_role("status")).to_contain_text("Verified")

    assert "/static/breakroom/breakroom.css" in {urlsplit(url).path for url in requested}
    assert {origin(url) for url in requested} == {live_server.url}


@pytest.mark.e2e
def test_no_cookie_is_set_before_sign_in(demo: None, new_context: NewContext) -> None:
    context = new_context()
    page = context.new_page()

    page.goto("/")
    page.goto("/s/durham/")
    page.goto("/signup/")
    cookies_before_sign_up = context.cookies()
    sign_up(page, "cookie-free")

    assert cookies_before_sign_up == []
    # Signed in: the session, and the key that opens the person's unlocked key pair.
    assert sorted(cookie["name"] for cookie in context.cookies()) == [
        "breakroom_session",
        "breakroom_unlock",
    ]
