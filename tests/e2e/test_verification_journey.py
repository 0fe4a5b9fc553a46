"""A new worker signs up, says where they work, and an organiser verifies them in person."""

import re

import pytest
from django.utils import dateformat, timezone, translation
from e2e_steps import (
    CODE_LABEL,
    DURHAM,
    SHOWN_CODE,
    NewContext,
    enter_code,
    join_site,
    show_verification_code,
    sign_in,
    sign_up,
)
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from breakroom.accounts.views import _qr_svg
from breakroom.public.demo_data import DEMO_PASSPHRASE

ORGANISER = "organiser-durham"
# The membership page reloads itself every 5 seconds while it shows a code.
SELF_REFRESH_WAIT_MS = 10_000


def verified_notice() -> str:
    # In English whatever language an earlier test left active in this thread.
    with translation.override("en"):
        today = dateformat.format(timezone.localdate(), "j F Y")
    return f"Verified: an organiser confirmed in person on {today} that you work here."


@pytest.mark.e2e
def test_organiser_verifies_a_new_worker_with_the_code_on_their_phone(
    demo: None, new_context: NewContext
) -> None:
    worker = new_context().new_page()
    organiser = new_context().new_page()
    sign_up(worker, "forklift-fox")
    join_site(worker, DURHAM)
    code = show_verification_code(worker)
    sign_in(organiser, ORGANISER, DEMO_PASSPHRASE)

    enter_code(organiser, site_slug="durham", code=code)

    expect(organiser.get_by_role("status")).to_have_text("forklift-fox is now verified.")
    expect(organiser.get_by_label(CODE_LABEL, exact=True)).to_have_value("")
    expect(worker.get_by_role("status")).to_have_text(
        verified_notice(), timeout=SELF_REFRESH_WAIT_MS
    )
    expect(worker.locator("p.code")).to_have_count(0)


@pytest.mark.e2e
def test_qr_code_opens_the_verify_page_with_the_code_filled_in(
    demo: None, new_context: NewContext, live_server: LiveServer
) -> None:
    worker = new_context().new_page()
    organiser = new_context().new_page()
    sign_up(worker, "tote-tamer")
    join_site(worker, DURHAM)
    digits = show_verification_code(worker).replace(" ", "")
    verify_url = f"{live_server.url}/organise/durham/verify/?code={digits}"
    sign_in(organiser, ORGANISER, DEMO_PASSPHRASE)

    page_markup = worker.request.get(worker.url).text()
    organiser.goto(verify_url)

    shown_qr = re.search(r"<svg\b.*?</svg>", page_markup, flags=re.DOTALL)
    assert shown_qr is not None
    assert shown_qr.group(0) == _qr_svg(verify_url)
    expect(organiser.get_by_label(CODE_LABEL, exact=True)).to_have_value(digits)


@pytest.mark.e2e
def test_worker_signs_up_joins_and_shows_a_code_without_javascript(
    demo: None, new_context: NewContext
) -> None:
    worker = new_context(java_script_enabled=False).new_page()

    sign_up(worker, "no-script-sam")
    join_site(worker, DURHAM)
    code = show_verification_code(worker)

    assert SHOWN_CODE.match(code)
    expect(worker.locator(".qr svg")).to_be_visible()
    expect(worker.get_by_role("link", name="Check whether I am verified")).to_have_attribute(
        "href", "/me/sites/durham/"
    )
