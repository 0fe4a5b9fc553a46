"""Key pairs: created at sign-up, unlocked only by the passphrase, kept per session."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from breakroom.accounts.keys import open_private_key, recall_unlocked_key
from breakroom.accounts.models import KeyPair, User

from .factories import PASSPHRASE

SIGN_UP = {
    "username": "keyholder",
    "passphrase": "a long enough passphrase",
    "passphrase_again": "a long enough passphrase",
}


def test_sign_up_creates_a_key_pair_only_the_passphrase_opens(anon_client: Client) -> None:
    anon_client.post(reverse("accounts:signup"), SIGN_UP)

    key_pair = KeyPair.objects.get(user__username="keyholder")
    private_key = open_private_key(key_pair, "a long enough passphrase")
    assert bytes(private_key.public_key) == bytes(key_pair.public_key)
    with pytest.raises(ValueError, match="does not unlock"):
        open_private_key(key_pair, "a guess at the passphrase")
    assert bytes(private_key) not in bytes(key_pair.private_key_sealed)


def test_signing_in_unlocks_the_key_for_the_session_only_with_the_cookie(
    anon_client: Client, worker: User
) -> None:
    anon_client.post(
        reverse("accounts:signin"), {"username": "will-worker", "passphrase": PASSPHRASE}
    )
    request = RequestFactory().get("/")
    request.session = anon_client.session

    without_cookie = recall_unlocked_key(request)
    request.COOKIES = {"breakroom_unlock": anon_client.cookies["breakroom_unlock"].value}
    with_cookie = recall_unlocked_key(request)

    key_pair = KeyPair.objects.get(user=worker)  # made at the first sign-in
    assert without_cookie is None
    assert with_cookie is not None
    assert bytes(with_cookie.public_key) == bytes(key_pair.public_key)


def test_changing_the_passphrase_reseals_the_same_key(client: Client, worker: User) -> None:
    client.post(reverse("accounts:signin"), {"username": "will-worker", "passphrase": PASSPHRASE})
    before = KeyPair.objects.get(user=worker)

    client.post(
        reverse("accounts:passphrase-change"),
        {
            "current": PASSPHRASE,
            "new": "a brand new passphrase",
            "new_again": "a brand new passphrase",
        },
    )

    after = KeyPair.objects.get(user=worker)
    assert bytes(after.public_key) == bytes(before.public_key)
    assert bytes(open_private_key(after, "a brand new passphrase").public_key) == bytes(
        after.public_key
    )
    with pytest.raises(ValueError, match="does not unlock"):
        open_private_key(after, PASSPHRASE)


def test_signing_out_forgets_the_unlock_cookie(client: Client, worker: User) -> None:
    client.post(reverse("accounts:signin"), {"username": "will-worker", "passphrase": PASSPHRASE})

    response = client.post(reverse("accounts:signout"))

    assert response.cookies["breakroom_unlock"].value == ""
    assert response.cookies["breakroom_unlock"]["max-age"] == 0
