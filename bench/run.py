"""Measure how fast the production-style server answers, on a fresh PostgreSQL database.

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/breakroom_bench

The script drops and recreates the bench database, migrates it, adds the demo data,
collects the static files, starts `breakroom serve` (granian) on a free local port,
warms it up and then drives each page in BENCHMARK_CASES for a fixed time with a
fixed number of keep-alive connections. It uses `wrk` when it is on PATH and a small
asyncio client of its own when it is not, and says which one it used: figures from
the two are not comparable. The server is stopped and the database dropped at the
end, whatever happened. bench/README.md explains how to read the figures.

Speed is measured here, never asserted: nothing in this script fails because a
figure is low. It fails only when the server does not start, answers a page with
the wrong content, or answers requests with errors during a run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

REPOSITORY = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


@dataclass(frozen=True)
class BenchmarkCase:
    """One page to measure: a GET of `path` must answer 200 with `expected_text` in it."""

    name: str
    path: str
    expected_text: str


# Add a page to measure here. Each case is checked, warmed up and measured in turn
# against the same server and database.
BENCHMARK_CASES: tuple[BenchmarkCase, ...] = (
    BenchmarkCase(name="public site page", path="/s/durham/", expected_text="Durham"),
)


class BenchError(Exception):
    """The benchmark could not be run; the message says why."""


@dataclass(frozen=True)
class LoadResult:
    """What a load generator measured during one timed run."""

    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    bad_responses: int
    # What `bad_responses` counts differs between generators; see bench/README.md.
    bad_response_rule: str
    status_counts: dict[str, int] = field(default_factory=dict)


class LoadGenerator(Protocol):
    name: str  # what the result line names, e.g. "wrk 4.1.0"
    version: str  # the full version, for the JSON results

    def run(self, url: str, *, connections: int, seconds: float) -> LoadResult: ...


@dataclass(frozen=True)
class CaseResult:
    case: BenchmarkCase
    url: str
    page_bytes: int
    load: LoadResult


# --- wrk --------------------------------------------------------------------------

WRK_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
WRK_TIME = r"([\d.]+)(us|ms|s|m|h)"


def wrk_time_ms(number: str, unit: str) -> float:
    return float(number) * WRK_TIME_UNITS_MS[unit]


def parse_wrk_output(output: str) -> LoadResult:
    """Read the figures out of `wrk --latency` output; raise BenchError if they are missing."""
    percentiles = {
        int(match[1]): wrk_time_ms(match[2], match[3])
        for match in re.finditer(rf"^\s*(50|90|99)%\s+{WRK_TIME}\s*$", output, re.MULTILINE)
    }
    total = re.search(rf"^\s*(\d+) requests in {WRK_TIME},", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)\s*$", output, re.MULTILINE)
    latency = re.search(
        rf"^\s*Latency\s+{WRK_TIME}\s+{WRK_TIME}\s+{WRK_TIME}", output, re.MULTILINE
    )
    if total is None or rate is None or latency is None or set(percentiles) != {50, 90, 99}:
        raise BenchError(f"could not read wrk's output:\n{output}")
    # wrk prints these two lines only when their counts are not zero.
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return LoadResult(
        requests=int(total[1]),
        seconds=wrk_time_ms(total[2], total[3]) / 1000,
        requests_per_second=float(rate[1]),
        p50_ms=percentiles[50],
        p90_ms=percentiles[90],
        p99_ms=percentiles[99],
        max_ms=wrk_time_ms(latency[5], latency[6]),
        socket_errors=sum(int(count) for count in sockets.groups()) if sockets else 0,
        bad_responses=int(bad[1]) if bad else 0,
        bad_response_rule="status 400 or above (wrk does not count 3xx)",
    )


@dataclass
class Wrk:
    """The `wrk` load generator, with its own threads outside Python."""

    executable: str
    threads: int
    version: str = ""
    name: str = ""

    def __post_init__(self) -> None:
        # `wrk --version` prints e.g. "wrk debian/4.1.0-3+b2 [epoll] ..." and exits 1.
        completed = subprocess.run(
            [self.executable, "--version"], capture_output=True, text=True, check=False
        )
        first_line = (completed.stdout + completed.stderr).strip().splitlines()[:1]
        self.version = first_line[0] if first_line else "wrk (version unknown)"
        number = re.search(r"\d+\.\d+\.\d+", self.version)
        self.name = f"wrk {number[0]}" if number else "wrk"

    def run(self, url: str, *, connections: int, seconds: float) -> LoadResult:
        command = [
            self.executable,
            "--threads",
            str(min(self.threads, connections)),
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--latency",
            url,
        ]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise BenchError(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
        return parse_wrk_output(completed.stdout)


# --- the built-in client ----------------------------------------------------------


def percentile_ms(sorted_ns: Sequence[int], percent: float) -> float:
    """The nearest-rank percentile of sorted nanosecond latencies, in milliseconds."""
    if not sorted_ns:
        return math.nan
    rank = max(1, math.ceil(percent / 100 * len(sorted_ns)))
    return sorted_ns[rank - 1] / 1_000_000


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; return its status and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head[:-4].split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    headers: dict[bytes, bytes] = {}
    for line in header_lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    keep_alive = headers.get(b"connection") != b"close"
    if b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding") == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif status >= 200 and status not in {204, 304}:
        await reader.read()
        keep_alive = False
    return status, keep_alive


@dataclass
class ClientTally:
    latencies_ns: list[int] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    socket_errors: int = 0


async def drive_connection(
    host: str, port: int, request: bytes, deadline: float, timeout: float, tally: ClientTally
) -> None:
    """Send requests one after another on one keep-alive connection until the deadline."""
    writer: asyncio.StreamWriter | None = None
    reader: asyncio.StreamReader | None = None
    while time.perf_counter() < deadline:
        started = time.perf_counter_ns()
        try:
            async with asyncio.timeout(timeout):
                if writer is None or reader is None:
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(request)
                await writer.drain()
                status, keep_alive = await read_response(reader)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
            tally.socket_errors += 1
            keep_alive = False
        else:
            tally.latencies_ns.append(time.perf_counter_ns() - started)
            tally.statuses[status] += 1
        if not keep_alive and writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            writer = reader = None
    if writer is not None:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


@dataclass
class BuiltInClient:
    """A closed-loop HTTP/1.1 client on one asyncio event loop, for machines without wrk.

    Each connection sends the same bare request wrk sends and waits for the whole
    response before sending the next. Latency runs from just before the request is
    written (or the connection opened) to the last byte of the body.
    """

    timeout: float = 2.0
    name: str = "bench/run.py built-in asyncio client"
    version: str = f"Python {platform.python_version()} asyncio"

    def run(self, url: str, *, connections: int, seconds: float) -> LoadResult:
        return asyncio.run(self.run_async(url, connections=connections, seconds=seconds))

    async def run_async(self, url: str, *, connections: int, seconds: float) -> LoadResult:
        parts = urlsplit(url)
        host, port = parts.hostname or HOST, parts.port or 80
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
        tally = ClientTally()
        started = time.perf_counter()
        deadline = started + seconds
        async with asyncio.TaskGroup() as group:
            for _ in range(connections):
                group.create_task(
                    drive_connection(host, port, request, deadline, self.timeout, tally)
                )
        # Requests still in flight at the deadline are finished and counted, so the
        # elapsed time runs to the last of them.
        elapsed = time.perf_counter() - started
        latencies = sorted(tally.latencies_ns)
        return LoadResult(
            requests=len(latencies),
            seconds=elapsed,
            requests_per_second=len(latencies) / elapsed,
            p50_ms=percentile_ms(latencies, 50),
            p90_ms=percentile_ms(latencies, 90),
            p99_ms=percentile_ms(latencies, 99),
            max_ms=percentile_ms(latencies, 100),
            socket_errors=tally.socket_errors,
            bad_responses=sum(n for status, n in tally.statuses.items() if not 200 <= status < 300),
            bad_response_rule="status not 2xx",
            status_counts={str(status): n for status, n in sorted(tally.statuses.items())},
        )


def choose_load_generator(choice: str, wrk_threads: int) -> LoadGenerator:
    executable = shutil.which("wrk")
    if choice == "builtin" or (choice == "auto" and executable is None):
        return BuiltInClient()
    if executable is None:
        raise BenchError("--load-generator wrk was asked for, but wrk is not on PATH")
    return Wrk(executable=executable, threads=wrk_threads)


# --- database, commands and server ------------------------------------------------


@dataclass(frozen=True)
class Database:
    url: str
    name: str
    maintenance_url: str


def parse_database_url(url: str) -> Database:
    """Check that `url` names a PostgreSQL database this script may drop."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise BenchError(f"--database-url must be a postgres:// URL, not {parts.scheme}://")
    name = unquote(parts.path.lstrip("/"))
    # The database is dropped and recreated: refuse any name that does not say it is
    # a bench database, so a mistyped URL cannot wipe real data.
    if "bench" not in name:
        raise BenchError(
            f"refusing to drop and recreate database {name!r}: "
            "the bench database's name must contain 'bench'"
        )
    return Database(url=url, name=name, maintenance_url=parts._replace(path="/postgres").geturl())


