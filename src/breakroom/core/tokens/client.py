"""A Python client for Breakroom's anonymous tokens, for scripts and tests.

It does on a computer what the browser does on a phone (docs/tokens.md): fetch the
published keys without a session, blind fresh messages, have them signed while
signed in, finalize, and later spend a token without a session.

    transport = HttpTransport("https://breakroom.example")
    transport.sign_in("night-picker", "passphrase")
    client = TokenClient(transport, site="durham")
    tokens = client.take(purpose="pulse", period="2026-11-28", count=1)
    client.spend(tokens[0])
"""

import base64
import hashlib
import http.cookiejar
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from breakroom.core.crypto import blind_rsa

from .policy import VARIANT

MESSAGE_BYTES = 32


class TokenClientError(Exception):
    """The server refused, or answered something a careful client must not accept."""

    def __init__(self, message: str, *, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class Transport(Protocol):
    """How the client talks to a server. `session` says whether to send the cookie."""

    def get_json(self, path: str, *, session: bool) -> tuple[int, Any]: ...

    def post_json(self, path: str, body: dict[str, Any], *, session: bool) -> tuple[int, Any]: ...


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    purpose: str
    period: str
    public_key: rsa.RSAPublicKey


@dataclass(frozen=True)
class Token:
    """A spendable token: the prepared message, its signature, and the key's id."""

    key_id: str
    purpose: str
    period: str
    message: bytes
    signature: bytes

    def as_json(self) -> dict[str, str]:
        return {
            "key_id": self.key_id,
            "message": base64.b64encode(self.message).decode(),
            "signature": base64.b64encode(self.signature).decode(),
        }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def parse_published_keys(document: Any) -> list[PublishedKey]:
    """Read a key list, refusing it if a key id is wrong or a period has two keys."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise TokenClientError("the key list is malformed")
    keys: list[PublishedKey] = []
    seen: set[tuple[str, str]] = set()
    for entry in document["keys"]:
        der = base64.b64decode(entry["public_key"], validate=True)
        if hashlib.sha256(der).hexdigest() != entry["key_id"]:
            raise TokenClientError("a published key id does not match its key")
        if entry.get("variant") != VARIANT:
            raise TokenClientError(f"unsupported variant {entry.get('variant')!r}")
        slot = (entry["purpose"], entry["period"])
        if slot in seen:
            raise TokenClientError(f"two keys are published for {slot}: refusing both")
        seen.add(slot)
        public_key = serialization.load_der_public_key(der)
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise TokenClientError("a published key is not an RSA key")
        keys.append(PublishedKey(entry["key_id"], entry["purpose"], entry["period"], public_key))
    return keys


class TokenClient:
    def __init__(self, transport: Transport, *, site: str) -> None:
        self.transport = transport
        self.site = site
        self.variant = blind_rsa.Variant(VARIANT)

    def published_keys(self) -> list[PublishedKey]:
        """The site's key list, fetched without the session cookie."""
        status, document = self.transport.get_json(
            f"/api/v1/sites/{self.site}/token-keys", session=False
        )
        if status != 200:
            raise TokenClientError("the key list is not available", status=status)
        return parse_published_keys(document)

    def key_for(self, purpose: str, period: str) -> PublishedKey:
        for key in self.published_keys():
            if (key.purpose, key.period) == (purpose, period):
                return key
        raise TokenClientError(f"no published key for {purpose} {period}")

    def take(self, *, purpose: str, period: str, count: int) -> list[Token]:
        """Blind `count` fresh messages, have them signed (with the session), finalize."""
        key = self.key_for(purpose, period)
        blindings = [
            blind_rsa.blind(key.public_key, secrets.token_bytes(MESSAGE_BYTES), self.variant)
            for _ in range(count)
        ]
        status, answer = self.transport.post_json(
            f"/api/v1/sites/{self.site}/tokens/issue",
            {
                "key_id": key.key_id,
                "blinded_messages": [_b64(blinding.blinded_message) for blinding in blindings],
            },
            session=True,
        )
        if status != 200:
            raise TokenClientError(
                str(answer.get("message", "refused")), status=status, code=answer.get("error", "")
            )
        tokens = []
        for blinding, blind_signature in zip(blindings, answer["blind_signatures"], strict=True):
            signature = blind_rsa.finalize(
                key.public_key,
                blinding.prepared_message,
                base64.b64decode(blind_signature, validate=True),
                blinding.inverse,
                self.variant,
            )
            tokens.append(Token(key.key_id, purpose, period, blinding.prepared_message, signature))
        return tokens

    def spend(self, token: Token) -> dict[str, Any]:
        """Spend `token`, without the session cookie."""
        status, answer = self.transport.post_json(
            f"/api/v1/sites/{self.site}/tokens/spend", token.as_json(), session=False
        )
        if status != 201:
            raise TokenClientError(
                str(answer.get("message", "refused")), status=status, code=answer.get("error", "")
            )
        result: dict[str, Any] = answer
        return result


class HttpTransport:
    """Real HTTP with the standard library: a cookie jar only for session requests."""

    def __init__(self, base_url: str, *, timeout: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.anonymous = urllib.request.build_opener()

    def _send(self, request: urllib.request.Request, *, session: bool) -> tuple[int, Any]:
        opener = self.session if session else self.anonymous
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, {"message": body[:200].decode(errors="replace")}

    def get_json(self, path: str, *, session: bool) -> tuple[int, Any]:
        return self._send(urllib.request.Request(self.base_url + path), session=session)  # noqa: S310

    def post_json(self, path: str, body: dict[str, Any], *, session: bool) -> tuple[int, Any]:
        request = urllib.request.Request(  # noqa: S310
            self.base_url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        return self._send(request, session=session)

    def sign_in(self, username: str, passphrase: str) -> None:
        form = urllib.parse.urlencode({"username": username, "passphrase": passphrase}).encode()
        request = urllib.request.Request(self.base_url + "/signin/", data=form, method="POST")  # noqa: S310
        try:
            self.session.open(request, timeout=self.timeout).close()
        except urllib.error.HTTPError as error:
            raise TokenClientError("sign-in failed", status=error.code) from error
