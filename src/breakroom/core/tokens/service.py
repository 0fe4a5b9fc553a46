"""Signing blinded tokens for eligible members, and spending tokens anonymously.

Eligibility (a verified member of the site) is decided by the caller's action;
these functions know only ids. See docs/tokens.md for the protocol.
"""

import base64
import binascii
import datetime
import hashlib
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from breakroom.core.crypto import blind_rsa
from breakroom.core.errors import ActionError
from breakroom.core.models import SpentToken, TokenIssuance, TokenKey

from .keys import public_key, signing_key
from .policy import MODULUS_BITS, POLICIES, VARIANT, is_closed, is_spendable, issuable_periods
from .verifier import AUDIT_FORMAT

MODULUS_BYTES = MODULUS_BITS // 8
MAX_MESSAGE_BYTES = 256
RSA_VARIANT = blind_rsa.Variant(VARIANT)


def malformed(detail: StrOrPromise) -> ActionError:
    """A `malformed` refusal; `detail` is translatable text saying what is wrong."""
    return ActionError(detail, code="malformed")


def decode_base64(text: object, *, name: str) -> bytes:
    """Strict standard base64 (RFC 4648 section 4); raise a `malformed` ActionError."""
    if not isinstance(text, str):
        raise malformed(_("“%(name)s” must be a base64 string.") % {"name": name})
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise malformed(_("“%(name)s” is not valid base64.") % {"name": name}) from error


def encode_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def get_key(*, site_id: int, key_id: str) -> TokenKey:
    """The published key `key_id` of this site; raise `unknown_key` otherwise.

    Keys never change once made (destroying the private half does not matter for
    spending), so each process remembers the ones it has seen: spending is the hot
    path of every check-in."""
    key = _known_keys.get((site_id, key_id))
    if key is None:
        key = TokenKey.objects.filter(site_id=site_id, key_id=key_id).first()
        if key is not None:
            if len(_known_keys) > 4096:
                _known_keys.clear()
            _known_keys[(site_id, key_id)] = key
    if key is None:
        raise ActionError(
            _("This key is not one of this site's published keys."),
            status=404,
            code="unknown_key",
        )
    return key


_known_keys: dict[tuple[int, str], TokenKey] = {}


def forget_known_keys() -> None:
    """Empty this process's memory of keys (tests, whose rows come and go)."""
    _known_keys.clear()


def sign_blinded(
    *, holder_id: int, key: TokenKey, blinded_messages: list[bytes], today: datetime.date
) -> list[bytes]:
    """Blind-sign for `holder_id`, counting against the purpose's limit.

    Must run inside the caller's transaction. Records only the new count. Raise
    ActionError (`closed`, `limit`, `malformed`) and sign nothing if any check fails.
    """
    if key.period not in issuable_periods(key.purpose, today):
        raise ActionError(
            _("Tokens for this period cannot be taken now."), status=410, code="closed"
        )
    private = signing_key(key)
    if private is None:
        raise ActionError(_("This key no longer signs."), status=410, code="closed")
    if not blinded_messages:
        raise malformed(_("There are no blinded messages."))
    if any(len(blinded) != MODULUS_BYTES for blinded in blinded_messages):
        raise malformed(
            _("Each blinded message must be %(count)s bytes long.") % {"count": MODULUS_BYTES}
        )
    issuance, _created = TokenIssuance.objects.select_for_update().get_or_create(
        holder_id=holder_id, key=key
    )
    limit = POLICIES[key.purpose].per_period
    if issuance.count + len(blinded_messages) > limit:
        raise ActionError(
            _("You already have all the tokens you can take for this period."),
            status=409,
            code="limit",
        )
    try:
        signatures = [blind_rsa.blind_sign(private, blinded) for blinded in blinded_messages]
    except blind_rsa.InvalidBlindedMessage as error:
        raise malformed(_("A blinded message is not below the key's modulus.")) from error
    issuance.count += len(blinded_messages)
    issuance.save(update_fields=["count"])
    return signatures


def remaining_tokens(*, holder_id: int, key: TokenKey) -> int:
    taken = (
        TokenIssuance.objects.filter(holder_id=holder_id, key=key)
        .values_list("count", flat=True)
        .first()
    )
    return POLICIES[key.purpose].per_period - (taken or 0)


