"""Each person's key pair, whose private half only their passphrase unlocks.

Reports are sealed to the key pairs of their site's organisers (voice app). The
private key is stored encrypted under a key derived from the passphrase (Argon2id),
so a copy of the database and the server's settings reads nothing without it.

While an organiser is signed in, their unlocked private key is kept in the session
sealed under a random key that lives only in a cookie on their device: the server's
database alone still cannot open it.
"""

import base64
import binascii
import secrets

import nacl.exceptions
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .models import KeyPair, User

SESSION_KEY = "sealed_private_key"
UNLOCK_COOKIE = "breakroom_unlock"


def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=settings.KEYPAIR_KDF_OPSLIMIT,
        memlimit=settings.KEYPAIR_KDF_MEMLIMIT,
    )


def new_key_pair(user: User, passphrase: str) -> KeyPair:
    """A fresh X25519 key pair for `user`, its private half sealed by `passphrase`."""
    private_key = nacl.public.PrivateKey.generate()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_passphrase_key(passphrase, salt))
    return KeyPair(
        user=user,
        public_key=bytes(private_key.public_key),
        private_key_sealed=bytes(box.encrypt(bytes(private_key))),
        salt=salt,
    )


def open_private_key(key_pair: KeyPair, passphrase: str) -> nacl.public.PrivateKey:
    """Unlock the private key; raise ValueError if the passphrase is not the one."""
    box = nacl.secret.SecretBox(_passphrase_key(passphrase, bytes(key_pair.salt)))
    try:
        return nacl.public.PrivateKey(box.decrypt(bytes(key_pair.private_key_sealed)))
    except nacl.exceptions.CryptoError as error:
        raise ValueError("the passphrase does not unlock this key") from error


def reseal_private_key(key_pair: KeyPair, current: str, new: str) -> None:
    """Seal the same private key under a new passphrase (in memory; the caller saves)."""
    private_key = open_private_key(key_pair, current)
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_passphrase_key(new, salt))
    key_pair.salt = salt
    key_pair.private_key_sealed = bytes(box.encrypt(bytes(private_key)))


def remember_unlocked_key(
    request: HttpRequest, response: HttpResponse, private_key: nacl.public.PrivateKey
) -> None:
    """Keep the unlocked key for this session: sealed in the session, its key in a cookie."""
    cookie_key = secrets.token_bytes(nacl.secret.SecretBox.KEY_SIZE)
    sealed = nacl.secret.SecretBox(cookie_key).encrypt(bytes(private_key))
    request.session[SESSION_KEY] = base64.b64encode(bytes(sealed)).decode()
    response.set_cookie(
        UNLOCK_COOKIE,
        base64.urlsafe_b64encode(cookie_key).decode(),
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def recall_unlocked_key(request: HttpRequest) -> nacl.public.PrivateKey | None:
    """The key unlocked at sign-in, or None (then the person must sign in again)."""
    sealed = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(UNLOCK_COOKIE)
    if not sealed or not cookie:
        return None
    try:
        cookie_key = base64.urlsafe_b64decode(cookie.encode())
        opened = nacl.secret.SecretBox(cookie_key).decrypt(base64.b64decode(sealed))
    except (binascii.Error, ValueError, nacl.exceptions.CryptoError):
        return None
    return nacl.public.PrivateKey(opened)


def forget_unlocked_key(response: HttpResponse) -> None:
    response.delete_cookie(UNLOCK_COOKIE, samesite="Lax")
