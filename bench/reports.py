"""Anonymous reports on PostgreSQL: sending them, and the figures page over a million.

    .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --reports 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/breakroom_bench_reports

Issue 4 ("Speed") asks for at least 200 reports per second through the real server on
this 2-core machine, with the receipt-code hashing and the sealing in the path, and
for the site's figures page to answer in under 100 ms with 1,000,000 reports in the
database. This script measures both and prints the figures beside the targets; it
never fails because a figure is low.

1. Drops and recreates the bench database (its name must contain "bench"), migrates
   it and adds the demo data, as bench/run.py does (its functions are reused).
2. Times the receipt-code hash (`breakroom.core.receipts.code_secrets`: Argon2id with
   the server's RECEIPT_ARGON2_* settings) in this process, on one core, and a whole
   `do_send_report` without HTTP, before the server starts.
3. Starts `breakroom serve` (granian) with the per-sender and per-site report limits
   raised out of the way (BREAKROOM_REPORT_LIMIT_* = 100000000: every request comes
   from 127.0.0.1) and BREAKROOM_TASKS=database, as in production, so the figures
   refresh that each report queues goes to the task table instead of running inside
   the request. No task worker runs.
4. POSTs `{"category": "pay", "body": ...}` to /api/v1/sites/durham/reports on every
   connection, one request after another: a warm-up, then the measured run. Every
   201 is a new report with its own receipt code; the database must hold them all.
5. Adds --reports reports to Durham with one INSERT ... SELECT generate_series (the
   table's secondary indexes dropped during the load and built again after it,
   foreign-key triggers skipped for the loading sessions: the rows are valid by
   construction), then VACUUM ANALYZE and CHECKPOINT. Every row carries the same
   sealed body; receipt lookups are distinct (sha256 of the row number); weeks
   spread over the last six months, categories over all ten.
6. Runs the figures refresh once (`refresh_published_figures`, the background job),
   timed, then measures GET /s/durham/ and GET /api/v1/sites/durham/report-figures:
   one connection alone (the time one request takes), then --connections at once
   (throughput, with queueing in the latencies).

The server is stopped, and the database dropped, whatever happens. bench/pulse.py
imports the shared helpers from here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import run
from run import BenchError, Database, LoadGenerator, LoadResult, Server

BENCH_DIRECTORY = Path(__file__).resolve().parent
POST_LUA = BENCH_DIRECTORY / "post.lua"
SITE = "durham"
RAISED_LIMIT = "100000000"


# --- shared by bench/reports.py and bench/pulse.py ---------------------------------


# Shared with the page and token benchmarks.
met = run.met
busy_cpus = run.busy_cpus
describe_busy = run.describe_busy


@dataclass(frozen=True)
class Prepared:
    """A migrated bench database with the demo data, and how to run `breakroom` on it."""

    database: Database
    postgres: str
    data_dir: Path
    environment: dict[str, str]  # of every `breakroom` command and of this process
    executable: str
    generator: LoadGenerator
    load_before: float


def prepare(arguments: argparse.Namespace, cleanup: contextlib.ExitStack) -> Prepared:
    """Recreate the bench database, migrate it, seed the demo and collect static files.

    Registers the database's drop (and the data directory's removal) with `cleanup`.
    """
    database = run.parse_database_url(arguments.database_url)
    load_before = os.getloadavg()[0]
    generator = run.choose_load_generator(arguments.load_generator, arguments.wrk_threads)
    executable = run.breakroom_executable()
    data_dir = Path(tempfile.mkdtemp(prefix="breakroom-bench-"))
    if arguments.keep_db:
        cleanup.callback(print, f"kept database {database.name!r} and data in {data_dir}")
    else:
        cleanup.callback(shutil.rmtree, data_dir, ignore_errors=True)
    print(f"database: recreating {database.name!r}", flush=True)
    postgres = run.recreate_database(database)
    if not arguments.keep_db:
        cleanup.callback(run.drop_database, database)
        # Django's connections in this process must be gone before the drop; the
        # drop forces any other out.
        cleanup.callback(close_django_connections)
    environment = run.server_environment(database, data_dir)
    # The demo's figures and dashboards are computed by tasks: run them at once here.
    environment.pop("BREAKROOM_TASKS", None)
    started = time.perf_counter()
    for command in (["migrate", "--no-input"], ["seed-demo"], ["collectstatic", "--no-input"]):
        run.run_command([executable, *command], environment)
    print(
        f"database: migrated, demo data and static files in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return Prepared(
        database=database,
        postgres=postgres,
        data_dir=data_dir,
        environment=environment,
        executable=executable,
        generator=generator,
        load_before=load_before,
    )


def setup_django(prepared: Prepared, **extra: str) -> None:
    """Make this process a Django process on the bench database, with the server's settings."""
    os.environ.update(prepared.environment)
    os.environ.update(extra)
    import django

    django.setup()