def recreate_database(database: Database) -> str:
    """Drop and create the bench database; return the server's version."""
    try:
        with psycopg.connect(database.maintenance_url, autocommit=True) as connection:
            name = sql.Identifier(database.name)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
            version = connection.execute("SHOW server_version").fetchone()
    except psycopg.Error as error:
        raise BenchError(f"could not recreate database {database.name!r}: {error}") from error
    return str(version[0]).split()[0] if version else "unknown"


def drop_database(database: Database) -> None:
    with psycopg.connect(database.maintenance_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database.name))
        )


def breakroom_executable() -> str:
    beside_python = Path(sys.executable).parent / "breakroom"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("breakroom")
    if found is None:
        raise BenchError("the `breakroom` command is not installed; run `make bench`")
    return found


def server_environment(database: Database, data_dir: Path) -> dict[str, str]:
    """The environment of every `breakroom` command: production settings, bench database."""
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="breakroom.settings.base",
        DATABASE_URL=database.url,
        BREAKROOM_DATA_DIR=str(data_dir),
        BREAKROOM_DEBUG="false",
        BREAKROOM_SSL_REDIRECT="false",
        BREAKROOM_ALLOWED_HOSTS=HOST,
    )
    return environment


def run_command(arguments: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(
        arguments, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BenchError(
            f"`{' '.join(arguments[1:])}` failed ({completed.returncode}):\n"
            f"{completed.stdout}{completed.stderr}"
        )


def free_port() -> int:
    # The port is free now; another process could take it before the server binds,
    # in which case the server fails to start and the script says so.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def fetch(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Server:
    """`breakroom serve` running as a child process in its own process group."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        # With RUST_BACKTRACE set, granian follows a Python error with a long native
        # stack that would push the error itself out of the tail.
        text = text.split("\nStack backtrace:", 1)[0]
        return "\n".join(text.splitlines()[-lines:]) or "(the server printed nothing)"

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            raise BenchError(f"the server exited with status {code}:\n{self.log_tail()}")

    def wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                fetch(self.port, "/", timeout=1.0)
            except OSError:
                time.sleep(0.1)
            else:
                return
        raise BenchError(f"the server did not answer within {timeout:g} s:\n{self.log_tail()}")

    def stop(self) -> None:
        # granian runs its workers as child processes: signal the whole group,
        # which is this server's own (start_new_session), never anything else.
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_server(
    executable: str, environment: dict[str, str], data_dir: Path, *, workers: int, threads: int
) -> Server:
    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                executable,
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process=process, port=port, log_path=log_path)


def granian_version(executable: str) -> str:
    granian = Path(executable).parent / "granian"
    completed = subprocess.run(
        [str(granian) if granian.exists() else "granian", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or "granian (version unknown)"


def git_revision() -> str:
    completed = subprocess.run(
        ["git", "-C", str(REPOSITORY), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or "unknown"


# --- the run ----------------------------------------------------------------------


def measure_case(
    case: BenchmarkCase,
    server: Server,
    generator: LoadGenerator,
    *,
    connections: int,
    seconds: float,
    warmup: float,
) -> CaseResult:
    """Check the page's first answer, warm the server up on it, then measure it."""
    status, body = fetch(server.port, case.path)
    if status != 200:
        raise BenchError(f"{case.name}: GET {case.path} answered {status}, not 200")
    if case.expected_text not in body.decode(errors="replace"):
        raise BenchError(f"{case.name}: GET {case.path} does not contain {case.expected_text!r}")
    url = f"http://{HOST}:{server.port}{case.path}"
    if warmup > 0:
        generator.run(url, connections=connections, seconds=warmup)
    load = generator.run(url, connections=connections, seconds=seconds)
    server.check_alive()
    return CaseResult(case=case, url=url, page_bytes=len(body), load=load)


def describe(
    result: CaseResult, *, postgres: str, generator: str, workers: int, connections: int
) -> str:
    """The one-line result of a case."""
    load = result.load
    return (
        f"{result.case.name} {result.case.path}  PostgreSQL {postgres}  "
        f"granian {workers} workers: {load.requests_per_second:.1f} req/s  "
        f"p50 {load.p50_ms:.2f} ms  p99 {load.p99_ms:.2f} ms  "
        f"errors {load.socket_errors + load.bad_responses}  "
        f"({generator}, {load.requests} requests on {connections} connections "
        f"in {load.seconds:.1f} s)"
    )


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/breakroom_bench",
        help="PostgreSQL database to drop, recreate and use; its name must contain 'bench'",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=4, help="granian threads per worker")
    parser.add_argument(
        "--load-generator",
        choices=["auto", "wrk", "builtin"],
        default="auto",
        help="auto: wrk when it is on PATH, else the built-in asyncio client",
    )
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's own threads")
    parser.add_argument("--startup-timeout", type=float, default=30.0)
    parser.add_argument("--data-dir", type=Path, help="default: a new temporary directory")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the database and data directory afterwards"
    )
    arguments = parser.parse_args(argv)
    for name in ("duration", "connections", "workers", "threads", "wrk_threads"):
        if getattr(arguments, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    return arguments


def run(arguments: argparse.Namespace, cleanup: contextlib.ExitStack) -> int:
    database = parse_database_url(arguments.database_url)
    # Taken before this script adds any load: anything else busy on the machine
    # takes CPU from the server and the load generator alike.
    load_before = os.getloadavg()[0]
    generator = choose_load_generator(arguments.load_generator, arguments.wrk_threads)
    executable = breakroom_executable()

    if arguments.data_dir is None:
        data_dir = Path(tempfile.mkdtemp(prefix="breakroom-bench-"))
        if not arguments.keep_db:
            cleanup.callback(shutil.rmtree, data_dir, ignore_errors=True)
    else:
        data_dir = arguments.data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)

    print(f"database: recreating {database.name!r}", flush=True)
    postgres = recreate_database(database)
    if arguments.keep_db:
        cleanup.callback(print, f"kept database {database.name!r} and data in {data_dir}")
    else:
        cleanup.callback(drop_database, database)
    environment = server_environment(database, data_dir)
    for command in (["migrate", "--no-input"], ["seed-demo"], ["collectstatic", "--no-input"]):
        print(f"breakroom {' '.join(command)}", flush=True)
        run_command([executable, *command], environment)

    server = start_server(
        executable, environment, data_dir, workers=arguments.workers, threads=arguments.threads
    )
    cleanup.callback(server.stop)
    server.wait_until_answering(arguments.startup_timeout)

    print(
        f"server: {granian_version(executable)}, {arguments.workers} workers x "
        f"{arguments.threads} threads, http://{HOST}:{server.port}/\n"
        f"database: PostgreSQL {postgres}\n"
        f"load generator: {generator.name}\n"
        f"machine: {os.cpu_count()} CPUs, {platform.platform()}, load average "
        f"{load_before:.2f} before the run; the load generator shares the CPUs "
        "with the server and PostgreSQL\n"
        f"code: {git_revision()}\n"
        f"each case: {arguments.warmup:g} s warm-up, then {arguments.duration:g} s measured "
        f"on {arguments.connections} connections",
        flush=True,
    )
    results: list[CaseResult] = []
    for case in BENCHMARK_CASES:
        result = measure_case(
            case,
            server,
            generator,
            connections=arguments.connections,
            seconds=arguments.duration,
            warmup=arguments.warmup,
        )
        results.append(result)
        line = describe(
            result,
            postgres=postgres,
            generator=generator.name,
            workers=arguments.workers,
            connections=arguments.connections,
        )
        print(line, flush=True)

    if arguments.json is not None:
        write_json(
            arguments,
            results,
            postgres=postgres,
            generator=generator,
            server=executable,
            load_before=load_before,
        )
        print(f"results written to {arguments.json}")

    failed = [r for r in results if r.load.socket_errors or r.load.bad_responses]
    for result in failed:
        print(
            f"error: {result.case.name}: {result.load.socket_errors} socket errors and "
            f"{result.load.bad_responses} responses with {result.load.bad_response_rule} "
            "during the run; its figures do not measure the page",
            file=sys.stderr,
        )
    return 1 if failed else 0


def write_json(
    arguments: argparse.Namespace,
    results: list[CaseResult],
    *,
    postgres: str,
    generator: LoadGenerator,
    server: str,
    load_before: float,
) -> None:
    document = {
        "finished_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "code": git_revision(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_before": round(load_before, 2),
        },
        "server": {
            "name": granian_version(server),
            "workers": arguments.workers,
            "threads": arguments.threads,
        },
        "database": f"PostgreSQL {postgres}",
        "load_generator": {"name": generator.name, "version": generator.version},
        "connections": arguments.connections,
        "warmup_seconds": arguments.warmup,
        "duration_seconds": arguments.duration,
        "results": [
            {
                "name": result.case.name,
                "path": result.case.path,
                "page_bytes": result.page_bytes,
                **asdict(result.load),
            }
            for result in results
        ],
    }
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(document, indent=2) + "\n")


def stop_on_sigterm(signal_number: int, frame: object) -> None:
    # Turn SIGTERM into SystemExit so the cleanup below still stops the server
    # and drops the database.
    raise SystemExit(128 + signal_number)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        with contextlib.ExitStack() as cleanup:
            return run(arguments, cleanup)
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
