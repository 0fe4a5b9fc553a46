"""Unlinkability at the data level, the public audit file, the verifier, and rotation."""

import base64
import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import Membership, User
from breakroom.accounts.tests.factories import MembershipFactory
from breakroom.core.models import SpentToken, TokenIssuance, TokenKey
from breakroom.core.tokens.client import Token
from breakroom.core.tokens.verifier import verify_audit
from breakroom.workplaces.actions import do_rotate_token_keys
from breakroom.workplaces.models import Site, SiteStatus

from .tokens_helpers import token_client

THURSDAY = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
SATURDAY = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


def database_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.append(
                    " ".join(
                        bytes(v).hex() if isinstance(v, bytes | memoryview) else repr(v)
                        for v in row
                    )
                )
    return "\n".join(chunks)


@pytest.fixture
def ten_workers(site: Site) -> list[User]:
    return [
        MembershipFactory.create(
            site=site, is_verified=True, verified_on=datetime.date(2026, 11, 1)
        ).user
        for _ in range(10)
    ]


@time_machine.travel(THURSDAY, tick=False)
def test_nothing_stored_links_a_spent_token_to_a_worker(
    site: Site, ten_workers: list[User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from breakroom.core.crypto import blind_rsa

    seen: list[bytes] = []
    real_blind_sign = blind_rsa.blind_sign

    def watching(private_key: object, blinded: bytes) -> bytes:
        signature = real_blind_sign(private_key, blinded)  # type: ignore[arg-type]
        seen.extend([blinded, signature])
        return signature

    monkeypatch.setattr(blind_rsa, "blind_sign", watching)
    tokens = [
        token_client(worker).take(purpose="pulse", period="2026-11-26", count=1)[0]
        for worker in ten_workers
    ]
    for token in reversed(tokens):
        token_client(None).spend(token)

    stored = database_text()
    # What the server saw while signing — the only thing that could be matched
    # against a worker — is stored nowhere.
    for value in seen:
        assert value.hex() not in stored
    # Spent tokens carry no person and no time finer than the day.
    assert {field.name for field in SpentToken._meta.get_fields()} == {
        "id",
        "key",
        "message_hash",
        "message",
        "signature",
        "day",
    }
    assert set(SpentToken.objects.values_list("day", flat=True)) == {datetime.date(2026, 11, 26)}
    assert SpentToken.objects.values("key").distinct().count() == 1
    # The roll says who took part, identically for everyone, and nothing else.
    assert sorted(TokenIssuance.objects.values_list("holder_id", "count")) == sorted(
        (worker.pk, 1) for worker in ten_workers
    )
    assert {field.name for field in TokenIssuance._meta.get_fields()} == {
        "id",
        "holder_id",
        "key",
        "count",
    }
    # Random ids: the stored order is not the order of spending.
    assert SpentToken._meta.pk is not None
    assert SpentToken._meta.pk.get_internal_type() == "UUIDField"


def spend_tokens(site: Site, workers: list[User]) -> list[Token]:
    tokens = [
        token_client(worker).take(purpose="pulse", period="2026-11-26", count=1)[0]
        for worker in workers
    ]
    for token in tokens:
        token_client(None).spend(token)
    return tokens


def audit_url(site: Site, period: str = "2026-11-26") -> str:
    return reverse(
        "api:tokens-spent", kwargs={"slug": site.slug, "purpose": "pulse", "period": period}
    )


def test_the_audit_file_is_published_after_the_period_and_verifies(
    anon_client: Client, site: Site, ten_workers: list[User], tmp_path: Path
) -> None:
    with time_machine.travel(THURSDAY, tick=False):
        tokens = spend_tokens(site, ten_workers[:6])
        during = anon_client.get(audit_url(site))
    with time_machine.travel(SATURDAY, tick=False):
        response = anon_client.get(audit_url(site))

    document = response.json()
    assert during.status_code == 404
    assert during.json()["error"] == "not_published"
    assert response.status_code == 200
    assert document["count"] == 6
    messages = [base64.b64decode(token["message"]) for token in document["tokens"]]
    assert messages == sorted(token.message for token in tokens)
    assert verify_audit(document).is_valid
    path = tmp_path / "spent.json"
    path.write_text(json.dumps(document))
    output = StringIO()
    call_command("verify_tokens", str(path), stdout=output)
    assert output.getvalue().startswith(
        "OK: 6 valid, distinct tokens for pulse 2026-11-26 at durham"
    )


def test_fewer_than_k_spent_tokens_are_not_published(
    anon_client: Client, site: Site, ten_workers: list[User]
) -> None:
    with time_machine.travel(THURSDAY, tick=False):
        spend_tokens(site, ten_workers[:4])
    with time_machine.travel(SATURDAY, tick=False):
        response = anon_client.get(audit_url(site))

    assert response.status_code == 404
    assert response.json()["error"] == "not_published"


@pytest.fixture
def audit_document(anon_client: Client, site: Site, ten_workers: list[User]) -> dict[str, object]:
    with time_machine.travel(THURSDAY, tick=False):
        spend_tokens(site, ten_workers[:5])
    with time_machine.travel(SATURDAY, tick=False):
        document: dict[str, object] = anon_client.get(audit_url(site)).json()
    return document


def tampered(document: dict[str, object], how: str) -> dict[str, object]:
    copy = json.loads(json.dumps(document))
    tokens = copy["tokens"]
    if how == "signature":
        signature = bytearray(base64.b64decode(tokens[0]["signature"]))
        signature[10] ^= 1
        tokens[0]["signature"] = base64.b64encode(bytes(signature)).decode()
    elif how == "duplicate":
        tokens.append(tokens[0])
        copy["count"] += 1
    elif how == "count":
        copy["count"] += 1
    elif how == "key_id":
        copy["key"]["key_id"] = "0" * 64
    return copy


@pytest.mark.parametrize(
    ("how", "problem"),
    [
        ("signature", "token 1: the signature does not verify"),
        ("duplicate", "token 6: appears twice"),
        ("count", "count says 6 but the file holds 5 tokens"),
        ("key_id", "key_id is not the SHA-256 of the public key"),
    ],
)
def test_the_verifier_finds_every_kind_of_tampering(
    audit_document: dict[str, object], tmp_path: Path, how: str, problem: str
) -> None:
    document = tampered(audit_document, how)
    path = tmp_path / "spent.json"
    path.write_text(json.dumps(document))
    errors = StringIO()

    report = verify_audit(document)
    with pytest.raises(CommandError, match="INVALID"):
        call_command("verify_tokens", str(path), stdout=StringIO(), stderr=errors)

    assert problem in report.problems
    assert problem in errors.getvalue()


def test_rotation_makes_keys_ahead_and_forgets_closed_private_keys(
    site: Site, other_site: Site
) -> None:
    other_site.status = SiteStatus.CLOSED
    other_site.save()

    with time_machine.travel(THURSDAY, tick=False):
        created, destroyed = do_rotate_token_keys(today=datetime.date(2026, 11, 26))
        again = do_rotate_token_keys(today=datetime.date(2026, 11, 26))
    with time_machine.travel(SATURDAY, tick=False):
        later = do_rotate_token_keys(today=datetime.date(2026, 11, 28))

    assert (created, destroyed) == (11, 0)
    assert again == (0, 0)
    # Two more pulse days appear; 26 November's grace ended on the 27th.
    assert later == (2, 1)
    assert not TokenKey.objects.filter(site_id=other_site.pk).exists()
    closed = TokenKey.objects.get(site_id=site.pk, purpose="pulse", period="2026-11-26")
    assert closed.private_key_sealed is None
    assert closed.public_key


def test_a_closed_key_signs_nothing(site: Site, verified_worker: User) -> None:
    with time_machine.travel(THURSDAY, tick=False):
        key = token_client(None).key_for("pulse", "2026-11-26")
    TokenKey.objects.filter(key_id=key.key_id).update(private_key_sealed=None)

    with time_machine.travel(THURSDAY, tick=False):
        response = Client(headers={"Sec-Fetch-Site": "same-origin"})
        response.force_login(verified_worker)
        answer = response.post(
            reverse("api:tokens-issue", kwargs={"slug": site.slug}),
            json.dumps({"key_id": key.key_id, "blinded_messages": ["AA=="]}),
            content_type="application/json",
        )

    assert (answer.status_code, answer.json()["error"]) == (410, "closed")
    assert not TokenIssuance.objects.exclude(count=0).exists()
    assert Membership.objects.filter(user=verified_worker, is_verified=True).exists()