def close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def start_server(
    prepared: Prepared,
    arguments: argparse.Namespace,
    cleanup: contextlib.ExitStack,
    extra: dict[str, str],
) -> Server:
    environment = {**prepared.environment, **extra}
    server = run.start_server(
        prepared.executable,
        environment,
        prepared.data_dir,
        workers=arguments.workers,
        threads=arguments.threads,
    )
    cleanup.callback(server.stop)
    server.wait_until_answering(arguments.startup_timeout)
    return server


def print_context(
    prepared: Prepared, arguments: argparse.Namespace, server: Server, extra: dict[str, str]
) -> None:
    print(
        f"server: {run.granian_version(prepared.executable)}, {arguments.workers} workers x "
        f"{arguments.threads} threads, http://{run.HOST}:{server.port}/, with "
        + " ".join(f"{name}={value}" for name, value in extra.items())
        + f"\ndatabase: PostgreSQL {prepared.postgres} ({prepared.database.name})"
        f"\nload generator: {prepared.generator.name}"
        f"\nmachine: {os.cpu_count()} CPUs, {platform.platform()}, load average "
        f"{prepared.load_before:.2f} before the run; the load generator, the server and "
        "PostgreSQL share the CPUs"
        f"\ncode: {run.git_revision()}",
        flush=True,
    )


def add_common_arguments(parser: argparse.ArgumentParser, database: str) -> None:
    parser.add_argument(
        "--database-url",
        default=f"postgres://postgres@127.0.0.1:5432/{database}",
        help="PostgreSQL database to drop, recreate and use; its name must contain 'bench'",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of measured POSTs")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument(
        "--page-duration", type=float, default=5.0, help="seconds per page measurement"
    )
    run.add_load_arguments(parser)
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the database and data directory afterwards"
    )


