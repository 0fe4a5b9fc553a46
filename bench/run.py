"""Measure how fast the production-style server answers, on a fresh PostgreSQL database.

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/breakroom_bench

The script drops and recreates the bench database, migrates it, adds the demo data,
collects the static files, starts `breakroom serve` (granian) on a free local port,
warms it up and then drives each page in BENCHMARK_CASES for a fixed time with a
fixed number of keep-alive connections. It uses `wrk` when it is on PATH and a small
asyncio client of its own when it is not, and says which one it used: figures from
the two are not comparable. The server is stopped and the database dropped at the
end, whatever happened. bench/README.md explains how to read the figures.

It also measures the anonymous tokens (docs/tokens.md): blind signing in this
process on one core, next to the raw RSA private-key operation (bench/tokens.py),
and spending through POST /api/v1/sites/durham/tokens/spend with a different valid
token on every request (signed beforehand with the server's own key by
`bench/tokens.py generate`; wrk sends them with bench/spend.lua).

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
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql
from tokens import SigningFigures, measure_signing

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
    # Every status and how often it came: always from the built-in client, from wrk
    # only when it ran bench/spend.lua.
    status_counts: dict[str, int] = field(default_factory=dict)
    # Runs that POST a different body per request (the spend case) only: how many
    # were sent, how many there were, and whether the load generator ran out.
    bodies_sent: int | None = None
    bodies_available: int | None = None
    ran_out_of_bodies: bool = False


class LoadGenerator(Protocol):
    name: str  # what the result line names, e.g. "wrk 4.1.0"
    version: str  # the full version, for the JSON results

    def run(
        self, url: str, *, connections: int, seconds: float, bodies: Path | None = None
    ) -> LoadResult:
        """GET `url` or, with `bodies` (a file of one body per line), POST each line once."""
        ...


@dataclass(frozen=True)
class CaseResult:
    case: BenchmarkCase
    url: str
    page_bytes: int
    load: LoadResult
    busy_before: float | None = None  # see busy_cpus
    cpu: CpuUse | None = None


def busy_cpus(seconds: float = 1.0) -> float | None:
    """How many CPUs were busy over the next `seconds` (Linux /proc/stat; None elsewhere).

    Called just before a measurement, while nothing of this script's is working, it
    shows what else the machine is doing: the benchmark shares the CPUs with it.
    """

    def read() -> tuple[int, int] | None:
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        except OSError:
            return None
        if not fields or fields[0] != "cpu" or len(fields) < 5:
            return None
        # user nice system idle iowait irq softirq steal; guest time is already in user.
        values = [int(value) for value in fields[1:9]]
        return sum(values), values[3] + values[4]

    first = read()
    time.sleep(seconds)
    second = read()
    if first is None or second is None or second[0] <= first[0]:
        return None
    total, idle = second[0] - first[0], second[1] - first[1]
    return (total - idle) / total * (os.cpu_count() or 1)


@dataclass(frozen=True)
class CpuUse:
    """CPU time per request during a measured run, by whom (from /proc; Linux only)."""

    server_ms: float  # the granian process group: its workers run Django
    postgres_ms: float  # the PostgreSQL backends connected to the bench database
    load_generator_ms: float  # wrk, or this process for the built-in client

    @property
    def total_ms(self) -> float:
        return self.server_ms + self.postgres_ms + self.load_generator_ms

    def ceiling(self, cpus: int) -> float:
        """Requests per second that `cpus` idle CPUs could serve at this cost."""
        return cpus * 1000 / self.total_ms if self.total_ms > 0 else math.inf


def _cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User plus system CPU seconds of each of `pids` so far (the ones still alive)."""
    seconds = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings; a process that appeared counts whole."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def _process_group(pgid: int) -> set[int]:
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[2]) == pgid:
                pids.add(int(entry.name))
    return pids


def _postgres_backends(database: Database) -> set[int]:
    with psycopg.connect(database.url) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return {int(row[0]) for row in rows}


