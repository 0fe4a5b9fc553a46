"""Short one-time codes for verification in person."""

import hashlib
import hmac
import secrets

from django.conf import settings

CODE_DIGITS = 8


def new_code() -> str:
    """Eight random digits: easy to read aloud, type, or scan."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def normalise_code(text: str) -> str:
    """Accept the code as shown ("1234 5678") or typed with dashes or spaces."""
    return "".join(character for character in text if not character.isspace() and character != "-")


def code_digest(code: str) -> str:
    """A keyed hash: the stored digest is useless without the server's secret key."""
    key = hashlib.sha256(b"breakroom-verification:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def display_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}"
