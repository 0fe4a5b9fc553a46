"""Anonymous-but-eligible tokens through the HTTP API (docs/tokens.md).

Every refused request is checked to have changed nothing: no issuance counted, no
token spent, no audit row.
"""

import base64
import datetime
import hashlib
import json

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.core.crypto import blind_rsa
from breakroom.core.models import AuditEvent, SpentToken, TokenIssuance, TokenKey
from breakroom.core.sealing import open_bytes
from breakroom.core.tokens.client import Token, TokenClientError, parse_published_keys
from breakroom.core.tokens.keys import SEAL_PURPOSE
from breakroom.core.tokens.policy import POLICIES, issuable_periods
from breakroom.workplaces.models import Site

from .tokens_helpers import token_client

TODAY = datetime.date(2026, 11, 26)
TRAVEL = time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture(autouse=True)
def _thursday() -> object:
    with TRAVEL:
        yield


def keys_url(site: Site) -> str:
    return reverse("api:token-keys", kwargs={"slug": site.slug})


def issue_url(site: Site) -> str:
    return reverse("api:tokens-issue", kwargs={"slug": site.slug})


def spend_url(site: Site) -> str:
    return reverse("api:tokens-spend", kwargs={"slug": site.slug})


def nothing_recorded() -> bool:
    return (
        not TokenIssuance.objects.exclude(count=0).exists()
        and not SpentToken.objects.exists()
        and not AuditEvent.objects.filter(kind="tokens.issued").exists()
    )


def test_each_site_publishes_one_key_per_purpose_and_period(
    anon_client: Client, site: Site
) -> None:
    response = anon_client.get(keys_url(site))

    document = response.json()
    slots = [(key["purpose"], key["period"]) for key in document["keys"]]
    assert response.status_code == 200
    assert response.cookies == {}
    assert sorted(slots) == sorted(
        (purpose, period) for purpose in POLICIES for period in issuable_periods(purpose, TODAY)
    )
    for key in document["keys"]:
        der = base64.b64decode(key["public_key"])
        assert key["key_id"] == hashlib.sha256(der).hexdigest()
        assert key["variant"] == "RSABSSA-SHA384-PSS-Randomized"
        assert key["modulus_bits"] == 2048
    assert len(parse_published_keys(document)) == 11


def test_asking_twice_creates_no_new_key(anon_client: Client, site: Site) -> None:
    first = anon_client.get(keys_url(site)).json()

    second = anon_client.get(keys_url(site)).json()

    assert first == second
    assert TokenKey.objects.count() == 11


def test_private_keys_are_sealed_at_rest(anon_client: Client, site: Site) -> None:
    anon_client.get(keys_url(site))

    key = TokenKey.objects.get(purpose="pulse", period="2026-11-26")
    assert key.private_key_sealed is not None
    sealed = bytes(key.private_key_sealed)
    der = open_bytes(sealed, purpose=SEAL_PURPOSE)
    assert der[:2] == b"\x30\x82"  # a DER SEQUENCE: the PKCS #8 private key
    assert der[64:128] not in sealed
    with (
        override_settings(CONTACT_KEY="only the database, not the server's key"),
        pytest.raises(ValueError, match="authentication"),
    ):
        open_bytes(sealed, purpose=SEAL_PURPOSE)


def test_a_verified_worker_takes_and_spends_a_token(site: Site, verified_worker: User) -> None:
    client = token_client(verified_worker)

    tokens = client.take(purpose="pulse", period="2026-11-26", count=1)
    answer = token_client(None).spend(tokens[0])

    assert answer == {"spent": True, "purpose": "pulse", "period": "2026-11-26"}
    spent = SpentToken.objects.get()
    assert bytes(spent.message) == tokens[0].message
    assert spent.day == TODAY
    assert list(TokenIssuance.objects.values_list("holder_id", "count")) == [
        (verified_worker.pk, 1)
    ]


def test_a_weekly_purpose_gives_five_tokens_per_week(site: Site, verified_worker: User) -> None:
    client = token_client(verified_worker)

    tokens = client.take(purpose="report", period="2026-W48", count=5)
    with pytest.raises(TokenClientError) as refused:
        client.take(purpose="report", period="2026-W48", count=1)

    assert len({token.message for token in tokens}) == 5
    assert (refused.value.status, refused.value.code) == (409, "limit")
    assert TokenIssuance.objects.get().count == 5


