"""Token keys: created ahead of need, sealed at rest, destroyed when their period closes."""

import datetime
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from breakroom.core.crypto import blind_rsa
from breakroom.core.models import TokenKey
from breakroom.core.sealing import open_bytes, seal_bytes

from .policy import MODULUS_BITS, POLICIES, is_closed, issuable_periods

SEAL_PURPOSE = "token-key"


def _new_key(*, site_id: int, purpose: str, period: str, today: datetime.date) -> TokenKey:
    private_key = blind_rsa.generate_private_key(MODULUS_BITS)
    public_der = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return TokenKey(
        key_id=blind_rsa.public_key_id(private_key.public_key()),
        site_id=site_id,
        purpose=purpose,
        period=period,
        public_key=public_der,
        private_key_sealed=seal_bytes(private_der, purpose=SEAL_PURPOSE),
        created_on=today,
    )


def ensure_keys(*, site_id: int, today: datetime.date) -> int:
    """Create the missing keys of every purpose up to its horizon; return how many.

    Safe to run at the same time in several processes: the unique constraint lets
    one key per site, purpose and period win, and the others are dropped.
    """
    wanted = {
        (purpose, period) for purpose in POLICIES for period in issuable_periods(purpose, today)
    }
    existing = set(
        TokenKey.objects.filter(site_id=site_id, period__in={p for _, p in wanted}).values_list(
            "purpose", "period"
        )
    )
    created = 0
    for purpose, period in sorted(wanted - existing):
        key = _new_key(site_id=site_id, purpose=purpose, period=period, today=today)
        try:
            with transaction.atomic():
                key.save()
        except IntegrityError:
            continue
        created += 1
    return created


def destroy_closed_private_keys(*, today: datetime.date) -> int:
    """Forget the private keys of periods whose grace is over; return how many.

    Public keys stay for the audit; nobody, a seized server included, can mint
    tokens for a closed period any more.
    """
    destroyed = 0
    for key in TokenKey.objects.filter(private_key_sealed__isnull=False).only(
        "pk", "purpose", "period"
    ):
        if is_closed(key.purpose, key.period, today):
            TokenKey.objects.filter(pk=key.pk).update(private_key_sealed=None)
            destroyed += 1
    return destroyed


@lru_cache(maxsize=256)
def _public_key(key_id: str, der: bytes) -> rsa.RSAPublicKey:
    loaded = serialization.load_der_public_key(der)
    if not isinstance(loaded, rsa.RSAPublicKey):
        raise blind_rsa.InvalidKey("not an RSA public key")
    return loaded


def public_key(key: TokenKey) -> rsa.RSAPublicKey:
    """The key's public half, parsed once per process."""
    return _public_key(key.key_id, bytes(key.public_key))


@lru_cache(maxsize=64)
def _signing_key(key_id: str, sealed: bytes) -> blind_rsa.SigningKey:
    der = open_bytes(sealed, purpose=SEAL_PURPOSE)
    loaded = serialization.load_der_private_key(der, password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise blind_rsa.InvalidKey("not an RSA private key")
    return blind_rsa.signing_key(loaded)


def signing_key(key: TokenKey) -> blind_rsa.SigningKey | None:
    """The key's private half, unsealed once per process; None once destroyed."""
    if key.private_key_sealed is None:
        return None
    return _signing_key(key.key_id, bytes(key.private_key_sealed))
