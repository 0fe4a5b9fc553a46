import pytest
from django.test import Client, override_settings
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.core.models import AuditEvent
from breakroom.core.sealing import open_text
from breakroom.settings import base

from .factories import UserFactory

GOOD = {
    "username": "Night-Picker",
    "passphrase": "tea break never comes",
    "passphrase_again": "tea break never comes",
    "contact": "",
}


def test_sign_up_creates_a_pseudonymous_account_and_signs_in(anon_client: Client) -> None:
    response = anon_client.post(reverse("accounts:signup"), GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:my-sites")
    user = User.objects.get()
    assert user.username == "Night-Picker"
    assert user.contact_sealed is None
    assert user.check_password("tea break never comes")
    assert list(AuditEvent.objects.values_list("kind", "actor_id")) == [("user.signed_up", user.pk)]
    assert anon_client.get(reverse("accounts:my-sites")).status_code == 200


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_passphrases_are_hashed_with_argon2id(anon_client: Client) -> None:
    anon_client.post(reverse("accounts:signup"), GOOD)

    assert User.objects.get().password.startswith("argon2$argon2id$")


def test_contact_details_are_stored_sealed(anon_client: Client) -> None:
    anon_client.post(reverse("accounts:signup"), {**GOOD, "contact": "Signal: canary-77"})

    user = User.objects.get()
    assert user.contact_sealed is not None
    assert b"canary-77" not in bytes(user.contact_sealed)
    assert open_text(bytes(user.contact_sealed), purpose="contact") == "Signal: canary-77"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "username": "someone-ELSE"}, "That username is taken"),
        ({**GOOD, "passphrase_again": "something else"}, "The two passphrases are not the same"),
        ({**GOOD, "passphrase": "short", "passphrase_again": "short"}, "too short"),
        (
            {**GOOD, "passphrase": "123456789012", "passphrase_again": "123456789012"},
            "entirely numeric",
        ),
        ({**GOOD, "username": "has spaces in it"}, "Use letters, digits"),
        ({"username": "x" * 500}, "This field is required"),
        ({}, "This field is required"),
    ],
)
def test_bad_sign_up_is_refused_and_changes_nothing(
    anon_client: Client, data: dict[str, str], message: str
) -> None:
    UserFactory.create(username="Someone-Else")

    response = anon_client.post(reverse("accounts:signup"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(User.objects.values_list("username", flat=True)) == ["Someone-Else"]
    assert not AuditEvent.objects.exists()
    assert response.cookies == {}


def test_sign_up_page_says_no_real_name_is_needed(anon_client: Client) -> None:
    response = anon_client.get(reverse("accounts:signup"))

    assert response.status_code == 200
    assert "Do not use your real name" in response.content.decode()