def test_no_member_gets_more_than_the_limit(site: Site, verified_worker: User) -> None:
    client = token_client(verified_worker)
    client.take(purpose="pulse", period="2026-11-26", count=1)
    events = AuditEvent.objects.count()

    with pytest.raises(TokenClientError) as refused:
        client.take(purpose="pulse", period="2026-11-26", count=1)

    assert (refused.value.status, refused.value.code) == (409, "limit")
    assert TokenIssuance.objects.get().count == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [("worker", 403, "not_verified"), ("outsider", 403, "not_verified"), (None, 401, "sign_in")],
)
def test_only_verified_members_of_the_site_take_tokens(
    request: pytest.FixtureRequest, site: Site, persona: str | None, status: int, code: str
) -> None:
    user = request.getfixturevalue(persona) if persona else None

    with pytest.raises(TokenClientError) as refused:
        token_client(user).take(purpose="pulse", period="2026-11-26", count=1)

    assert (refused.value.status, refused.value.code) == (status, code)
    assert nothing_recorded()


def signed_in(user: User) -> Client:
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    client.force_login(user)
    return client


def pulse_key_id(site: Site) -> str:
    keys = token_client(None).published_keys()
    return next(key.key_id for key in keys if key.period == "2026-11-26" and key.purpose == "pulse")


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        json.dumps({"blinded_messages": ["AA=="]}),
        json.dumps({"key_id": "KEY", "blinded_messages": []}),
        json.dumps({"key_id": "KEY", "blinded_messages": ["***"]}),
        json.dumps({"key_id": "KEY", "blinded_messages": [base64.b64encode(b"short").decode()]}),
        json.dumps(
            {"key_id": "KEY", "blinded_messages": [base64.b64encode(b"\xff" * 256).decode()]}
        ),
        json.dumps({"key_id": "KEY", "blinded_messages": ["AA=="] * 50}),
    ],
)
def test_malformed_issue_requests_change_nothing(
    site: Site, verified_worker: User, body: str
) -> None:
    key_id = pulse_key_id(site)

    response = signed_in(verified_worker).post(
        issue_url(site), body.replace("KEY", key_id), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "malformed"
    assert response.json()["message"]
    assert nothing_recorded()


def test_a_key_of_another_site_is_unknown_here(
    site: Site, other_site: Site, verified_worker: User
) -> None:
    elsewhere = token_client(None, site=other_site.slug).key_for("pulse", "2026-11-26")

    response = signed_in(verified_worker).post(
        issue_url(site),
        json.dumps({"key_id": elsewhere.key_id, "blinded_messages": ["AA=="]}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["error"]) == (404, "unknown_key")
    assert nothing_recorded()


@pytest.fixture
def token(site: Site, verified_worker: User) -> Token:
    return token_client(verified_worker).take(purpose="pulse", period="2026-11-26", count=1)[0]


def spend(site: Site, body: dict[str, str]) -> tuple[int, str]:
    response = Client(headers={"Sec-Fetch-Site": "same-origin"}).post(
        spend_url(site), json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.json().get("error", "")


def altered(data: bytes) -> bytes:
    return bytes([data[0] ^ 1]) + data[1:]


def test_a_forged_signature_is_refused(site: Site, token: Token) -> None:
    forged = Token(token.key_id, "pulse", "2026-11-26", token.message, altered(token.signature))

    assert spend(site, forged.as_json()) == (400, "invalid_signature")
    assert not SpentToken.objects.exists()


def test_an_altered_message_is_refused(site: Site, token: Token) -> None:
    changed = Token(token.key_id, "pulse", "2026-11-26", altered(token.message), token.signature)

    assert spend(site, changed.as_json()) == (400, "invalid_signature")
    assert not SpentToken.objects.exists()


def test_a_token_for_another_purpose_or_period_is_refused(site: Site, token: Token) -> None:
    keys = token_client(None).published_keys()
    report_key = next(key for key in keys if key.purpose == "report")
    tomorrow_key = next(key for key in keys if key.period == "2026-11-27")

    as_report = spend(site, {**token.as_json(), "key_id": report_key.key_id})
    as_tomorrow = spend(site, {**token.as_json(), "key_id": tomorrow_key.key_id})

    assert as_report == (400, "invalid_signature")
    assert as_tomorrow == (410, "closed")
    assert not SpentToken.objects.exists()


def test_a_token_spends_once(site: Site, token: Token) -> None:
    first = spend(site, token.as_json())

    second = spend(site, token.as_json())

    assert first == (201, "")
    assert second == (409, "spent")
    assert SpentToken.objects.count() == 1


def test_a_token_cannot_be_spent_at_another_site(
    site: Site, other_site: Site, token: Token
) -> None:
    assert spend(other_site, token.as_json()) == (404, "unknown_key")
    assert not SpentToken.objects.exists()


def test_a_token_cannot_be_spent_after_its_period_and_grace(site: Site, token: Token) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=datetime.UTC), tick=False):
        late = spend(site, token.as_json())

    assert late == (410, "closed")
    assert not SpentToken.objects.exists()


def test_a_token_for_tomorrow_cannot_be_spent_today(site: Site, verified_worker: User) -> None:
    early = token_client(verified_worker).take(purpose="pulse", period="2026-11-27", count=1)[0]

    assert spend(site, early.as_json()) == (410, "closed")
    assert not SpentToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"key_id": "0" * 64, "message": "AA==", "signature": "AA=="},
        {"message": "AA==", "signature": "AA=="},
        {"key_id": "x", "message": "not base64!", "signature": "AA=="},
    ],
)
def test_malformed_spends_change_nothing(site: Site, body: dict[str, str]) -> None:
    status, error = spend(site, body)

    assert status in {400, 404}
    assert error in {"malformed", "unknown_key"}
    assert not SpentToken.objects.exists()


