"""The Working Time Regulations 1998 as dated data, and a pure check of a worker's diary.

Plain data in, plain data out; nothing here imports Django (STYLE.md). The numbers
come from the project's LAW.md and live in `RULE_VERSIONS`, a table of rule versions
each with the date it applies from: a check uses the version in force on the date
of the facts it judges, so 2002 facts are judged by 2002 rules. A change in the law
is a new row.

Which date decides the version:

- a shift (rest break, night hours, a young worker's night work) and the 24 hours
  after a shift starts (daily rest): the day the shift starts;
- a calendar day (a young worker's 8 hours): that day;
- a week, a 14-day period or a reference period: its last day.

`check_diary(profile, shifts, absences)` returns a `DiaryCheck`: every breach and
the main figure of every rule, each a `Finding` naming the rule and regulation, the
dates, a plain sentence, and the arithmetic as text ("(680 + 120) / 17 = 47.06 h")
and as numbers. Bad input raises `DiaryInputError`, whose `problems` name each entry
at fault; `find_input_problems` lists them without raising.

How the engine reads the facts (docs/diary-csv.md says the same for workers):

- A shift's `start` and `end` are the times the worker was at work as the employer
  counts it (clocked in to clocked out). Mandatory extra time is *inside* them:
  `mandatory_extra_minutes` says how much of the shift it was, for the figures.
- Breaks are not working time. A break with a `start` is placed exactly; a break
  without one is known only by its length and is spread evenly over the shift when
  hours are split between days or night time.
- `walking_minutes` (from the gate to the workstation, before `start`) and
  `screening_minutes` (security screening after `end`) are the disputed time. Every
  check runs twice: on working time, and on working time including screening and
  walking; a breach that appears only in the second is reported with that basis.
- A "day" is a calendar day in Europe/London and a "week" runs from Monday 00:00
  (reg 2); all lengths are real elapsed time, so the night the clocks go back is an
  hour longer. Entries that run on without a gap are one shift.
- Days of an excluded absence (basic annual leave, sickness, family leave) and of an
  opt-out are excluded days for the 48-hour average (reg 4(6)-(7)): the hours of as
  many working days after the period stand in for them (B). A counts every hour
  worked in the period except hours worked under the opt-out, to which the limit did
  not apply.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache, partial
from itertools import accumulate, pairwise
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from .text import (
    ENGLISH,
    Day,
    Duration,
    Figure,
    Moment,
    Number,
    Span,
    Text,
    Value,
    gettext_noop,
    join,
)

# Final: compiled, a Final constant is built into the code; any other module-level name
# is looked up in the module's dictionary each time it is read.
LONDON: Final = ZoneInfo("Europe/London")
DISCLAIMER: Final = gettext_noop("This is information, not legal advice.")
HOUR: Final = 3600.0
DAY: Final = 86400.0
MAX_SHIFT_HOURS: Final = 24
# Seconds of slack when comparing a figure with a limit: untimed breaks are spread
# in fractions of a second, and "at the limit" must not read as "over" by rounding.
TOLERANCE: Final = 0.001
MINUS: Final = "\N{MINUS SIGN}"


class AbsenceKind(StrEnum):
    ANNUAL_LEAVE = "annual_leave"  # reg 13: the basic 4 weeks
    ADDITIONAL_LEAVE = "additional_leave"  # reg 13A: the extra 1.6 weeks
    SICK = "sick"
    MATERNITY = "maternity"
    PATERNITY = "paternity"
    ADOPTION = "adoption"
    PARENTAL = "parental"
    SHARED_PARENTAL = "shared_parental"
    OTHER = "other"  # unpaid or authorised absence, lay-off, time off in lieu


ABSENCE_LABELS: Mapping[AbsenceKind, str] = {
    AbsenceKind.ANNUAL_LEAVE: gettext_noop("annual leave (reg 13, the basic 4 weeks)"),
    AbsenceKind.ADDITIONAL_LEAVE: gettext_noop(
        "additional annual leave (reg 13A, the extra 1.6 weeks)"
    ),
    AbsenceKind.SICK: gettext_noop("sick leave"),
    AbsenceKind.MATERNITY: gettext_noop("maternity leave"),
    AbsenceKind.PATERNITY: gettext_noop("paternity leave"),
    AbsenceKind.ADOPTION: gettext_noop("adoption leave"),
    AbsenceKind.PARENTAL: gettext_noop("parental leave"),
    AbsenceKind.SHARED_PARENTAL: gettext_noop("shared parental leave"),
    AbsenceKind.OTHER: gettext_noop("other absence"),
}


class Rule(StrEnum):
    WORKING_TIME = "working_time"
    WEEKLY_AVERAGE = "weekly_average"
    OPT_OUT = "opt_out"
    DAILY_REST = "daily_rest"
    WEEKLY_REST = "weekly_rest"
    REST_BREAK = "rest_break"
    NIGHT_WORKER = "night_worker"
    NIGHT_AVERAGE = "night_average"
    YOUNG_DAILY_LIMIT = "young_daily_limit"
    YOUNG_WEEKLY_LIMIT = "young_weekly_limit"
    YOUNG_NIGHT_WORK = "young_night_work"


RULE_TITLES: Mapping[Rule, str] = {
    Rule.WORKING_TIME: "Working time",
    Rule.WEEKLY_AVERAGE: "48-hour weekly average",
    Rule.OPT_OUT: "Opt-out from the 48-hour limit",
    Rule.DAILY_REST: "Daily rest",
    Rule.WEEKLY_REST: "Weekly rest",
    Rule.REST_BREAK: "Rest break",
    Rule.NIGHT_WORKER: "Night worker",
    Rule.NIGHT_AVERAGE: "Night work average",
    Rule.YOUNG_DAILY_LIMIT: "Young worker's 8-hour day",
    Rule.YOUNG_WEEKLY_LIMIT: "Young worker's 40-hour week",
    Rule.YOUNG_NIGHT_WORK: "Young worker's night work",
}


class Basis(StrEnum):
    WORKING_TIME = "working_time"
    INCLUDING_SCREENING = "including_screening_and_walking"


BASIS_LABELS: Mapping[Basis, str] = {
    Basis.WORKING_TIME: "working time",
    Basis.INCLUDING_SCREENING: "working time including screening and walking",
}


# -- the rules as dated data ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A daily window of local clock time, e.g. night time 23:00-06:00.

    When `end` is not after `start` the window runs past midnight into the next day.
    """

    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def hours(self) -> float:
        minutes = (self.end.hour * 60 + self.end.minute) - (
            self.start.hour * 60 + self.start.minute
        )
        return (minutes % 1440 or 1440) / 60

    def __str__(self) -> str:
        start, end = self.start, self.end
        return f"{start.hour:02d}:{start.minute:02d}{MINUS}{end.hour:02d}:{end.minute:02d}"


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """Every number the check uses, as in force from `applies_from`."""

    applies_from: date
    source: str
    # reg 4: maximum weekly working time
    weekly_limit_hours: float
    reference_weeks: int
    max_reference_weeks: int
    excluded_absence_kinds: frozenset[AbsenceKind]
    # reg 10: daily rest
    daily_rest_hours: float
    young_daily_rest_hours: float
    # reg 11: weekly rest
    weekly_rest_hours: float
    fortnightly_rest_hours: float
    young_weekly_rest_hours: float
    # reg 12: rest breaks
    break_after_hours: float
    break_minutes: int
    young_break_after_hours: float
    young_break_minutes: int
    # reg 2 and reg 6: night time, night workers and their average
    night_time: TimeWindow
    night_time_min_hours: float
    night_time_core: TimeWindow
    night_worker_hours: float
    # "As a normal course" is not a number in the law; R v Attorney General for
    # Northern Ireland, ex p Burns [1999] held nights one week in three enough.
    night_worker_share: float
    night_limit_hours: float
    night_reference_weeks: int
    # reg 5A and reg 6A (inserted from 6 April 2003): None where not in force
    young_daily_limit_hours: float | None
    young_weekly_limit_hours: float | None
    young_restricted_period: TimeWindow | None
    young_restricted_period_late: TimeWindow | None


# Kinds that did not exist yet in 1998 (shared parental leave began in 2014) are
# listed from the start: no worker can have taken them before they existed, so
# listing them changes no result.
EXCLUDED_ABSENCES = frozenset(
    {
        AbsenceKind.ANNUAL_LEAVE,
        AbsenceKind.SICK,
        AbsenceKind.MATERNITY,
        AbsenceKind.PATERNITY,
        AbsenceKind.ADOPTION,
        AbsenceKind.PARENTAL,
        AbsenceKind.SHARED_PARENTAL,
    }
)

WTR_1998 = RuleVersion(
    applies_from=date(1998, 10, 1),
    source="Working Time Regulations 1998 (SI 1998/1833)",
    weekly_limit_hours=48,
    reference_weeks=17,
    max_reference_weeks=52,
    excluded_absence_kinds=EXCLUDED_ABSENCES,
    daily_rest_hours=11,
    young_daily_rest_hours=12,
    weekly_rest_hours=24,
    fortnightly_rest_hours=48,
    young_weekly_rest_hours=48,
    break_after_hours=6,
    break_minutes=20,
    young_break_after_hours=4.5,
    young_break_minutes=30,
    night_time=TimeWindow(time(23), time(6)),
    night_time_min_hours=7,
    night_time_core=TimeWindow(time(0), time(5)),
    night_worker_hours=3,
    night_worker_share=1 / 3,
    night_limit_hours=8,
    night_reference_weeks=17,
    young_daily_limit_hours=None,
    young_weekly_limit_hours=None,
    young_restricted_period=None,
    young_restricted_period_late=None,
)

# The Working Time (Amendment) Regulations 2002 implemented the rest of the Young
# Workers Directive: reg 5A (8 hours a day, 40 a week) and reg 6A (no work in the
# restricted period) from 6 April 2003. Every other number is unchanged since 1998.
WTR_2003 = replace(
    WTR_1998,
    applies_from=date(2003, 4, 6),
    source="Working Time Regulations 1998 as amended by SI 2002/3128 (regs 5A, 6A)",
    young_daily_limit_hours=8,
    young_weekly_limit_hours=40,
    young_restricted_period=TimeWindow(time(22), time(6)),
    young_restricted_period_late=TimeWindow(time(23), time(7)),
)

RULE_VERSIONS: tuple[RuleVersion, ...] = (WTR_1998, WTR_2003)


def rules_in_force(day: date, versions: Sequence[RuleVersion] = RULE_VERSIONS) -> RuleVersion:
    """Return the version of the rules in force on `day`.

    Raises DiaryInputError for a day before the first version applies.
    """
    index = bisect.bisect_right([version.applies_from for version in versions], day) - 1
    if index < 0:
        first = versions[0].applies_from
        raise DiaryInputError(
            (
                InputProblem(
                    entry=_("date"),
                    field="date",
                    message=_(
                        "No working-time rules are in force on {day}: they apply from {first}.",
                        day=Day(day),
                        first=Day(first),
                    ),
                ),
            )
        )
    return versions[index]


# -- input ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Break:
    """A break taken: `minutes` long, uninterrupted; `start` if the time is known."""

    minutes: int
    start: datetime | None = None


@dataclass(frozen=True, slots=True)
class Shift:
    start: datetime
    end: datetime
    breaks: tuple[Break, ...] = ()
    mandatory_extra_minutes: int = 0
    walking_minutes: int = 0
    screening_minutes: int = 0
    label: str | Text = ""


@dataclass(frozen=True, slots=True)
class Absence:
    """A period of absence, `first_day` to `last_day` inclusive."""

    first_day: date
    last_day: date
    kind: AbsenceKind
    label: str | Text = ""


@dataclass(frozen=True, slots=True)
class OptOut:
    """An opt-out from the 48-hour limit (reg 5), `first_day` to `last_day` inclusive."""

    first_day: date
    last_day: date | None = None


