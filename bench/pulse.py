"""The daily check-in on PostgreSQL: check-ins, and the dashboards over 100M answers.

    .venv/bin/python bench/pulse.py
    .venv/bin/python bench/pulse.py --rollup-answers 100000000 --sites 100 \\
        --database-url postgres://postgres@127.0.0.1:5432/breakroom_bench_pulse

Issue 5 ("Speed") asks for at least 1,000 check-ins per second through the real
server on this 2-core machine, token verification included, with p99 below 100 ms;
and, with 100,000,000 answers' worth of rollups, for the site dashboard and the
cross-site dashboard each to answer in under 200 ms. This script measures both and
prints the figures beside the targets; it never fails because a figure is low.

1. Drops and recreates the bench database (its name must contain "bench"), migrates
   it and adds the demo data (bench/run.py's and bench/reports.py's helpers).
2. Makes check-in bodies in this process, with the bench DATABASE_URL and
   BREAKROOM_DATA_DIR the server uses: `ensure_keys` for Durham, today's `pulse`
   key unsealed, and for each body a prepared random message with its RSA-PSS
   signature (SHA-384, MGF1-SHA-384, salt 48) made by `cryptography` with that key
   — exactly what a phone's `finalize` gives and what the server verifies (the
   blinding round trip and the one-token-a-day limit are skipped, as in
   bench/tokens.py). Each body answers today's questions (`todays_questions`) and
   names a department and a shift of Durham; every token is different.
3. Starts `breakroom serve` (granian) with BREAKROOM_TASKS=database, as in
   production: the rollup each check-in queues on commit (at most one per site and
   day every 30 s per worker) goes to the task table instead of running inside the
   request. No task worker runs.
4. POSTs the bodies to /api/v1/sites/durham/pulse/checkin, each exactly once: a
   warm-up, then the measured run. Every 201 must have stored its answers.
5. Generates rollups straight into pulse_rollup with INSERT ... SELECT (secondary
   indexes dropped during the load and built again after it, foreign-key triggers
   skipped for the loading sessions: the rows are valid by construction): --sites
   sites in all (the three demo sites and more, each with seven departments and four
   shifts), every day of the last --days days, that day's three questions, every
   department x shift x value, the counts summing to exactly --rollup-answers; then
   VACUUM ANALYZE and CHECKPOINT. The campaign's questions are moved to start on the
   first of those days.
6. Runs `refresh_dashboards` once for Durham (the background job: Durham's document
   and the cross-site one), timed, then measures GET /s/durham/pulse/, GET /pulse/,
   GET /api/v1/sites/durham/pulse/dashboard and GET /api/v1/pulse/dashboard: one
   connection alone, then --connections at once.

Not generated: the spent tokens of those 100M answers (the participation table
counts them), so the refresh's participation query runs on the few real ones.
The server is stopped, and the database dropped, whatever happens.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import json
import math
import multiprocessing
import os
import secrets
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import reports
import run
from reports import Prepared, busy_cpus, met
from run import BenchError

SITE = "durham"
CHECKIN_PATH = f"/api/v1/sites/{SITE}/pulse/checkin"
SITE_PAGE = f"/s/{SITE}/pulse/"
CAMPAIGN_PAGE = "/pulse/"
SITE_API = f"/api/v1/sites/{SITE}/pulse/dashboard"
CAMPAIGN_API = "/api/v1/pulse/dashboard"
TARGET_CHECKINS_PER_SECOND = 1000
TARGET_CHECKIN_P99_MS = 100.0
TARGET_DASHBOARD_MS = 200.0


# --- check-in bodies --------------------------------------------------------------


def sign_tokens(job: tuple[bytes, str, int]) -> list[str]:
    """`count` tokens of the key, as JSON objects (runs in a worker process)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    from breakroom.core.crypto import blind_rsa
    from breakroom.core.tokens.policy import VARIANT

    private_der, key_id, count = job
    private_key = serialization.load_der_private_key(private_der, password=None)
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise BenchError("the pulse key is not an RSA key")
    variant = blind_rsa.Variant(VARIANT)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=blind_rsa.HASH_LENGTH)
    tokens = []
    for _ in range(count):
        # What the phone blinds is 32 random bytes; prepare puts 32 more before them.
        message = blind_rsa.prepare(secrets.token_bytes(32), variant)
        signature = private_key.sign(message, pss, hashes.SHA384())
        tokens.append(
            json.dumps(
                {
                    "key_id": key_id,
                    "message": base64.b64encode(message).decode("ascii"),
                    "signature": base64.b64encode(signature).decode("ascii"),
                },
                separators=(",", ":"),
            )
        )
    return tokens


