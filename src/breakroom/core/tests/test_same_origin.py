"""Cross-site form posts are refused without any cookie or token, and change nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User

SIGN_UP = {
    "username": "new-person",
    "passphrase": "long enough passphrase",
    "passphrase_again": "long enough passphrase",
}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_cross_site_post_is_refused(db: None, headers: dict[str, Any]) -> None:
    client = Client(**headers)

    response = client.post(reverse("accounts:signup"), SIGN_UP)

    assert response.status_code == 403
    assert b"sent from another website" in response.content
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},
    ],
)
def test_same_origin_post_is_accepted(db: None, headers: dict[str, Any]) -> None:
    client = Client(**headers)

    response = client.post(reverse("accounts:signup"), SIGN_UP)

    assert response.status_code == 302
    assert list(User.objects.values_list("username", flat=True)) == ["new-person"]


def test_fetch_metadata_wins_over_a_null_origin(db: None) -> None:
    # With Referrer-Policy: no-referrer a browser sends `Origin: null` on its own
    # same-origin form posts; Sec-Fetch-Site tells the truth.
    client = Client(HTTP_SEC_FETCH_SITE="same-origin", HTTP_ORIGIN="null")

    response = client.post(reverse("accounts:signup"), SIGN_UP)

    assert response.status_code == 302