@dataclass(frozen=True, slots=True)
class WorkerProfile:
    """What the check needs to know about the worker and their agreements.

    `reference_weeks` and `night_time` are set only where a collective or workforce
    agreement sets them; None means the regulations' default.
    """

    date_of_birth: date | None = None
    is_under_18: bool = False
    opt_out: OptOut | None = None
    reference_weeks: int | None = None
    night_time: TimeWindow | None = None
    employment_start: date | None = None
    contract_requires_work_after_22: bool = False


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Why the diary cannot be checked: `entry` names it for people; `kind` ("shift",
    "absence", "profile" or "diary") and `index` (its position in the list given)
    name it for programs."""

    entry: Text
    field: str
    message: Text
    kind: str = "diary"
    index: int | None = None


class DiaryInputError(ValueError):
    """The diary cannot be checked: each problem names the entry and field at fault."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(problem.message) for problem in self.problems))


# -- output -----------------------------------------------------------------------------


# The result types spell out __init__ and are not frozen: compiled, a dataclass-made
# __init__ (or object.__setattr__ in a frozen one) still runs as Python, and a check
# makes dozens of findings. Treat them as read-only all the same.
@dataclass(slots=True, init=False)
class Finding:
    """A figure or a breach of one rule, with the arithmetic that shows it."""

    rule: Rule
    regulation: str
    measure: str
    is_breach: bool
    first_day: date
    last_day: date
    summary: Text
    arithmetic: Text
    numbers: Mapping[str, float]
    basis: Basis
    is_provisional: bool

    def __init__(
        self,
        rule: Rule,
        regulation: str,
        measure: str,
        is_breach: bool,
        first_day: date,
        last_day: date,
        summary: Text,
        arithmetic: Text,
        numbers: Mapping[str, float],
        basis: Basis = Basis.WORKING_TIME,
        is_provisional: bool = False,
    ) -> None:
        self.rule = rule
        self.regulation = regulation
        self.measure = measure
        self.is_breach = is_breach
        self.first_day = first_day
        self.last_day = last_day
        self.summary = summary
        self.arithmetic = arithmetic
        self.numbers = numbers
        self.basis = basis
        self.is_provisional = is_provisional

    @property
    def title(self) -> str:
        return RULE_TITLES[self.rule]


@dataclass(slots=True, init=False)
class WeekTotal:
    """Hours in a week from Monday 00:00 (reg 2), for the chart against 48 hours."""

    monday: date
    hours: float
    hours_including_screening: float
    mandatory_extra_hours: float

    def __init__(
        self,
        monday: date,
        hours: float,
        hours_including_screening: float,
        mandatory_extra_hours: float,
    ) -> None:
        self.monday = monday
        self.hours = hours
        self.hours_including_screening = hours_including_screening
        self.mandatory_extra_hours = mandatory_extra_hours


class RestGap(NamedTuple):
    """Time off between two shifts, for the chart against 11 hours."""

    start: datetime
    end: datetime
    hours: float


@dataclass(frozen=True, slots=True)
class DiaryCheck:
    """What `check_diary` found. The rest gaps are kept as instants (`gap_starts[i]`
    to `gap_ends[i]`, seconds since the epoch) and made into `rest_gaps` on request:
    most checks never draw the chart."""

    breaches: tuple[Finding, ...]
    figures: tuple[Finding, ...]
    weeks: tuple[WeekTotal, ...]
    gap_starts: tuple[float, ...]
    gap_ends: tuple[float, ...]
    notes: tuple[Text, ...]
    rule_versions: tuple[RuleVersion, ...]
    disclaimer: str = DISCLAIMER

    @property
    def has_breaches(self) -> bool:
        return bool(self.breaches)

    @property
    def rest_gaps(self) -> tuple[RestGap, ...]:
        """Time off between one stretch of work and the next, for the chart."""
        return tuple(
            RestGap(_local(start), _local(end), (end - start) / HOUR)
            for start, end in zip(self.gap_starts, self.gap_ends, strict=True)
        )


# -- formatting -------------------------------------------------------------------------


def _(template: str, **values: str | int | Value | Text) -> Text:
    """A sentence for a person, worded when shown (text.py); the catalogues' extractor
    finds the template by this name."""
    return Text(template, **values)


def _local(instant: float) -> datetime:
    return datetime.fromtimestamp(instant, LONDON)


_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()


class _LondonYear:
    """London's offset from UTC through one year, from the time-zone data: the offset
    on 1 January and, for each change, the local hour key (day ordinal * 24 + hour) of
    the first whole hour after it and the offset from then on. Kept per year, not per
    shift: what a diary holds leaves no trace here."""

    __slots__ = ("changes", "new_offsets", "offset")

    def __init__(self, year: int) -> None:
        day = date(year, 1, 1)
        self.offset = previous = _offset_seconds(datetime.combine(day, time(0), tzinfo=LONDON))
        self.changes: list[int] = []
        self.new_offsets: list[int] = []
        while day.year == year:
            for hour in range(24):
                offset = _offset_seconds(datetime.combine(day, time(hour), tzinfo=LONDON))
                if offset != previous:
                    self.changes.append(day.toordinal() * 24 + hour)
                    self.new_offsets.append(offset)
                    previous = offset
            day += timedelta(days=1)


@lru_cache(maxsize=64)
def _london_year(year: int) -> _LondonYear:
    return _LondonYear(year)


def _instant(moment: datetime) -> float:
    """`moment.timestamp()` for an aware datetime, the same to the bit, in about half
    the time: it builds no timedelta on the way, and London's offset comes from its
    changes that year (two per shift add up over 100,000 worker-years)."""
    ordinal = moment.toordinal()
    if moment.tzinfo is LONDON:
        year = _london_year(moment.year)
        key = ordinal * 24 + moment.hour
        offset = year.offset
        for position, change in enumerate(year.changes):
            if key >= change - 1:
                if key <= change:
                    # The hour skipped or shown twice, or the one after it: the time
                    # zone data and the fold decide.
                    offset = _offset_seconds(moment)
                    break
                offset = year.new_offsets[position]
        micro = moment.microsecond
    else:
        utc_offset = moment.utcoffset()
        assert utc_offset is not None  # noqa: S101 - the callers refuse naive datetimes first
        offset = utc_offset.days * 86400 + utc_offset.seconds
        micro = moment.microsecond - utc_offset.microseconds
    whole = (
        (ordinal - _EPOCH_ORDINAL) * 86400
        + moment.hour * 3600
        + moment.minute * 60
        + moment.second
        - offset
    )
    # As datetime does it: whole microseconds over 1,000,000, one rounding.
    return (whole * 1_000_000 + micro) / 1_000_000 if micro else float(whole)


def _offset_seconds(moment: datetime) -> int:
    """Whole seconds of `moment`'s offset from UTC (its microseconds are left out)."""
    offset = moment.utcoffset()
    assert offset is not None  # noqa: S101 - the callers refuse naive datetimes first
    return offset.days * 86400 + offset.seconds


def _number(value: float) -> Number:
    """An operand: at most two decimals, no trailing zeros ("680", "47.5"), when shown."""
    return Number(value)


def _result(value: float, limit: float | None = None) -> Figure:
    """A result: two decimals, at least one ("47.06", "8.0"); more if rounding hid a breach."""
    text = f"{value:.2f}"
    if text.endswith("0"):
        text = text[:-1]
    if limit is not None and value * HOUR > limit * HOUR + TOLERANCE and float(text) <= limit:
        text = f"{value:.6f}".rstrip("0")
    return Figure(text)


def _hours(seconds: float) -> float:
    return seconds / HOUR


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


# -- preparing the facts ----------------------------------------------------------------


_Breaks = tuple[tuple[float, float], ...]


class _Period:
    """A stretch of work: one shift, or entries that run on without a gap.

    `timed` are the breaks with a known time (start, end); `untimed` is the total of
    those known only by length, `untimed_longest` the longest of them."""

    __slots__ = (
        "end",
        "longest_break",
        "met",
        "start",
        "timed",
        "untimed",
        "untimed_longest",
        "work",
    )

    def __init__(
        self,
        start: float,
        end: float,
        timed: _Breaks,
        untimed: float,
        untimed_longest: float,
        met: float,
    ) -> None:
        self.start = start
        self.end = end
        self.timed = timed
        self.untimed = untimed
        self.untimed_longest = untimed_longest
        self.met = met
        longest = untimed_longest
        work = end - start - untimed
        for break_start, break_end in timed:
            work -= break_end - break_start
            if break_end - break_start > longest:
                longest = break_end - break_start
        self.work = work
        self.longest_break = longest

    def stretched(self, before: float, after: float) -> _Period:
        """The same stretch starting `before` seconds earlier and ending `after` later."""
        return _Period(
            self.start - before,
            self.end + after,
            self.timed,
            self.untimed,
            self.untimed_longest,
            self.met,
        )

    def worked_between(self, low: float, high: float) -> float:
        """Seconds of work (breaks taken out) between the instants `low` and `high`."""
        low = max(self.start, low)
        high = min(self.end, high)
        if high <= low:
            return 0.0
        worked = high - low
        for break_start, break_end in self.timed:
            overlap = min(break_end, high) - max(break_start, low)
            if overlap > 0:
                worked -= overlap
        if self.untimed:
            worked -= self.untimed * (high - low) / (self.end - self.start)
        return worked


def _merge_breaks(timed: list[tuple[float, float]]) -> _Breaks:
    """Join breaks that touch: a break split at midnight is still one break."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(timed):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _period_start(period: _Period) -> float:
    return period.start


def _join(periods: Sequence[_Period]) -> list[_Period]:
    """The periods in time order, those that meet joined into one.

    Overlapping entries are refused before this, so no two start together."""
    joined: list[_Period] = []
    ordered = sorted(periods, key=_period_start)
    count = len(ordered)
    position = 0
    while position < count:
        item = ordered[position]
        reach = item.end
        following = position + 1
        while following < count and ordered[following].start <= reach:
            reach = max(reach, ordered[following].end)
            following += 1
        if following == position + 1:
            joined.append(item)
        else:
            joined.append(_combine(ordered[position:following]))
        position = following
    return joined


def _combine(items: list[_Period]) -> _Period:
    return _Period(
        items[0].start,
        max(item.end for item in items),
        _merge_breaks([span for item in items for span in item.timed]),
        sum(item.untimed for item in items),
        max(item.untimed_longest for item in items),
        sum(item.met for item in items),
    )


@lru_cache(maxsize=512)
def _year_instants(year: int, at: time) -> tuple[float, ...]:
    """The instant of local clock time `at` on each day of `year`, in Europe/London."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    return tuple(
        datetime.combine(first + timedelta(days=offset), at, tzinfo=LONDON).timestamp()
        for offset in range(days)
    )


def _instants(first: date, count: int, at: time) -> list[float]:
    instants: list[float] = []
    day = first
    while len(instants) < count:
        year = _year_instants(day.year, at)
        offset = (day - date(day.year, 1, 1)).days
        instants.extend(year[offset : offset + count - len(instants)])
        day = date(day.year + 1, 1, 1)
    return instants


def _eighteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February: 18 on 1 March in a common year
        return date(born.year + 18, 3, 1)


def _describe_shift(index: int, shift: Shift) -> Text:
    name = (
        Text("{label}", label=shift.label) if shift.label else _("shift {number}", number=index + 1)
    )
    try:
        span = Span(shift.start.timestamp(), shift.end.timestamp())
        span.render(ENGLISH)  # a time that cannot be shown names the shift without it
    except (OverflowError, ValueError, OSError):
        return name
    return _("{name} ({span})", name=name, span=span)


