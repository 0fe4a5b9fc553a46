"""Browser journeys run in Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: it drives /usr/bin/chromium. Without
it the journeys are skipped, except in CI, where a missing browser is a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from e2e_steps import NewContext
from playwright.sync_api import Browser, BrowserContext, ViewportSize, sync_playwright
from pytest_django.live_server_helper import LiveServer

from breakroom.api.sites import forget_open_sites
from breakroom.core.tokens.service import forget_known_keys
from breakroom.public.demo_data import seed_demo
from breakroom.pulse.queries import forget_check_in_contexts

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A step that needs longer than this is broken, not slow: fail fast.
STEP_TIMEOUT_MS = 5_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}; install Debian's package 'chromium'."
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop running in this thread, so Django
        # takes the tests' ORM calls (and the database flush after each test) for calls
        # from async code and refuses them. They are plain synchronous calls in one
        # thread, so they are allowed while the browser runs, and only then.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[NewContext]:
    """One browser context per person; all are closed before the database is flushed."""
    contexts: list[BrowserContext] = []

    def open_context(
        *, java_script_enabled: bool = True, viewport: ViewportSize | None = None
    ) -> BrowserContext:
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=java_script_enabled, viewport=viewport
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _forget_what_processes_remember() -> Iterator[None]:
    """The live server runs in this process: what the app remembers per process (sites,
    keys, check-in contexts) must not outlive the rows of one test."""
    forget_open_sites()
    forget_known_keys()
    forget_check_in_contexts()
    cache.clear()
    yield
    forget_open_sites()
    forget_known_keys()
    forget_check_in_contexts()
    cache.clear()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo employer, sites and people, made through the app's own actions."""
    seed_demo()
