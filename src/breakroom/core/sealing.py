"""Encryption at rest for small pieces of personal data held by the server.

Contact details a person chooses to leave are sealed with an XSalsa20-Poly1305
secret box (libsodium) under a key derived from the server's contact key, which is
kept outside the database. A copy of the database alone reads nothing.
"""

import hashlib

import nacl.exceptions
import nacl.secret
from django.conf import settings


def _box(purpose: str) -> nacl.secret.SecretBox:
    key = hashlib.blake2b(
        settings.CONTACT_KEY.encode(),
        digest_size=nacl.secret.SecretBox.KEY_SIZE,
        person=b"breakroom-seal",
        salt=purpose.encode()[:16],
    ).digest()
    return nacl.secret.SecretBox(key)


def seal_text(plaintext: str, *, purpose: str) -> bytes:
    """Encrypt `plaintext`; a fresh random nonce is stored with the ciphertext."""
    return bytes(_box(purpose).encrypt(plaintext.encode()))


def open_text(sealed: bytes, *, purpose: str) -> str:
    """Decrypt what `seal_text` produced; raise ValueError if it was tampered with."""
    try:
        return _box(purpose).decrypt(bytes(sealed)).decode()
    except nacl.exceptions.CryptoError as error:
        raise ValueError("sealed text failed authentication") from error


def seal_bytes(data: bytes, *, purpose: str) -> bytes:
    """Encrypt raw bytes (a private key, say) like `seal_text`."""
    return bytes(_box(purpose).encrypt(data))


def open_bytes(sealed: bytes, *, purpose: str) -> bytes:
    """Decrypt what `seal_bytes` produced; raise ValueError if it was tampered with."""
    try:
        return bytes(_box(purpose).decrypt(bytes(sealed)))
    except nacl.exceptions.CryptoError as error:
        raise ValueError("sealed bytes failed authentication") from error