def _own_and_children_cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class CpuMeter:
    """Counts the CPU time the server, PostgreSQL and the load generator use in a run.

    The load generator is this process and its finished children (wrk), so nothing
    else may run in this process meanwhile. Unlike requests per second, CPU time
    per request hardly depends on what else the machine is doing, so it tells what
    the code costs even on a busy machine (contention still adds a little).
    """

    server: Server
    database: Database
    _start: tuple[dict[int, float], dict[int, float], float] | None = None

    def _read(
        self, known: tuple[dict[int, float], dict[int, float], float] | None = None
    ) -> tuple[dict[int, float], dict[int, float], float]:
        # The processes alive now and, at the end, also those seen at the start.
        server = _process_group(self.server.process.pid) | set(known[0] if known else ())
        postgres = _postgres_backends(self.database) | set(known[1] if known else ())
        return _cpu_seconds(server), _cpu_seconds(postgres), _own_and_children_cpu_seconds()

    def start(self) -> None:
        try:
            self._start = self._read()
        except (OSError, ValueError, IndexError, psycopg.Error):
            self._start = None  # not Linux, or /proc unreadable: no CPU figures

    def stop(self, requests: int) -> CpuUse | None:
        if self._start is None or requests <= 0:
            return None
        try:
            end = self._read(self._start)
        except (OSError, ValueError, IndexError, psycopg.Error):
            return None
        # A process that ended during the run is missing at the end: its share is lost.
        return CpuUse(
            server_ms=_cpu_used(self._start[0], end[0]) * 1000 / requests,
            postgres_ms=_cpu_used(self._start[1], end[1]) * 1000 / requests,
            load_generator_ms=(end[2] - self._start[2]) * 1000 / requests,
        )


def describe_cpu(cpu: CpuUse | None, unit: str) -> str:
    if cpu is None:
        return ""
    cpus = os.cpu_count() or 1
    return (
        f"\n  CPU per {unit}: server {cpu.server_ms:.2f} ms, PostgreSQL {cpu.postgres_ms:.2f} ms, "
        f"load generator {cpu.load_generator_ms:.2f} ms; {cpu.total_ms:.2f} ms in all, "
        f"so {cpus} otherwise idle CPUs could do at most ~{cpu.ceiling(cpus):.0f}/s"
    )


def describe_busy(busy: float | None) -> str:
    if busy is None:
        return ""
    return f"; other work on the machine just before: {busy:.2f} of {os.cpu_count()} CPUs busy"


# --- wrk --------------------------------------------------------------------------

WRK_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
WRK_TIME = r"([\d.]+)(us|ms|s|m|h)"


def wrk_time_ms(number: str, unit: str) -> float:
    return float(number) * WRK_TIME_UNITS_MS[unit]


SPEND_LUA = Path(__file__).resolve().parent / "spend.lua"