def _describe_absence(index: int, absence: Absence) -> Text:
    name = (
        Text("{label}", label=absence.label)
        if absence.label
        else _("absence {number}", number=index + 1)
    )
    kind = ABSENCE_LABELS.get(absence.kind)
    return _(
        "{name} ({kind}, {day})",
        name=name,
        kind=_(kind) if kind is not None else str(absence.kind),
        day=absence.first_day.isoformat(),
    )


@dataclass(slots=True)
class _Facts:
    base: list[_Period]
    extended: list[_Period] | None
    first_day: date
    last_day: date
    walking_and_screening: float
    met: float


def _shift_problem(index: int, shift: Shift, field: str, text: Text) -> InputProblem:
    name = _describe_shift(index, shift)
    return InputProblem(name, field, _("{name}: {text}", name=name, text=text), "shift", index)


def _read_shifts(
    shifts: Sequence[Shift], problems: list[InputProblem]
) -> tuple[list[_Period], list[int], list[tuple[int, float, float]]]:
    """The shifts as periods, the index of each in `shifts`, and (position in the
    periods, walking seconds, screening seconds) for those with walking or screening."""
    raw: list[_Period] = []
    kept: list[int] = []
    extras: list[tuple[int, float, float]] = []
    longest = MAX_SHIFT_HOURS * HOUR
    for index, shift in enumerate(shifts):
        begins, ends = shift.start, shift.end
        if begins.tzinfo is None or ends.tzinfo is None:
            problems.append(
                _shift_problem(index, shift, "start", _("the times must carry their time zone."))
            )
            continue
        start, end = _instant(begins), _instant(ends)
        if end <= start:
            text = (
                _("it ends ({end}) when it starts ({start}).", end=Moment(end), start=Moment(start))
                if end == start
                else _(
                    "it ends ({end}) before it starts ({start}).",
                    end=Moment(end),
                    start=Moment(start),
                )
            )
            problems.append(_shift_problem(index, shift, "end", text))
            continue
        if end - start > longest:
            problems.append(
                _shift_problem(
                    index,
                    shift,
                    "end",
                    _(
                        "it lasts {length}; a shift longer than {limit} hours is refused. "
                        "Enter the shifts actually worked, each with its own start and end.",
                        length=Duration(end - start),
                        limit=MAX_SHIFT_HOURS,
                    ),
                )
            )
            continue
        before = len(problems)
        timed: list[tuple[float, float]] | None = None  # made only for a timed break
        untimed = untimed_longest = 0.0
        for taken in shift.breaks:
            if taken.minutes <= 0:
                problems.append(
                    _shift_problem(
                        index, shift, "breaks", _("a break must last at least 1 minute.")
                    )
                )
            elif taken.start is None:
                seconds = taken.minutes * 60.0
                untimed += seconds
                if seconds > untimed_longest:
                    untimed_longest = seconds
            elif taken.start.tzinfo is None:
                problems.append(
                    _shift_problem(
                        index, shift, "breaks", _("the break's start must carry its time zone.")
                    )
                )
            else:
                break_start = _instant(taken.start)
                break_end = break_start + taken.minutes * 60
                if break_start < start or break_end > end:
                    problems.append(
                        _shift_problem(
                            index,
                            shift,
                            "breaks",
                            _(
                                "the break at {start} is not inside the shift.",
                                start=Moment(break_start),
                            ),
                        )
                    )
                if timed is None:
                    timed = []
                timed.append((break_start, break_end))
        break_seconds = untimed
        if timed:
            timed.sort()
            for (_first_start, first_end), (second_start, _second_end) in pairwise(timed):
                if second_start < first_end:
                    problems.append(
                        _shift_problem(
                            index,
                            shift,
                            "breaks",
                            _("two breaks overlap (at {start}).", start=Moment(second_start)),
                        )
                    )
            break_seconds += sum(b - a for a, b in timed)
        if len(problems) == before and break_seconds >= end - start:
            problems.append(
                _shift_problem(
                    index,
                    shift,
                    "breaks",
                    _(
                        "the breaks ({breaks}) take up the whole shift ({length}).",
                        breaks=Duration(break_seconds),
                        length=Duration(end - start),
                    ),
                )
            )
        met = shift.mandatory_extra_minutes
        if (
            met < 0
            or shift.walking_minutes < 0
            or shift.screening_minutes < 0
            or met > MAX_SHIFT_HOURS * 60
            or shift.walking_minutes > MAX_SHIFT_HOURS * 60
            or shift.screening_minutes > MAX_SHIFT_HOURS * 60
        ):
            for field_name, minutes in (
                ("mandatory_extra_minutes", met),
                ("walking_minutes", shift.walking_minutes),
                ("screening_minutes", shift.screening_minutes),
            ):
                if minutes < 0:
                    problems.append(
                        _shift_problem(
                            index, shift, field_name, _("{field} is negative.", field=field_name)
                        )
                    )
                elif minutes > MAX_SHIFT_HOURS * 60:
                    problems.append(
                        _shift_problem(
                            index,
                            shift,
                            field_name,
                            _(
                                "{field} is more than {limit} hours.",
                                field=field_name,
                                limit=MAX_SHIFT_HOURS,
                            ),
                        )
                    )
        if len(problems) == before and met * 60 > end - start - break_seconds:
            problems.append(
                _shift_problem(
                    index,
                    shift,
                    "mandatory_extra_minutes",
                    _(
                        "the mandatory extra time ({extra}) is longer than the time worked "
                        "({worked}); it is part of the shift's start and end.",
                        extra=Duration(met * 60),
                        worked=Duration(end - start - break_seconds),
                    ),
                )
            )
        if len(problems) == before:
            raw.append(
                _Period(
                    start,
                    end,
                    tuple(timed) if timed else (),
                    untimed,
                    untimed_longest,
                    met * 60.0,
                )
            )
            kept.append(index)
            if shift.walking_minutes or shift.screening_minutes:
                extras.append(
                    (len(raw) - 1, shift.walking_minutes * 60.0, shift.screening_minutes * 60.0)
                )
    # Overlaps: each shift against the one reaching furthest so far, so a shift
    # inside a long one is found as well as the next one along.
    order: Sequence[int] = range(len(raw))
    for position in range(1, len(raw)):
        if raw[position].start < raw[position - 1].start:
            order = sorted(order, key=lambda position: raw[position].start)
            break
    furthest: int | None = None
    for position in order:
        if furthest is not None and raw[position].start < raw[furthest].end:
            first = _describe_shift(kept[furthest], shifts[kept[furthest]])
            second = _describe_shift(kept[position], shifts[kept[position]])
            problems.append(
                InputProblem(
                    second,
                    "start",
                    _(
                        "{second} overlaps {first}: a worker cannot be on two shifts at once.",
                        second=second,
                        first=first,
                    ),
                    "shift",
                    kept[position],
                )
            )
        if furthest is None or raw[position].end > raw[furthest].end:
            furthest = position
    return raw, kept, extras


def _read_absences(absences: Sequence[Absence], problems: list[InputProblem]) -> None:
    spans: list[tuple[date, date, int]] = []
    for index, absence in enumerate(absences):
        if absence.kind not in ABSENCE_LABELS:
            name = _describe_absence(index, absence)
            problems.append(
                InputProblem(
                    name,
                    "kind",
                    _("{name}: unknown kind of absence.", name=name),
                    "absence",
                    index,
                )
            )
        if absence.last_day < absence.first_day:
            name = _describe_absence(index, absence)
            problems.append(
                InputProblem(
                    name,
                    "last_day",
                    _(
                        "{name}: it ends ({last}) before it starts ({first}).",
                        name=name,
                        last=Day(absence.last_day),
                        first=Day(absence.first_day),
                    ),
                    "absence",
                    index,
                )
            )
            continue
        spans.append((absence.first_day, absence.last_day, index))
    spans.sort()
    for (_first, first_last, first_index), (second_first, _last, second_index) in pairwise(spans):
        if second_first <= first_last:
            first = _describe_absence(first_index, absences[first_index])
            second = _describe_absence(second_index, absences[second_index])
            problems.append(
                InputProblem(
                    second,
                    "first_day",
                    _(
                        "{second} overlaps {first}: record each day as one kind of absence.",
                        second=second,
                        first=first,
                    ),
                    "absence",
                    second_index,
                )
            )


def _read_profile(
    profile: WorkerProfile,
    versions: Sequence[RuleVersion],
    first_day: date | None,
    problems: list[InputProblem],
) -> None:
    if profile.reference_weeks is not None:
        longest = min(version.max_reference_weeks for version in versions)
        if not 1 <= profile.reference_weeks <= longest:
            problems.append(
                InputProblem(
                    _("profile"),
                    "reference_weeks",
                    _(
                        "An agreement can set a reference period of 1 to {longest} weeks, "
                        "not {weeks}.",
                        longest=longest,
                        weeks=profile.reference_weeks,
                    ),
                    kind="profile",
                )
            )
    if profile.night_time is not None:
        window = profile.night_time
        rule = versions[-1]
        core = rule.night_time_core
        covers_core = (
            window.start <= core.start and window.end >= core.end
            if not window.crosses_midnight
            else window.end >= core.end
        )
        if window.hours < rule.night_time_min_hours or not covers_core:
            problems.append(
                InputProblem(
                    _("profile"),
                    "night_time",
                    _(
                        "An agreed night time must last at least {hours} hours and include "
                        "{core}; {window} does not.",
                        hours=_number(rule.night_time_min_hours),
                        core=str(core),
                        window=str(window),
                    ),
                    kind="profile",
                )
            )
    opt_out = profile.opt_out
    if (
        opt_out is not None
        and opt_out.last_day is not None
        and opt_out.last_day < opt_out.first_day
    ):
        problems.append(
            InputProblem(
                _("profile"),
                "opt_out",
                _(
                    "The opt-out ends ({last}) before it starts ({first}).",
                    last=Day(opt_out.last_day),
                    first=Day(opt_out.first_day),
                ),
                kind="profile",
            )
        )
    if (
        profile.date_of_birth is not None
        and first_day is not None
        and profile.date_of_birth >= first_day
    ):
        problems.append(
            InputProblem(
                _("profile"),
                "date_of_birth",
                _(
                    "The date of birth ({born}) is not before the diary's first day ({first}).",
                    born=Day(profile.date_of_birth),
                    first=Day(first_day),
                ),
                kind="profile",
            )
        )


def find_input_problems(
    profile: WorkerProfile,
    shifts: Sequence[Shift],
    absences: Sequence[Absence] = (),
    *,
    recorded_until: date | None = None,
    versions: Sequence[RuleVersion] = RULE_VERSIONS,
) -> list[InputProblem]:
    """Every reason the diary cannot be checked, each naming its entry; [] if none."""
    problems: list[InputProblem] = []
    _prepare(profile, shifts, absences, recorded_until, versions, problems)
    return problems