@dataclass(frozen=True)
class Bodies:
    files: dict[str, Path]  # batch name -> one body per line
    counts: dict[str, int]
    period: str
    key_id: str
    questions: list[tuple[int, str, list[int]]]  # id, kind, allowed values
    seconds: float
    processes: int


def make_bodies(directory: Path, batches: dict[str, int]) -> Bodies:
    """Sign one token per body with today's pulse key of Durham; write each batch."""
    from django.utils import timezone

    from breakroom.core.models import TokenKey
    from breakroom.core.sealing import open_bytes
    from breakroom.core.tokens.keys import SEAL_PURPOSE, ensure_keys
    from breakroom.core.tokens.policy import period_of
    from breakroom.pulse.queries import todays_questions
    from breakroom.workplaces.models import Site

    started = time.perf_counter()
    site = Site.objects.get(slug=SITE)
    today = timezone.localdate()
    ensure_keys(site_id=site.pk, today=today)
    period = period_of("pulse", today)
    key = TokenKey.objects.get(site_id=site.pk, purpose="pulse", period=period)
    if key.private_key_sealed is None:
        raise BenchError(f"the pulse key of {period} has no private key any more")
    private_der = open_bytes(bytes(key.private_key_sealed), purpose=SEAL_PURPOSE)
    questions = [
        (question.pk, question.kind, list(question.allowed_values()))
        for question in todays_questions(site, today)
    ]
    if not questions:
        raise BenchError("no pulse question is asked today at Durham")
    departments = list(site.departments.values_list("pk", flat=True))
    shifts = list(site.shifts.values_list("pk", flat=True))

    total = sum(batches.values())
    processes = os.cpu_count() or 1
    chunk = 1000
    jobs = [
        (private_der, key.key_id, min(chunk, total - start)) for start in range(0, total, chunk)
    ]
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        tokens = [token for part in pool.map(sign_tokens, jobs) for token in part]

    files: dict[str, Path] = {}
    directory.mkdir(parents=True, exist_ok=True)
    position = 0
    for name, count in batches.items():
        lines = []
        for number in range(position, position + count):
            answers = {
                str(question_id): values[(number + offset) % len(values)]
                for offset, (question_id, _kind, values) in enumerate(questions)
            }
            lines.append(
                f'{{"token":{tokens[number]},"answers":{json.dumps(answers)},'
                f'"department":{departments[number % len(departments)]},'
                f'"shift":{shifts[number % len(shifts)]}}}'
            )
        files[name] = directory / f"checkins-{name}.jsonl"
        files[name].write_text("\n".join(lines) + "\n")
        position += count
    return Bodies(
        files=files,
        counts=dict(batches),
        period=period,
        key_id=key.key_id,
        questions=questions,
        seconds=time.perf_counter() - started,
        processes=processes,
    )


def count_answers() -> int:
    from breakroom.pulse.models import Answer

    return Answer.objects.count()


def check_checkin(port: int, body: bytes, answers: int) -> None:
    """One check-in must be stored (201), and the same token again refused (409 spent)."""
    status, answer = reports.post_json(port, CHECKIN_PATH, body)
    if status != 201 or answer != {"stored": answers}:
        raise BenchError(f"a check-in answered {status}, not 201 stored {answers}: {answer!r}")
    status, answer = reports.post_json(port, CHECKIN_PATH, body)
    if status != 409 or not isinstance(answer, dict) or answer.get("error") != "spent":
        raise BenchError(f"a check-in sent twice answered {status}, not 409 spent: {answer!r}")


# --- rollups ----------------------------------------------------------------------


@dataclass(frozen=True)
class RollupLoad:
    sites: int
    days: int
    rows: int
    answers: int
    seconds: float
    table_rows: int  # the whole table afterwards, the demo's rollups included
    table_answers: int
    size: str


