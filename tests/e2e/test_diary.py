"""The working-time diary in a real browser: a week with a 13-hour shift followed by a
9-hour gap shows the daily-rest breach, and the evidence pack downloads."""

import pytest
from e2e_steps import NewContext, sign_in
from playwright.sync_api import Page, expect

from breakroom.diary.models import DiaryEntry
from breakroom.public.demo_data import DEMO_PASSPHRASE

WEEK = "2026-11-16"


def add_shift(page: Page, day: str, start: str, end: str, *, extra: str = "") -> None:
    page.get_by_label("Day the shift started:", exact=True).fill(day)
    page.get_by_label("Actual start:", exact=True).fill(start)
    page.get_by_label("Actual end:", exact=True).fill(end)
    page.get_by_label("Breaks taken (minutes, uninterrupted):", exact=True).fill("30")
    page.get_by_label("Mandatory extra time (minutes):", exact=True).fill(extra)
    page.get_by_role("button", name="Save shift", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Week of 16 November 2026")).to_be_visible()


@pytest.mark.e2e
def test_a_short_rest_shows_as_a_breach_and_the_evidence_pack_downloads(
    demo: None, new_context: NewContext
) -> None:
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, "night-picker", DEMO_PASSPHRASE)
    page.goto(f"/me/diary/?week={WEEK}")

    add_shift(page, "2026-11-16", "07:00", "20:00", extra="120")
    add_shift(page, "2026-11-17", "05:00", "15:00")
    page.get_by_role("link", name="Check against the law", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your diary against the Working Time Regulations"
    )
    breach = page.locator(".card.breach").filter(
        has=page.get_by_role("heading", name="Daily rest (11 hours)")
    )
    expect(breach).to_have_count(1)
    expect(
        page.get_by_text("This is information, not legal advice.", exact=False).first
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the evidence pack (PDF)", exact=True).click()
    download = waiting.value
    path = download.path()
    assert download.suggested_filename == "breakroom-evidence.pdf"
    assert path is not None
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert DiaryEntry.objects.filter(user__username="night-picker").count() == 2