def check_positive(parser: argparse.ArgumentParser, arguments: argparse.Namespace) -> None:
    for name, value in vars(arguments).items():
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            parser.error(f"--{name.replace('_', '-')} must not be negative")
    for name in ("duration", "page_duration", "connections", "workers", "threads"):
        if getattr(arguments, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")


def main_with_cleanup(
    body: Callable[[argparse.Namespace, contextlib.ExitStack], int], arguments: argparse.Namespace
) -> int:
    signal.signal(signal.SIGTERM, run.stop_on_sigterm)
    try:
        with contextlib.ExitStack() as cleanup:
            return body(arguments, cleanup)
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 2


# --- POSTing bodies ---------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    """A timed run of POSTs: the load generator's figures and every status."""

    load: LoadResult
    statuses: dict[str, int]
    generator: str
    sent: int
    available: int
    ran_out: bool

    def count(self, status: int) -> int:
        return self.statuses.get(str(status), 0)

    def other_than(self, status: int) -> int:
        return sum(n for code, n in self.statuses.items() if code != str(status))


def post_bodies(
    generator: LoadGenerator,
    url: str,
    bodies: Path,
    *,
    once: bool,
    connections: int,
    seconds: float,
) -> Posted:
    """POST the lines of `bodies` for `seconds`: each line once, or over and over."""
    if isinstance(generator, run.Wrk):
        return _post_with_wrk(
            generator, url, bodies, once=once, connections=connections, seconds=seconds
        )
    return asyncio.run(
        _post_with_asyncio(url, bodies, once=once, connections=connections, seconds=seconds)
    )


def _post_with_wrk(
    wrk: run.Wrk, url: str, bodies: Path, *, once: bool, connections: int, seconds: float
) -> Posted:
    threads = min(wrk.threads, connections)
    command = [
        wrk.executable,
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--latency",
        "--script",
        str(POST_LUA),
        url,
        "--",
        str(bodies),
        str(threads),
        "once" if once else "cycle",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BenchError(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
    output = completed.stdout
    statuses = {
        match[1]: int(match[2])
        for match in re.finditer(r"^post\.lua status (\d+) (\d+)$", output, re.MULTILINE)
    }
    counted = re.search(r"^post\.lua bodies (\d+) (\d+)$", output, re.MULTILINE)
    exhausted = re.search(r"^post\.lua exhausted (\d+)$", output, re.MULTILINE)
    if counted is None or exhausted is None:
        raise BenchError(f"bench/post.lua printed no summary:\n{output}")
    load = dataclasses.replace(
        run.parse_wrk_output(output), status_counts=dict(sorted(statuses.items()))
    )
    return Posted(
        load=load,
        statuses=dict(sorted(statuses.items())),
        generator=f"{wrk.name} + bench/post.lua",
        sent=int(counted[1]),
        available=int(counted[2]),
        ran_out=int(exhausted[1]) > 0,
    )


async def _post_with_asyncio(
    url: str, bodies: Path, *, once: bool, connections: int, seconds: float
) -> Posted:
    """The built-in client: one event loop, one coroutine per keep-alive connection."""
    parts = urlsplit(url)
    host, port = parts.hostname or run.HOST, parts.port or 80
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n"
    )
    requests = [
        head.format(len(line)).encode() + line for line in bodies.read_bytes().splitlines() if line
    ]
    taken = 0
    ran_out = False

    def next_request() -> bytes | None:
        nonlocal taken, ran_out
        if once and taken == len(requests):
            ran_out = True
            return None
        taken += 1
        return requests[(taken - 1) % len(requests)]

    tally = run.ClientTally()
    started = time.perf_counter()
    deadline = started + seconds
    async with asyncio.TaskGroup() as group:
        for _ in range(connections):
            group.create_task(run.drive_connection(host, port, next_request, deadline, 2.0, tally))
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies_ns)
    statuses = {str(status): n for status, n in sorted(tally.statuses.items())}
    load = LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        requests_per_second=len(latencies) / elapsed,
        p50_ms=run.percentile_ms(latencies, 50),
        p90_ms=run.percentile_ms(latencies, 90),
        p99_ms=run.percentile_ms(latencies, 99),
        max_ms=run.percentile_ms(latencies, 100),
        socket_errors=tally.socket_errors,
        bad_responses=sum(n for status, n in tally.statuses.items() if not 200 <= status < 300),
        bad_response_rule="status not 2xx",
        status_counts=statuses,
    )
    return Posted(
        load=load,
        statuses=statuses,
        generator=f"built-in asyncio client (Python {platform.python_version()})",
        sent=taken,
        available=len(requests),
        ran_out=ran_out,
    )


def post_json(port: int, path: str, body: bytes) -> tuple[int, Any]:
    """POST one JSON body; return the status and the decoded answer (None if not JSON)."""
    status, answer = run_post(port, path, body)
    try:
        return status, json.loads(answer)
    except ValueError:
        return status, None


def run_post(port: int, path: str, body: bytes) -> tuple[int, bytes]:
    import http.client

    connection = http.client.HTTPConnection(run.HOST, port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def describe_posted(name: str, posted: Posted, *, created: int, busy: float | None) -> str:
    load = posted.load
    others = ", ".join(f"{code}: {n}" for code, n in posted.statuses.items() if code != "201")
    return (
        f"{name}: {load.requests_per_second:.1f} req/s  p50 {load.p50_ms:.2f} ms  "
        f"p99 {load.p99_ms:.2f} ms  (max {load.max_ms:.0f} ms)  201: {created}  "
        f"non-201: {posted.other_than(201)}{f' ({others})' if others else ''}  "
        f"socket errors: {load.socket_errors}  ({posted.generator}, {load.requests} requests "
        f"in {load.seconds:.1f} s{', RAN OUT OF BODIES' if posted.ran_out else ''}"
        f"{describe_busy(busy)})"
    )


# --- GETting pages ----------------------------------------------------------------


@dataclass(frozen=True)
class PageResult:
    path: str
    page_bytes: int
    alone: LoadResult  # one connection: what one request costs
    loaded: LoadResult  # --connections at once: throughput, latencies with queueing
    connections: int
    busy: float | None

    @property
    def errors(self) -> int:
        return sum(load.socket_errors + load.bad_responses for load in (self.alone, self.loaded))


def measure_page(
    server: Server,
    generator: LoadGenerator,
    path: str,
    check: Callable[[bytes], str | None],
    *,
    connections: int,
    seconds: float,
    warmup: float,
) -> PageResult:
    """Check one GET (`check` returns what is wrong, or None), warm up, then measure
    with one connection and with `connections`."""
    status, body = run.fetch(server.port, path, timeout=30)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}, not 200")
    problem = check(body)
    if problem is not None:
        raise BenchError(f"GET {path}: {problem}")
    url = f"http://{run.HOST}:{server.port}{path}"
    busy = busy_cpus()
    if warmup > 0:
        generator.run(url, connections=connections, seconds=warmup)
    alone = generator.run(url, connections=1, seconds=seconds)
    loaded = generator.run(url, connections=connections, seconds=seconds)
    server.check_alive()
    return PageResult(
        path=path,
        page_bytes=len(body),
        alone=alone,
        loaded=loaded,
        connections=connections,
        busy=busy,
    )


