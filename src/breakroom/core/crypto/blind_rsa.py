"""RSA blind signatures (RFC 9474), the four RSABSSA-SHA384 variants.

The protocol behind Breakroom's unlinkable tokens. The client prepares and
blinds a message, the signer signs the blinded message without seeing it, and
the client unblinds the result into an ordinary RSASSA-PSS signature (SHA-384,
MGF1-SHA384) over the prepared message, which anyone can check with the public
key:

    client                                  signer
    result = blind(public_key, msg, variant)
                     result.blinded_message ─────▶
                                            blind_signature = blind_sign(private_key, …)
                     ◀───── blind_signature
    signature = finalize(public_key, result.prepared_message, blind_signature,
                         result.inverse, variant)
    verify(public_key, result.prepared_message, signature, variant)  # anyone, later

Issuing knows who asked; redeeming sees only `prepared_message` and `signature`,
which the signer never saw together with the blinded value, so the two cannot
be linked. RSABSSA-SHA384-PSS-Randomized is the variant to use unless there is
a reason not to; one key pair must serve one variant only (RFC 9474 section 6.2).

Every error is a `BlindSignatureError`; the messages name the failed check and
never carry the message or key material.
"""

import enum
import functools
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

import gmpy2
from cryptography.exceptions import InvalidSignature as _CryptographyInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# gmpy2's mpz integers, typed loosely (see the import); they turn into `int` at
# this module's boundary.
type _Mpz = Any

HASH_LENGTH = 48  # SHA-384
PREFIX_LENGTH = 32  # RFC 9474 section 4.1, PrepareRandomize
PUBLIC_EXPONENT = 65537
MINIMUM_KEY_BITS = 2048


class BlindSignatureError(Exception):
    """Something in the blind-signature protocol failed; nothing is returned."""


class InvalidKey(BlindSignatureError):
    """A key could not be loaded or is not a usable RSA key."""


class EncodingError(BlindSignatureError):
    """EMSA-PSS-ENCODE refused its input (RFC 8017 section 9.1.1)."""


class InvalidInput(BlindSignatureError):
    """The encoded message shares a factor with the modulus (RFC 9474 "invalid input")."""


class BlindingError(BlindSignatureError):
    """The blind has no inverse modulo n (RFC 9474 "blinding error"); call `blind` again."""


class InvalidBlindedMessage(BlindSignatureError):
    """A blinded message is not a modulus-length byte string below n."""


class SigningFailure(BlindSignatureError):
    """The private-key operation gave a wrong result and was withheld (RFC 9474 section 4.3)."""


class InvalidSignature(BlindSignatureError):
    """A (blind) signature does not verify, or has the wrong length."""


class Variant(enum.StrEnum):
    """The named variants of RFC 9474 section 5; the value is the RFC's name."""

    SHA384_PSS_RANDOMIZED = "RSABSSA-SHA384-PSS-Randomized"
    SHA384_PSSZERO_RANDOMIZED = "RSABSSA-SHA384-PSSZERO-Randomized"
    SHA384_PSS_DETERMINISTIC = "RSABSSA-SHA384-PSS-Deterministic"
    SHA384_PSSZERO_DETERMINISTIC = "RSABSSA-SHA384-PSSZERO-Deterministic"

    @property
    def salt_length(self) -> int:
        """PSS salt length in bytes: 48 for the PSS variants, 0 for PSSZERO."""
        return 0 if "PSSZERO" in self.value else HASH_LENGTH

    @property
    def is_randomized(self) -> bool:
        """Whether `prepare` puts 32 random bytes in front of the message."""
        return self.value.endswith("-Randomized")


@dataclass(frozen=True, slots=True)
class BlindingResult:
    """What `blind` gives the client.

    Send `blinded_message` to the signer; keep `inverse` secret until `finalize`;
    `prepared_message` is what the final signature signs.
    """

    blinded_message: bytes
    inverse: int = field(repr=False)
    prepared_message: bytes


# -- RFC 8017 primitives ---------------------------------------------------------------


def i2osp(value: int, length: int) -> bytes:
    """Integer to big-endian octet string of exactly `length` bytes (RFC 8017 4.1)."""
    if value < 0 or value.bit_length() > 8 * length:
        raise BlindSignatureError("integer too large")
    return value.to_bytes(length, "big")


def os2ip(data: bytes) -> int:
    """Big-endian octet string to integer (RFC 8017 4.2)."""
    return int.from_bytes(data, "big")