def _prepare(
    profile: WorkerProfile,
    shifts: Sequence[Shift],
    absences: Sequence[Absence],
    recorded_until: date | None,
    versions: Sequence[RuleVersion],
    problems: list[InputProblem],
) -> _Facts | None:
    if not versions or any(
        later.applies_from <= earlier.applies_from for earlier, later in pairwise(versions)
    ):
        raise ValueError("Rule versions must be given in order of the date they apply from.")
    raw, kept, extras = _read_shifts(shifts, problems)
    _read_absences(absences, problems)
    days: list[date] = [absence.first_day for absence in absences]
    last_days: list[date] = [absence.last_day for absence in absences]
    if raw:
        days.append(_local(min([item.start for item in raw])).date())
        last_days.append(_local(max([item.end for item in raw])).date())
    first_day = min(days) if days else None
    if recorded_until is not None and last_days and max(last_days) > recorded_until:
        problems.append(
            InputProblem(
                _("diary"),
                "recorded_until",
                _(
                    "The diary is said to end on {until}, but it has entries up to {last}.",
                    until=Day(recorded_until),
                    last=Day(max(last_days)),
                ),
            )
        )
    _read_profile(profile, versions, first_day, problems)
    if first_day is not None and first_day < versions[0].applies_from:
        earliest = [
            (_describe_shift(kept[position], shifts[kept[position]]), "shift", kept[position])
            for position, item in enumerate(raw)
            if _local(item.start).date() == first_day
        ] + [
            (_describe_absence(index, absence), "absence", index)
            for index, absence in enumerate(absences)
            if absence.first_day == first_day
        ]
        name, kind, index = earliest[0]
        problems.append(
            InputProblem(
                name,
                "date",
                _(
                    "{name}: no working-time rules are in force on {day}; they apply from {first}.",
                    name=name,
                    day=Day(first_day),
                    first=Day(versions[0].applies_from),
                ),
                kind,
                index,
            )
        )
    if profile.employment_start is not None and raw:
        for position, item in enumerate(raw):
            if _local(item.start).date() < profile.employment_start:
                name = _describe_shift(kept[position], shifts[kept[position]])
                problems.append(
                    InputProblem(
                        name,
                        "start",
                        _(
                            "{name}: it is before the employment start ({start}).",
                            name=name,
                            start=Day(profile.employment_start),
                        ),
                        "shift",
                        kept[position],
                    )
                )
                break
    if problems or first_day is None:
        return None
    base = _join(raw)
    extended: list[_Period] | None = None
    extra = 0.0
    if extras:
        stretched = list(raw)
        for position, walking, screening in extras:
            stretched[position] = raw[position].stretched(walking, screening)
            extra += walking + screening
        extended = _join(stretched)
    return _Facts(
        base=base,
        extended=extended,
        first_day=first_day,
        last_day=max(last_days) if recorded_until is None else recorded_until,
        walking_and_screening=extra,
        met=sum(item.met for item in raw),
    )


# -- the calendar the checks share ------------------------------------------------------


class _Calendar:
    """Days of the diary (with two days' margin each side), their rules and their kind."""

    def __init__(
        self,
        profile: WorkerProfile,
        absences: Sequence[Absence],
        versions: Sequence[RuleVersion],
        facts: _Facts,
    ) -> None:
        self.profile = profile
        self.versions = versions
        first_recorded = facts.first_day
        longest = max(profile.reference_weeks or version.reference_weeks for version in versions)
        start = profile.employment_start
        # A worker who started fewer weeks before the diary than a reference period
        # is a new starter (reg 4(4)); days from the start with no entry count as
        # days not worked.
        self.employment_start: date | None = None
        if start is not None and first_recorded < start + timedelta(weeks=longest):
            first_recorded = min(first_recorded, start)
            self.employment_start = start
        # A margin of whole weeks each side: night shifts and screening run past the
        # last day, and the weekly rest of an edge week compares it with its neighbours.
        margin_start = first_recorded - timedelta(days=9)
        self.day0 = margin_start - timedelta(days=margin_start.weekday())
        self.day0_ordinal = self.day0.toordinal()
        self.first = (first_recorded - self.day0).days  # index of the diary's first day
        self.last = (facts.last_day - self.day0).days  # index of its last day
        margin_end = facts.last_day + timedelta(days=9)
        self.size = (margin_end - self.day0).days + 7 - margin_end.weekday()
        self.starts = _instants(self.day0, self.size + 1, time(0))
        self.version_of: list[RuleVersion] = []
        for position, version in enumerate(versions):
            begins = 0 if position == 0 else (version.applies_from - self.day0).days
            ends = (
                self.size
                if position + 1 == len(versions)
                else (versions[position + 1].applies_from - self.day0).days
            )
            begins, ends = max(0, min(begins, self.size)), max(0, min(ends, self.size))
            self.version_of.extend([version] * (ends - begins))
        if profile.is_under_18:
            self.young = [True] * self.size
        elif profile.date_of_birth is not None:
            adult_from = (_eighteenth_birthday(profile.date_of_birth) - self.day0).days
            adult_from = max(0, min(adult_from, self.size))
            self.young = [True] * adult_from + [False] * (self.size - adult_from)
        else:
            self.young = [False] * self.size
        self.absence_kind: list[AbsenceKind | None] = [None] * self.size
        for absence in absences:
            low = max(0, (absence.first_day - self.day0).days)
            high = min(self.size - 1, (absence.last_day - self.day0).days)
            for index in range(low, high + 1):
                self.absence_kind[index] = absence.kind
        self.opted_out = [False] * self.size
        opt_out = profile.opt_out
        if opt_out is not None:
            low = max(0, (opt_out.first_day - self.day0).days)
            high = (
                self.size - 1
                if opt_out.last_day is None
                else min(self.size - 1, (opt_out.last_day - self.day0).days)
            )
            for index in range(low, high + 1):
                self.opted_out[index] = True
        self.excluded = [
            self.opted_out[index]
            or (kind is not None and kind in self.version_of[index].excluded_absence_kinds)
            for index, kind in enumerate(self.absence_kind)
        ]
        self.excluded_before = [0, *accumulate(map(int, self.excluded))]
        self._excluded_in: dict[int, list[int]] = {}
        self.mondays = list(range(0, self.size, 7))  # day0 is a Monday
        # By identity: a window is a rule version's or the profile's, alive as long.
        self._windows: dict[int, tuple[list[float], list[float]]] = {}

    def excluded_in(self, span: int) -> list[int]:
        """Excluded days in the `span` days ending on each day from the diary's first
        day + `span` - 1 to its last (the rolling reference periods)."""
        found = self._excluded_in.get(span)
        if found is None:
            before = self.excluded_before
            found = self._excluded_in[span] = [
                before[last + 1] - before[last + 1 - span]
                for last in range(self.first + span - 1, self.last + 1)
            ]
        return found

    def date_of(self, index: int) -> date:
        return date.fromordinal(self.day0_ordinal + index)

    def versions_between(self, low: int, high: int) -> list[RuleVersion]:
        """The versions in force on days `low` to `high`, each once, in date order."""
        days = self.version_of[low : high + 1]
        if days and days[0] is days[-1]:
            return [days[0]]  # versions only follow one another: one version throughout
        return list(dict(zip(map(id, days), days, strict=True)).values())

    def index_of(self, instant: float) -> int:
        return bisect.bisect_right(self.starts, instant) - 1

    def windows(self, window: TimeWindow) -> tuple[list[float], list[float]]:
        """Start and end instants of `window` for the window opening on each day."""
        cached = self._windows.get(id(window))
        if cached is None:
            opens = _instants(self.day0, self.size, window.start)
            closes = _instants(
                self.day0 + timedelta(days=1 if window.crosses_midnight else 0),
                self.size,
                window.end,
            )
            cached = self._windows[id(window)] = (opens, closes)
        return cached

    def worked_in(self, period: _Period, window: TimeWindow) -> float:
        """Seconds of `period` worked inside `window` (e.g. night time)."""
        return self.worked_in_windows(period, *self.windows(window))

    def worked_in_windows(self, period: _Period, opens: list[float], closes: list[float]) -> float:
        start, end = period.start, period.end
        index = max(0, bisect.bisect_right(self.starts, start) - 2)
        total = 0.0
        while index < self.size and opens[index] < end:
            if closes[index] > start:
                total += period.worked_between(opens[index], closes[index])
            index += 1
        return total


# -- the checks ---------------------------------------------------------------------


def _young_regulation(young: bool, adult: str, child: str) -> str:
    return child if young else adult


_BreachKey = tuple[Rule, date, date]