def describe_page(result: PageResult, *, target_ms: float, generator: str) -> str:
    alone, loaded = result.alone, result.loaded
    return (
        f"GET {result.path} ({result.page_bytes} bytes)\n"
        f"  1 connection:   {alone.requests_per_second:7.1f} req/s  p50 {alone.p50_ms:7.2f} ms  "
        f"p99 {alone.p99_ms:7.2f} ms  errors {alone.socket_errors + alone.bad_responses}  "
        f"({alone.requests} requests in {alone.seconds:.1f} s)\n"
        f"  {result.connections} connections: {loaded.requests_per_second:7.1f} req/s  "
        f"p50 {loaded.p50_ms:7.2f} ms  p99 {loaded.p99_ms:7.2f} ms  "
        f"errors {loaded.socket_errors + loaded.bad_responses}  ({loaded.requests} requests "
        f"in {loaded.seconds:.1f} s; {generator}{describe_busy(result.busy)})\n"
        f"  [target < {target_ms:g} ms: one request alone p99 {met(alone.p99_ms < target_ms)} "
        f"(p50 {met(alone.p50_ms < target_ms)}); with {result.connections} connections "
        f"queueing on 2 CPUs p99 {met(loaded.p99_ms < target_ms)} "
        f"(p50 {met(loaded.p50_ms < target_ms)})]"
    )


# --- bulk loading -----------------------------------------------------------------


def in_parallel(jobs: Sequence[Callable[[], object]]) -> None:
    """Run each job in a thread of its own, with its own database connection."""
    from django.db import connection

    def job_then_close(job: Callable[[], object]) -> None:
        try:
            job()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        for future in [pool.submit(job_then_close, job) for job in jobs]:
            future.result()