def _mgf1_sha384(seed: bytes, length: int) -> bytes:
    """MGF1 with SHA-384 (RFC 8017 appendix B.2.1)."""
    blocks = -(-length // HASH_LENGTH)
    mask = b"".join(
        hashlib.sha384(seed + counter.to_bytes(4, "big")).digest() for counter in range(blocks)
    )
    return mask[:length]


def emsa_pss_encode(message: bytes, em_bits: int, salt: bytes) -> bytes:
    """EMSA-PSS-ENCODE with SHA-384 and MGF1-SHA384 (RFC 8017 9.1.1).

    `em_bits` is the modulus length in bits minus one, as RSASSA-PSS uses it;
    `salt` is the salt itself, so its length is sLen.
    """
    em_length = -(-em_bits // 8)
    if em_length < HASH_LENGTH + len(salt) + 2:
        raise EncodingError("encoding error")
    message_hash = hashlib.sha384(message).digest()
    digest = hashlib.sha384(bytes(8) + message_hash + salt).digest()
    padding_string = bytes(em_length - len(salt) - HASH_LENGTH - 2)
    data_block = padding_string + b"\x01" + salt
    mask = _mgf1_sha384(digest, em_length - HASH_LENGTH - 1)
    masked = bytearray(block ^ bit for block, bit in zip(data_block, mask, strict=True))
    masked[0] &= 0xFF >> (8 * em_length - em_bits)
    return bytes(masked) + digest + b"\xbc"


# -- keys ------------------------------------------------------------------------------


def generate_private_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    """A fresh RSA key with e = 65537; refuse anything under 2048 bits."""
    if bits < MINIMUM_KEY_BITS:
        raise InvalidKey("key too small")
    return rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=bits)


def public_key_id(public_key: rsa.RSAPublicKey) -> str:
    """SHA-256 of the DER SubjectPublicKeyInfo, as 64 hex digits."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def public_key_to_pem(public_key: rsa.RSAPublicKey) -> bytes:
    """PEM SubjectPublicKeyInfo."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_from_pem(data: bytes) -> rsa.RSAPublicKey:
    """Load a PEM public key; raise InvalidKey unless it is RSA."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise InvalidKey("not a PEM public key") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidKey("not an RSA key")
    return key


def private_key_to_pem(private_key: rsa.RSAPrivateKey, password: bytes) -> bytes:
    """PKCS#8 PEM encrypted under `password`, which must not be empty."""
    if not password:
        raise InvalidKey("a password is required")
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )


def private_key_from_pem(data: bytes, password: bytes) -> rsa.RSAPrivateKey:
    """Load what `private_key_to_pem` wrote; raise InvalidKey on a bad password or key."""
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError) as error:
        raise InvalidKey("cannot load the private key") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidKey("not an RSA key")
    return key


def _modulus_length(n: int) -> int:
    return (n.bit_length() + 7) // 8


class SigningKey:
    """A private key's numbers as gmpy2 integers, made once per key for fast signing."""

    __slots__ = ("_d_p", "_d_q", "_e", "_n", "_p", "_q", "_q_inverse", "modulus_length")

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        numbers = private_key.private_numbers()
        self._n: _Mpz = gmpy2.mpz(numbers.public_numbers.n)
        self._e: _Mpz = gmpy2.mpz(numbers.public_numbers.e)
        self._p: _Mpz = gmpy2.mpz(numbers.p)
        self._q: _Mpz = gmpy2.mpz(numbers.q)
        self._d_p: _Mpz = gmpy2.mpz(numbers.dmp1)
        self._d_q: _Mpz = gmpy2.mpz(numbers.dmq1)
        self._q_inverse: _Mpz = gmpy2.mpz(numbers.iqmp)
        self.modulus_length = _modulus_length(numbers.public_numbers.n)

    def __repr__(self) -> str:
        return f"SigningKey({self.modulus_length * 8} bits)"


@functools.lru_cache(maxsize=16)
def signing_key(private_key: rsa.RSAPrivateKey) -> SigningKey:
    """The cached `SigningKey` for `private_key` (keyed by the key object)."""
    return SigningKey(private_key)


def _private_operation(key: SigningKey, m: _Mpz) -> _Mpz:
    """RSASP1 by the Chinese remainder theorem; each half in constant time."""
    s_p = gmpy2.powmod_sec(m % key._p, key._d_p, key._p)
    s_q = gmpy2.powmod_sec(m % key._q, key._d_q, key._q)
    h = (key._q_inverse * (s_p - s_q)) % key._p
    return s_q + key._q * h


# -- the protocol ----------------------------------------------------------------------


def prepare(message: bytes, variant: Variant, *, msg_prefix: bytes | None = None) -> bytes:
    """Prepare (RFC 9474 section 4.1): 32 random bytes + message, or the message itself.

    `msg_prefix` exists for known-answer tests only; leave it unset.
    """
    if not variant.is_randomized:
        if msg_prefix:
            raise BlindSignatureError("a deterministic variant takes no prefix")
        return message
    if msg_prefix is None:
        msg_prefix = secrets.token_bytes(PREFIX_LENGTH)
    if len(msg_prefix) != PREFIX_LENGTH:
        raise BlindSignatureError("the prefix must be 32 bytes")
    return msg_prefix + message


