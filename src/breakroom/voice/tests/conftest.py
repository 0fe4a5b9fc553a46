"""Helpers for report tests: an organiser signed in for real (their key unlocked)."""

import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.actions import do_start_second_factor
from breakroom.accounts.models import User
from breakroom.accounts.second_factor import code_for, needs_second_factor
from breakroom.accounts.tests.factories import PASSPHRASE
from breakroom.voice.actions import SentReport, do_send_report
from breakroom.voice.models import Category
from breakroom.workplaces.models import Site

CANARY = "canary-zx81-forklift"


def signed_in_for_real(user: User) -> Client:
    """Sign in through the page, so the person's private key is unlocked."""
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    response = client.post(
        reverse("accounts:signin"), {"username": user.username, "passphrase": PASSPHRASE}
    )
    assert response.status_code == 302
    if needs_second_factor(user):
        secret = do_start_second_factor(user=user)
        passed = client.post(reverse("accounts:second-factor"), {"code": code_for(secret)})
        assert passed.status_code == 302
    return client


@pytest.fixture
def organiser_client(organiser: User) -> Client:
    return signed_in_for_real(organiser)


@pytest.fixture
def sent(site: Site, organiser_client: Client) -> SentReport:
    """A report sent after the organiser has a key pair, so it is sealed to them."""
    return do_send_report(
        site=site,
        category=Category.MANDATORY_OVERTIME,
        body=f"Told to stay two extra hours with ten minutes' notice. {CANARY}",
    )
