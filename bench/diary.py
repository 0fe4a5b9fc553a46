"""How fast the diary's rules engine checks worker-years (issue 6: "Speed").

    .venv/bin/python bench/diary.py [--worker-years 100000] [--processes 2] [--pure]

Targets: one worker-year (about 250 shifts) in under 5 ms; 100,000 worker-years (a
national campaign's reps' spreadsheets) in under a minute on this 2-core machine.

Each worker-year is a different, realistic diary made from a seed: a picker on four
10-hour nights a week (or five 8-hour days), with walking and screening time on
every shift, 5.6 weeks of leave (4 of them basic leave, excluded from the 48-hour
average), a few sick days, and a peak season of extra nights and mandatory extra
time - so the checks do real work and find some breaches.

What is timed is `check_diary` alone: building the diaries (what a CSV parser or
the database would hand over) is not. The single-worker-year figure is the best of
seven rounds, each the mean over 40 different worker-years (timeit's convention: on
a shared machine it is the figure least disturbed by other programs), printed with
the median wall-clock and CPU time of a single check.

The 100,000 figure spreads the worker-years over `--processes` processes in small
chunks; each process sums the wall-clock (and CPU) time of its own `check_diary`
calls, and the figure is the total divided by the number of processes: the
wall-clock time the checks took on that many cores. The time of the whole run,
diary-making included, is printed beside it. With fewer worker-years than 100,000
the 100,000 figure is extrapolated from them, and the output says so.

No Django, no database: the engine is plain Python, which `make` compiles with mypyc
where it can (src/breakroom/diary/engine_build.py). The first line says which build
ran and from which file; `--pure` runs the pure-Python source even where a compiled
build exists, so `make bench` prints both.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from breakroom.diary import engine_build

# Before the engine is imported. The environment variable carries the choice to the
# worker processes too, should they ever import this module afresh.
if "--pure" in sys.argv[1:]:
    os.environ[engine_build.PURE_VARIABLE] = "1"
if engine_build.pure_requested():
    engine_build.use_pure_source()

from breakroom.diary import rules
from breakroom.diary.rules import (
    Absence,
    AbsenceKind,
    Break,
    OptOut,
    Shift,
    WorkerProfile,
    check_diary,
)

LONDON = ZoneInfo("Europe/London")
TARGET_ONE_MS = 5.0
TARGET_MANY_S = 60.0
FULL = 100_000
FIRST_MONDAY = date(2024, 1, 1)

Diary = tuple[WorkerProfile, list[Shift], list[Absence]]


def worker_year(seed: int) -> Diary:
    """A year of a picker's diary: different for every seed, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    nights = rng.random() < 0.6
    year_start = FIRST_MONDAY + timedelta(weeks=52 * rng.randrange(3))
    working_days = (0, 1, 2, 3) if nights else (0, 1, 2, 3, 4)
    leave_weeks = set(rng.sample(range(2, 50), 5))  # 5 weeks + 3 days below = 5.6 weeks
    basic_leave = sorted(leave_weeks)[:4]
    sick_days = {rng.randrange(364) for _ in range(rng.randrange(2, 7))}
    absences: list[Absence] = []
    for week in sorted(leave_weeks):
        first = year_start + timedelta(weeks=week)
        kind = AbsenceKind.ANNUAL_LEAVE if week in basic_leave else AbsenceKind.ADDITIONAL_LEAVE
        absences.append(Absence(first, first + timedelta(days=4), kind))
    shifts: list[Shift] = []
    for week in range(52):
        if week in leave_weeks:
            continue
        peak = week >= 45
        days = list(working_days)
        if peak or rng.random() < 0.25:
            days.append(4 if nights else 5)  # an extra shift: peak or overtime
        for weekday in days:
            day = year_start + timedelta(weeks=week, days=weekday)
            offset = (day - year_start).days
            if offset in sick_days:
                absences.append(Absence(day, day, AbsenceKind.SICK))
                continue
            if nights:
                start = datetime(day.year, day.month, day.day, 18, 30, tzinfo=LONDON)
                hours = 10.5
            else:
                start = datetime(day.year, day.month, day.day, 7, 30, tzinfo=LONDON)
                hours = 8.5
            start_minutes = -rng.randrange(0, 6)
            extra = rng.choice((0, 0, 0, 60, 120)) if peak else rng.choice((0,) * 9 + (60,))
            if rng.random() < 0.02:
                extra += 150  # kept back: a 13-hour night
            begins = _after(start, start_minutes)
            ends = _after(start, int(hours * 60) + extra + rng.randrange(0, 6))
            shifts.append(
                Shift(
                    begins,
                    ends,
                    (Break(30),) if rng.random() < 0.97 else (Break(15),),
                    mandatory_extra_minutes=extra,
                    walking_minutes=rng.randrange(5, 13),
                    screening_minutes=rng.randrange(4, 21),
                )
            )
    opt_out = OptOut(year_start + timedelta(weeks=30)) if rng.random() < 0.1 else None
    return WorkerProfile(opt_out=opt_out), shifts, absences


def _after(moment: datetime, minutes: int) -> datetime:
    """`minutes` of real time after `moment`, in London time (wall clocks jump at DST)."""
    return datetime.fromtimestamp(moment.timestamp() + minutes * 60, LONDON)