def application_message(prepared_message: bytes, variant: Variant) -> bytes:
    """The message a verifier acts on: the prepared message without its prefix (4.5)."""
    if not variant.is_randomized:
        return prepared_message
    if len(prepared_message) < PREFIX_LENGTH:
        raise BlindSignatureError("prepared message shorter than its prefix")
    return prepared_message[PREFIX_LENGTH:]


def blind(
    public_key: rsa.RSAPublicKey,
    message: bytes,
    variant: Variant,
    *,
    msg_prefix: bytes | None = None,
    salt: bytes | None = None,
    r: int | None = None,
) -> BlindingResult:
    """Prepare and Blind (RFC 9474 sections 4.1 and 4.2), run by the client.

    `msg_prefix`, `salt` and the blind `r` exist for known-answer tests only; left
    unset they come fresh from `secrets`, as section 7.4 requires. Raises
    InvalidInput if the encoded message is not invertible mod n, BlindingError if
    `r` is not (call again), BlindSignatureError for a malformed injected value.
    """
    numbers = public_key.public_numbers()
    n, e = numbers.n, numbers.e
    prepared_message = prepare(message, variant, msg_prefix=msg_prefix)
    if salt is None:
        salt = secrets.token_bytes(variant.salt_length)
    if len(salt) != variant.salt_length:
        raise BlindSignatureError("wrong salt length for this variant")
    encoded = emsa_pss_encode(prepared_message, n.bit_length() - 1, salt)
    m = gmpy2.mpz(os2ip(encoded))
    if m >= n:
        raise InvalidInput("message representative out of range")
    if gmpy2.gcd(m, n) != 1:
        raise InvalidInput("invalid input")
    if r is None:
        r = secrets.randbelow(n - 1) + 1
    if not 0 < r < n:
        raise BlindSignatureError("the blind must lie in [1, n)")
    try:
        inverse = pow(r, -1, n)
    except ValueError as error:
        raise BlindingError("blinding error") from error
    # The blind is the client's secret, so it is raised to e in constant time too.
    z = m * gmpy2.powmod_sec(r, e, n) % n
    return BlindingResult(
        blinded_message=i2osp(int(z), _modulus_length(n)),
        inverse=inverse,
        prepared_message=prepared_message,
    )


def blind_sign(private_key: rsa.RSAPrivateKey | SigningKey, blinded_message: bytes) -> bytes:
    """BlindSign (RFC 9474 section 4.3), run by the signer.

    Refuses a blinded message that is not exactly modulus-length bytes or whose
    integer is not below n (InvalidBlindedMessage). Checks s^e mod n == m before
    answering, so a faulty private operation, which could leak the key, raises
    SigningFailure instead of returning a signature.
    """
    key = private_key if isinstance(private_key, SigningKey) else signing_key(private_key)
    if len(blinded_message) != key.modulus_length:
        raise InvalidBlindedMessage("blinded message has the wrong length")
    m = gmpy2.mpz(os2ip(blinded_message))
    if m >= key._n:
        raise InvalidBlindedMessage("message representative out of range")
    s = _private_operation(key, m)
    if not 0 <= s < key._n or gmpy2.powmod(s, key._e, key._n) != m:
        raise SigningFailure("signing failure")
    return i2osp(int(s), key.modulus_length)


def verify(
    public_key: rsa.RSAPublicKey, prepared_message: bytes, signature: bytes, variant: Variant
) -> None:
    """RSASSA-PSS-VERIFY of `signature` over `prepared_message`; raise InvalidSignature."""
    if len(signature) != _modulus_length(public_key.public_numbers().n):
        raise InvalidSignature("signature has the wrong length")
    try:
        public_key.verify(
            signature,
            prepared_message,
            padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=variant.salt_length),
            hashes.SHA384(),
        )
    except _CryptographyInvalidSignature as error:
        raise InvalidSignature("invalid signature") from error


def finalize(
    public_key: rsa.RSAPublicKey,
    prepared_message: bytes,
    blind_signature: bytes,
    inverse: int,
    variant: Variant,
) -> bytes:
    """Finalize (RFC 9474 section 4.4): unblind, verify, return the signature.

    Raises InvalidSignature if the blind signature has the wrong size or the
    unblinded signature does not verify over `prepared_message`.
    """
    n = public_key.public_numbers().n
    modulus_length = _modulus_length(n)
    if len(blind_signature) != modulus_length:
        raise InvalidSignature("unexpected input size")
    z = os2ip(blind_signature)
    if z >= n:
        raise InvalidSignature("blind signature out of range")
    if not 0 < inverse < n:
        raise BlindSignatureError("the inverse must lie in [1, n)")
    signature = i2osp(int(gmpy2.mpz(z) * inverse % n), modulus_length)
    verify(public_key, prepared_message, signature, variant)
    return signature
