"""The report's own key and what it seals (libsodium via PyNaCl)."""

import nacl.exceptions
import nacl.public
import nacl.secret
import nacl.utils


def new_report_key() -> bytes:
    return nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)


def seal_with(key: bytes, text: str) -> bytes:
    return bytes(nacl.secret.SecretBox(key).encrypt(text.encode()))


def open_with(key: bytes, sealed: bytes) -> str:
    return nacl.secret.SecretBox(key).decrypt(bytes(sealed)).decode()


def seal_key_to(public_key: bytes, report_key: bytes) -> bytes:
    """Seal a report key so that only the holder of the private key can open it."""
    return bytes(
        nacl.public.SealedBox(nacl.public.PublicKey(bytes(public_key))).encrypt(report_key)
    )


def open_sealed_key(private_key: nacl.public.PrivateKey, sealed: bytes) -> bytes:
    """Raise ValueError if `sealed` was not sealed to this private key."""
    try:
        return bytes(nacl.public.SealedBox(private_key).decrypt(bytes(sealed)))
    except nacl.exceptions.CryptoError as error:
        raise ValueError("this key was not sealed to you") from error


def seal_key_with(code_key: bytes, report_key: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(code_key).encrypt(report_key))


def open_key_with_code_key(code_key: bytes, sealed: bytes) -> bytes:
    """Raise ValueError if the receipt code's key does not open the report key."""
    try:
        return bytes(nacl.secret.SecretBox(code_key).decrypt(bytes(sealed)))
    except nacl.exceptions.CryptoError as error:
        raise ValueError("the code does not open this report") from error