def check(diary: Diary) -> int:
    profile, shifts, absences = diary
    return len(check_diary(profile, shifts, absences).breaches)


def measure_one(samples: int = 40, rounds: int = 7) -> tuple[float, float, float, float]:
    """Milliseconds per worker-year: the best round's mean (as timeit reports), the median
    single check (wall-clock) and its median CPU time; and the mean shifts per year.

    Each round checks `samples` different worker-years. On a shared machine the best
    round is the figure least disturbed by other programs; the medians show the rest.
    """
    diaries = [worker_year(seed) for seed in range(samples)]
    for diary in diaries[:5]:
        check(diary)  # warm the per-year caches of local midnights
    rounds_ms: list[float] = []
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        round_started = time.perf_counter()
        for diary in diaries:
            started, started_cpu = time.perf_counter(), time.process_time()
            check(diary)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        rounds_ms.append((time.perf_counter() - round_started) * 1000 / samples)
    shifts = statistics.mean(len(diary[1]) for diary in diaries)
    return min(rounds_ms), statistics.median(wall), statistics.median(cpu), shifts


def _check_range(bounds: tuple[int, int]) -> tuple[float, float, int, int]:
    """Check worker-years `bounds[0]` to `bounds[1]` - 1.

    Returns the engine's wall-clock and CPU seconds, the count and the breaches found.
    """
    first, last = bounds
    wall = cpu = 0.0
    breaches = 0
    for seed in range(first, last):
        diary = worker_year(seed)
        started, started_cpu = time.perf_counter(), time.process_time()
        breaches += check(diary)
        wall += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return wall, cpu, last - first, breaches


def measure_many(worker_years: int, processes: int) -> tuple[float, float, float, int]:
    """Engine wall-clock and CPU seconds per process, whole-run seconds, breaches found."""
    chunk = max(1, min(1000, worker_years // (processes * 8) or 1))
    bounds = [(start, min(start + chunk, worker_years)) for start in range(0, worker_years, chunk)]
    started = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        results = pool.map(_check_range, bounds, chunksize=1)
    whole = time.perf_counter() - started
    # Chunks were handed out one by one, so each process did about 1/processes of the
    # work: the engine's share of the run is the total engine time divided among them.
    wall = sum(result[0] for result in results) / processes
    cpu = sum(result[1] for result in results) / processes
    return wall, cpu, whole, sum(result[3] for result in results)


def main(argv: list[str] | None = None) -> int:
    # No abbreviations: `--pure` is looked for in sys.argv before the parser runs.
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    parser.add_argument(
        "--worker-years",
        type=int,
        default=FULL,
        help=f"how many worker-years to check in parallel (default {FULL:,})",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="processes to spread them over (default: one per core)",
    )
    parser.add_argument(
        "--pure",
        action="store_true",
        help="run the pure-Python source even where the engine is compiled "
        f"(as does {engine_build.PURE_VARIABLE}=1)",
    )
    options = parser.parse_args(argv)
    if options.worker_years < 1 or options.processes < 1:
        parser.error("--worker-years and --processes must be at least 1")

    print(
        f"Diary rules engine benchmark (Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})"
    )
    print(f"Engine build: {engine_build.describe(rules)}")
    if not engine_build.is_compiled(rules) and not engine_build.pure_requested():
        print("  (no compiled build: `make engine` compiles it where a C compiler is found)")
    stale = engine_build.stale_compiled_files()
    if engine_build.is_compiled(rules) and stale:
        print(f"  WARNING: older than rules.py or text.py, run `make engine`: {stale[0].name}")
    best, median, cpu, shifts = measure_one()
    verdict = "meets" if best < TARGET_ONE_MS else "MISSES"
    print(
        f"One worker-year ({shifts:.0f} shifts on average): {best:.2f} ms (best of 7 rounds "
        f"of 40 worker-years; median single check {median:.2f} ms, median CPU {cpu:.2f} ms) "
        f"- {verdict} the {TARGET_ONE_MS:.0f} ms target."
    )

    engine, cpu_seconds, whole, breaches = measure_many(options.worker_years, options.processes)
    count = options.worker_years
    per_process = options.processes / count * 1000
    print(
        f"{count:,} worker-years on {options.processes} process(es): the checks took "
        f"{engine:.1f} s of wall-clock time ({engine * per_process:.2f} ms per worker-year "
        f"in each process; {cpu_seconds:.1f} s, {cpu_seconds * per_process:.2f} ms, of CPU "
        f"time - the difference is other programs' use of the cores); the whole run, "
        f"making the diaries included, took {whole:.1f} s; {breaches:,} breaches found."
    )
    if count == FULL:
        verdict = "meets" if engine < TARGET_MANY_S else "MISSES"
        print(
            f"100,000 worker-years: checks in {engine:.1f} s (measured) - {verdict} the "
            f"1-minute target ({cpu_seconds:.1f} s of CPU time in each process)."
        )
    else:
        projected = engine / count * FULL
        projected_cpu = cpu_seconds / count * FULL
        verdict = "would meet" if projected < TARGET_MANY_S else "would MISS"
        print(
            f"100,000 worker-years, EXTRAPOLATED from {count:,} (not measured): checks in "
            f"{projected:.1f} s - {verdict} the 1-minute target ({projected_cpu:.1f} s of "
            "CPU time in each process)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