def add_sites(total: int) -> None:
    """Add sites until there are `total`, each with seven departments and four shifts."""
    from breakroom.workplaces.models import Department, DepartmentKind, ShiftPattern, Site

    durham = Site.objects.get(slug=SITE)
    missing = total - Site.objects.count()
    if missing <= 0:
        return
    sites = Site.objects.bulk_create(
        Site(
            employer_id=durham.employer_id,
            name=f"Bench fulfilment centre {number:03d}",
            slug=f"bench-{number:03d}",
            region="Bench",
        )
        for number in range(1, missing + 1)
    )
    kinds = [kind for kind in DepartmentKind if kind != DepartmentKind.OTHER]
    Department.objects.bulk_create(
        Department(site=site, kind=kind) for site in sites for kind in kinds
    )
    ShiftPattern.objects.bulk_create(
        ShiftPattern(site=site, kind=shift.kind, starts_at=shift.starts_at, ends_at=shift.ends_at)
        for site in sites
        for shift in durham.shifts.all()
    )


ROLLUP_INSERT = """
    INSERT INTO pulse_rollup (site_id, day, department_id, shift_id, question_id, value, count)
    SELECT g.site_id, d.day, g.department_id, g.shift_id, d.question_id, d.value,
           %(base)s + CASE WHEN row_number() OVER () <= %(extra)s THEN 1 ELSE 0 END
    FROM unnest(%(days)s::date[], %(questions)s::bigint[], %(values)s::smallint[])
         AS d(day, question_id, value)
    -- Day by day, as the rollup task writes them: the lateral reference keeps the
    -- days the outer loop.
    CROSS JOIN LATERAL (
        SELECT * FROM unnest(%(sites)s::bigint[], %(departments)s::bigint[],
                             %(shifts)s::bigint[]) AS g(site_id, department_id, shift_id)
        WHERE d.day IS NOT NULL
    ) AS g
"""


def add_rollups(*, answers: int, sites: int, days: int, parallel: int = 2) -> RollupLoad:
    """Fill pulse_rollup with `days` days of `sites` sites summing to `answers` answers."""
    from django.db import connection
    from django.utils import timezone

    from breakroom.pulse.models import Question
    from breakroom.pulse.queries import todays_questions
    from breakroom.workplaces.models import Department, ShiftPattern, Site

    started = time.perf_counter()
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=days - 1)
    add_sites(sites)
    # A year of a campaign: its questions were asked every day of it.
    Question.objects.filter(site__isnull=True, starts_on__gt=first_day).update(starts_on=first_day)
    durham = Site.objects.get(slug=SITE)
    expanded: list[tuple[datetime.date, int, int]] = []
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        for question in todays_questions(durham, day):
            if question.site_id is not None:
                raise BenchError("the demo asks site questions; this script expects none")
            expanded += [(day, question.pk, value) for value in question.allowed_values()]
    shifts: dict[int, list[int]] = {}
    for site_id, shift_id in ShiftPattern.objects.values_list("site_id", "pk"):
        shifts.setdefault(site_id, []).append(shift_id)
    grid = sorted(
        (site_id, department_id, shift_id)
        for site_id, department_id in Department.objects.values_list("site_id", "pk")
        for shift_id in shifts.get(site_id, [])
    )
    site_ids = sorted({site_id for site_id, _d, _s in grid})
    parts = [
        [cell for cell in grid if site_ids.index(cell[0]) % parallel == part]
        for part in range(parallel)
    ]
    rows = len(grid) * len(expanded)
    if rows == 0:
        raise BenchError("there is nothing to roll up")
    base, remainder = divmod(answers, rows)
    statements = []
    for cells in parts:
        part_rows = len(cells) * len(expanded)
        extra = min(remainder, part_rows)
        remainder -= extra
        statements.append(
            {
                "base": base,
                "extra": extra,
                "days": [day for day, _q, _v in expanded],
                "questions": [question for _d, question, _v in expanded],
                "values": [value for _d, _q, value in expanded],
                "sites": [site for site, _d, _s in cells],
                "departments": [department for _s, department, _sh in cells],
                "shifts": [shift for _s, _d, shift in cells],
            }
        )
    with reports.without_secondary_indexes("pulse_rollup"):
        reports.in_parallel(
            [
                partial(reports.execute_for_load, ROLLUP_INSERT, statement)
                for statement in statements
            ]
        )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(sum(count), 0) FROM pulse_rollup")
        table_rows, table_answers = cursor.fetchone() or (0, 0)
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('pulse_rollup'))")
        size = str((cursor.fetchone() or ("?",))[0])
    return RollupLoad(
        sites=len(site_ids),
        days=days,
        rows=rows,
        answers=answers,
        seconds=seconds,
        table_rows=int(table_rows),
        table_answers=int(table_answers),
        size=size,
    )


