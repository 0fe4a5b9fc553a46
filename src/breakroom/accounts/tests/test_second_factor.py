"""Organisers and union staff sign in with a second factor (PRIVACY.md 17)."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import SecondFactor, User
from breakroom.accounts.second_factor import code_for, secret_of
from breakroom.workplaces.models import Site

from .factories import PASSPHRASE


def sign_in(user: User) -> tuple[Client, str]:
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    response = client.post(
        reverse("accounts:signin"), {"username": user.username, "passphrase": PASSPHRASE}
    )
    return client, response["Location"]


def shown_secret(client: Client) -> bytes:
    page = client.get(reverse("accounts:second-factor")).content.decode()
    text = page.split('id="totp-secret">')[1].split("<")[0]
    return base64.b32decode(text.replace(" ", ""))


@pytest.mark.parametrize("persona", ["organiser", "site_admin", "admin"])
def test_organisers_are_sent_to_the_second_step(
    request: pytest.FixtureRequest, site: Site, persona: str
) -> None:
    client, location = sign_in(request.getfixturevalue(persona))

    inbox = client.get(reverse("voice:inbox", kwargs={"slug": site.slug}))
    api = client.get(f"/api/v1/sites/{site.slug}/inbox")

    assert location.startswith("/signin/second-factor/?next=")
    assert inbox.status_code == 302
    assert inbox["Location"].startswith("/signin/second-factor/?next=")
    assert (api.status_code, api.json()["error"]) == (403, "second_factor")


def test_a_worker_is_not_asked(worker: User) -> None:
    _client, location = sign_in(worker)

    assert location == reverse("accounts:my-sites")


def test_setting_up_the_app_then_signing_in_with_it(site: Site, organiser: User) -> None:
    client, _location = sign_in(organiser)
    secret = shown_secret(client)

    wrong = client.post(reverse("accounts:second-factor"), {"code": "000000"})
    still_blocked = client.get(reverse("voice:inbox", kwargs={"slug": site.slug}))
    right = client.post(
        reverse("accounts:second-factor") + "?next=/organise/durham/reports/",
        {"code": code_for(secret), "next": "/organise/durham/reports/"},
    )
    inbox = client.get(reverse("voice:inbox", kwargs={"slug": site.slug}))
    later, _ = sign_in(organiser)
    second_visit = later.get(reverse("accounts:second-factor")).content.decode()
    passed_again = later.post(reverse("accounts:second-factor"), {"code": code_for(secret)})

    assert wrong.status_code == 400
    assert "That code is not right." in wrong.content.decode()
    assert still_blocked.status_code == 302
    assert right["Location"] == "/organise/durham/reports/"
    assert inbox.status_code == 200
    assert SecondFactor.objects.get(user=organiser).is_confirmed is True
    assert 'id="totp-secret"' not in second_visit  # the key is shown only while setting up
    assert passed_again.status_code == 302


def test_the_secret_is_sealed_at_rest(organiser: User) -> None:
    client, _location = sign_in(organiser)
    secret = shown_secret(client)

    stored = SecondFactor.objects.get(user=organiser)

    assert secret not in bytes(stored.secret_sealed)
    assert secret_of(stored) == secret


def test_guessing_codes_is_stopped(site: Site, organiser: User) -> None:
    client, _location = sign_in(organiser)
    secret = shown_secret(client)
    for guess in range(5):
        client.post(reverse("accounts:second-factor"), {"code": f"{guess:06d}"})

    response = client.post(reverse("accounts:second-factor"), {"code": code_for(secret)})

    assert response.status_code == 429
    assert SecondFactor.objects.get(user=organiser).is_confirmed is False
