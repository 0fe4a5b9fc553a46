"""The token benchmarks' two halves: blind-signing speed, and tokens to spend.

Imported by bench/run.py, `measure_signing()` times the blind-signature operations
in this process, on one core, with a fresh 2048-bit key: the server's
`blind_rsa.blind_sign` (which includes the mandatory s^e check) next to the raw
RSA private-key operation of `cryptography` (an RSA-PSS signature, timed the same
way), plus the client's `blind` and `finalize` for information. No Django, no
database.

Run as a script by bench/run.py, with the bench server's environment (the same
DATABASE_URL and BREAKROOM_DATA_DIR, so it can unseal the keys):

    python bench/tokens.py generate --site durham --out-dir DIR --batch check=1 \\
        --batch measured=30000

it creates the site's token keys if they are missing (`ensure_keys`, as the key list
does), unseals today's pulse key and writes each batch to DIR/NAME.jsonl: one body
of POST /api/v1/sites/SITE/tokens/spend per line, every one a different valid
token. The signing uses both cores (multiprocessing) and skips the per-member
limits, which would allow one token per member and day.

How a token is made (`--method`):

- `pss` (default): prepare a fresh message (32 random bytes + 32 random bytes, as
  `blind_rsa.prepare` does) and sign it with `cryptography`'s RSA-PSS (SHA-384,
  MGF1-SHA-384, salt length 48) under the private key. Finalize's output is exactly
  such a signature, and the server's spend check (`blind_rsa.verify`) is exactly
  that verification, so the server cannot tell these tokens from blindly signed
  ones. About five times faster than the protocol.
- `blind`: the protocol itself, `blind` -> `blind_sign` -> `finalize`.
"""

from __future__ import annotations

import argparse
import base64
import functools
import json
import multiprocessing
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import gmpy2
from cryptography import __version__ as cryptography_version
from cryptography.hazmat.backends.openssl.backend import backend as openssl_backend
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from breakroom.core.crypto import blind_rsa

VARIANT = blind_rsa.Variant.SHA384_PSS_RANDOMIZED
MODULUS_BITS = 2048
PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=blind_rsa.HASH_LENGTH)
MESSAGE_BYTES = 32  # what breakroom.core.tokens.client blinds
PURPOSE = "pulse"  # one token per member and day: the purpose a form spends most


# --- blind-signing speed, in this process -----------------------------------------


@dataclass(frozen=True)
class Timing:
    """How fast one operation ran: the median of several timed rounds.

    `per_second` counts the thread's own CPU time, so it is the rate of one core
    given to the loop, and other work on the machine changes it little; the
    wall-clock rate, which such work lowers, is kept beside it.
    """

    name: str
    operations: int  # in all rounds together
    per_second: float  # per CPU-second of this thread, median over the rounds
    spread: tuple[float, float]  # slowest and fastest round, per CPU-second
    wall_per_second: float  # per wall-clock second, median over the rounds

    @property
    def microseconds(self) -> float:
        return 1_000_000 / self.per_second


@dataclass(frozen=True)
class SigningFigures:
    blind_sign: Timing  # blind_rsa.blind_sign: CRT with powmod_sec, then the s^e check
    raw_private_op: Timing  # cryptography: RSA-PSS sign (OpenSSL)
    e_check: Timing  # the s^e mod n check inside blind_sign, alone
    blind: Timing  # client: prepare + EMSA-PSS encode + blind
    finalize: Timing  # client: unblind + verify
    library: str  # e.g. "cryptography 50.0.2 (OpenSSL 4.0.3 ...)"
    rounds: int
    round_seconds: float

    @property
    def overhead(self) -> float:
        """How many raw private-key operations one blind_sign costs."""
        return self.raw_private_op.per_second / self.blind_sign.per_second


