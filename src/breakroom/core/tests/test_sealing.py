import pytest
from django.test import override_settings

from breakroom.core.sealing import open_text, seal_text


def test_sealed_text_opens_with_the_same_key_and_purpose() -> None:
    sealed = seal_text("07700 900123", purpose="contact")

    assert open_text(sealed, purpose="contact") == "07700 900123"
    assert b"07700" not in sealed


def test_sealing_twice_gives_different_ciphertexts() -> None:
    assert seal_text("same", purpose="contact") != seal_text("same", purpose="contact")


def test_another_purpose_cannot_open_it() -> None:
    sealed = seal_text("secret", purpose="contact")

    with pytest.raises(ValueError, match="authentication"):
        open_text(sealed, purpose="other")


def test_another_server_key_cannot_open_it() -> None:
    sealed = seal_text("secret", purpose="contact")

    with (
        override_settings(CONTACT_KEY="a different key"),
        pytest.raises(ValueError, match="authentication"),
    ):
        open_text(sealed, purpose="contact")


def test_tampering_is_detected() -> None:
    sealed = bytearray(seal_text("secret", purpose="contact"))
    sealed[-1] ^= 1

    with pytest.raises(ValueError, match="authentication"):
        open_text(bytes(sealed), purpose="contact")