def test_the_client_refuses_a_key_list_with_two_keys_for_one_period(
    anon_client: Client, site: Site
) -> None:
    document = anon_client.get(keys_url(site)).json()
    pulse = [key for key in document["keys"] if key["purpose"] == "pulse"]
    tagged = {**pulse[1], "period": pulse[0]["period"]}

    with pytest.raises(TokenClientError, match="two keys"):
        parse_published_keys({"keys": [pulse[0], tagged]})


def test_the_client_refuses_a_key_whose_id_does_not_match(anon_client: Client, site: Site) -> None:
    document = anon_client.get(keys_url(site)).json()
    wrong = {**document["keys"][0], "key_id": document["keys"][1]["key_id"]}

    with pytest.raises(TokenClientError, match="does not match"):
        parse_published_keys({"keys": [wrong]})


def test_spending_sends_no_cookie_and_stores_nothing_about_the_sender(
    site: Site, token: Token
) -> None:
    client = Client(
        headers={"Sec-Fetch-Site": "same-origin", "User-Agent": "Canary/3.3 qqzx"},
        REMOTE_ADDR="198.51.100.77",
    )

    response = client.post(
        spend_url(site), json.dumps(token.as_json()), content_type="application/json"
    )

    assert response.status_code == 201
    assert response.cookies == {}
    row = SpentToken.objects.values().get()
    assert set(row) == {"id", "key_id", "message_hash", "message", "signature", "day"}
    assert "198.51.100.77" not in repr(row)
    assert "qqzx" not in repr(row)


def test_blind_signing_checks_its_own_result(
    site: Site, verified_worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_id = pulse_key_id(site)
    monkeypatch.setattr(
        blind_rsa,
        "_private_operation",
        lambda key, m: m + 1,  # a faulty signer
    )
    blinded = blind_rsa.blind(
        token_client(None).key_for("pulse", "2026-11-26").public_key,
        b"m" * 32,
        blind_rsa.Variant.SHA384_PSS_RANDOMIZED,
    ).blinded_message

    with pytest.raises(blind_rsa.SigningFailure):
        signed_in(verified_worker).post(
            issue_url(site),
            json.dumps(
                {"key_id": key_id, "blinded_messages": [base64.b64encode(blinded).decode()]}
            ),
            content_type="application/json",
        )

    assert nothing_recorded()