class _Checker:
    def __init__(
        self,
        calendar: _Calendar,
        periods: list[_Period],
        basis: Basis,
        known: set[_BreachKey] | None = None,
    ) -> None:
        """`known`: breaches (rule, first day, last day) already found on another basis,
        which this one does not report again (nor word)."""
        self.calendar = calendar
        self.periods = periods
        self.basis = basis
        self.known: set[_BreachKey] = known if known is not None else set()
        self.starts = [period.start for period in periods]
        self.ends = [period.end for period in periods]
        self.breaches: list[Finding] = []
        self.figures: list[Finding] = []
        self.notes: list[Text] = []
        self.day_work = day_work = [0.0] * calendar.size
        self.opted_out_with_work = 0
        starts = calendar.starts
        start_index: list[int] = []
        # Each period's hours go to the calendar days they fall on (split at midnight).
        # The periods are in time order, so the day each starts on only moves forward.
        day = 0
        for period in periods:
            start, end = period.start, period.end
            while starts[day + 1] <= start:
                day += 1
            index = day
            start_index.append(index)
            if end <= starts[index + 1]:
                day_work[index] += period.work
            elif period.timed:
                while starts[index] < end:
                    day_work[index] += period.worked_between(starts[index], starts[index + 1])
                    index += 1
            else:
                # Untimed breaks are spread evenly: each day gets its share of the work.
                share = period.work / (end - start)
                while starts[index] < end:
                    low = starts[index] if starts[index] > start else start
                    high = starts[index + 1] if starts[index + 1] < end else end
                    day_work[index] += (high - low) * share
                    index += 1
        self.start_index = start_index
        self._work_before: list[float] | None = None

    def work_before(self) -> list[float]:
        """Seconds worked before each calendar day (prefix sums of `day_work`)."""
        if self._work_before is None:
            self._work_before = [0.0, *accumulate(self.day_work)]
        return self._work_before

    def finding(
        self,
        rule: Rule,
        regulation: str,
        measure: str,
        *,
        is_breach: bool,
        first_day: date,
        last_day: date,
        summary: Text,
        arithmetic: Text,
        numbers: Mapping[str, float],
        is_provisional: bool = False,
    ) -> None:
        if is_breach and self.is_known(rule, first_day, last_day):
            return
        found = Finding(
            rule=rule,
            regulation=regulation,
            measure=measure,
            is_breach=is_breach,
            first_day=first_day,
            last_day=last_day,
            summary=summary,
            arithmetic=arithmetic,
            numbers=numbers,
            basis=self.basis,
            is_provisional=is_provisional,
        )
        (self.breaches if is_breach else self.figures).append(found)

    def is_known(self, rule: Rule, first_day: date, last_day: date) -> bool:
        """Whether this breach was found already on another basis."""
        return bool(self.known) and (rule, first_day, last_day) in self.known

    def run(self) -> _Checker:
        """Every check; returns the checker, holding its breaches, figures and notes."""
        self.weekly_average()
        self.daily_rest()
        self.weekly_rest()
        self.rest_breaks()
        self.night_work()
        self.young_limits()
        return self

    # reg 4: the 48-hour average -------------------------------------------------------

    def weekly_average(self) -> None:
        calendar = self.calendar
        # A counts every hour worked in the period (reg 4(6)), even on a day that is
        # also an excluded day (the morning of a night shift before a sick night),
        # except hours worked under an opt-out: the limit did not apply to them.
        if calendar.profile.opt_out is None:
            counted = self.day_work
            hours_before = self.work_before()
        else:
            counted = [
                0.0 if opted_out else worked
                for worked, opted_out in zip(self.day_work, calendar.opted_out, strict=True)
            ]
            hours_before = [0.0, *accumulate(counted)]
        excluded_before = calendar.excluded_before
        # The diary's working days; the seconds worked on those before each; and
        # working_upto[day], how many of them are on or before `day` - where the days
        # that stand in for excluded ones begin.
        working_days: list[int] = []
        working_before = [0.0]
        working_upto = [0] * calendar.size
        running = 0.0
        for index in range(calendar.first, calendar.last + 1):
            worked = counted[index]
            if worked > 0:
                working_days.append(index)
                running += worked
                working_before.append(running)
            working_upto[index] = len(working_days)
        if calendar.profile.opt_out is not None:
            self.opted_out_with_work = sum(
                1
                for index in range(calendar.first, calendar.last + 1)
                if calendar.opted_out[index] and self.day_work[index] > 0
            )

        def window(first: int, last: int, weeks: int) -> _AverageWindow:
            worked = hours_before[last + 1] - hours_before[first]
            excluded = excluded_before[last + 1] - excluded_before[first]
            replacement = 0.0
            found = 0
            if excluded:
                after = bisect.bisect_right(working_days, last)
                found = min(excluded, len(working_days) - after)
                replacement = working_before[after + found] - working_before[after]
            return _AverageWindow(first, last, weeks, worked, excluded, replacement, found)

        best: _AverageWindow | None = None
        runs: list[_Run] = []
        starter = calendar.employment_start
        if starter is not None:
            origin = (starter - calendar.day0).days
            for weeks in range(1, self._reference_weeks(origin)):
                last = origin + 7 * weeks - 1
                if last > calendar.last:
                    break
                candidate = window(origin, last, weeks)
                candidate.is_new_starter = True
                limit = calendar.version_of[last].weekly_limit_hours
                if candidate.average * HOUR > limit * HOUR + TOLERANCE:
                    _add_to_runs(
                        runs,
                        last,
                        candidate.average,
                        partial(_same, candidate),
                        step=7,
                        is_new_starter=True,
                    )
                if best is None or candidate.average > best.average:
                    best = candidate
        agreed_weeks = calendar.profile.reference_weeks
        diary_first = calendar.first
        count = len(working_days)
        highest = best.average * HOUR if best is not None else -1.0
        in_force = calendar.versions_between(diary_first, calendar.last)
        shapes = {
            (agreed_weeks or version.reference_weeks, version.weekly_limit_hours)
            for version in in_force
        }
        if len(shapes) == 1:
            # One period length and one limit throughout (the usual case): every
            # rolling period at once, with list comprehensions over the prefix sums.
            ((weeks, limit),) = shapes
            span = 7 * weeks
            first_end = diary_first + span - 1
            ends = range(first_end, calendar.last + 1)
            worked_in = [hours_before[last + 1] - hours_before[last + 1 - span] for last in ends]
            excluded_in = calendar.excluded_in(span)
            totals = list(worked_in)
            replacements = [0.0] * len(totals)
            founds = [0] * len(totals)
            if any(excluded_in):
                for position, excluded in enumerate(excluded_in):
                    if not excluded:
                        continue
                    if excluded == span:
                        totals[position] = -math.inf  # every day excluded: nothing to judge
                        continue
                    after = working_upto[first_end + position]
                    found = excluded if excluded < count - after else count - after
                    replacement = working_before[after + found] - working_before[after]
                    totals[position] += replacement
                    replacements[position] = replacement
                    founds[position] = found

            def make(position: int) -> _AverageWindow:
                replacement, found = replacements[position], founds[position]
                last = first_end + position
                return _AverageWindow(
                    last - span + 1,
                    last,
                    weeks,
                    worked_in[position],
                    excluded_in[position],
                    replacement,
                    found,
                )

            threshold = (limit * HOUR + TOLERANCE) * weeks
            for position in [index for index, total in enumerate(totals) if total > threshold]:
                _add_to_runs(
                    runs, first_end + position, totals[position] / weeks, partial(make, position)
                )
            if totals:
                top = totals.index(max(totals))
                if totals[top] > -math.inf and totals[top] / weeks > highest:
                    best = make(top)
        else:
            best = self._rolling_averages(
                hours_before, excluded_before, working_days, working_before, runs, best
            )
        for run in runs:
            assert isinstance(run.worst, _AverageWindow)  # noqa: S101 - built above
            self._average_finding(run.worst, is_breach=True, run=run)
        if best is not None:
            self._average_finding(best, is_breach=False, run=None)
            return
        recorded_weeks = (calendar.last - calendar.first + 1) // 7
        if recorded_weeks:
            so_far = window(calendar.first, calendar.first + 7 * recorded_weeks - 1, recorded_weeks)
            if so_far.excluded == 7 * recorded_weeks:
                return  # all opted out or absent: there is no average to show
            so_far.is_so_far = True
            self._average_finding(so_far, is_breach=False, run=None)
            self.notes.append(
                _(
                    "The diary covers {recorded} whole week(s); the 48-hour average is "
                    "judged over {weeks} weeks, so the average shown is the average so far, "
                    "not a judgement. A new starter's period is shorter: give the "
                    "employment start date.",
                    recorded=recorded_weeks,
                    weeks=self._reference_weeks(calendar.last),
                )
            )

    def _rolling_averages(
        self,
        hours_before: list[float],
        excluded_before: list[int],
        working_days: list[int],
        working_before: list[float],
        runs: list[_Run],
        best: _AverageWindow | None,
    ) -> _AverageWindow | None:
        """Every rolling reference period, one by one (rules that change within the diary)."""
        calendar = self.calendar
        version_of = calendar.version_of
        agreed_weeks = calendar.profile.reference_weeks
        diary_first = calendar.first
        count = len(working_days)
        highest = best.average * HOUR if best is not None else -1.0
        for last in range(diary_first, calendar.last + 1):
            version = version_of[last]
            weeks = agreed_weeks or version.reference_weeks
            first = last - 7 * weeks + 1
            if first < diary_first:
                continue
            worked = hours_before[last + 1] - hours_before[first]
            excluded = excluded_before[last + 1] - excluded_before[first]
            replacement = 0.0
            found = 0
            if excluded:
                if excluded == 7 * weeks:
                    continue  # every day excluded: the limit had nothing to apply to
                after = bisect.bisect_right(working_days, last)
                found = min(excluded, count - after)
                replacement = working_before[after + found] - working_before[after]
            average = (worked + replacement) / weeks
            if average > version.weekly_limit_hours * HOUR + TOLERANCE:
                _add_to_runs(
                    runs,
                    last,
                    average,
                    partial(
                        _AverageWindow, first, last, weeks, worked, excluded, replacement, found
                    ),
                )
            if average > highest:
                highest = average
                best = _AverageWindow(first, last, weeks, worked, excluded, replacement, found)
        return best

    def _reference_weeks(self, index: int) -> int:
        calendar = self.calendar
        return calendar.profile.reference_weeks or calendar.version_of[index].reference_weeks

    def _average_finding(self, item: _AverageWindow, *, is_breach: bool, run: _Run | None) -> None:
        calendar = self.calendar
        if run is not None and self.is_known(
            Rule.WEEKLY_AVERAGE, calendar.date_of(run.first), calendar.date_of(run.last)
        ):
            return
        limit = calendar.version_of[item.last].weekly_limit_hours
        worked, replacement = _hours(item.worked), _hours(item.replacement)
        arithmetic = _(
            "({worked} + {replacement}) / {weeks} = {average} h",
            worked=_number(worked),
            replacement=_number(replacement),
            weeks=item.weeks,
            average=_result(item.average, limit),
        )
        first, last = calendar.date_of(item.first), calendar.date_of(item.last)
        if item.is_so_far:
            period = _("the {weeks} whole week(s) recorded so far", weeks=item.weeks)
        elif item.is_new_starter:
            period = _(
                "the {weeks} week(s) since starting work on {first} (a new starter's "
                "reference period, reg 4(4))",
                weeks=item.weeks,
                first=Day(first),
            )
        else:
            period = _(
                "the {weeks} weeks from {first} to {last}",
                weeks=item.weeks,
                first=Day(first),
                last=Day(last),
            )
        verdict = _verdict(item.average, limit)
        average = _result(item.average, limit)
        if not item.excluded:
            summary = _(
                "Average {average} h a week over {period}: {verdict}.",
                average=average,
                period=period,
                verdict=verdict,
            )
        elif item.found < item.excluded:
            summary = _(
                "Average {average} h a week over {period}; {excluded} excluded day(s) "
                "replaced by the hours of the next {found} working day(s) (only {found} "
                "recorded yet: the average can only rise as more are recorded): {verdict}.",
                average=average,
                period=period,
                excluded=item.excluded,
                found=item.found,
                verdict=verdict,
            )
        else:
            summary = _(
                "Average {average} h a week over {period}; {excluded} excluded day(s) "
                "replaced by the hours of the next {found} working day(s): {verdict}.",
                average=average,
                period=period,
                excluded=item.excluded,
                found=item.found,
                verdict=verdict,
            )
        numbers: dict[str, float] = {
            "A_hours": worked,
            "B_hours": replacement,
            "C_weeks": item.weeks,
            "excluded_days": item.excluded,
            "replacement_days": item.found,
            "average_hours": item.average,
            "limit_hours": limit,
        }
        measure = "highest_average"
        if run is not None:
            measure = "new_starter_breach" if item.is_new_starter else "average_breach"
            first = calendar.date_of(run.first)
            last = calendar.date_of(run.last)
            numbers["periods_over_limit"] = run.count
            if run.count > 1:
                summary += _(
                    " The average is over the limit in {count} overlapping reference "
                    "periods ending {first} to {last}; the worst is shown.",
                    count=run.count,
                    first=Day(calendar.date_of(run.first_end)),
                    last=Day(last),
                )
        regulation = "reg 4(4) and 4(6)" if item.is_new_starter else "reg 4(1), 4(3) and 4(6)"
        if item.is_so_far:
            regulation = "reg 4(6)"
        self.finding(
            Rule.WEEKLY_AVERAGE,
            regulation,
            measure,
            is_breach=is_breach,
            first_day=first,
            last_day=last,
            summary=summary,
            arithmetic=arithmetic,
            numbers=numbers,
            is_provisional=item.is_so_far or item.found < item.excluded,
        )

    # reg 10: daily rest -----------------------------------------------------------------

    def daily_rest(self) -> None:
        calendar = self.calendar
        periods = self.periods
        count = len(periods)
        worst: tuple[float, int, float, float] | None = None
        for position in range(count):
            window_start = periods[position].start
            window_end = window_start + DAY
            longest, rest_from, rest_to = 0.0, 0.0, 0.0
            cursor = position
            while cursor < count:
                current_end = periods[cursor].end
                if current_end >= window_end:
                    break
                following = periods[cursor + 1].start if cursor + 1 < count else math.inf
                rest_end = following if following < window_end else window_end
                if rest_end - current_end > longest:
                    longest = rest_end - current_end
                    rest_from, rest_to = current_end, rest_end
                if following >= window_end:
                    break
                cursor += 1
            day = self.start_index[position]
            version = calendar.version_of[day]
            young = calendar.young[day]
            needed = version.young_daily_rest_hours if young else version.daily_rest_hours
            if worst is None or longest < worst[0]:
                worst = (longest, position, rest_from, rest_to)
            if longest < needed * HOUR - TOLERANCE:
                self._daily_rest_finding(
                    position, longest, rest_from, rest_to, needed, young, is_breach=True
                )
        if worst is not None:
            longest, position, rest_from, rest_to = worst
            day = self.start_index[position]
            version = calendar.version_of[day]
            young = calendar.young[day]
            needed = version.young_daily_rest_hours if young else version.daily_rest_hours
            self._daily_rest_finding(
                position, longest, rest_from, rest_to, needed, young, is_breach=False
            )

    def _daily_rest_finding(
        self,
        position: int,
        longest: float,
        rest_from: float,
        rest_to: float,
        needed: float,
        young: bool,
        *,
        is_breach: bool,
    ) -> None:
        start = self.periods[position].start
        end = start + DAY
        first_day, last_day = _local(start).date(), _local(end).date()
        if is_breach and self.is_known(Rule.DAILY_REST, first_day, last_day):
            return
        is_short = longest < needed * HOUR - TOLERANCE
        if longest > 0:
            arithmetic = _(
                "{span} = {rest} {compared} {needed} h",
                span=Span(rest_from, rest_to),
                rest=Duration(longest),
                compared="<" if is_short else "≥",
                needed=_number(needed),
            )
        else:
            arithmetic = _("no rest at all in the 24 hours < {needed} h", needed=_number(needed))
        verdict = (
            _("less than the {needed} hours' rest due in each 24 hours", needed=_number(needed))
            if is_short
            else _("at least the {needed} hours due", needed=_number(needed))
        )
        self.finding(
            Rule.DAILY_REST,
            _young_regulation(young, "reg 10(1)", "reg 10(2)"),
            "rest_breach" if is_breach else "shortest_rest",
            is_breach=is_breach,
            first_day=first_day,
            last_day=last_day,
            summary=_(
                "In the 24 hours from {start} the longest unbroken rest was {rest}: {verdict}.",
                start=Moment(start),
                rest=Duration(longest),
                verdict=verdict,
            ),
            arithmetic=arithmetic,
            numbers={"rest_hours": _hours(longest), "minimum_hours": needed},
        )

    # reg 11: weekly rest ------------------------------------------------------------------

    def _rests(self, low: float, high: float) -> tuple[float, int, float]:
        """Longest rest inside [low, high), rests of 24 h or more, and their total."""
        periods = self.periods
        position = bisect.bisect_right(self.ends, low)
        previous = low
        longest = 0.0
        long_ones = 0
        while position < len(periods) and periods[position].start < high:
            gap = periods[position].start - previous
            if gap > longest:
                longest = gap
            if gap >= DAY - TOLERANCE:
                long_ones += 1
            previous = max(previous, periods[position].end)
            position += 1
        if high - previous > 0:
            gap = high - previous
            longest = max(longest, gap)
            if gap >= DAY - TOLERANCE:
                long_ones += 1
        return longest, long_ones, high - low

    def weekly_rest(self) -> None:
        calendar = self.calendar
        starts = calendar.starts
        worst: int | None = None
        worst_rest = math.inf
        for monday in calendar.mondays:
            if monday + 6 < calendar.first or monday > calendar.last:
                continue
            version = calendar.version_of[monday + 6]
            longest = self._rests(starts[monday], starts[monday + 7])[0]
            if longest < worst_rest:
                worst_rest = longest
                worst = monday
            needed = (
                version.young_weekly_rest_hours
                if calendar.young[monday]
                else version.weekly_rest_hours
            )
            if longest < needed * HOUR - TOLERANCE and not self.is_known(
                Rule.WEEKLY_REST, calendar.date_of(monday), calendar.date_of(monday + 6)
            ):
                found = self._weekly_rest_finding(monday)
                if found.is_breach:
                    self.breaches.append(found)
        if worst is not None:
            found = self._weekly_rest_finding(worst)
            self.figures.append(replace(found, is_breach=False, measure="shortest_weekly_rest"))

    def _weekly_rest_finding(self, monday: int) -> Finding:
        calendar = self.calendar
        starts = calendar.starts
        sunday = monday + 6
        version = calendar.version_of[sunday]
        young = calendar.young[monday]
        longest = self._rests(starts[monday], starts[monday + 7])[0]
        week = _("the week from {monday}", monday=Day(calendar.date_of(monday)))
        rest = Duration(longest)
        numbers: dict[str, float] = {"longest_rest_hours": _hours(longest)}
        if young:
            needed = version.young_weekly_rest_hours
            numbers["minimum_hours"] = needed
            is_breach = longest < needed * HOUR - TOLERANCE
            arithmetic = _(
                "longest unbroken rest in {week}: {rest} {compared} {needed} h",
                week=week,
                rest=rest,
                compared="<" if is_breach else "≥",
                needed=_number(needed),
            )
            summary = (
                _(
                    "In {week} the longest unbroken rest was {rest}; a young worker is due "
                    "{needed} hours in each week (36 if the employer has technical or "
                    "organisational reasons).",
                    week=week,
                    rest=rest,
                    needed=_number(needed),
                )
                if is_breach
                else _(
                    "In {week} the longest unbroken rest was {rest}; a young worker is due "
                    "{needed} hours in each week.",
                    week=week,
                    rest=rest,
                    needed=_number(needed),
                )
            )
            regulation = "reg 11(3)"
        else:
            needed = version.weekly_rest_hours
            numbers["minimum_hours"] = needed
            is_breach = False
            is_short = longest < needed * HOUR - TOLERANCE
            parts = [
                _(
                    "longest unbroken rest in {week}: {rest} {compared} {needed} h",
                    week=week,
                    rest=rest,
                    compared="<" if is_short else "≥",
                    needed=_number(needed),
                )
            ]
            if is_short:
                # The employer may instead give 48 hours (one rest, or two of 24)
                # in each 14 days (reg 11(2)); the check gives it the benefit of
                # either 14-day period that contains this week.
                is_breach = True
                fortnight = version.fortnightly_rest_hours
                for label, first in (
                    (_("the week before"), monday - 7),
                    (_("the week after"), monday),
                ):
                    if first < 0 or first + 14 > calendar.size:
                        continue
                    span_longest, long_ones, _total = self._rests(starts[first], starts[first + 14])
                    key = "before" if first < monday else "after"
                    numbers[f"fortnight_{key}_longest_hours"] = _hours(span_longest)
                    numbers[f"fortnight_{key}_rests_of_24_hours"] = long_ones
                    passes = (
                        span_longest >= fortnight * HOUR - TOLERANCE
                        or long_ones * needed >= fortnight
                    )
                    parts.append(
                        _(
                            "14 days with {label}: longest {longest}, {count} rest(s) of "
                            "{needed} h or more (meets one of {fortnight} h or two of "
                            "{needed} h)",
                            label=label,
                            longest=Duration(span_longest),
                            count=long_ones,
                            needed=_number(needed),
                            fortnight=_number(fortnight),
                        )
                        if passes
                        else _(
                            "14 days with {label}: longest {longest}, {count} rest(s) of "
                            "{needed} h or more (short of one of {fortnight} h or two of "
                            "{needed} h)",
                            label=label,
                            longest=Duration(span_longest),
                            count=long_ones,
                            needed=_number(needed),
                            fortnight=_number(fortnight),
                        )
                    )
                    if passes:
                        is_breach = False
                summary = (
                    _(
                        "In {week} the longest unbroken rest was {rest}: less than {needed} "
                        "hours, and neither 14-day period containing the week had "
                        "{fortnight} hours' rest.",
                        week=week,
                        rest=rest,
                        needed=_number(needed),
                        fortnight=_number(fortnight),
                    )
                    if is_breach
                    else _(
                        "In {week} the longest unbroken rest was {rest}; {needed} hours are "
                        "due each week, or {fortnight} hours in 14 days, which were given.",
                        week=week,
                        rest=rest,
                        needed=_number(needed),
                        fortnight=_number(fortnight),
                    )
                )
            else:
                summary = _(
                    "In {week} the longest unbroken rest was {rest}: at least the {needed} "
                    "hours due.",
                    week=week,
                    rest=rest,
                    needed=_number(needed),
                )
            arithmetic = join(parts)
            regulation = "reg 11(1) and 11(2)"

        return Finding(
            rule=Rule.WEEKLY_REST,
            regulation=regulation,
            measure="weekly_rest_breach" if is_breach else "shortest_weekly_rest",
            is_breach=is_breach,
            first_day=calendar.date_of(monday),
            last_day=calendar.date_of(sunday),
            summary=summary,
            arithmetic=arithmetic,
            numbers=numbers,
            basis=self.basis,
        )

    # reg 12: rest breaks ------------------------------------------------------------------

    def rest_breaks(self) -> None:
        calendar = self.calendar
        due = 0
        missing = 0
        for position, period in enumerate(self.periods):
            day = self.start_index[position]
            version = calendar.version_of[day]
            young = calendar.young[day]
            after = version.young_break_after_hours if young else version.break_after_hours
            minutes = version.young_break_minutes if young else version.break_minutes
            if period.work <= after * HOUR + TOLERANCE:
                continue
            due += 1
            if period.longest_break >= minutes * 60 - TOLERANCE:
                continue
            missing += 1
            first_day, last_day = _local(period.start).date(), _local(period.end).date()
            if self.is_known(Rule.REST_BREAK, first_day, last_day):
                continue
            breaks = period.end - period.start - period.work
            self.finding(
                Rule.REST_BREAK,
                _young_regulation(young, "reg 12(1)-(3)", "reg 12(4)"),
                "break_breach",
                is_breach=True,
                first_day=first_day,
                last_day=last_day,
                summary=_(
                    "The shift {span} had {worked} of working time, more than {after} hours, "
                    "without an uninterrupted break of {minutes} minutes.",
                    span=Span(period.start, period.end),
                    worked=Duration(period.work),
                    after=_number(after),
                    minutes=minutes,
                ),
                arithmetic=_(
                    "{length} {minus} breaks {breaks} = {worked} > {after} h; longest break "
                    "{longest} < {minutes} min",
                    length=Duration(period.end - period.start),
                    minus=MINUS,
                    breaks=Duration(breaks),
                    worked=Duration(period.work),
                    after=_number(after),
                    longest=Duration(period.longest_break),
                    minutes=minutes,
                ),
                numbers={
                    "working_hours": _hours(period.work),
                    "threshold_hours": after,
                    "longest_break_minutes": period.longest_break / 60,
                    "minimum_break_minutes": minutes,
                },
            )
        if self.periods:
            first = _local(self.periods[0].start).date()
            last = _local(self.periods[-1].end).date()
            self.finding(
                Rule.REST_BREAK,
                "reg 12",
                "breaks",
                is_breach=False,
                first_day=first,
                last_day=last,
                summary=_(
                    "{due} of {shifts} shift(s) were long enough to need a rest break; "
                    "{given} had one, {missing} did not.",
                    due=due,
                    shifts=len(self.periods),
                    given=due - missing,
                    missing=missing,
                ),
                arithmetic=_(
                    "{due} {minus} {missing} = {given} shift(s) with the break due",
                    due=due,
                    minus=MINUS,
                    missing=missing,
                    given=due - missing,
                ),
                numbers={
                    "shifts": len(self.periods),
                    "shifts_needing_break": due,
                    "shifts_without_break": missing,
                },
            )

    # reg 2 and reg 6: night workers -------------------------------------------------------

    def night_work(self) -> None:
        calendar = self.calendar
        size = calendar.size
        nightly = [0] * size
        shifts_on = [0] * size
        night_shifts = 0
        adult_shifts = 0
        windows: list[TimeWindow] = []
        young = calendar.young
        version_of = calendar.version_of
        agreed = calendar.profile.night_time
        # The night-time instants of each distinct window, looked up once per version.
        instants: dict[int, tuple[list[float], list[float]]] = {}
        previous: RuleVersion | None = None
        opens: list[float] = []
        closes: list[float] = []
        for position, period in enumerate(self.periods):
            day = self.start_index[position]
            if young[day]:
                continue
            version = version_of[day]
            if version is not previous:
                previous = version
                window = agreed or version.night_time
                found = instants.get(id(window))
                if found is None:
                    found = instants[id(window)] = calendar.windows(window)
                    if window not in windows:
                        windows.append(window)
                opens, closes = found
            shifts_on[day] += 1
            adult_shifts += 1
            start, end = period.start, period.end
            if period.timed:
                worked = calendar.worked_in_windows(period, opens, closes)
            else:
                # No timed break: the overlap with night time, less its share of the
                # untimed breaks (spread evenly over the shift).
                index = day - 1 if day else 0
                overlap = 0.0
                while opens[index] < end:
                    low = opens[index] if opens[index] > start else start
                    high = closes[index] if closes[index] < end else end
                    if high > low:
                        overlap += high - low
                    index += 1
                worked = overlap * period.work / (end - start)
            if worked >= version.night_worker_hours * HOUR - TOLERANCE:
                nightly[day] += 1
                night_shifts += 1
        if not adult_shifts:
            return
        version = calendar.version_of[calendar.last]
        share = night_shifts / adult_shifts
        is_night_worker = share >= version.night_worker_share - 1e-9
        first = _local(self.periods[0].start).date()
        last = _local(self.periods[-1].end).date()
        night_label = Text("{window}", window=str(windows[0]))
        for window in windows[1:]:
            night_label = _("{first} and {second}", first=night_label, second=str(window))
        self.finding(
            Rule.NIGHT_WORKER,
            "reg 2",
            "night_worker",
            is_breach=False,
            first_day=first,
            last_day=last,
            summary=(
                _(
                    "{nights} of {shifts} shift(s) had at least {hours} hours in night time "
                    "({window}): a night worker, whose normal hours may average at most "
                    "{limit} in each 24.",
                    nights=night_shifts,
                    shifts=adult_shifts,
                    hours=_number(version.night_worker_hours),
                    window=night_label,
                    limit=_number(version.night_limit_hours),
                )
                if is_night_worker
                else _(
                    "{nights} of {shifts} shift(s) had at least {hours} hours in night time "
                    "({window}): not a night worker on this diary.",
                    nights=night_shifts,
                    shifts=adult_shifts,
                    hours=_number(version.night_worker_hours),
                    window=night_label,
                )
            ),
            arithmetic=Text(
                "{nights} / {shifts} = {share} {compared} {minimum}",
                nights=night_shifts,
                shifts=adult_shifts,
                share=_percent(share),
                compared="≥" if is_night_worker else "<",
                minimum=_percent(version.night_worker_share),
            ),
            numbers={
                "night_shifts": night_shifts,
                "shifts": adult_shifts,
                "share": share,
                "minimum_share": version.night_worker_share,
            },
        )
        if not night_shifts:
            return  # no reference period can make a night worker: no average to judge
        worked_before = self.work_before()
        nightly_before = [0, *accumulate(nightly)]
        shifts_before = [0, *accumulate(shifts_on)]
        best: _NightWindow | None = None
        highest = -1.0
        runs: list[_Run] = []
        young = calendar.young
        version_of = calendar.version_of
        diary_first = calendar.first
        in_force = calendar.versions_between(diary_first, calendar.last)
        shapes = {
            (
                version.night_reference_weeks,
                version.night_worker_share,
                version.weekly_rest_hours,
                version.night_limit_hours,
            )
            for version in in_force
        }
        if len(shapes) == 1 and not any(young[diary_first : calendar.last + 1]):
            # One set of numbers throughout and no young days: every rolling period
            # at once, with list comprehensions over the prefix sums.
            ((weeks, share, weekly_rest, limit),) = shapes
            span = 7 * weeks
            first_end = diary_first + span - 1
            ends = range(first_end, calendar.last + 1)
            rest_days = weekly_rest * weeks / 24
            divisor = span - rest_days
            eligible = [
                position
                for position, last_index in enumerate(ends)
                if (shifts := shifts_before[last_index + 1] - shifts_before[last_index + 1 - span])
                and nightly_before[last_index + 1] - nightly_before[last_index + 1 - span]
                >= share * shifts - 1e-9
            ]
            worked_in = [
                worked_before[last_index + 1] - worked_before[last_index + 1 - span]
                for last_index in ends
            ]

            def make(position: int) -> _NightWindow:
                last_index = first_end + position
                return _NightWindow(
                    last_index - span + 1, last_index, weeks, worked_in[position], rest_days, limit
                )

            threshold = (limit * HOUR + TOLERANCE) * divisor
            for position in eligible:
                if worked_in[position] > threshold:
                    _add_to_runs(
                        runs,
                        first_end + position,
                        worked_in[position] / divisor,
                        partial(make, position),
                    )
            if eligible:
                top = eligible[0]
                for position in eligible:
                    if worked_in[position] > worked_in[top]:
                        top = position
                best = make(top)
        else:
            for last_index in range(diary_first, calendar.last + 1):
                version = version_of[last_index]
                weeks = version.night_reference_weeks
                first_index = last_index - 7 * weeks + 1
                if first_index < diary_first or young[last_index]:
                    continue
                shifts = shifts_before[last_index + 1] - shifts_before[first_index]
                nights = nightly_before[last_index + 1] - nightly_before[first_index]
                if not shifts or nights < version.night_worker_share * shifts - 1e-9:
                    continue
                worked = worked_before[last_index + 1] - worked_before[first_index]
                rest_days = version.weekly_rest_hours * weeks / 24
                average = worked / (7 * weeks - rest_days)
                make = partial(
                    _NightWindow,
                    first_index,
                    last_index,
                    weeks,
                    worked,
                    rest_days,
                    version.night_limit_hours,
                )
                if average > version.night_limit_hours * HOUR + TOLERANCE:
                    _add_to_runs(runs, last_index, average, make)
                if average > highest:
                    highest = average
                    best = make()
        for run in runs:
            assert isinstance(run.worst, _NightWindow)  # noqa: S101 - built above
            self._night_finding(run.worst, run)
        if best is not None:
            self._night_finding(best, None)
        elif is_night_worker:
            weeks = (calendar.last - calendar.first + 1) // 7
            if weeks:
                last_index = calendar.first + 7 * weeks - 1
                self._night_finding(
                    _NightWindow(
                        calendar.first,
                        last_index,
                        weeks,
                        worked_before[last_index + 1] - worked_before[calendar.first],
                        version.weekly_rest_hours * weeks / 24,
                        version.night_limit_hours,
                        is_so_far=True,
                    ),
                    None,
                )

    def _night_finding(self, item: _NightWindow, run: _Run | None) -> None:
        calendar = self.calendar
        if run is not None and self.is_known(
            Rule.NIGHT_AVERAGE, calendar.date_of(run.first), calendar.date_of(run.last)
        ):
            return
        days = 7 * item.weeks
        hours = _hours(item.worked)
        arithmetic = _(
            "{hours} / ({days} {minus} {rest_days}) = {average} h",
            hours=_number(hours),
            days=days,
            minus=MINUS,
            rest_days=_number(item.rest_days),
            average=_result(item.average, item.limit),
        )
        first, last = calendar.date_of(item.first), calendar.date_of(item.last)
        period = (
            _("the {weeks} whole week(s) recorded so far", weeks=item.weeks)
            if item.is_so_far
            else _(
                "the {weeks} weeks from {first} to {last}",
                weeks=item.weeks,
                first=Day(first),
                last=Day(last),
            )
        )
        summary = _(
            "A night worker's normal hours averaged {average} h in each 24 over {period}, "
            "after taking out the weekly rest days: {verdict}.",
            average=_result(item.average, item.limit),
            period=period,
            verdict=_verdict(item.average, item.limit),
        )
        numbers: dict[str, float] = {
            "A_hours": hours,
            "B_days": days,
            "C_rest_days": item.rest_days,
            "average_hours": item.average,
            "limit_hours": item.limit,
        }
        if run is not None:
            first = calendar.date_of(run.first)
            last = calendar.date_of(run.last)
            numbers["periods_over_limit"] = run.count
            if run.count > 1:
                summary += _(
                    " Over the limit in {count} overlapping {weeks}-week periods ending "
                    "{first} to {last}; the worst is shown.",
                    count=run.count,
                    weeks=item.weeks,
                    first=Day(calendar.date_of(run.first_end)),
                    last=Day(last),
                )
        self.finding(
            Rule.NIGHT_AVERAGE,
            "reg 6(1), 6(3) and 6(5)",
            "night_breach" if run is not None else "highest_night_average",
            is_breach=run is not None,
            first_day=first,
            last_day=last,
            summary=summary,
            arithmetic=arithmetic,
            numbers=numbers,
            is_provisional=item.is_so_far,
        )

    # regs 5A and 6A: young workers ------------------------------------------------------

    def young_limits(self) -> None:
        calendar = self.calendar
        if not any(calendar.young[calendar.first : calendar.last + 1]):
            return
        longest_day: tuple[float, int] | None = None
        for index in range(calendar.first, calendar.last + 2):
            version = calendar.version_of[index]
            limit = version.young_daily_limit_hours
            if not calendar.young[index] or limit is None:
                continue
            worked = self.day_work[index]
            if longest_day is None or worked > longest_day[0]:
                longest_day = (worked, index)
            if worked > limit * HOUR + TOLERANCE:
                self._young_day(index, worked, limit, is_breach=True)
        if longest_day is not None:
            worked, index = longest_day
            limit = calendar.version_of[index].young_daily_limit_hours or 0.0
            self._young_day(index, worked, limit, is_breach=False)
        longest_week: tuple[float, int] | None = None
        for monday in calendar.mondays:
            if monday + 6 < calendar.first or monday > calendar.last:
                continue
            sunday = min(monday + 6, calendar.size - 1)
            limit = calendar.version_of[sunday].young_weekly_limit_hours
            if limit is None:
                continue
            days = [
                self.day_work[index] if calendar.young[index] else 0.0
                for index in range(monday, sunday + 1)
            ]
            total = sum(days)
            if not any(calendar.young[monday : sunday + 1]):
                continue
            if longest_week is None or total > longest_week[0]:
                longest_week = (total, monday)
            if total > limit * HOUR + TOLERANCE:
                self._young_week(monday, days, limit, is_breach=True)
        if longest_week is not None:
            total, monday = longest_week
            sunday = min(monday + 6, calendar.size - 1)
            limit = calendar.version_of[sunday].young_weekly_limit_hours or 0.0
            days = [
                self.day_work[index] if calendar.young[index] else 0.0
                for index in range(monday, sunday + 1)
            ]
            self._young_week(monday, days, limit, is_breach=False)
        restricted_total = 0.0
        for position, period in enumerate(self.periods):
            day = self.start_index[position]
            version = calendar.version_of[day]
            window = (
                version.young_restricted_period_late
                if calendar.profile.contract_requires_work_after_22
                else version.young_restricted_period
            )
            if not calendar.young[day] or window is None:
                continue
            inside = calendar.worked_in(period, window)
            restricted_total += inside
            if inside > TOLERANCE:
                self.finding(
                    Rule.YOUNG_NIGHT_WORK,
                    "reg 6A",
                    "young_night_breach",
                    is_breach=True,
                    first_day=_local(period.start).date(),
                    last_day=_local(period.end).date(),
                    summary=_(
                        "The shift {span} had {inside} of work in the restricted period "
                        "{window}, when a young worker may not work.",
                        span=Span(period.start, period.end),
                        inside=Duration(inside),
                        window=str(window),
                    ),
                    arithmetic=_(
                        "{inside} worked in {window} > 0",
                        inside=Duration(inside),
                        window=str(window),
                    ),
                    numbers={"restricted_hours": _hours(inside)},
                )

    def _young_day(self, index: int, worked: float, limit: float, *, is_breach: bool) -> None:
        day = self.calendar.date_of(index)
        self.finding(
            Rule.YOUNG_DAILY_LIMIT,
            "reg 5A(1)",
            "young_day_breach" if is_breach else "longest_young_day",
            is_breach=is_breach,
            first_day=day,
            last_day=day,
            summary=_(
                "A young worker worked {worked} on {day}: {verdict}.",
                worked=Duration(worked),
                day=Day(day),
                verdict=_verdict(_hours(worked), limit),
            ),
            arithmetic=_(
                "{hours} h {compared} {limit} h",
                hours=_number(_hours(worked)),
                compared=">" if worked > limit * HOUR + TOLERANCE else "≤",
                limit=_number(limit),
            ),
            numbers={"hours": _hours(worked), "limit_hours": limit},
        )

    def _young_week(self, monday: int, days: list[float], limit: float, *, is_breach: bool) -> None:
        total = sum(days)
        first = self.calendar.date_of(monday)
        shown = [Text("{hours}", hours=_number(_hours(worked))) for worked in days if worked > 0]
        self.finding(
            Rule.YOUNG_WEEKLY_LIMIT,
            "reg 5A(1)",
            "young_week_breach" if is_breach else "longest_young_week",
            is_breach=is_breach,
            first_day=first,
            last_day=first + timedelta(days=6),
            summary=_(
                "A young worker worked {worked} in the week from {first}: {verdict}; a young "
                "worker's hours are not averaged.",
                worked=Duration(total),
                first=Day(first),
                verdict=_verdict(_hours(total), limit),
            ),
            arithmetic=_(
                "{days} = {hours} h {compared} {limit} h",
                days=join(shown, " + ") if shown else "0",
                hours=_number(_hours(total)),
                compared=">" if total > limit * HOUR + TOLERANCE else "≤",
                limit=_number(limit),
            ),
            numbers={"hours": _hours(total), "limit_hours": limit},
        )


