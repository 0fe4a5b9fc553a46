"""PRIVACY.md 7 and 8: a copy of the database plus the server's settings reads nothing
without an organiser's passphrase or the reporter's code."""

import nacl.public
import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.keys import open_private_key
from breakroom.accounts.models import KeyPair, User
from breakroom.accounts.tests.factories import PASSPHRASE
from breakroom.core.receipts import code_secrets, new_code
from breakroom.voice.actions import SentReport
from breakroom.voice.models import Report, ReportKeyGrant
from breakroom.voice.sealing import open_key_with_code_key, open_sealed_key, open_with

from .conftest import CANARY


def test_server_side_material_alone_opens_nothing(sent: SentReport, organiser: User) -> None:
    report = Report.objects.get()
    grant = ReportKeyGrant.objects.get()
    key_pair = KeyPair.objects.get(user=organiser)

    # Every key the server could try: guesses at the code and the passphrase, and
    # keys made from everything in the settings.
    with pytest.raises(ValueError, match="does not open"):
        open_key_with_code_key(code_secrets(new_code()).key, bytes(report.key_sealed_for_receipt))
    with pytest.raises(ValueError, match="does not unlock"):
        open_private_key(key_pair, "not the passphrase")
    with pytest.raises(ValueError, match="not sealed to you"):
        open_sealed_key(nacl.public.PrivateKey.generate(), bytes(grant.key_sealed))
    assert CANARY.encode() not in bytes(report.body_sealed)


def test_the_code_or_the_passphrase_each_open_it(sent: SentReport, organiser: User) -> None:
    report = Report.objects.get()

    by_code = open_key_with_code_key(
        code_secrets(sent.code).key, bytes(report.key_sealed_for_receipt)
    )
    private_key = open_private_key(KeyPair.objects.get(user=organiser), PASSPHRASE)
    by_passphrase = open_sealed_key(private_key, bytes(ReportKeyGrant.objects.get().key_sealed))

    assert by_code == by_passphrase
    assert CANARY in open_with(by_code, bytes(report.body_sealed))


def test_replies_are_read_only_with_the_reporters_code(
    anon_client: Client, site: object, sent: SentReport
) -> None:
    response = anon_client.post(
        reverse("voice:thread-open", kwargs={"slug": "durham"}), {"code": new_code()}
    )

    assert response.status_code == 404
    assert CANARY not in response.content.decode()
