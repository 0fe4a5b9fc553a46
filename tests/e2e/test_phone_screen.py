"""Most workers open Breakroom on a phone: public pages must fit a small screen."""

import pytest
from e2e_steps import NewContext

PHONE_WIDTH = 360


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["/", "/s/durham/", "/signup/"])
def test_page_fits_a_small_phone_screen_without_sideways_scrolling(
    demo: None, new_context: NewContext, path: str
) -> None:
    page = new_context(viewport={"width": PHONE_WIDTH, "height": 740}).new_page()

    page.goto(path)

    page_width: int = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH
