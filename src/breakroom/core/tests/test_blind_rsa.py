"""RSA blind signatures: RFC 9474 known answers, protocol properties, the signer's fault check."""

import functools
import importlib
import json
import math
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from breakroom.core.crypto import blind_rsa
from breakroom.core.crypto.blind_rsa import (
    BlindingError,
    EncodingError,
    InvalidBlindedMessage,
    InvalidKey,
    InvalidSignature,
    SigningFailure,
    Variant,
    application_message,
    blind,
    blind_sign,
    emsa_pss_encode,
    finalize,
    generate_private_key,
    prepare,
    private_key_from_pem,
    private_key_to_pem,
    public_key_from_pem,
    public_key_id,
    public_key_to_pem,
    signing_key,
    verify,
)

VECTORS_FILE = Path(__file__).parent / "vectors" / "rfc9474.json"
RFC_VECTORS: list[dict[str, str]] = json.loads(VECTORS_FILE.read_text())["vectors"]
VECTOR_IDS = [vector["name"] for vector in RFC_VECTORS]

# Each example runs a whole 2048-bit protocol round (about 2 ms); keep the file fast.
PROPERTY_SETTINGS = settings(max_examples=25, deadline=None)


def _bytes(vector: dict[str, str], name: str) -> bytes:
    return bytes.fromhex(vector[name])


def _integer(vector: dict[str, str], name: str) -> int:
    return int(vector[name], 16)


@functools.cache
def _rfc_private_key(p: int, q: int, d: int, e: int) -> rsa.RSAPrivateKey:
    public_numbers = rsa.RSAPublicNumbers(e, p * q)
    return rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=public_numbers,
    ).private_key()


def rfc_private_key(vector: dict[str, str]) -> rsa.RSAPrivateKey:
    return _rfc_private_key(
        _integer(vector, "p"), _integer(vector, "q"), _integer(vector, "d"), _integer(vector, "e")
    )


def rfc_blind(vector: dict[str, str]) -> blind_rsa.BlindingResult:
    """Blind the vector's message with the vector's prefix, salt and blind r = inv⁻¹ mod n."""
    variant = Variant(vector["name"])
    public_key = rfc_private_key(vector).public_key()
    blind_r = pow(_integer(vector, "inv"), -1, _integer(vector, "n"))
    return blind(
        public_key,
        _bytes(vector, "msg"),
        variant,
        msg_prefix=_bytes(vector, "msg_prefix") if variant.is_randomized else None,
        salt=_bytes(vector, "salt"),
        r=blind_r,
    )


@pytest.fixture(scope="module")
def keys() -> tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]:
    """Two 2048-bit keys, made once: key generation is the slow part."""
    return generate_private_key(2048), generate_private_key(2048)


def issue(
    private_key: rsa.RSAPrivateKey, message: bytes, variant: Variant
) -> tuple[blind_rsa.BlindingResult, bytes, bytes]:
    """Run the whole protocol; return the blinding, the blind signature and the signature."""
    public_key = private_key.public_key()
    blinding = blind(public_key, message, variant)
    blind_signature = blind_sign(private_key, blinding.blinded_message)
    signature = finalize(
        public_key, blinding.prepared_message, blind_signature, blinding.inverse, variant
    )
    return blinding, blind_signature, signature


def flip(data: bytes, index: int, mask: int) -> bytes:
    changed = bytearray(data)
    changed[index % len(data)] ^= mask
    return bytes(changed)


# -- RFC 9474 Appendix A -----------------------------------------------------------------


def test_all_four_rfc_variants_are_covered() -> None:
    assert [Variant(name) for name in VECTOR_IDS] == list(Variant)


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=VECTOR_IDS)
def test_rfc_key_material_is_consistent(vector: dict[str, str]) -> None:
    p, q, n = _integer(vector, "p"), _integer(vector, "q"), _integer(vector, "n")
    e, d = _integer(vector, "e"), _integer(vector, "d")

    assert p * q == n
    assert e == 65537
    assert e * d % math.lcm(p - 1, q - 1) == 1
    assert n.bit_length() == 4096
    assert len(_bytes(vector, "n")) == 512


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=VECTOR_IDS)
def test_rfc_prepared_message(vector: dict[str, str]) -> None:
    variant = Variant(vector["name"])
    prefix = _bytes(vector, "msg_prefix") if variant.is_randomized else None

    prepared = prepare(_bytes(vector, "msg"), variant, msg_prefix=prefix)

    assert prepared == _bytes(vector, "prepared_msg")
    assert application_message(prepared, variant) == _bytes(vector, "msg")


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=VECTOR_IDS)
def test_rfc_encoded_message(vector: dict[str, str]) -> None:
    em_bits = _integer(vector, "n").bit_length() - 1

    encoded = emsa_pss_encode(_bytes(vector, "prepared_msg"), em_bits, _bytes(vector, "salt"))

    assert encoded == _bytes(vector, "encoded_msg")
    assert len(_bytes(vector, "salt")) == Variant(vector["name"]).salt_length


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=VECTOR_IDS)
def test_rfc_blinded_message_and_inverse(vector: dict[str, str]) -> None:
    blinding = rfc_blind(vector)

    assert blinding.prepared_message == _bytes(vector, "prepared_msg")
    assert blinding.blinded_message == _bytes(vector, "blinded_msg")
    assert blinding.inverse == _integer(vector, "inv")


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=VECTOR_IDS)
def test_rfc_blind_signature(vector: dict[str, str]) -> None:
    blind_signature = blind_sign(rfc_private_key(vector), _bytes(vector, "blinded_msg"))

    assert blind_signature == _bytes(vector, "blind_sig")


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=VECTOR_IDS)
def test_rfc_final_signature_verifies(vector: dict[str, str]) -> None:
    variant = Variant(vector["name"])
    public_key = rfc_private_key(vector).public_key()

    signature = finalize(
        public_key,
        _bytes(vector, "prepared_msg"),
        _bytes(vector, "blind_sig"),
        _integer(vector, "inv"),
        variant,
    )

    assert signature == _bytes(vector, "sig")
    verify(public_key, _bytes(vector, "prepared_msg"), signature, variant)


@pytest.mark.parametrize("vector", RFC_VECTORS, ids=VECTOR_IDS)
def test_rfc_signature_fails_under_the_other_salt_length(vector: dict[str, str]) -> None:
    variant = Variant(vector["name"])
    other = {
        Variant.SHA384_PSS_RANDOMIZED: Variant.SHA384_PSSZERO_RANDOMIZED,
        Variant.SHA384_PSSZERO_RANDOMIZED: Variant.SHA384_PSS_RANDOMIZED,
        Variant.SHA384_PSS_DETERMINISTIC: Variant.SHA384_PSSZERO_DETERMINISTIC,
        Variant.SHA384_PSSZERO_DETERMINISTIC: Variant.SHA384_PSS_DETERMINISTIC,
    }[variant]
    public_key = rfc_private_key(vector).public_key()

    with pytest.raises(InvalidSignature):
        verify(public_key, _bytes(vector, "prepared_msg"), _bytes(vector, "sig"), other)


# -- variants and encoding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "salt_length", "is_randomized"),
    [
        (Variant.SHA384_PSS_RANDOMIZED, 48, True),
        (Variant.SHA384_PSSZERO_RANDOMIZED, 0, True),
        (Variant.SHA384_PSS_DETERMINISTIC, 48, False),
        (Variant.SHA384_PSSZERO_DETERMINISTIC, 0, False),
    ],
)
def test_variant_parameters(variant: Variant, salt_length: int, is_randomized: bool) -> None:
    assert variant.salt_length == salt_length
    assert variant.is_randomized is is_randomized


def test_randomized_preparation_adds_32_fresh_bytes() -> None:
    first = prepare(b"token", Variant.SHA384_PSS_RANDOMIZED)
    second = prepare(b"token", Variant.SHA384_PSS_RANDOMIZED)

    assert len(first) == 32 + len(b"token")
    assert first.endswith(b"token")
    assert first != second


def test_deterministic_preparation_is_the_identity() -> None:
    assert prepare(b"token", Variant.SHA384_PSSZERO_DETERMINISTIC) == b"token"


def test_encoding_refuses_a_modulus_too_small_for_hash_and_salt() -> None:
    with pytest.raises(EncodingError):
        emsa_pss_encode(b"message", 8 * (48 + 48 + 1), bytes(48))


# -- properties over fresh 2048-bit keys -------------------------------------------------


@PROPERTY_SETTINGS
@given(message=st.binary(max_size=300), variant=st.sampled_from(Variant))
def test_round_trip_verifies_for_any_message(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], message: bytes, variant: Variant
) -> None:
    private_key = keys[0]

    blinding, blind_signature, signature = issue(private_key, message, variant)

    verify(private_key.public_key(), blinding.prepared_message, signature, variant)
    assert application_message(blinding.prepared_message, variant) == message
    assert len(blinding.blinded_message) == len(blind_signature) == len(signature) == 256


@PROPERTY_SETTINGS
@given(message=st.binary(max_size=64), index=st.integers(0, 255), mask=st.integers(1, 255))
def test_any_changed_signature_byte_fails_verification(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], message: bytes, index: int, mask: int
) -> None:
    variant = Variant.SHA384_PSS_RANDOMIZED
    blinding, _, signature = issue(keys[0], message, variant)

    with pytest.raises(InvalidSignature):
        verify(
            keys[0].public_key(), blinding.prepared_message, flip(signature, index, mask), variant
        )


@PROPERTY_SETTINGS
@given(message=st.binary(max_size=64), index=st.integers(0, 400), mask=st.integers(1, 255))
def test_any_changed_message_byte_fails_verification(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], message: bytes, index: int, mask: int
) -> None:
    variant = Variant.SHA384_PSS_RANDOMIZED
    blinding, _, signature = issue(keys[0], message, variant)
    changed = flip(blinding.prepared_message, index, mask)

    with pytest.raises(InvalidSignature):
        verify(keys[0].public_key(), changed, signature, variant)


@PROPERTY_SETTINGS
@given(message=st.binary(max_size=64), index=st.integers(0, 255), mask=st.integers(1, 255))
def test_any_changed_blind_signature_byte_fails_finalize(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], message: bytes, index: int, mask: int
) -> None:
    variant = Variant.SHA384_PSS_RANDOMIZED
    public_key = keys[0].public_key()
    blinding = blind(public_key, message, variant)
    blind_signature = blind_sign(keys[0], blinding.blinded_message)

    with pytest.raises(InvalidSignature):
        finalize(
            public_key,
            blinding.prepared_message,
            flip(blind_signature, index, mask),
            blinding.inverse,
            variant,
        )


@PROPERTY_SETTINGS
@given(message=st.binary(max_size=64), variant=st.sampled_from(Variant))
def test_signature_from_one_key_fails_under_another(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], message: bytes, variant: Variant
) -> None:
    blinding, _, signature = issue(keys[0], message, variant)

    with pytest.raises(InvalidSignature):
        verify(keys[1].public_key(), blinding.prepared_message, signature, variant)


@PROPERTY_SETTINGS
@given(message=st.binary(max_size=64))
def test_blind_signature_from_another_key_fails_finalize(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], message: bytes
) -> None:
    variant = Variant.SHA384_PSS_RANDOMIZED
    public_key = keys[0].public_key()
    blinding = blind(public_key, message, variant)
    other_n = keys[1].public_key().public_numbers().n
    reduced = (int.from_bytes(blinding.blinded_message, "big") % other_n).to_bytes(256, "big")
    blind_signature = blind_sign(keys[1], reduced)

    with pytest.raises(InvalidSignature):
        finalize(public_key, blinding.prepared_message, blind_signature, blinding.inverse, variant)


@PROPERTY_SETTINGS
@given(length=st.integers(0, 600).filter(lambda length: length != 256))
def test_blind_sign_refuses_a_blinded_message_of_the_wrong_length(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], length: int
) -> None:
    with pytest.raises(InvalidBlindedMessage, match="wrong length"):
        blind_sign(keys[0], bytes(length))


@PROPERTY_SETTINGS
@given(excess=st.integers(min_value=0))
def test_blind_sign_refuses_a_blinded_message_not_below_n(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], excess: int
) -> None:
    n = keys[0].public_key().public_numbers().n
    too_big = min(n + excess, 2**2048 - 1)

    with pytest.raises(InvalidBlindedMessage, match="out of range"):
        blind_sign(keys[0], too_big.to_bytes(256, "big"))


# -- the signer's fault check (RFC 9474 section 4.3) -------------------------------------