def _verdict(value: float, limit: float) -> Text:
    if value * HOUR > limit * HOUR + TOLERANCE:
        return _("over the {limit} h limit", limit=_number(limit))
    if abs(value - limit) * HOUR <= TOLERANCE:
        return _("at the limit, not over it")
    return _("within the {limit} h limit", limit=_number(limit))


class _AverageWindow:
    __slots__ = (
        "excluded",
        "first",
        "found",
        "is_new_starter",
        "is_so_far",
        "last",
        "replacement",
        "weeks",
        "worked",
    )

    def __init__(
        self,
        first: int,
        last: int,
        weeks: int,
        worked: float,
        excluded: int,
        replacement: float,
        found: int,
    ) -> None:
        self.first = first
        self.last = last
        self.weeks = weeks
        self.worked = worked
        self.excluded = excluded
        self.replacement = replacement
        self.found = found
        self.is_new_starter = False
        self.is_so_far = False

    @property
    def average(self) -> float:
        return (self.worked + self.replacement) / HOUR / self.weeks


class _NightWindow:
    __slots__ = ("first", "is_so_far", "last", "limit", "rest_days", "weeks", "worked")

    def __init__(
        self,
        first: int,
        last: int,
        weeks: int,
        worked: float,
        rest_days: float,
        limit: float,
        *,
        is_so_far: bool = False,
    ) -> None:
        self.first = first
        self.last = last
        self.weeks = weeks
        self.worked = worked
        self.rest_days = rest_days
        self.limit = limit
        self.is_so_far = is_so_far

    @property
    def average(self) -> float:
        return self.worked / HOUR / (7 * self.weeks - self.rest_days)


