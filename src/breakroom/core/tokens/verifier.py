"""Check a public audit file of spent tokens. Pure Python; see docs/tokens.md."""

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from breakroom.core.crypto import blind_rsa

from .policy import VARIANT

AUDIT_FORMAT = "breakroom-spent-tokens/1"


@dataclass
class AuditReport:
    """What the check found: valid distinct tokens, and every problem by position."""

    valid: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


def _b64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not a string")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not base64") from error


def verify_audit(document: object, *, expected_key_id: str | None = None) -> AuditReport:
    """Verify every signature, that no token appears twice, and the stated count."""
    report = AuditReport()
    if not isinstance(document, dict) or document.get("format") != AUDIT_FORMAT:
        report.problems.append(f"not a {AUDIT_FORMAT} document")
        return report
    key = document.get("key")
    tokens = document.get("tokens")
    if not isinstance(key, dict) or not isinstance(tokens, list):
        report.problems.append("the key or the token list is missing")
        return report
    if key.get("variant") != VARIANT:
        report.problems.append(f"unsupported variant {key.get('variant')!r}")
        return report
    try:
        der = _b64(key.get("public_key"))
        public_key = serialization.load_der_public_key(der)
    except ValueError:
        report.problems.append("the public key cannot be read")
        return report
    if not isinstance(public_key, rsa.RSAPublicKey):
        report.problems.append("the public key is not an RSA key")
        return report
    key_id = hashlib.sha256(der).hexdigest()
    if key.get("key_id") != key_id:
        report.problems.append("key_id is not the SHA-256 of the public key")
    if expected_key_id is not None and key_id != expected_key_id:
        report.problems.append("the key is not the one expected")
    seen: set[bytes] = set()
    variant = blind_rsa.Variant(VARIANT)
    for position, token in enumerate(tokens, start=1):
        try:
            if not isinstance(token, dict):
                raise ValueError("not an object")
            message = _b64(token.get("message"))
            signature = _b64(token.get("signature"))
        except ValueError as error:
            report.problems.append(f"token {position}: unreadable ({error})")
            continue
        if message in seen:
            report.problems.append(f"token {position}: appears twice")
            continue
        seen.add(message)
        try:
            blind_rsa.verify(public_key, message, signature, variant)
        except blind_rsa.BlindSignatureError:
            report.problems.append(f"token {position}: the signature does not verify")
            continue
        report.valid += 1
    if document.get("count") != len(tokens):
        report.problems.append(
            f"count says {document.get('count')!r} but the file holds {len(tokens)} tokens"
        )
    return report