def count_open_sites() -> int:
    from breakroom.workplaces.models import Site, SiteStatus

    return Site.objects.exclude(status=SiteStatus.CLOSED).count()


def refresh() -> tuple[float, dict[str, int]]:
    """Run refresh_dashboards once for Durham, as the rollup task does; time it."""
    from breakroom.pulse.dashboards import refresh_dashboards
    from breakroom.pulse.models import PublishedPulse
    from breakroom.workplaces.models import Site

    site_id = Site.objects.get(slug=SITE).pk
    started = time.perf_counter()
    refresh_dashboards(site_id=site_id)
    seconds = time.perf_counter() - started
    sizes = {
        scope: len(json.dumps(document))
        for scope, document in PublishedPulse.objects.values_list("scope", "document")
    }
    return seconds, sizes


# --- the run ----------------------------------------------------------------------


def tokens_needed(rate: float, seconds: float, connections: int) -> int:
    return math.ceil(rate * math.ceil(seconds)) + connections


def measure(arguments: argparse.Namespace, cleanup: contextlib.ExitStack) -> int:
    prepared: Prepared = reports.prepare(arguments, cleanup)
    reports.setup_django(prepared, BREAKROOM_TASKS="database")

    batches = {
        "check": 1,
        "measured": tokens_needed(arguments.token_rate, arguments.duration, arguments.connections),
    }
    if arguments.warmup > 0:
        batches["warmup"] = tokens_needed(
            arguments.token_rate, arguments.warmup, arguments.connections
        )
    print(
        f"tokens: signing {sum(batches.values())} check-in tokens with the server's key", flush=True
    )
    bodies = make_bodies(prepared.data_dir / "checkins", batches)
    print(
        f"tokens: {sum(bodies.counts.values())} distinct pulse tokens of {bodies.period} for "
        f"{SITE} (prepare + RSA-PSS signature, SHA-384, salt 48, with cryptography) on "
        f"{bodies.processes} processes in {bodies.seconds:.1f} s; each body answers today's "
        f"{len(bodies.questions)} questions ("
        + ", ".join(f"{qid}: {kind}" for qid, kind, _values in bodies.questions)
        + ") and names a department and a shift",
        flush=True,
    )

    extra = {"BREAKROOM_TASKS": "database"}
    server = reports.start_server(prepared, arguments, cleanup, extra)
    reports.print_context(prepared, arguments, server, extra)
    print(
        "  (BREAKROOM_TASKS=database: each check-in's rollup is queued on commit, as in "
        "production, not run in the request; no task worker runs)",
        flush=True,
    )
    check_checkin(server.port, bodies.files["check"].read_bytes().strip(), len(bodies.questions))
    url = f"http://{run.HOST}:{server.port}{CHECKIN_PATH}"
    busy = busy_cpus()
    if arguments.warmup > 0:
        reports.post_bodies(
            prepared.generator,
            url,
            bodies.files["warmup"],
            once=True,
            connections=arguments.connections,
            seconds=arguments.warmup,
        )
    before = count_answers()
    posted = reports.post_bodies(
        prepared.generator,
        url,
        bodies.files["measured"],
        once=True,
        connections=arguments.connections,
        seconds=arguments.duration,
    )
    server.check_alive()
    stored = count_answers() - before
    created = posted.count(201)
    print(
        reports.describe_posted(
            f"check-ins POST {CHECKIN_PATH} on {arguments.connections} connections, "
            f"{arguments.duration:g} s after {arguments.warmup:g} s of warm-up, a new token each",
            posted,
            created=created,
            busy=busy,
        )
        + f"\n  {posted.sent} of {posted.available} bodies sent; {stored} answers stored "
        f"({len(bodies.questions)} per check-in)",
        flush=True,
    )
    if stored < created * len(bodies.questions):
        raise BenchError(
            f"the server answered 201 to {created} check-ins but stored only {stored} answers"
        )
    checkin_errors = posted.other_than(201) + posted.load.socket_errors + int(posted.ran_out)
    print(
        "  [targets not judged: the run had errors"
        + (" (ran out of bodies: raise --token-rate)" if posted.ran_out else "")
        + "]"
        if checkin_errors
        else f"  [targets: ≥ {TARGET_CHECKINS_PER_SECOND} check-ins/s: "
        f"{met(posted.load.requests_per_second >= TARGET_CHECKINS_PER_SECOND)}; "
        f"p99 < {TARGET_CHECKIN_P99_MS:g} ms: {met(posted.load.p99_ms < TARGET_CHECKIN_P99_MS)}]",
        flush=True,
    )

    print(
        f"rollups: generating {arguments.rollup_answers} answers' worth over {arguments.sites} "
        f"sites and {arguments.days} days",
        flush=True,
    )
    load = add_rollups(answers=arguments.rollup_answers, sites=arguments.sites, days=arguments.days)
    print(
        f"rollups: {load.rows} rows for {load.answers} answers ({load.sites} sites x "
        f"{load.days} days x 3 questions a day x departments x shifts x values; "
        f"{load.answers / load.rows:.1f} answers a row) in {load.seconds:.1f} s (indexes "
        f"rebuilt, VACUUM ANALYZE and CHECKPOINT included); pulse_rollup now holds "
        f"{load.table_rows} rows counting {load.table_answers} answers ({load.size} with its "
        "indexes)",
        flush=True,
    )
    refresh_seconds, sizes = refresh()
    print(
        f"dashboards refresh (refresh_dashboards for {SITE}, the background job: its "
        f"document and the cross-site one), once: {refresh_seconds * 1000:.0f} ms; stored "
        + ", ".join(f"{scope} {size} bytes" for scope, size in sorted(sizes.items()))
        + " of JSON",
        flush=True,
    )

    open_sites = count_open_sites()

    def page_check(expected: str) -> Callable[[bytes], str | None]:
        def check(body: bytes) -> str | None:
            text = body.decode(errors="replace")
            if expected not in text:
                return f"the page does not contain {expected!r}"
            if "No answers have been counted yet" in text:
                return "the page shows no figures"
            return None

        return check

    def api_check(scope: str) -> Callable[[bytes], str | None]:
        def check(body: bytes) -> str | None:
            try:
                document = json.loads(body)
            except ValueError:
                return "the answer is not JSON"
            if document.get("scope") != scope or not document.get("questions"):
                return f"not the published {scope} dashboard"
            if scope == "campaign" and len(document.get("sites", {})) != open_sites:
                return f"the cross-site dashboard has {len(document['sites'])} sites"
            return None

        return check

    results = []
    for path, check in (
        (SITE_PAGE, page_check("Daily check-in at Durham")),
        (CAMPAIGN_PAGE, page_check("Daily check-in across all sites")),
        (SITE_API, api_check(SITE)),
        (CAMPAIGN_API, api_check("campaign")),
    ):
        result = reports.measure_page(
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
            reports.describe_page(
                result, target_ms=TARGET_DASHBOARD_MS, generator=prepared.generator.name
            ),
            flush=True,
        )
    failed = checkin_errors or any(result.errors for result in results)
    if failed:
        print(
            "error: requests failed during a run; those figures do not measure it",
            file=sys.stderr,
        )
    return 1 if failed else 0


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    reports.add_common_arguments(parser, "breakroom_bench_pulse")
    parser.add_argument(
        "--token-rate",
        type=float,
        default=3000.0,
        help="make enough distinct tokens for this many check-ins per second (3000)",
    )
    parser.add_argument(
        "--rollup-answers",
        type=int,
        default=100_000_000,
        help="answers the generated rollups count in all (100000000)",
    )
    parser.add_argument(
        "--sites", type=int, default=100, help="sites in all, the three demo sites included"
    )
    parser.add_argument("--days", type=int, default=365, help="days of rollups, up to today")
    arguments = parser.parse_args(argv)
    reports.check_positive(parser, arguments)
    for name in ("token_rate", "days"):
        if getattr(arguments, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    return reports.main_with_cleanup(measure, parse_arguments(argv))


if __name__ == "__main__":
    sys.exit(main())
