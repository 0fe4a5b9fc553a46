import hashlib

from breakroom.core import pow


def solve(challenge: str, bits: int) -> str:
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if pow.leading_zero_bits(digest) >= bits:
            return str(nonce)
        nonce += 1


def test_a_solved_challenge_is_accepted_once() -> None:
    challenge = pow.new_challenge("report:1")
    nonce = solve(challenge, 8)

    first = pow.is_solved(challenge, nonce, scope="report:1", bits=8)
    again = pow.is_solved(challenge, nonce, scope="report:1", bits=8)

    assert (first, again) == (True, False)


def test_a_wrong_nonce_scope_or_forged_challenge_is_refused() -> None:
    challenge = pow.new_challenge("report:1")
    nonce = solve(challenge, 8)

    assert pow.is_solved(challenge, nonce, scope="report:2", bits=8) is False
    assert pow.is_solved(challenge + "x", nonce, scope="report:1", bits=8) is False
    assert pow.is_solved(challenge, "not-it", scope="report:1", bits=20) is False


def test_leading_zero_bits() -> None:
    assert pow.leading_zero_bits(b"\x00\x00\x01") == 23
    assert pow.leading_zero_bits(b"\x80") == 0
    assert pow.leading_zero_bits(b"\x00\x10") == 11