def execute_for_load(statement: str, parameters: Mapping[str, Any]) -> None:
    """Run one statement as a bulk-loading session: no foreign-key triggers, no waiting
    for the WAL flush. The rows the bench writes are valid by construction."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(statement, parameters)


@contextlib.contextmanager
def without_secondary_indexes(table: str, parallel: int = 2) -> Iterator[None]:
    """Drop `table`'s indexes but its primary key for a bulk load, then build them again
    (the same names and definitions) `parallel` at a time, VACUUM ANALYZE the table and
    checkpoint (CHECKPOINT needs a superuser or pg_checkpoint, as the bench role is)."""
    from django.db import connection

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
            [table],
        )
        constraints: list[tuple[str, str]] = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
            [table],
        )
        indexes: list[tuple[str, str]] = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    builds = [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        for name, definition in constraints
    ] + [definition for _name, definition in indexes]

    def build(statements: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for statement in statements:
                cursor.execute(statement)

    in_parallel([partial(build, builds[start::parallel]) for start in range(parallel)])
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {quote(table)}")
        # Write the load out now, so that no checkpoint of it falls in a measurement.
        cursor.execute("CHECKPOINT")


# --- the receipt-code hash --------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    per_call_ms: float  # median over the rounds
    spread_ms: tuple[float, float]  # fastest and slowest round
    calls: int


def time_calls(
    call: Callable[[int], object], *, rounds: int = 5, round_seconds: float = 0.3
) -> Timed:
    """Call `call(i)` one after another in rounds of at least `round_seconds`."""
    per_call: list[float] = []
    calls = 0
    for _round in range(rounds):
        done = 0
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < round_seconds or done == 0:
            call(calls + done)
            done += 1
        per_call.append(elapsed / done * 1000)
        calls += done
    return Timed(
        per_call_ms=statistics.median(per_call),
        spread_ms=(min(per_call), max(per_call)),
        calls=calls,
    )


@dataclass(frozen=True)
class ReceiptCost:
    time_cost: int
    memory_kib: int
    hash: Timed
    send: Timed  # a whole do_send_report, in this process, without HTTP


def measure_receipt_cost() -> ReceiptCost:
    """Time `code_secrets` (Argon2id, the server's settings) and `do_send_report`."""
    from django.conf import settings

    from breakroom.core.receipts import code_secrets, new_code
    from breakroom.voice.actions import do_send_report
    from breakroom.voice.models import Category
    from breakroom.workplaces.models import Site

    codes = [new_code() for _ in range(256)]
    hashed = time_calls(lambda i: code_secrets(codes[i % len(codes)]))
    site = Site.objects.get(slug=SITE)
    sent = time_calls(
        lambda i: do_send_report(site=site, category=Category.PAY, body=REPORT_TEXT),
        rounds=3,
        round_seconds=0.5,
    )
    return ReceiptCost(
        time_cost=settings.RECEIPT_ARGON2_TIME_COST,
        memory_kib=settings.RECEIPT_ARGON2_MEMORY_KIB,
        hash=hashed,
        send=sent,
    )


def describe_receipt_cost(cost: ReceiptCost, busy: float | None) -> str:
    per_core = 1000 / cost.hash.per_call_ms
    cores = os.cpu_count() or 1
    return (
        f"receipt-code hash, in this process on one core: code_secrets (Argon2id "
        f"RECEIPT_ARGON2_TIME_COST={cost.time_cost} RECEIPT_ARGON2_MEMORY_KIB={cost.memory_kib} "
        f"parallelism 1) {cost.hash.per_call_ms:.2f} ms each ({per_core:.0f}/s per core, "
        f"so hashing alone caps {cores} cores at {per_core * cores:.0f} reports/s; rounds "
        f"{cost.hash.spread_ms[0]:.2f}-{cost.hash.spread_ms[1]:.2f} ms)\n"
        f"  a whole do_send_report in this process, one after another, no HTTP: "
        f"{cost.send.per_call_ms:.2f} ms each ({1000 / cost.send.per_call_ms:.0f}/s on one "
        f"core; {cost.send.calls} reports){describe_busy(busy)}"
    )


# --- reports ----------------------------------------------------------------------

SEND_PATH = f"/api/v1/sites/{SITE}/reports"
PAGE_PATH = f"/s/{SITE}/"
FIGURES_PATH = f"/api/v1/sites/{SITE}/report-figures"
TARGET_REPORTS_PER_SECOND = 200
TARGET_PAGE_MS = 100.0
REPORT_TEXT = (
    "Our pay slip for last week is short again: the overtime we were told was mandatory "
    "on Thursday and Friday is missing, and the night premium was paid at the day rate. "
    "Three of us on the pick floor checked ours and all three are wrong the same way. "
    "When we asked, the manager told us to raise it through the app and wait a month."
)
CATEGORIES = (
    "bullying",
    "overtime",
    "surveillance",
    "targets",
    "safety",
    "pay",
    "breaks",
    "scheduling",
    "discrimination",
    "other",
)


def check_sending(port: int, body: bytes) -> None:
    status, answer = post_json(port, SEND_PATH, body)
    code = answer.get("receipt_code") if isinstance(answer, dict) else None
    if status != 201 or not isinstance(code, str) or len(code.split()) != 7:
        raise BenchError(f"sending a report answered {status}, not 201 with a code: {answer!r}")


def count_reports() -> int:
    from breakroom.voice.models import Report

    return Report.objects.count()


def add_reports(count: int, *, parallel: int = 2) -> float:
    """Add `count` reports to Durham with INSERT ... SELECT; return the seconds it took."""
    from django.utils import timezone

    from breakroom.voice.actions import week_of
    from breakroom.voice.sealing import new_report_key, seal_key_with, seal_with
    from breakroom.workplaces.models import Site

    site = Site.objects.get(slug=SITE)
    departments = list(site.departments.values_list("pk", flat=True))
    shifts = list(site.shifts.values_list("pk", flat=True))
    # One real sealed text and one real sealed key, shared by every row.
    report_key = new_report_key()
    body_sealed = seal_with(report_key, REPORT_TEXT)
    key_sealed = seal_key_with(new_report_key(), report_key)
    this_week = week_of(timezone.localdate())
    # Weeks: the 26 Mondays up to this one. Departments and shifts: a row's own, or
    # none (both are optional) one time in three.
    statement = """
        INSERT INTO voice_report (id, site_id, category, frequency, department_id, shift_id,
                                  week, status, body_sealed, receipt_lookup,
                                  key_sealed_for_receipt)
        SELECT gen_random_uuid(), %(site)s,
               (%(categories)s::text[])[1 + floor(random() * %(category_count)s)::int],
               (ARRAY['once', 'sometimes', 'often', 'every_shift'])[1 + i %% 4],
               CASE WHEN random() < 0.67
                    THEN (%(departments)s::bigint[])
                         [1 + floor(random() * %(department_count)s)::int]
               END,
               CASE WHEN random() < 0.67
                    THEN (%(shifts)s::bigint[])[1 + floor(random() * %(shift_count)s)::int]
               END,
               %(this_week)s::date - 7 * floor(random() * 26)::int,
               (ARRAY['new', 'new', 'acknowledged', 'acting', 'resolved'])[1 + i %% 5],
               %(body)s, encode(sha256(int8send(i)), 'hex'), %(key)s
        FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i
    """
    common = {
        "site": site.pk,
        "categories": list(CATEGORIES),
        "category_count": len(CATEGORIES),
        "departments": departments,
        "department_count": len(departments),
        "shifts": shifts,
        "shift_count": len(shifts),
        "this_week": this_week,
        "body": body_sealed,
        "key": key_sealed,
    }
    # The receipt lookups of the demo's reports are hex Argon2 digests; these are
    # sha256 digests of row numbers, so none can collide.
    bounds = [
        (count * part // parallel + 1, count * (part + 1) // parallel) for part in range(parallel)
    ]
    started = time.perf_counter()
    with without_secondary_indexes("voice_report"):
        in_parallel(
            [
                partial(execute_for_load, statement, {**common, "first": first, "last": last})
                for first, last in bounds
                if last >= first
            ]
        )
    return time.perf_counter() - started


def refresh_figures() -> tuple[float, dict[str, Any]]:
    """Run the figures refresh once, as the background job does; time it."""
    from django.db import transaction

    from breakroom.voice.figures import refresh_published_figures
    from breakroom.workplaces.models import Site

    site_id = Site.objects.get(slug=SITE).pk
    started = time.perf_counter()
    with transaction.atomic():
        document = refresh_published_figures(site_id=site_id)
    return time.perf_counter() - started, document


def measure(arguments: argparse.Namespace, cleanup: contextlib.ExitStack) -> int:
    prepared = prepare(arguments, cleanup)
    # The figures refresh each report queues goes to the task table, as in production.
    setup_django(prepared, BREAKROOM_TASKS="database")

    print("receipt codes: timing the hash and a whole do_send_report in this process", flush=True)
    busy = busy_cpus()
    cost = measure_receipt_cost()
    print(describe_receipt_cost(cost, busy), flush=True)

    extra = {
        "BREAKROOM_REPORT_LIMIT_PER_SOURCE": RAISED_LIMIT,
        "BREAKROOM_REPORT_LIMIT_PER_SOURCE_WITHOUT_JS": RAISED_LIMIT,
        "BREAKROOM_REPORT_LIMIT_PER_SITE": RAISED_LIMIT,
        "BREAKROOM_TASKS": "database",
    }
    server = start_server(prepared, arguments, cleanup, extra)
    print_context(prepared, arguments, server, extra)
    print(
        "  (the report limits are raised because every request comes from 127.0.0.1; "
        "BREAKROOM_TASKS=database queues each figures refresh, as in production, and no "
        "task worker runs)",
        flush=True,
    )

    body = json.dumps({"category": "pay", "body": REPORT_TEXT}).encode()
    bodies = prepared.data_dir / "report-bodies.jsonl"
    bodies.write_bytes(body + b"\n")
    check_sending(server.port, body)
    before = count_reports()
    url = f"http://{run.HOST}:{server.port}{SEND_PATH}"
    busy = busy_cpus()
    if arguments.warmup > 0:
        post_bodies(
            prepared.generator,
            url,
            bodies,
            once=False,
            connections=arguments.connections,
            seconds=arguments.warmup,
        )
    warm = count_reports()
    posted = post_bodies(
        prepared.generator,
        url,
        bodies,
        once=False,
        connections=arguments.connections,
        seconds=arguments.duration,
    )
    server.check_alive()
    stored = count_reports() - warm
    created = posted.count(201)
    print(
        describe_posted(
            f"sending reports POST {SEND_PATH} {{category: pay, body: {len(REPORT_TEXT)} "
            f"characters}} on {arguments.connections} connections, {arguments.duration:g} s "
            f"after {arguments.warmup:g} s of warm-up",
            posted,
            created=created,
            busy=busy,
        ),
        flush=True,
    )
    send_errors = posted.other_than(201) + posted.load.socket_errors
    if stored < created:
        raise BenchError(f"the server answered 201 {created} times, but stored {stored} reports")
    print(
        f"  stored in the database: {stored} new reports (warm-up: {warm - before})\n"
        + (
            "  [target not judged: the run had errors]"
            if send_errors
            else f"  [target ≥ {TARGET_REPORTS_PER_SECOND} reports/s: "
            f"{met(posted.load.requests_per_second >= TARGET_REPORTS_PER_SECOND)}]"
        )
        + f"\n  one receipt-code hash: {cost.hash.per_call_ms:.2f} ms on one core (Argon2id "
        f"time cost {cost.time_cost}, {cost.memory_kib} KiB, measured above)",
        flush=True,
    )

    print(
        f"reports: adding {arguments.reports} reports to {SITE} with INSERT ... SELECT", flush=True
    )
    seconds = add_reports(arguments.reports)
    total = count_reports()
    print(
        f"reports: {arguments.reports} added in {seconds:.1f} s (indexes rebuilt, VACUUM "
        f"ANALYZE and CHECKPOINT included); the database holds {total} reports",
        flush=True,
    )
    refresh_seconds, document = refresh_figures()
    published = document["total"]
    print(
        f"figures refresh (refresh_published_figures, the background job), once: "
        f"{refresh_seconds * 1000:.0f} ms; it published a total of {published} reports "
        f"over {len(document['months'])} months (k = {document['k']})",
        flush=True,
    )

    def page_check(body: bytes) -> str | None:
        text = body.decode(errors="replace")
        if "Durham" not in text or "report-figures" not in text:
            return "the page does not show Durham's report figures"
        if published is not None and f">{published}<" not in text:
            return f"the page does not show the published total {published}"
        return None

    def api_check(body: bytes) -> str | None:
        try:
            answer = json.loads(body)
        except ValueError:
            return "the answer is not JSON"
        if answer.get("total") != published:
            return f"total is {answer.get('total')!r}, not {published!r}"
        return None

    results = []
    for path, check in ((PAGE_PATH, page_check), (FIGURES_PATH, api_check)):
        result = measure_page(
            server,
            prepared.generator,
            path,
            check,
            connections=arguments.connections,
            seconds=arguments.page_duration,
            warmup=min(arguments.warmup, 2.0),
        )
        results.append(result)
        print(
            describe_page(result, target_ms=TARGET_PAGE_MS, generator=prepared.generator.name),
            flush=True,
        )
    failed = send_errors or posted.ran_out or any(result.errors for result in results)
    if failed:
        print(
            "error: requests failed during a run; those figures do not measure it", file=sys.stderr
        )
    return 1 if failed else 0


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    add_common_arguments(parser, "breakroom_bench_reports")
    parser.add_argument(
        "--reports", type=int, default=1_000_000, help="reports to add for the figures page"
    )
    arguments = parser.parse_args(argv)
    check_positive(parser, arguments)
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    return main_with_cleanup(measure, parse_arguments(argv))


if __name__ == "__main__":
    sys.exit(main())