class _Run:
    """Consecutive periods over a limit: reported once, with the worst of them."""

    __slots__ = ("count", "first", "first_end", "is_new_starter", "last", "worst", "worst_value")

    def __init__(
        self,
        worst: _AverageWindow | _NightWindow,
        value: float,
        *,
        is_new_starter: bool = False,
    ) -> None:
        self.first = worst.first
        self.first_end = worst.last
        self.last = worst.last
        self.count = 1
        self.worst = worst
        self.worst_value = value
        self.is_new_starter = is_new_starter


def _same(window: _AverageWindow | _NightWindow) -> _AverageWindow | _NightWindow:
    return window


def _add_to_runs(
    runs: list[_Run],
    last: int,
    value: float,
    make: Callable[[], _AverageWindow | _NightWindow],
    *,
    step: int = 1,
    is_new_starter: bool = False,
) -> None:
    """Add a period over its limit (ending on day `last`) to the run it continues.

    `make` builds the period's window only when it is needed: a new run, or a new
    worst within a run.
    """
    run = runs[-1] if runs else None
    if run is not None and run.is_new_starter == is_new_starter and last - run.last == step:
        run.last = last
        run.count += 1
        if value > run.worst_value:
            run.worst_value = value
            run.worst = make()
    else:
        runs.append(_Run(make(), value, is_new_starter=is_new_starter))