@dataclass(frozen=True)
class Spent:
    purpose: str
    period: str


def spend_token(
    *, site_id: int, key_id: str, message: bytes, signature: bytes, today: datetime.date
) -> Spent:
    """Verify a token and record it as spent. Must run inside a transaction.

    Learns nothing but "valid and unspent". Raise ActionError (`unknown_key`,
    `closed`, `malformed`, `invalid_signature`, `spent`) and record nothing otherwise.
    """
    if not 0 < len(message) <= MAX_MESSAGE_BYTES or len(signature) != MODULUS_BYTES:
        raise malformed(_("The message or the signature has the wrong length."))
    key = get_key(site_id=site_id, key_id=key_id)
    if not is_spendable(key.purpose, key.period, today):
        raise ActionError(
            _("Tokens for this period cannot be spent now."), status=410, code="closed"
        )
    try:
        blind_rsa.verify(public_key(key), message, signature, RSA_VARIANT)
    except blind_rsa.BlindSignatureError as error:
        raise ActionError(
            _("This token's signature is not valid."), code="invalid_signature"
        ) from error
    if not _record_spent(key.pk, message, signature, today):
        raise ActionError(_("This token has already been spent."), status=409, code="spent")
    return Spent(purpose=key.purpose, period=key.period)


def _record_spent(key_pk: int, message: bytes, signature: bytes, today: datetime.date) -> bool:
    """Insert the spent token unless its message is already there; True if inserted.

    One statement, atomic on its own: the unique message hash decides, so two spends
    of one token at the same moment record exactly one (PostgreSQL and SQLite both
    support ON CONFLICT ... DO NOTHING RETURNING).
    """
    table = SpentToken._meta.db_table
    fields = {field.column: field for field in SpentToken._meta.concrete_fields}
    values = [
        fields["id"].get_db_prep_value(uuid.uuid4(), connection, prepared=False),
        key_pk,
        hashlib.sha256(message).hexdigest(),
        fields["message"].get_db_prep_value(message, connection, prepared=False),
        fields["signature"].get_db_prep_value(signature, connection, prepared=False),
        fields["day"].get_db_prep_value(today, connection, prepared=False),
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} (id, key_id, message_hash, message, signature, day) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (message_hash) DO NOTHING RETURNING id",
            values,
        )
        return cursor.fetchone() is not None


@transaction.atomic(durable=True)
def do_spend_token(*, site_id: int, key_id: str, message: bytes, signature: bytes) -> Spent:
    """Spend a token on its own (the public API); see `spend_token`."""
    return spend_token(
        site_id=site_id,
        key_id=key_id,
        message=message,
        signature=signature,
        today=timezone.localdate(),
    )


def spent_tokens_audit(
    *, site_id: int, site_slug: str, purpose: str, period: str, k: int, today: datetime.date
) -> dict[str, object] | None:
    """The public audit file of a closed period, or None while it is not publishable.

    Published only after the period and its grace, and only if at least `k` tokens
    were spent (a smaller count is a figure about fewer than k people).
    """
    if purpose not in POLICIES:
        return None
    key = TokenKey.objects.filter(site_id=site_id, purpose=purpose, period=period).first()
    if key is None or not is_closed(purpose, period, today):
        return None
    tokens = list(SpentToken.objects.filter(key=key).values_list("message", "signature"))
    if len(tokens) < k:
        return None
    tokens.sort(key=lambda token: bytes(token[0]))
    return {
        "format": AUDIT_FORMAT,
        "site": site_slug,
        "purpose": purpose,
        "period": period,
        "key": {
            "key_id": key.key_id,
            "variant": VARIANT,
            "public_key": encode_base64(bytes(key.public_key)),
        },
        "count": len(tokens),
        "tokens": [
            {"message": encode_base64(bytes(message)), "signature": encode_base64(bytes(signature))}
            for message, signature in tokens
        ],
    }


def published_key_document(key: TokenKey) -> dict[str, object]:
    """One key as the key list publishes it."""
    return {
        "key_id": key.key_id,
        "purpose": key.purpose,
        "period": key.period,
        "variant": VARIANT,
        "modulus_bits": MODULUS_BITS,
        "public_key": encode_base64(bytes(key.public_key)),
    }
