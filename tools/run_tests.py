"""Run the whole test suite on SQLite, then on PostgreSQL.

Where no PostgreSQL answers, the PostgreSQL leg is skipped with a message — unless
CI=true, where a missing PostgreSQL (or Chromium, see tests/e2e) is a failure.
Extra arguments are passed to pytest, e.g. `tools/run_tests.py -k verification`.
"""

import os
import subprocess
import sys
import time

import psycopg

POSTGRES_URL = os.environ.get(
    "BREAKROOM_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/breakroom"
)


def postgres_problem(url: str) -> str | None:
    """None if PostgreSQL answers at `url` (its maintenance database), else why not."""
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(maintenance, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def run_leg(name: str, environment: dict[str, str], arguments: list[str]) -> int:
    print(f"\n=== tests on {name} ===", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", "pytest", *arguments], env=environment)  # noqa: S603
    outcome = "passed" if code == 0 else "FAILED"
    print(f"=== {name}: {outcome} in {time.monotonic() - started:.0f} s ===")
    return code


def main() -> int:
    arguments = sys.argv[1:]
    in_ci = os.environ.get("CI", "").lower() == "true"
    base = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    failures = []
    if run_leg("SQLite", base, arguments) != 0:
        failures.append("SQLite")
    problem = postgres_problem(POSTGRES_URL)
    if problem is None:
        if run_leg("PostgreSQL", {**base, "DATABASE_URL": POSTGRES_URL}, arguments) != 0:
            failures.append("PostgreSQL")
    elif in_ci:
        print(f"\nPostgreSQL is required under CI=true but does not answer: {problem}")
        failures.append("PostgreSQL (unreachable)")
    else:
        print(f"\nSKIPPED the PostgreSQL leg: no PostgreSQL at {POSTGRES_URL} ({problem}).")
        print("Start PostgreSQL or set BREAKROOM_TEST_POSTGRES_URL to run it.")
    if failures:
        print(f"\nFailed legs: {', '.join(failures)}")
        return 1
    print("\nAll test legs passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