# -- the whole check ------------------------------------------------------------------


def check_diary(
    profile: WorkerProfile,
    shifts: Sequence[Shift],
    absences: Sequence[Absence] = (),
    *,
    recorded_until: date | None = None,
    versions: Sequence[RuleVersion] = RULE_VERSIONS,
) -> DiaryCheck:
    """Check a diary against the rules in force on the dates of its facts.

    The diary covers the days from its first entry to its last, or to
    `recorded_until` if the worker says it is complete to that day: days in it with
    no entry are days not worked. Returns every breach and the main figure of each
    rule; raises DiaryInputError, naming every entry at fault, if the diary cannot be
    checked.
    """
    problems: list[InputProblem] = []
    facts = _prepare(profile, shifts, absences, recorded_until, versions, problems)
    if problems:
        raise DiaryInputError(problems)
    if facts is None:
        return DiaryCheck((), (), (), (), (), (_("The diary is empty."),), ())
    calendar = _Calendar(profile, absences, versions, facts)
    base_checker = _Checker(calendar, facts.base, Basis.WORKING_TIME)
    base = base_checker.run()
    breaches = list(base.breaches)
    figures = [_totals(calendar, facts, base.day_work), *base.figures]
    notes = list(base.notes)
    extended_work = base.day_work
    if facts.extended is not None:
        # A breach on working time is one with screening too: reported once.
        seen = {(item.rule, item.first_day, item.last_day) for item in base.breaches}
        extended = _Checker(calendar, facts.extended, Basis.INCLUDING_SCREENING, seen).run()
        extended_work = extended.day_work
        breaches += extended.breaches
        known = {(item.rule, item.measure): item for item in base.figures}
        for item in extended.figures:
            counterpart = known.get((item.rule, item.measure))
            if counterpart is None or counterpart.numbers != item.numbers:
                figures.append(item)
    if profile.opt_out is not None:
        figures.append(_opt_out_figure(calendar))
    if base_checker.opted_out_with_work:
        notes.append(
            _(
                "Hours worked on {days} opted-out day(s) are left out of the 48-hour "
                "average: the limit did not apply to them, and the days after the reference "
                "period stand in for them (reg 4(6)-(7)).",
                days=base_checker.opted_out_with_work,
            )
        )
    if calendar.young[calendar.first] and profile.opt_out is not None:
        notes.append(_("An opt-out does not lift a young worker's 8-hour day or 40-hour week."))
    breaches.sort(key=lambda item: (item.first_day, item.rule, item.last_day, item.basis))
    used = sorted(
        {
            id(version): version
            for version in calendar.version_of[calendar.first : calendar.last + 1]
        }.values(),
        key=lambda version: version.applies_from,
    )
    return DiaryCheck(
        breaches=tuple(breaches),
        figures=tuple(figures),
        weeks=tuple(
            _weeks(calendar, facts, base_checker.start_index, base.day_work, extended_work)
        ),
        gap_starts=tuple(base_checker.ends[:-1]),
        gap_ends=tuple(base_checker.starts[1:]),
        notes=tuple(notes),
        rule_versions=tuple(used),
    )


def _totals(calendar: _Calendar, facts: _Facts, day_work: list[float]) -> Finding:
    worked = sum(day_work)
    met = facts.met
    extra = facts.walking_and_screening
    first = calendar.date_of(calendar.first)
    last = calendar.date_of(calendar.last)
    arithmetic = _(
        "{worked} h, of which {met} h mandatory extra time",
        worked=_number(_hours(worked)),
        met=_number(_hours(met)),
    )
    summary = _(
        "{worked} of working time from {first} to {last}, including {met} of mandatory extra time.",
        worked=Duration(worked),
        first=Day(first),
        last=Day(last),
        met=Duration(met),
    )
    if extra:
        arithmetic += _(
            "; {worked} + {extra} screening and walking = {total} h",
            worked=_number(_hours(worked)),
            extra=_number(_hours(extra)),
            total=_number(_hours(worked + extra)),
        )
        summary += _(
            " With {extra} of security screening and walking to the workstation: {total}.",
            extra=Duration(extra),
            total=Duration(worked + extra),
        )
    return Finding(
        rule=Rule.WORKING_TIME,
        regulation="reg 2",
        measure="totals",
        is_breach=False,
        first_day=first,
        last_day=last,
        summary=summary,
        arithmetic=arithmetic,
        numbers={
            "working_hours": _hours(worked),
            "mandatory_extra_hours": _hours(met),
            "screening_and_walking_hours": _hours(extra),
            "including_screening_hours": _hours(worked + extra),
        },
    )


def _opt_out_figure(calendar: _Calendar) -> Finding:
    opt_out = calendar.profile.opt_out
    assert opt_out is not None  # noqa: S101 - only called with an opt-out
    days = sum(calendar.opted_out[calendar.first : calendar.last + 1])
    since = (
        _(
            "from {first} to {last}",
            first=Day(opt_out.first_day),
            last=Day(opt_out.last_day),
        )
        if opt_out.last_day
        else _("from {first}", first=Day(opt_out.first_day))
    )
    return Finding(
        rule=Rule.OPT_OUT,
        regulation="reg 5 and 4(7)",
        measure="opt_out",
        is_breach=False,
        first_day=opt_out.first_day,
        last_day=opt_out.last_day or calendar.date_of(calendar.last),
        summary=_(
            "Opted out of the 48-hour limit {since}: {days} day(s) of the diary are "
            "excluded days for the average. The opt-out "
            "lifts only the 48-hour limit; rest, breaks and night work limits still apply.",
            since=since,
            days=days,
        ),
        arithmetic=_("{days} opted-out day(s) excluded", days=days),
        numbers={"opted_out_days": days},
    )


def _weeks(
    calendar: _Calendar,
    facts: _Facts,
    start_index: list[int],
    day_work: list[float],
    extended_work: list[float],
) -> list[WeekTotal]:
    met_by_day = [0.0] * calendar.size
    for period, index in zip(facts.base, start_index, strict=True):
        met_by_day[index] += period.met
    weeks: list[WeekTotal] = []
    first = calendar.first - 6 if calendar.first > 6 else 0
    first += -first % 7  # the Monday of the week holding the diary's first day
    monday_date = calendar.date_of(first)
    week = timedelta(days=7)
    for monday in range(first, calendar.last + 1, 7):
        # Added up day by day in order, as sum() over the week's days would.
        hours = extended = met = 0.0
        for day in range(monday, min(monday + 7, calendar.size)):
            hours += day_work[day]
            extended += extended_work[day]
            met += met_by_day[day]
        weeks.append(WeekTotal(monday_date, hours / HOUR, extended / HOUR, met / HOUR))
        monday_date += week
    return weeks


def check_as_dict(check: DiaryCheck) -> dict[str, object]:
    """The check as JSON-ready data (dates as ISO strings, figures to 4 decimals)."""

    def finding(item: Finding) -> dict[str, object]:
        return {
            "rule": item.rule.value,
            "title": item.title,
            "regulation": item.regulation,
            "measure": item.measure,
            "is_breach": item.is_breach,
            "basis": item.basis.value,
            "first_day": item.first_day.isoformat(),
            "last_day": item.last_day.isoformat(),
            "summary": str(item.summary),
            "arithmetic": str(item.arithmetic),
            "numbers": {key: round(value, 4) for key, value in item.numbers.items()},
            "is_provisional": item.is_provisional,
        }

    return {
        "breaches": [finding(item) for item in check.breaches],
        "figures": [finding(item) for item in check.figures],
        "weeks": [
            {
                "monday": week.monday.isoformat(),
                "hours": round(week.hours, 4),
                "hours_including_screening": round(week.hours_including_screening, 4),
                "mandatory_extra_hours": round(week.mandatory_extra_hours, 4),
            }
            for week in check.weeks
        ],
        "rest_gaps": [
            {
                "start": gap.start.isoformat(),
                "end": gap.end.isoformat(),
                "hours": round(gap.hours, 4),
            }
            for gap in check.rest_gaps
        ],
        "notes": [str(note) for note in check.notes],
        "rules": [
            {"applies_from": version.applies_from.isoformat(), "source": version.source}
            for version in check.rule_versions
        ],
        "disclaimer": check.disclaimer,
    }
