from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User

PASSPHRASE = "correct horse battery staple"


def test_sign_in_with_the_right_passphrase(anon_client: Client, worker: User) -> None:
    response = anon_client.post(
        reverse("accounts:signin"), {"username": "WILL-worker", "passphrase": PASSPHRASE}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:my-sites")
    assert int(anon_client.session["_auth_user_id"]) == worker.pk


def test_sign_in_returns_to_a_local_next_page_only(anon_client: Client, worker: User) -> None:
    local = anon_client.post(
        reverse("accounts:signin") + "?next=/me/passphrase/",
        {"username": "will-worker", "passphrase": PASSPHRASE, "next": "/me/passphrase/"},
    )
    anon_client.post(reverse("accounts:signout"))
    elsewhere = anon_client.post(
        reverse("accounts:signin"),
        {"username": "will-worker", "passphrase": PASSPHRASE, "next": "https://evil.example/"},
    )

    assert local["Location"] == "/me/passphrase/"
    assert elsewhere["Location"] == reverse("accounts:my-sites")


def test_wrong_passphrase_is_refused(anon_client: Client, worker: User) -> None:
    response = anon_client.post(
        reverse("accounts:signin"), {"username": "will-worker", "passphrase": "not it at all"}
    )

    assert response.status_code == 400
    assert "That username and passphrase do not match." in response.content.decode()
    assert "_auth_user_id" not in anon_client.session


def test_unknown_username_gets_the_same_answer(anon_client: Client, db: None) -> None:
    response = anon_client.post(
        reverse("accounts:signin"), {"username": "nobody", "passphrase": "not it at all"}
    )

    assert response.status_code == 400
    assert "That username and passphrase do not match." in response.content.decode()


def test_repeated_failures_lock_the_username_for_a_while(anon_client: Client, worker: User) -> None:
    for _ in range(5):
        anon_client.post(
            reverse("accounts:signin"), {"username": "will-worker", "passphrase": "guess guess"}
        )

    response = anon_client.post(
        reverse("accounts:signin"), {"username": "will-worker", "passphrase": PASSPHRASE}
    )

    assert response.status_code == 429
    assert "Too many wrong attempts" in response.content.decode()
    assert "_auth_user_id" not in anon_client.session


def test_malformed_sign_in_is_refused(anon_client: Client, db: None) -> None:
    response = anon_client.post(reverse("accounts:signin"), {"username": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_sign_out_needs_a_post_and_ends_the_session(client: Client, worker: User) -> None:
    client.force_login(worker)

    refused = client.get(reverse("accounts:signout"))
    response = client.post(reverse("accounts:signout"))

    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == "/?signed-out=1"
    assert client.get(reverse("accounts:my-sites")).status_code == 302