def _time_rounds(
    operations: dict[str, Callable[[int], object]], *, rounds: int, round_seconds: float
) -> dict[str, Timing]:
    """Time each operation in `rounds` rounds of at least `round_seconds` of CPU time.

    The operations take turns round by round, so a disturbance on the machine
    (another process, a frequency change) falls on all of them alike. Each call
    gets the next index, so it can take a different input.
    """
    rates: dict[str, list[float]] = {name: [] for name in operations}
    wall_rates: dict[str, list[float]] = {name: [] for name in operations}
    counts = dict.fromkeys(operations, 0)
    for _round in range(rounds):
        for name, operation in operations.items():
            done = 0
            cpu_started, wall_started = time.thread_time(), time.perf_counter()
            cpu = 0.0
            while cpu < round_seconds:
                # Read the clocks every 16 calls, not after each one.
                for _ in range(16):
                    operation(done)
                    done += 1
                cpu = time.thread_time() - cpu_started
            rates[name].append(done / cpu)
            wall_rates[name].append(done / (time.perf_counter() - wall_started))
            counts[name] += done
    return {
        name: Timing(
            name=name,
            operations=counts[name],
            per_second=statistics.median(values),
            spread=(min(values), max(values)),
            wall_per_second=statistics.median(wall_rates[name]),
        )
        for name, values in rates.items()
    }


def measure_signing(*, rounds: int = 5, round_seconds: float = 0.3) -> SigningFigures:
    """Time blind signing and its raw RSA operation on one core, in this process."""
    private_key = blind_rsa.generate_private_key(MODULUS_BITS)
    public_key = private_key.public_key()
    key = blind_rsa.signing_key(private_key)
    numbers = public_key.public_numbers()
    n, e = gmpy2.mpz(numbers.n), gmpy2.mpz(numbers.e)

    # Inputs are made before timing and used in turn; 256 is enough to keep any
    # cache of a result out of the picture.
    pool = 256
    blindings = [
        blind_rsa.blind(public_key, secrets.token_bytes(MESSAGE_BYTES), VARIANT)
        for _ in range(pool)
    ]
    blind_signatures = [blind_rsa.blind_sign(key, b.blinded_message) for b in blindings]
    signature_integers = [gmpy2.mpz(blind_rsa.os2ip(s)) for s in blind_signatures]
    fresh_messages = [secrets.token_bytes(MESSAGE_BYTES) for _ in range(pool)]

    def blind_sign(i: int) -> object:
        return blind_rsa.blind_sign(key, blindings[i % pool].blinded_message)

    def raw_private_op(i: int) -> object:
        return private_key.sign(blindings[i % pool].prepared_message, PSS, hashes.SHA384())

    def e_check(i: int) -> object:
        return gmpy2.powmod(signature_integers[i % pool], e, n)

    def blind(i: int) -> object:
        return blind_rsa.blind(public_key, fresh_messages[i % pool], VARIANT)

    def finalize(i: int) -> object:
        b = blindings[i % pool]
        return blind_rsa.finalize(
            public_key, b.prepared_message, blind_signatures[i % pool], b.inverse, VARIANT
        )

    openssl_version = openssl_backend.openssl_version_text()
    timings = _time_rounds(
        {
            "blind_sign": blind_sign,
            "raw_private_op": raw_private_op,
            "e_check": e_check,
            "blind": blind,
            "finalize": finalize,
        },
        rounds=rounds,
        round_seconds=round_seconds,
    )
    return SigningFigures(
        blind_sign=timings["blind_sign"],
        raw_private_op=timings["raw_private_op"],
        e_check=timings["e_check"],
        blind=timings["blind"],
        finalize=timings["finalize"],
        library=f"cryptography {cryptography_version} ({openssl_version})",
        rounds=rounds,
        round_seconds=round_seconds,
    )


# --- tokens to spend, signed with the bench server's key --------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.lru_cache(maxsize=1)
def _private_key(der: bytes) -> rsa.RSAPrivateKey:
    private_key = serialization.load_der_private_key(der, password=None)
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise blind_rsa.InvalidKey("not an RSA private key")
    return private_key


