"""What a person does in the browser, step by step, shared by the journeys.

Each step ends by checking that the page it leads to has arrived, so a journey
that breaks fails at the step that broke.
"""

import base64
import re
from typing import Protocol
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from breakroom.accounts.second_factor import code_for

WORKER_PASSPHRASE = "kettle-forklift-lunchbox-daisy"
DURHAM = "Durham fulfilment centre"
CODE_LABEL = "Code on the worker's phone:"
SHOWN_CODE = re.compile(r"^\d{4} \d{4}$")


class NewContext(Protocol):
    """Opens a fresh browser context (one person, own cookies) on the live server."""

    def __call__(
        self, *, java_script_enabled: bool = True, viewport: ViewportSize | None = None
    ) -> BrowserContext: ...


def fill_sign_up_form(page: Page, *, username: str, passphrase: str, again: str) -> None:
    page.goto("/signup/")
    page.get_by_label("Username:", exact=True).fill(username)
    page.get_by_label("Passphrase:", exact=True).fill(passphrase)
    page.get_by_label("Passphrase again:", exact=True).fill(again)


def sign_up(page: Page, username: str) -> None:
    passphrase = WORKER_PASSPHRASE
    fill_sign_up_form(page, username=username, passphrase=passphrase, again=passphrase)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text(f"Signed in as {username}.", exact=True)).to_be_visible()


def sign_in(page: Page, username: str, passphrase: str) -> None:
    page.goto("/signin/")
    page.get_by_label("Username:", exact=True).fill(username)
    page.get_by_label("Passphrase:", exact=True).fill(passphrase)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if urlsplit(page.url).path == "/signin/second-factor/":
        pass_second_factor(page)
    expect(page.get_by_text(f"Signed in as {username}.", exact=True)).to_be_visible()


def pass_second_factor(page: Page) -> None:
    """An organiser's second step: read the key the page shows for setting up an
    authenticator app and answer with the code such an app would show now."""
    secret = base64.b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("The six-digit code from your authenticator app:", exact=True).fill(
        code_for(secret)
    )
    page.get_by_role("button", name="Continue", exact=True).click()


def join_site(page: Page, site_name: str) -> None:
    """On "My sites", say "I work here"; lands on the membership page."""
    page.get_by_label("Site:", exact=True).select_option(label=site_name)
    page.get_by_role("button", name="I work here", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(site_name)
    expect(page.get_by_text("Not verified yet", exact=True)).to_be_visible()


def show_verification_code(page: Page) -> str:
    """Ask for a code on the membership page; return it as shown ("1234 5678")."""
    page.get_by_role("button", name="Show my verification code", exact=True).click()
    shown = page.locator("p.code")
    expect(shown).to_have_text(SHOWN_CODE)
    return shown.inner_text()


def enter_code(page: Page, *, site_slug: str, code: str) -> None:
    page.goto(f"/organise/{site_slug}/verify/")
    page.get_by_label(CODE_LABEL, exact=True).fill(code)
    page.get_by_role("button", name="Verify", exact=True).click()
