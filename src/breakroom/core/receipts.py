"""Receipt codes: how an anonymous reporter comes back to their thread.

A code is seven words drawn uniformly from the EFF long word list (the 7,772 of its
7,776 words made of letters alone), so it carries 7 * log2(7772) ≈ 90.4 bits:
guessing, not hashing cost, is what a stolen database would have to beat. The
server keeps only an Argon2id hash of the code salted with a server-side pepper
(kept outside the database). From the same Argon2id output it derives, separately,
the key that opens the report's own key: neither value reveals the other or the code.
"""

import hashlib
import math
import secrets
from dataclasses import dataclass
from functools import cache

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from xkcdpass import xkcd_password

WORDS_PER_CODE = 7


@cache
def word_list() -> tuple[str, ...]:
    """The EFF long word list, as shipped by the maintained `xkcdpass` package."""
    words = xkcd_password.generate_wordlist(
        wordfile=xkcd_password.locate_wordfile("eff-long"), min_length=1, max_length=30
    )
    # Four words hold a hyphen ("t-shirt"); a code must survive being retyped with
    # any separator, so only words of letters alone are used.
    return tuple(sorted({word for word in words if word.isalpha()}))


def code_entropy_bits() -> float:
    return WORDS_PER_CODE * math.log2(len(word_list()))


def new_code() -> str:
    """Seven random words separated by spaces, from a cryptographic random source."""
    words = word_list()
    return " ".join(secrets.choice(words) for _ in range(WORDS_PER_CODE))


def normalise_code(text: str) -> str:
    """Forgive case, extra spaces, dashes and dots between the words."""
    cleaned = "".join(ch if ch.isalpha() else " " for ch in text.lower())
    return " ".join(cleaned.split())


def is_well_formed(code: str) -> bool:
    words = code.split(" ")
    return len(words) == WORDS_PER_CODE and all(word in _word_set() for word in words)


@cache
def _word_set() -> frozenset[str]:
    return frozenset(word_list())


@dataclass(frozen=True)
class CodeSecrets:
    lookup: str  # stored: finds the report
    key: bytes  # never stored: opens the report's key


def code_secrets(code: str) -> CodeSecrets:
    """Argon2id(code, pepper-derived salt), then two independent derivations."""
    salt = hashlib.blake2b(
        settings.RECEIPT_PEPPER.encode(), digest_size=16, person=b"breakroom-rcpt"
    ).digest()
    stretched = hash_secret_raw(
        normalise_code(code).encode(),
        salt,
        time_cost=settings.RECEIPT_ARGON2_TIME_COST,
        memory_cost=settings.RECEIPT_ARGON2_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    lookup = hashlib.blake2b(stretched, digest_size=32, person=b"rcpt-lookup").hexdigest()
    key = hashlib.blake2b(stretched, digest_size=32, person=b"rcpt-key").digest()
    return CodeSecrets(lookup=lookup, key=key)