def test_a_faulty_private_operation_is_withheld(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    correct = blind_rsa._private_operation

    def faulty(key: blind_rsa.SigningKey, m: Any) -> Any:
        return correct(key, m) ^ 1

    monkeypatch.setattr(blind_rsa, "_private_operation", faulty)
    blinding = blind(keys[0].public_key(), b"token", Variant.SHA384_PSS_RANDOMIZED)

    with pytest.raises(SigningFailure):
        blind_sign(keys[0], blinding.blinded_message)


def test_a_fault_in_one_crt_half_is_withheld(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bellcore: a signature wrong mod p only would give away q = gcd(s^e - m, n).
    p = keys[0].private_numbers().p
    gmpy2 = importlib.import_module("gmpy2")
    correct = gmpy2.powmod_sec

    def faulty(base: Any, exponent: Any, modulus: Any) -> Any:
        result = correct(base, exponent, modulus)
        return (result + 1) % modulus if modulus == p else result

    blinding = blind(keys[0].public_key(), b"token", Variant.SHA384_PSS_RANDOMIZED)
    monkeypatch.setattr(gmpy2, "powmod_sec", faulty)

    with pytest.raises(SigningFailure):
        blind_sign(keys[0], blinding.blinded_message)


def test_blind_sign_takes_a_prepared_signing_key(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey],
) -> None:
    blinding = blind(keys[0].public_key(), b"token", Variant.SHA384_PSS_RANDOMIZED)

    from_key = blind_sign(keys[0], blinding.blinded_message)
    from_signing_key = blind_sign(signing_key(keys[0]), blinding.blinded_message)

    assert from_key == from_signing_key
    assert signing_key(keys[0]) is signing_key(keys[0])
    assert repr(signing_key(keys[0])) == "SigningKey(2048 bits)"


# -- the client's checks -----------------------------------------------------------------


def test_a_blind_sharing_a_factor_with_n_is_refused() -> None:
    vector = RFC_VECTORS[0]
    public_key = rfc_private_key(vector).public_key()

    with pytest.raises(BlindingError):
        blind(public_key, b"token", Variant.SHA384_PSS_RANDOMIZED, r=_integer(vector, "p"))


def test_finalize_refuses_a_blind_signature_of_the_wrong_size(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey],
) -> None:
    variant = Variant.SHA384_PSS_RANDOMIZED
    public_key = keys[0].public_key()
    blinding = blind(public_key, b"token", variant)
    blind_signature = blind_sign(keys[0], blinding.blinded_message)

    with pytest.raises(InvalidSignature, match="unexpected input size"):
        finalize(
            public_key, blinding.prepared_message, blind_signature[1:], blinding.inverse, variant
        )


def test_blinding_result_does_not_show_the_inverse() -> None:
    vector = RFC_VECTORS[0]

    blinding = rfc_blind(vector)

    assert vector["inv"][:16] not in repr(blinding)
    assert str(blinding.inverse) not in repr(blinding)


# -- keys --------------------------------------------------------------------------------


def test_public_key_survives_pem_with_the_same_id(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey],
) -> None:
    public_key = keys[0].public_key()

    loaded = public_key_from_pem(public_key_to_pem(public_key))

    assert public_key_id(loaded) == public_key_id(public_key)
    assert len(public_key_id(public_key)) == 64
    assert int(public_key_id(public_key), 16) >= 0
    assert public_key_id(keys[1].public_key()) != public_key_id(public_key)


def test_private_key_survives_encrypted_pem(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey],
) -> None:
    pem = private_key_to_pem(keys[0], b"correct horse")

    loaded = private_key_from_pem(pem, b"correct horse")

    assert b"ENCRYPTED PRIVATE KEY" in pem
    assert loaded.private_numbers() == keys[0].private_numbers()


def test_private_key_with_the_wrong_password_is_refused(
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey],
) -> None:
    pem = private_key_to_pem(keys[0], b"correct horse")

    with pytest.raises(InvalidKey):
        private_key_from_pem(pem, b"battery staple")


def test_private_key_needs_a_password(keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]) -> None:
    with pytest.raises(InvalidKey, match="password"):
        private_key_to_pem(keys[0], b"")


def test_garbage_is_not_a_public_key() -> None:
    with pytest.raises(InvalidKey):
        public_key_from_pem(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")


def test_keys_under_2048_bits_are_refused() -> None:
    with pytest.raises(InvalidKey, match="too small"):
        generate_private_key(1024)
