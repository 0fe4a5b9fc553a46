"""Run the whole test suite on SQLite, then on PostgreSQL.

Between the two, the diary rules engine's tests run once more against its pure-Python
source (BREAKROOM_PURE_ENGINE=1): `make` compiles the engine with mypyc, so the other
legs test the compiled modules, where compiling worked.

Where no PostgreSQL answers, the PostgreSQL leg is skipped with a message — unless
CI=true, where a missing PostgreSQL (or Chromium, see tests/e2e) is a failure.
Extra arguments are passed to pytest, e.g. `tools/run_tests.py -k verification`; the
pure-Python leg adds its test files to them, and passes if they select none of its tests.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from breakroom.diary.engine_build import PURE_VARIABLE

POSTGRES_URL = os.environ.get(
    "BREAKROOM_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/breakroom"
)

ROOT = Path(__file__).resolve().parents[1]
PURE_ENGINE_TESTS = [
    str(ROOT / "src/breakroom/diary/tests" / name)
    for name in ("test_rules.py", "test_csvformat.py", "test_engine_build.py")
]
NO_TESTS_COLLECTED = 5  # pytest's exit code


def postgres_problem(url: str) -> str | None:
    """None if PostgreSQL answers at `url` (its maintenance database), else why not."""
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(maintenance, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def run_leg(
    name: str, environment: dict[str, str], arguments: list[str], *, may_select_none: bool = False
) -> int:
    print(f"\n=== tests on {name} ===", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", "pytest", *arguments], env=environment)  # noqa: S603
    if may_select_none and code == NO_TESTS_COLLECTED:
        code = 0
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
    pure, pure_arguments = {**base, PURE_VARIABLE: "1"}, [*arguments, *PURE_ENGINE_TESTS]
    if run_leg("the pure-Python rules engine", pure, pure_arguments, may_select_none=True) != 0:
        failures.append("pure-Python rules engine")
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