def make_bodies(job: tuple[bytes, str, int, str]) -> list[str]:
    """`count` spend bodies, each a new token, as JSON lines (runs in a worker process)."""
    private_der, key_id, count, method = job
    private_key = _private_key(private_der)
    public_key = private_key.public_key()
    lines = []
    for _ in range(count):
        if method == "pss":
            message = blind_rsa.prepare(secrets.token_bytes(MESSAGE_BYTES), VARIANT)
            signature = private_key.sign(message, PSS, hashes.SHA384())
        else:
            blinding = blind_rsa.blind(public_key, secrets.token_bytes(MESSAGE_BYTES), VARIANT)
            blind_signature = blind_rsa.blind_sign(private_key, blinding.blinded_message)
            message = blinding.prepared_message
            signature = blind_rsa.finalize(
                public_key, message, blind_signature, blinding.inverse, VARIANT
            )
        lines.append(
            json.dumps(
                {"key_id": key_id, "message": _b64(message), "signature": _b64(signature)},
                separators=(",", ":"),
            )
        )
    return lines


def load_todays_key(site_slug: str) -> tuple[str, str, bytes]:
    """Make sure the site's keys exist; return today's pulse key: id, period, private DER."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakroom.settings.base")
    import django

    django.setup()
    from django.utils import timezone

    from breakroom.core.models import TokenKey
    from breakroom.core.sealing import open_bytes
    from breakroom.core.tokens.keys import SEAL_PURPOSE, ensure_keys
    from breakroom.core.tokens.policy import period_of
    from breakroom.workplaces.models import Site

    site = Site.objects.get(slug=site_slug)
    today = timezone.localdate()
    ensure_keys(site_id=site.pk, today=today)
    period = period_of(PURPOSE, today)
    key = TokenKey.objects.get(site_id=site.pk, purpose=PURPOSE, period=period)
    if key.private_key_sealed is None:
        raise SystemExit(f"the {PURPOSE} key of {period} has no private key any more")
    return key.key_id, period, open_bytes(bytes(key.private_key_sealed), purpose=SEAL_PURPOSE)


def generate(arguments: argparse.Namespace) -> int:
    started = time.perf_counter()
    batches: list[tuple[str, int]] = []
    for batch in arguments.batch:
        name, _, count = batch.partition("=")
        if not name or not count.isdigit() or int(count) <= 0:
            raise SystemExit(f"--batch wants NAME=COUNT, not {batch!r}")
        batches.append((name, int(count)))
    key_id, period, private_der = load_todays_key(arguments.site)
    loaded = time.perf_counter()

    total = sum(count for _, count in batches)
    processes = arguments.processes or os.cpu_count() or 1
    chunk = 500
    jobs = [
        (private_der, key_id, min(chunk, total - start), arguments.method)
        for start in range(0, total, chunk)
    ]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        lines = [line for part in pool.imap(make_bodies, jobs) for line in part]

    arguments.out_dir.mkdir(parents=True, exist_ok=True)
    start = 0
    for name, count in batches:
        path = arguments.out_dir / f"{name}.jsonl"
        path.write_text("\n".join(lines[start : start + count]) + "\n")
        start += count
    finished = time.perf_counter()
    json.dump(
        {
            "site": arguments.site,
            "purpose": PURPOSE,
            "period": period,
            "key_id": key_id,
            "method": arguments.method,
            "processes": processes,
            "tokens": total,
            "batches": dict(batches),
            "setup_seconds": round(loaded - started, 3),
            "signing_seconds": round(finished - loaded, 3),
        },
        sys.stdout,
    )
    print()
    return 0


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write spend bodies signed with the server's key")
    make.add_argument("--site", default="durham")
    make.add_argument("--out-dir", type=Path, required=True)
    make.add_argument(
        "--batch", action="append", required=True, metavar="NAME=COUNT", help="repeatable"
    )
    make.add_argument("--method", choices=["pss", "blind"], default="pss")
    make.add_argument("--processes", type=int, default=0, help="default: one per CPU")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    return generate(arguments)


if __name__ == "__main__":
    sys.exit(main())
