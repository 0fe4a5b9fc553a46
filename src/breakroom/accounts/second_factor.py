"""The second factor organisers and administrators sign in with (TOTP, RFC 6238).

Organisers read reports and see who works where, so a stolen passphrase must not be
enough (DESIGN.md, threat model 5). The one-time codes come from any authenticator
app; the shared secret is sealed at rest with the server's key.
"""

import base64
import os
import time

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.http import HttpRequest

from breakroom.core.sealing import open_bytes, seal_bytes

from .models import Membership, Role, SecondFactor, User

SESSION_FLAG = "second_factor_ok"
SEAL_PURPOSE = "second-factor"
STEP_SECONDS = 30
DIGITS = 6


def needs_second_factor(user: User) -> bool:
    """Union staff, organisers and site administrators sign in with a second factor."""
    return (
        user.is_admin
        or Membership.objects.filter(user=user, role__in=[Role.ORGANISER, Role.ADMIN]).exists()
    )


def has_passed(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_FLAG))


def mark_passed(request: HttpRequest) -> None:
    request.session[SESSION_FLAG] = True


def new_secret() -> bytes:
    return os.urandom(20)


def _totp(secret: bytes) -> TOTP:
    # SHA-1 is what RFC 6238 and every authenticator app use for TOTP; HMAC-SHA-1 is
    # not weakened by SHA-1's collisions.
    return TOTP(secret, DIGITS, SHA1(), STEP_SECONDS, enforce_key_length=True)  # noqa: S303


def secret_of(second_factor: SecondFactor) -> bytes:
    return open_bytes(bytes(second_factor.secret_sealed), purpose=SEAL_PURPOSE)


def seal_secret(secret: bytes) -> bytes:
    return seal_bytes(secret, purpose=SEAL_PURPOSE)


def code_for(secret: bytes, at: float | None = None) -> str:
    return _totp(secret).generate(time.time() if at is None else at).decode()


def is_valid_code(secret: bytes, code: str, at: float | None = None) -> bool:
    """The code of this 30-second step, or of the one just before or after it."""
    now = time.time() if at is None else at
    cleaned = "".join(character for character in code if character.isdigit())
    return len(cleaned) == DIGITS and any(
        code_for(secret, now + offset * STEP_SECONDS) == cleaned for offset in (-1, 0, 1)
    )


def provisioning_uri(secret: bytes, username: str) -> str:
    return _totp(secret).get_provisioning_uri(username, "Breakroom")


def display_secret(secret: bytes) -> str:
    text = base64.b32encode(secret).decode()
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))
