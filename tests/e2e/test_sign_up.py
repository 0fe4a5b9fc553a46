"""A sign-up that is refused leaves no trace: no account, no audit row, no cookie."""

import pytest
from e2e_steps import WORKER_PASSPHRASE, NewContext, fill_sign_up_form
from playwright.sync_api import expect

from breakroom.accounts.models import User
from breakroom.core.models import AuditEvent


@pytest.mark.e2e
def test_sign_up_with_two_different_passphrases_creates_nothing(new_context: NewContext) -> None:
    context = new_context()
    page = context.new_page()
    fill_sign_up_form(
        page, username="typo-tam", passphrase=WORKER_PASSPHRASE, again=WORKER_PASSPHRASE + "x"
    )

    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Create my account").click()

    assert posted.value.status == 400
    expect(page.locator(".errorlist")).to_have_text(["The two passphrases are not the same."])
    expect(page.get_by_label("Username:", exact=True)).to_have_value("typo-tam")
    expect(page.get_by_label("Passphrase:", exact=True)).to_have_value("")
    assert User.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert context.cookies() == []
