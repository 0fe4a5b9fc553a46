"""A small proof of work for anonymous forms, when the browser runs JavaScript.

The server hands out a signed challenge; the page finds a nonce such that
SHA-256("challenge:nonce") starts with `bits` zero bits (about 2^bits hashes, a
fraction of a second on a phone) before the form is sent. A solved challenge works
once. Nothing about the sender is involved.
"""

import hashlib
import secrets

from django.core import signing
from django.core.cache import cache

SALT = "breakroom.pow"
MAX_AGE_SECONDS = 3600


def new_challenge(scope: str) -> str:
    return signing.dumps({"scope": scope, "nonce": secrets.token_hex(8)}, salt=SALT)


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def is_solved(challenge: str, nonce: str, *, scope: str, bits: int) -> bool:
    """True once for a fresh, untampered challenge of `scope` with a valid nonce."""
    try:
        payload = signing.loads(challenge, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    if not isinstance(payload, dict) or payload.get("scope") != scope or len(nonce) > 32:
        return False
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if leading_zero_bits(digest) < bits:
        return False
    # cache.add is atomic: a solved challenge is accepted exactly once.
    used = "pow:" + hashlib.sha256(challenge.encode()).hexdigest()[:32]
    return bool(cache.add(used, 1, timeout=MAX_AGE_SECONDS))