def parse_wrk_output(output: str) -> LoadResult:
    """Read the figures out of `wrk --latency` output; raise BenchError if they are missing.

    With bench/spend.lua, also the status counts and token use its done() prints.
    """
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
    statuses = {
        match[1]: int(match[2])
        for match in re.finditer(r"^spend\.lua status (\d+) (\d+)$", output, re.MULTILINE)
    }
    bodies = re.search(r"^spend\.lua bodies (\d+) (\d+)$", output, re.MULTILINE)
    exhausted = re.search(r"^spend\.lua exhausted (\d+)$", output, re.MULTILINE)
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
        status_counts=dict(sorted(statuses.items())),
        bodies_sent=int(bodies[1]) if bodies else None,
        bodies_available=int(bodies[2]) if bodies else None,
        ran_out_of_bodies=bool(exhausted and int(exhausted[1])),
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

    def run(
        self, url: str, *, connections: int, seconds: float, bodies: Path | None = None
    ) -> LoadResult:
        threads = min(self.threads, connections)
        command = [
            self.executable,
            "--threads",
            str(threads),
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--latency",
        ]
        if bodies is not None:
            # Each thread POSTs its own slice of the file, each line once.
            command += ["--script", str(SPEND_LUA), url, "--", str(bodies), str(threads)]
        else:
            command.append(url)
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
    host: str,
    port: int,
    next_request: Callable[[], bytes | None],
    deadline: float,
    timeout: float,
    tally: ClientTally,
) -> None:
    """Send requests one after another on one keep-alive connection until the deadline.

    `next_request` gives each request; None means there is none left, and the
    connection stops early.
    """
    writer: asyncio.StreamWriter | None = None
    reader: asyncio.StreamReader | None = None
    while time.perf_counter() < deadline:
        request = next_request()
        if request is None:
            break
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

    def run(
        self, url: str, *, connections: int, seconds: float, bodies: Path | None = None
    ) -> LoadResult:
        return asyncio.run(
            self.run_async(url, connections=connections, seconds=seconds, bodies=bodies)
        )

    async def run_async(
        self, url: str, *, connections: int, seconds: float, bodies: Path | None = None
    ) -> LoadResult:
        parts = urlsplit(url)
        host, port = parts.hostname or HOST, parts.port or 80
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        get = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
        posts: list[bytes] = []
        if bodies is not None:
            head = (
                f"POST {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n"
            )
            posts = [
                head.format(len(line)).encode() + line
                for line in bodies.read_bytes().splitlines()
                if line
            ]
        # All connections share one event loop, so taking the next body needs no lock.
        taken = 0
        ran_out = False

        def next_request() -> bytes | None:
            nonlocal taken, ran_out
            if bodies is None:
                return get
            if taken == len(posts):
                ran_out = True
                return None
            taken += 1
            return posts[taken - 1]

        tally = ClientTally()
        started = time.perf_counter()
        deadline = started + seconds
        async with asyncio.TaskGroup() as group:
            for _ in range(connections):
                group.create_task(
                    drive_connection(host, port, next_request, deadline, self.timeout, tally)
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
            bodies_sent=taken if bodies is not None else None,
            bodies_available=len(posts) if bodies is not None else None,
            ran_out_of_bodies=ran_out,
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


# --- the token benchmarks ---------------------------------------------------------

TOKENS_SCRIPT = Path(__file__).resolve().parent / "tokens.py"
SPEND_SITE = "durham"
SPEND_PATH = f"/api/v1/sites/{SPEND_SITE}/tokens/spend"
# Targets from the issue, printed next to the figures and never asserted.
TARGET_SIGNING_PER_CORE = 1000  # blind signatures per second on one core
TARGET_SPENDS_PER_SECOND = 1000  # on this 2-core machine, through the HTTP API
TARGET_SPEND_P99_MS = 100.0


@dataclass(frozen=True)
class TokenSetup:
    """Spend bodies written by `bench/tokens.py generate`, one file per batch."""

    directory: Path
    batches: dict[str, int]
    method: str
    processes: int
    period: str
    key_id: str
    seconds: float  # the whole step, Python and Django start-up included
    signing_seconds: float

    def batch(self, name: str) -> Path:
        return self.directory / f"{name}.jsonl"


@dataclass(frozen=True)
class SpendResult:
    url: str
    load: LoadResult
    spent_in_database: int  # rows afterwards: check, warm-up and measured spends
    busy_before: float | None = None  # see busy_cpus
    cpu: CpuUse | None = None

    @property
    def created(self) -> int:
        return self.load.status_counts.get("201", 0)

    @property
    def other_statuses(self) -> int:
        return sum(n for status, n in self.load.status_counts.items() if status != "201")

    @property
    def errors(self) -> int:
        """Every request that did not spend its token, plus running out of tokens."""
        return self.load.socket_errors + self.other_statuses + int(self.load.ran_out_of_bodies)


def tokens_needed(rate: float, seconds: float, connections: int) -> int:
    """Distinct tokens for `seconds` of spending at up to `rate` per second.

    The connections' count is added for the requests the built-in client finishes
    after the deadline.
    """
    return math.ceil(rate * math.ceil(seconds)) + connections


def generate_tokens(
    environment: dict[str, str], data_dir: Path, *, batches: dict[str, int], method: str
) -> TokenSetup:
    """Sign the spend bodies with the bench server's own key, in a child process."""
    directory = data_dir / "tokens"
    command = [
        sys.executable,
        str(TOKENS_SCRIPT),
        "generate",
        "--site",
        SPEND_SITE,
        "--out-dir",
        str(directory),
        "--method",
        method,
    ]
    for name, count in batches.items():
        command += ["--batch", f"{name}={count}"]
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise BenchError(
            f"bench/tokens.py generate failed ({completed.returncode}):\n"
            f"{completed.stdout}{completed.stderr}"
        )
    try:
        summary = json.loads(completed.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as error:
        raise BenchError(
            f"could not read bench/tokens.py's summary:\n{completed.stdout}"
        ) from error
    return TokenSetup(
        directory=directory,
        batches=dict(batches),
        method=summary["method"],
        processes=summary["processes"],
        period=summary["period"],
        key_id=summary["key_id"],
        seconds=seconds,
        signing_seconds=summary["signing_seconds"],
    )


def post_json(port: int, path: str, body: bytes, timeout: float = 5.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def check_spending(port: int, body: bytes) -> None:
    """One token must spend (201), and spending it again must be refused (409 `spent`)."""

    def answer_field(answer: bytes, name: str) -> object:
        try:
            document = json.loads(answer)
        except ValueError:
            return None
        return document.get(name) if isinstance(document, dict) else None

    status, answer = post_json(port, SPEND_PATH, body)
    if status != 201 or answer_field(answer, "spent") is not True:
        raise BenchError(f"spending a fresh token answered {status}, not 201: {answer[:300]!r}")
    status, answer = post_json(port, SPEND_PATH, body)
    if status != 409 or answer_field(answer, "error") != "spent":
        raise BenchError(
            f"spending a token twice answered {status}, not 409 spent: {answer[:300]!r}"
        )


def count_spent_tokens(database: Database) -> int:
    with psycopg.connect(database.url) as connection:
        row = connection.execute("SELECT count(*) FROM core_spenttoken").fetchone()
    return int(row[0]) if row else 0


def measure_spending(
    server: Server,
    generator: LoadGenerator,
    setup: TokenSetup,
    database: Database,
    *,
    connections: int,
    seconds: float,
    warmup: float,
) -> SpendResult:
    """Check the spend endpoint, warm it up on its own tokens, then measure it."""
    check_spending(server.port, setup.batch("check").read_bytes().strip())
    url = f"http://{HOST}:{server.port}{SPEND_PATH}"
    busy = busy_cpus()
    if warmup > 0:
        generator.run(url, connections=connections, seconds=warmup, bodies=setup.batch("warmup"))
    meter = CpuMeter(server, database)
    meter.start()
    load = generator.run(
        url, connections=connections, seconds=seconds, bodies=setup.batch("measured")
    )
    cpu = meter.stop(load.requests)
    server.check_alive()
    spent = count_spent_tokens(database)
    if spent < load.status_counts.get("201", 0):
        raise BenchError(
            f"the server answered 201 to {load.status_counts.get('201', 0)} spends, "
            f"but the database holds only {spent} spent tokens"
        )
    return SpendResult(url=url, load=load, spent_in_database=spent, busy_before=busy, cpu=cpu)


def met(condition: bool) -> str:
    return "met" if condition else "NOT met"


def describe_signing(figures: SigningFigures, busy: float | None) -> str:
    sign, raw = figures.blind_sign, figures.raw_private_op
    return (
        f"blind signing, 2048-bit key, 1 core, in-process: blind_rsa.blind_sign "
        f"{sign.per_second:.0f} tokens/s ({sign.microseconds:.0f} µs each, s^e check included)"
        f"  [target ≥ {TARGET_SIGNING_PER_CORE} tokens/s per core: "
        f"{met(sign.per_second >= TARGET_SIGNING_PER_CORE)}]\n"
        f"  raw RSA private-key operation, {figures.library}, private_key.sign(PSS, SHA384): "
        f"{raw.per_second:.0f} ops/s ({raw.microseconds:.0f} µs each)\n"
        f"  blind_sign costs {figures.overhead:.2f} raw operations; "
        f"its s^e mod n check alone takes {figures.e_check.microseconds:.0f} µs\n"
        f"  client side, for information: blind {figures.blind.microseconds:.0f} µs "
        f"({figures.blind.per_second:.0f}/s), finalize {figures.finalize.microseconds:.0f} µs "
        f"({figures.finalize.per_second:.0f}/s)\n"
        f"  (per second of the loop's own CPU time, median of {figures.rounds} rounds of "
        f"{figures.round_seconds:g} s per operation; blind_sign's rounds ranged "
        f"{sign.spread[0]:.0f}-{sign.spread[1]:.0f} tokens/s; by the wall clock, which other "
        f"work slows: blind_sign {sign.wall_per_second:.0f}/s, raw {raw.wall_per_second:.0f}/s"
        f"{describe_busy(busy)})"
    )


def describe_setup(setup: TokenSetup) -> str:
    how = {
        "pss": "prepare + RSA-PSS signature (SHA-384, salt 48) with cryptography",
        "blind": "blind -> blind_sign -> finalize",
    }[setup.method]
    return (
        f"token setup: {sum(setup.batches.values())} distinct tokens for the pulse key of "
        f"{setup.period}, signed with the server's own key ({how}) on {setup.processes} "
        f"processes in {setup.seconds:.1f} s ({setup.signing_seconds:.1f} s signing)"
    )


def describe_spending(
    result: SpendResult, *, postgres: str, generator: str, workers: int, connections: int
) -> str:
    load = result.load
    others = ", ".join(
        f"{status}: {n}" for status, n in load.status_counts.items() if status != "201"
    )
    return (
        f"spending POST {SPEND_PATH}  PostgreSQL {postgres}  granian {workers} workers: "
        f"{load.requests_per_second:.1f} req/s  p50 {load.p50_ms:.2f} ms  "
        f"p99 {load.p99_ms:.2f} ms  201: {result.created}  other statuses: "
        f"{result.other_statuses}{f' ({others})' if others else ''}  "
        f"socket errors: {load.socket_errors}  "
        f"({generator}{' + bench/spend.lua' if generator.startswith('wrk') else ''}, "
        f"{load.requests} requests on {connections} connections in {load.seconds:.1f} s; "
        f"{load.bodies_sent} of {load.bodies_available} tokens sent"
        f"{', RAN OUT OF TOKENS' if load.ran_out_of_bodies else ''}"
        f"{describe_busy(result.busy_before)})"
        f"{describe_cpu(result.cpu, 'spend')}\n"
        + (
            "  [targets not judged: the run had errors]"
            if result.errors
            else f"  [targets: ≥ {TARGET_SPENDS_PER_SECOND} spends/s: "
            f"{met(load.requests_per_second >= TARGET_SPENDS_PER_SECOND)}; "
            f"p99 < {TARGET_SPEND_P99_MS:g} ms: {met(load.p99_ms < TARGET_SPEND_P99_MS)}]"
        )
    )


# --- the run ----------------------------------------------------------------------


def measure_case(
    case: BenchmarkCase,
    server: Server,
    generator: LoadGenerator,
    database: Database,
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
    busy = busy_cpus()
    if warmup > 0:
        generator.run(url, connections=connections, seconds=warmup)
    meter = CpuMeter(server, database)
    meter.start()
    load = generator.run(url, connections=connections, seconds=seconds)
    cpu = meter.stop(load.requests)
    server.check_alive()
    return CaseResult(
        case=case, url=url, page_bytes=len(body), load=load, busy_before=busy, cpu=cpu
    )


def describe(
    result: CaseResult, *, postgres: str, generator: str, workers: int, connections: int
) -> str:
    """The result of a case: one line, and a second with the CPU time per request."""
    load = result.load
    return (
        f"{result.case.name} {result.case.path}  PostgreSQL {postgres}  "
        f"granian {workers} workers: {load.requests_per_second:.1f} req/s  "
        f"p50 {load.p50_ms:.2f} ms  p99 {load.p99_ms:.2f} ms  "
        f"errors {load.socket_errors + load.bad_responses}  "
        f"({generator}, {load.requests} requests on {connections} connections "
        f"in {load.seconds:.1f} s{describe_busy(result.busy_before)})"
        f"{describe_cpu(result.cpu, 'request')}"
    )


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The server and load-generator options every HTTP benchmark takes."""
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
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


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/breakroom_bench",
        help="PostgreSQL database to drop, recreate and use; its name must contain 'bench'",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    add_load_arguments(parser)
    parser.add_argument("--data-dir", type=Path, help="default: a new temporary directory")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the database and data directory afterwards"
    )
    parser.add_argument(
        "--no-tokens", action="store_true", help="skip the blind-signing and spending benchmarks"
    )
    parser.add_argument(
        "--spend-token-rate",
        type=float,
        default=3000.0,
        help="make enough distinct tokens to spend this many per second (3000)",
    )
    parser.add_argument(
        "--token-method",
        choices=["pss", "blind"],
        default="pss",
        help="how the spend tokens are signed: pss (fast, the same signatures) or blind",
    )
    arguments = parser.parse_args(argv)
    for name in (
        "duration",
        "connections",
        "workers",
        "threads",
        "wrk_threads",
        "spend_token_rate",
    ):
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

    # Both token set-up steps use the CPUs flat out, so they run before the server
    # starts: the signing figures are not disturbed by it, nor the server by them.
    signing: SigningFigures | None = None
    signing_busy: float | None = None
    token_setup: TokenSetup | None = None
    if not arguments.no_tokens:
        print("tokens: timing blind signing in this process (about 8 s)", flush=True)
        signing_busy = busy_cpus()
        signing = measure_signing()
        batches = {
            "check": 1,
            "measured": tokens_needed(
                arguments.spend_token_rate, arguments.duration, arguments.connections
            ),
        }
        if arguments.warmup > 0:
            batches["warmup"] = tokens_needed(
                arguments.spend_token_rate, arguments.warmup, arguments.connections
            )
        print(
            f"tokens: signing {sum(batches.values())} spend tokens with the server's key",
            flush=True,
        )
        token_setup = generate_tokens(
            environment, data_dir, batches=batches, method=arguments.token_method
        )

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
            database,
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

    spend: SpendResult | None = None
    if signing is not None and token_setup is not None:
        print(describe_signing(signing, signing_busy), flush=True)
        print(describe_setup(token_setup), flush=True)
        spend = measure_spending(
            server,
            generator,
            token_setup,
            database,
            connections=arguments.connections,
            seconds=arguments.duration,
            warmup=arguments.warmup,
        )
        print(
            describe_spending(
                spend,
                postgres=postgres,
                generator=generator.name,
                workers=arguments.workers,
                connections=arguments.connections,
            ),
            flush=True,
        )

    if arguments.json is not None:
        write_json(
            arguments,
            results,
            postgres=postgres,
            generator=generator,
            server=executable,
            load_before=load_before,
            signing=signing,
            signing_busy=signing_busy,
            token_setup=token_setup,
            spend=spend,
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
    if spend is not None and spend.errors:
        print(
            f"error: spending: {spend.load.socket_errors} socket errors, "
            f"{spend.other_statuses} answers other than 201"
            f"{' and the load generator ran out of tokens' if spend.load.ran_out_of_bodies else ''}"
            " during the run; its figures do not measure spending"
            + (
                " (raise --spend-token-rate above the measured rate)"
                if spend.load.ran_out_of_bodies
                else ""
            ),
            file=sys.stderr,
        )
    return 1 if failed or (spend is not None and spend.errors) else 0


def write_json(
    arguments: argparse.Namespace,
    results: list[CaseResult],
    *,
    postgres: str,
    generator: LoadGenerator,
    server: str,
    load_before: float,
    signing: SigningFigures | None = None,
    signing_busy: float | None = None,
    token_setup: TokenSetup | None = None,
    spend: SpendResult | None = None,
) -> None:
    document: dict[str, object] = {
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
                "busy_cpus_before": result.busy_before,
                "cpu_ms_per_request": asdict(result.cpu) if result.cpu else None,
            }
            for result in results
        ],
    }
    if signing is not None:
        document["blind_signing"] = {
            **asdict(signing),
            "overhead_raw_operations": round(signing.overhead, 3),
            "busy_cpus_before": signing_busy,
            "target_tokens_per_second_per_core": TARGET_SIGNING_PER_CORE,
        }
    if token_setup is not None:
        document["token_setup"] = {
            **asdict(token_setup),
            "directory": str(token_setup.directory),
        }
    if spend is not None:
        document["spending"] = {
            "path": SPEND_PATH,
            **asdict(spend.load),
            "created": spend.created,
            "other_statuses": spend.other_statuses,
            "spent_in_database": spend.spent_in_database,
            "busy_cpus_before": spend.busy_before,
            "cpu_ms_per_request": asdict(spend.cpu) if spend.cpu else None,
            "target_requests_per_second": TARGET_SPENDS_PER_SECOND,
            "target_p99_ms": TARGET_SPEND_P99_MS,
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
