"""The Working Time Regulations engine: LAW.md's worked examples, a table of cases
with their arithmetic, edge cases, bad input, dated rules and properties.

No database: the engine is plain Python on plain data.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakroom.diary.rules import (
    RULE_VERSIONS,
    WTR_1998,
    WTR_2003,
    Absence,
    AbsenceKind,
    Basis,
    Break,
    DiaryCheck,
    DiaryInputError,
    Finding,
    OptOut,
    Rule,
    RuleVersion,
    Shift,
    TimeWindow,
    WorkerProfile,
    _instant,
    check_as_dict,
    check_diary,
    find_input_problems,
    rules_in_force,
)

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2025, 1, 6)  # a Monday: 17 weeks from it end on Sunday 4 May 2025
JUNE = date(2025, 6, 2)  # a Monday in summer time


# -- building diaries -----------------------------------------------------------------


def at(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=LONDON)


def work(
    day: date,
    start: str,
    end: str,
    *,
    breaks: Sequence[int | tuple[str, int]] = (),
    met: int = 0,
    walking: int = 0,
    screening: int = 0,
) -> Shift:
    """A shift from `start` on `day` to `end` (the next day if not after `start`).

    A break is its length in minutes, or (clock time, minutes) when its time is known.
    """
    begins = at(day, start)
    ends = at(day, end)
    if ends.timestamp() <= begins.timestamp():
        ends = at(day + timedelta(days=1), end)
    taken: list[Break] = []
    for item in breaks:
        if isinstance(item, int):
            taken.append(Break(item))
        else:
            clock, minutes = item
            moment = at(day, clock)
            if moment.timestamp() < begins.timestamp():
                moment = at(day + timedelta(days=1), clock)
            taken.append(Break(minutes, moment))
    return Shift(begins, ends, tuple(taken), met, walking, screening)


def every(
    first: date,
    weeks: int,
    weekdays: Sequence[int],
    start: str,
    end: str,
    *,
    breaks: Sequence[int | tuple[str, int]] = (),
    skip_weeks: Sequence[int] = (),
) -> list[Shift]:
    """The same shift on `weekdays` (0 = Monday) of `weeks` weeks from `first`."""
    return [
        work(first + timedelta(weeks=week, days=weekday), start, end, breaks=breaks)
        for week in range(weeks)
        if week not in skip_weeks
        for weekday in weekdays
    ]


def leave(first: date, days: int, kind: AbsenceKind) -> Absence:
    return Absence(first, first + timedelta(days=days - 1), kind)


@dataclass(frozen=True)
class Diary:
    shifts: list[Shift]
    absences: list[Absence] = field(default_factory=list)
    profile: WorkerProfile = field(default_factory=WorkerProfile)
    recorded_until: date | None = None

    def check(self, versions: Sequence[RuleVersion] = RULE_VERSIONS) -> DiaryCheck:
        return check_diary(
            self.profile,
            self.shifts,
            self.absences,
            recorded_until=self.recorded_until,
            versions=versions,
        )


def sunday_after(first: date, weeks: int) -> date:
    return first + timedelta(weeks=weeks, days=-1)


def pick(
    result: DiaryCheck,
    rule: Rule,
    measure: str,
    basis: Basis = Basis.WORKING_TIME,
    first_day: date | None = None,
) -> Finding:
    matches = [
        item
        for item in (*result.breaches, *result.figures)
        if item.rule == rule
        and item.measure == measure
        and item.basis == basis
        and (first_day is None or item.first_day == first_day)
    ]
    assert len(matches) == 1, [(item.measure, item.first_day, item.arithmetic) for item in matches]
    return matches[0]


def breaches_of(result: DiaryCheck, rule: Rule) -> list[Finding]:
    return [item for item in result.breaches if item.rule == rule]


# -- LAW.md's worked examples -----------------------------------------------------------


def law_weekly_example() -> Diary:
    """17 weeks: 680 hours worked, 10 excluded days; 10 days of 12 hours after."""
    shifts = every(MONDAY, 15, range(5), "08:00", "16:20", breaks=[20])  # 15 x 40 h
    shifts += every(MONDAY, 10, [5], "08:00", "16:20", breaks=[20])  # + 10 Saturdays x 8 h
    shifts += every(MONDAY + timedelta(weeks=17), 2, range(5), "07:00", "19:30", breaks=[30])
    absences = [
        leave(MONDAY + timedelta(weeks=15), 5, AbsenceKind.ANNUAL_LEAVE),
        leave(MONDAY + timedelta(weeks=16), 5, AbsenceKind.SICK),
    ]
    return Diary(shifts, absences)


def law_night_example() -> Diary:
    """Four 12-hour nights a week (12 h 20 min with a 20-minute break) for 17 weeks."""
    shifts = every(MONDAY, 17, range(4), "19:00", "07:20", breaks=[20])
    return Diary(shifts, recorded_until=sunday_after(MONDAY, 17))


def test_law_example_weekly_average() -> None:
    result = law_weekly_example().check()

    found = pick(result, Rule.WEEKLY_AVERAGE, "highest_average")

    assert found.arithmetic == "(680 + 120) / 17 = 47.06 h"
    assert str(found.summary).endswith("within the 48 h limit.")
    assert (found.first_day, found.last_day) == (MONDAY, sunday_after(MONDAY, 17))
    assert found.numbers["A_hours"] == 680
    assert found.numbers["B_hours"] == 120
    assert found.numbers["excluded_days"] == 10
    assert not breaches_of(result, Rule.WEEKLY_AVERAGE)


def test_law_example_night_average_is_at_the_limit_not_over_it() -> None:
    result = law_night_example().check()

    found = pick(result, Rule.NIGHT_AVERAGE, "highest_night_average")

    assert found.arithmetic == "816 / (119 \N{MINUS SIGN} 17) = 8.0 h"
    assert "at the limit, not over it" in str(found.summary)
    assert found.numbers["average_hours"] == pytest.approx(8.0)
    assert not breaches_of(result, Rule.NIGHT_AVERAGE)
    assert pick(result, Rule.NIGHT_WORKER, "night_worker").arithmetic == ("68 / 68 = 100% ≥ 33%")


# -- the table: each case with its arithmetic ---------------------------------------------

MINUS = "\N{MINUS SIGN}"


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], Diary]
    rule: Rule
    measure: str
    is_breach: bool
    arithmetic: str
    basis: Basis = Basis.WORKING_TIME
    first_day: date | None = None


def fifty_hour_weeks(weeks: int) -> Diary:
    shifts = every(MONDAY, weeks, range(5), "07:00", "17:30", breaks=[30])
    return Diary(shifts, recorded_until=sunday_after(MONDAY, weeks))


def forty_eight_hour_weeks(extra_sunday_hour: bool = False) -> Diary:
    shifts = every(MONDAY, 17, range(6), "08:00", "16:20", breaks=[20])
    if extra_sunday_hour:
        shifts.append(work(MONDAY + timedelta(weeks=8, days=6), "10:00", "11:00"))
    return Diary(shifts, recorded_until=sunday_after(MONDAY, 17))


def leave_in_week_eight(kind: AbsenceKind) -> Diary:
    """18 weeks of 5 x 10 h, with week 8 taken as `kind` of absence."""
    shifts = every(MONDAY, 18, range(5), "07:00", "17:30", breaks=[30], skip_weeks=[8])
    absences = [leave(MONDAY + timedelta(weeks=8), 5, kind)]
    return Diary(shifts, absences, recorded_until=sunday_after(MONDAY, 18))


def opt_out_then_forty_hours() -> Diary:
    """Opted out for 5 weeks of 60 h, then 19 weeks of 40 h."""
    shifts = every(MONDAY, 5, range(6), "07:00", "17:30", breaks=[30])
    shifts += every(MONDAY + timedelta(weeks=5), 19, range(5), "08:00", "16:30", breaks=[30])
    profile = WorkerProfile(opt_out=OptOut(MONDAY, MONDAY + timedelta(weeks=5, days=-1)))
    return Diary(shifts, profile=profile, recorded_until=sunday_after(MONDAY, 24))


def twenty_six_weeks(reference_weeks: int | None) -> Diary:
    shifts = every(MONDAY, 13, range(7), "08:00", "16:30", breaks=[30])  # 56 h
    shifts += every(MONDAY + timedelta(weeks=13), 13, range(5), "08:00", "16:30", breaks=[30])
    profile = WorkerProfile(reference_weeks=reference_weeks)
    return Diary(shifts, profile=profile, recorded_until=sunday_after(MONDAY, 26))


def new_starter() -> Diary:
    shifts = every(MONDAY, 3, range(5), "07:00", "18:30", breaks=[30])  # 55 h
    return Diary(
        shifts,
        profile=WorkerProfile(employment_start=MONDAY),
        recorded_until=sunday_after(MONDAY, 3),
    )


def night_across_the_period_end() -> Diary:
    diary = forty_eight_hour_weeks()
    last_sunday = sunday_after(MONDAY, 17)
    shifts = [*diary.shifts, work(last_sunday, "20:00", "04:00")]
    return Diary(shifts, recorded_until=last_sunday + timedelta(days=1))


def leave_at_the_end() -> Diary:
    shifts = every(MONDAY, 16, range(5), "07:00", "17:30", breaks=[30])
    absences = [leave(MONDAY + timedelta(weeks=16), 5, AbsenceKind.ANNUAL_LEAVE)]
    return Diary(shifts, absences, recorded_until=sunday_after(MONDAY, 17))


ADULT = WorkerProfile()


def two_shifts(first: Shift, second: Shift, profile: WorkerProfile = ADULT) -> Diary:
    return Diary([first, second], profile=profile)


YOUNG = WorkerProfile(is_under_18=True)
WED = JUNE + timedelta(days=2)
THU = JUNE + timedelta(days=3)


def seven_day_weeks() -> Diary:
    """A normal week, three weeks of seven days, a normal week."""
    shifts = every(JUNE, 1, range(5), "08:00", "16:00", breaks=[30])
    shifts += every(JUNE + timedelta(weeks=1), 3, range(7), "08:00", "16:00", breaks=[30])
    shifts += every(JUNE + timedelta(weeks=4), 1, range(5), "08:00", "16:00", breaks=[30])
    return Diary(shifts)


def fortnight_alternative() -> Diary:
    """Two seven-day weeks, then a week with a long weekend."""
    shifts = every(JUNE - timedelta(weeks=1), 1, range(7), "08:00", "15:00", breaks=[30])
    shifts += every(JUNE, 1, range(7), "08:00", "16:00", breaks=[30])
    shifts += every(JUNE + timedelta(weeks=1), 1, range(4), "08:00", "16:00", breaks=[30])
    return Diary(shifts)


def night_pattern(nights: Sequence[int], start: str, end: str) -> Diary:
    shifts = every(MONDAY, 17, nights, start, end, breaks=[30])
    return Diary(shifts, recorded_until=sunday_after(MONDAY, 17))


def young_days(first: date, days: int, start: str, end: str, breaks: int = 30) -> list[Shift]:
    return [work(first + timedelta(days=day), start, end, breaks=[breaks]) for day in range(days)]


FICTIONAL = replace(
    WTR_2003,
    applies_from=date(2030, 1, 1),
    source="a fictional amendment: 12 hours' daily rest",
    daily_rest_hours=12,
)


CASES = [
    # reg 4: the 48-hour average
    Case(
        "48 h every week is at the limit",
        forty_eight_hour_weeks,
        Rule.WEEKLY_AVERAGE,
        "highest_average",
        False,
        "(816 + 0) / 17 = 48.0 h",
    ),
    Case(
        "50 h every week is over",
        lambda: fifty_hour_weeks(17),
        Rule.WEEKLY_AVERAGE,
        "average_breach",
        True,
        "(850 + 0) / 17 = 50.0 h",
    ),
    Case(
        "one hour over in 17 weeks is over",
        lambda: forty_eight_hour_weeks(extra_sunday_hour=True),
        Rule.WEEKLY_AVERAGE,
        "average_breach",
        True,
        "(817 + 0) / 17 = 48.06 h",
    ),
    Case(
        "rolling periods over the limit are one breach showing the worst",
        lambda: fifty_hour_weeks(20),
        Rule.WEEKLY_AVERAGE,
        "average_breach",
        True,
        "(850 + 0) / 17 = 50.0 h",
    ),
    *[
        Case(
            f"{kind.value} is an excluded day, replaced from after the period",
            lambda kind=kind: leave_in_week_eight(kind),  # type: ignore[misc]
            Rule.WEEKLY_AVERAGE,
            "average_breach",
            True,
            "(800 + 50) / 17 = 50.0 h",
        )
        for kind in (
            AbsenceKind.ANNUAL_LEAVE,
            AbsenceKind.SICK,
            AbsenceKind.MATERNITY,
            AbsenceKind.PATERNITY,
            AbsenceKind.ADOPTION,
            AbsenceKind.PARENTAL,
            AbsenceKind.SHARED_PARENTAL,
        )
    ],
    *[
        Case(
            f"{kind.value} is not an excluded day",
            lambda kind=kind: leave_in_week_eight(kind),  # type: ignore[misc]
            Rule.WEEKLY_AVERAGE,
            "highest_average",
            False,
            "(800 + 0) / 17 = 47.06 h",
        )
        for kind in (AbsenceKind.ADDITIONAL_LEAVE, AbsenceKind.OTHER)
    ],
    Case(
        "opt-out days are excluded, and the hours worked in them too",
        opt_out_then_forty_hours,
        Rule.WEEKLY_AVERAGE,
        "highest_average",
        False,
        "(480 + 280) / 17 = 44.71 h",
    ),
    Case(
        "an agreed 26-week period averages 13 long weeks with 13 short ones",
        lambda: twenty_six_weeks(26),
        Rule.WEEKLY_AVERAGE,
        "highest_average",
        False,
        "(1248 + 0) / 26 = 48.0 h",
    ),
    Case(
        "the same weeks over the default 17 weeks are over",
        lambda: twenty_six_weeks(None),
        Rule.WEEKLY_AVERAGE,
        "average_breach",
        True,
        "(888 + 0) / 17 = 52.24 h",
    ),
    Case(
        "a new starter's period is the weeks since starting",
        new_starter,
        Rule.WEEKLY_AVERAGE,
        "new_starter_breach",
        True,
        "(55 + 0) / 1 = 55.0 h",
    ),
    Case(
        "a night shift across the period's end counts its hours before midnight",
        night_across_the_period_end,
        Rule.WEEKLY_AVERAGE,
        "average_breach",
        True,
        "(820 + 0) / 17 = 48.24 h",
    ),
    Case(
        "excluded days at the end wait for days not yet recorded",
        leave_at_the_end,
        Rule.WEEKLY_AVERAGE,
        "highest_average",
        False,
        "(800 + 0) / 17 = 47.06 h",
    ),
    # reg 10: daily rest
    Case(
        "a 13-hour shift then a 9-hour gap",
        lambda: two_shifts(
            work(WED, "18:30", "07:30", breaks=[30]), work(THU, "16:30", "05:00", breaks=[30])
        ),
        Rule.DAILY_REST,
        "rest_breach",
        True,
        "Thu 5 Jun 2025 07:30 to 16:30 = 9 h < 11 h",
    ),
    Case(
        "exactly 11 hours' rest",
        lambda: two_shifts(
            work(JUNE, "08:00", "20:00", breaks=[30]),
            work(JUNE + timedelta(days=1), "07:00", "15:00", breaks=[30]),
        ),
        Rule.DAILY_REST,
        "shortest_rest",
        False,
        "Mon 2 Jun 2025 20:00 to Tue 07:00 = 11 h ≥ 11 h",
    ),
    Case(
        "one minute short of 11 hours",
        lambda: two_shifts(
            work(JUNE, "08:00", "20:01", breaks=[30]),
            work(JUNE + timedelta(days=1), "07:00", "15:00", breaks=[30]),
        ),
        Rule.DAILY_REST,
        "rest_breach",
        True,
        "Mon 2 Jun 2025 20:01 to Tue 07:00 = 10 h 59 min < 11 h",
    ),
    Case(
        "a split shift still has 12 hours' rest in each 24",
        lambda: Diary(
            [
                work(JUNE + timedelta(days=day), start, end)
                for day in range(2)
                for start, end in (("06:00", "10:00"), ("14:00", "18:00"))
            ]
        ),
        Rule.DAILY_REST,
        "shortest_rest",
        False,
        "Mon 2 Jun 2025 18:00 to Tue 06:00 = 12 h ≥ 11 h",
    ),
    Case(
        "a 14-hour shift leaves only 10 hours in its 24",
        lambda: Diary([work(JUNE, "06:00", "20:00", breaks=[30, 30])]),
        Rule.DAILY_REST,
        "rest_breach",
        True,
        "Mon 2 Jun 2025 20:00 to Tue 06:00 = 10 h < 11 h",
    ),
    Case(
        "a young worker needs 12 hours",
        lambda: two_shifts(
            work(JUNE, "11:00", "19:00", breaks=[30]),
            work(JUNE + timedelta(days=1), "06:30", "12:30", breaks=[30]),
            YOUNG,
        ),
        Rule.DAILY_REST,
        "rest_breach",
        True,
        "Mon 2 Jun 2025 19:00 to Tue 06:30 = 11 h 30 min < 12 h",
    ),
    Case(
        "rest across the clocks going back is an hour longer than the clock shows",
        lambda: two_shifts(
            work(date(2025, 10, 25), "11:00", "22:00", breaks=[30]),
            work(date(2025, 10, 26), "08:00", "16:00", breaks=[30]),
        ),
        Rule.DAILY_REST,
        "shortest_rest",
        False,
        "Sat 25 Oct 2025 22:00 to Sun 08:00 = 11 h ≥ 11 h",
    ),
    Case(
        "rest across the clocks going forward is an hour shorter than the clock shows",
        lambda: two_shifts(
            work(date(2025, 3, 29), "12:00", "23:00", breaks=[30]),
            work(date(2025, 3, 30), "10:00", "16:00", breaks=[30]),
        ),
        Rule.DAILY_REST,
        "rest_breach",
        True,
        "Sat 29 Mar 2025 23:00 to Sun 10:00 = 10 h < 11 h",
    ),
    # reg 11: weekly rest
    Case(
        "the middle of three seven-day weeks has no weekly rest",
        seven_day_weeks,
        Rule.WEEKLY_REST,
        "weekly_rest_breach",
        True,
        "longest unbroken rest in the week from Mon 16 Jun 2025: 16 h < 24 h; "
        "14 days with the week before: longest 16 h, 0 rest(s) of 24 h or more "
        "(short of one of 48 h or two of 24 h); 14 days with the week after: longest "
        "16 h, 0 rest(s) of 24 h or more (short of one of 48 h or two of 24 h)",
    ),
    Case(
        "a week without 24 hours' rest is lawful if its 14 days had 48 hours",
        fortnight_alternative,
        Rule.WEEKLY_REST,
        "shortest_weekly_rest",
        False,
        "longest unbroken rest in the week from Mon 2 Jun 2025: 16 h < 24 h; "
        "14 days with the week before: longest 17 h, 0 rest(s) of 24 h or more "
        "(short of one of 48 h or two of 24 h); 14 days with the week after: longest "
        "80 h, 1 rest(s) of 24 h or more (meets one of 48 h or two of 24 h)",
    ),
    Case(
        "a young worker's six-day week leaves 34 hours to Sunday midnight",
        lambda: Diary(young_days(JUNE, 6, "08:00", "14:00"), profile=YOUNG),
        Rule.WEEKLY_REST,
        "weekly_rest_breach",
        True,
        "longest unbroken rest in the week from Mon 2 Jun 2025: 34 h < 48 h",
    ),
    Case(
        "a young worker's five-day week has its 48 hours",
        lambda: Diary(young_days(JUNE, 5, "08:00", "14:00"), profile=YOUNG),
        Rule.WEEKLY_REST,
        "shortest_weekly_rest",
        False,
        "longest unbroken rest in the week from Mon 2 Jun 2025: 58 h ≥ 48 h",
    ),
    # reg 12: rest breaks
    Case(
        "6 h 15 min without a break",
        lambda: Diary([work(JUNE, "08:00", "14:15")]),
        Rule.REST_BREAK,
        "break_breach",
        True,
        f"6 h 15 min {MINUS} breaks 0 min = 6 h 15 min > 6 h; longest break 0 min < 20 min",
    ),
    Case(
        "exactly 6 hours needs no break",
        lambda: Diary([work(JUNE, "08:00", "14:00")]),
        Rule.REST_BREAK,
        "breaks",
        False,
        f"0 {MINUS} 0 = 0 shift(s) with the break due",
    ),
    Case(
        "two 15-minute breaks are not one of 20",
        lambda: Diary([work(JUNE, "08:00", "16:30", breaks=[15, 15])]),
        Rule.REST_BREAK,
        "break_breach",
        True,
        f"8 h 30 min {MINUS} breaks 30 min = 8 h > 6 h; longest break 15 min < 20 min",
    ),
    Case(
        "a timed 20-minute break is enough",
        lambda: Diary([work(JUNE, "08:00", "16:20", breaks=[("12:00", 20)])]),
        Rule.REST_BREAK,
        "breaks",
        False,
        f"1 {MINUS} 0 = 1 shift(s) with the break due",
    ),
    Case(
        "a young worker needs 30 minutes after 4.5 hours",
        lambda: Diary([work(JUNE, "09:00", "14:20", breaks=[20])], profile=YOUNG),
        Rule.REST_BREAK,
        "break_breach",
        True,
        f"5 h 20 min {MINUS} breaks 20 min = 5 h > 4.5 h; longest break 20 min < 30 min",
    ),
    Case(
        "a break that brings the day to 6 hours or less is not needed",
        lambda: Diary([work(JUNE, "08:00", "14:10", breaks=[15])]),
        Rule.REST_BREAK,
        "breaks",
        False,
        f"0 {MINUS} 0 = 0 shift(s) with the break due",
    ),
    # reg 2 and 6: night work
    Case(
        "two nights in twelve shifts is not a night worker",
        lambda: Diary(
            [
                *every(JUNE, 2, range(5), "08:00", "16:00", breaks=[30]),
                work(JUNE + timedelta(days=5), "22:00", "06:00", breaks=[30]),
                work(JUNE + timedelta(days=12), "22:00", "06:00", breaks=[30]),
            ]
        ),
        Rule.NIGHT_WORKER,
        "night_worker",
        False,
        "2 / 12 = 17% < 33%",
    ),
    Case(
        "18:00 to 01:00 has 2 hours of the default night time",
        lambda: Diary([work(JUNE, "18:00", "01:00", breaks=[("21:00", 30)])]),
        Rule.NIGHT_WORKER,
        "night_worker",
        False,
        "0 / 1 = 0% < 33%",
    ),
    Case(
        "and 3 hours of an agreed night time 22:00 to 05:00",
        lambda: Diary(
            [work(JUNE, "18:00", "01:00", breaks=[("21:00", 30)])],
            profile=WorkerProfile(night_time=TimeWindow(time(22), time(5))),
        ),
        Rule.NIGHT_WORKER,
        "night_worker",
        False,
        "1 / 1 = 100% ≥ 33%",
    ),
    Case(
        "four 13-hour nights a week are over the night limit",
        lambda: night_pattern(range(4), "19:00", "08:30"),
        Rule.NIGHT_AVERAGE,
        "night_breach",
        True,
        f"884 / (119 {MINUS} 17) = 8.67 h",
    ),
    Case(
        "five 10-hour nights a week are over the night limit",
        lambda: night_pattern(range(5), "20:00", "06:30"),
        Rule.NIGHT_AVERAGE,
        "night_breach",
        True,
        f"850 / (119 {MINUS} 17) = 8.33 h",
    ),
    Case(
        "three 12-hour nights a week are within it",
        lambda: night_pattern(range(3), "19:00", "07:30"),
        Rule.NIGHT_AVERAGE,
        "highest_night_average",
        False,
        f"612 / (119 {MINUS} 17) = 6.0 h",
    ),
    # regs 5A and 6A: young workers
    Case(
        "a young worker's 8.5-hour day",
        lambda: Diary([work(JUNE, "08:00", "17:00", breaks=[30])], profile=YOUNG),
        Rule.YOUNG_DAILY_LIMIT,
        "young_day_breach",
        True,
        "8.5 h > 8 h",
    ),
    Case(
        "the longest young day, over the limit, is shown as over it",
        lambda: Diary([work(JUNE, "08:00", "17:00", breaks=[30])], profile=YOUNG),
        Rule.YOUNG_DAILY_LIMIT,
        "longest_young_day",
        False,
        "8.5 h > 8 h",
    ),
    Case(
        "a young worker's 41-hour week",
        lambda: Diary(young_days(JUNE, 6, "08:00", "15:20"), profile=YOUNG),
        Rule.YOUNG_WEEKLY_LIMIT,
        "young_week_breach",
        True,
        "6.83 + 6.83 + 6.83 + 6.83 + 6.83 + 6.83 = 41 h > 40 h",
    ),
    Case(
        "the longest young week, over the limit, is shown as over it",
        lambda: Diary(young_days(JUNE, 6, "08:00", "15:20"), profile=YOUNG),
        Rule.YOUNG_WEEKLY_LIMIT,
        "longest_young_week",
        False,
        "6.83 + 6.83 + 6.83 + 6.83 + 6.83 + 6.83 = 41 h > 40 h",
    ),
    Case(
        "a young worker's 40-hour week is within",
        lambda: Diary(young_days(JUNE, 5, "08:00", "16:30"), profile=YOUNG),
        Rule.YOUNG_WEEKLY_LIMIT,
        "longest_young_week",
        False,
        "8 + 8 + 8 + 8 + 8 = 40 h ≤ 40 h",
    ),
    Case(
        "a young worker may not work after 22:00",
        lambda: Diary([work(JUNE, "21:00", "22:30")], profile=YOUNG),
        Rule.YOUNG_NIGHT_WORK,
        "young_night_breach",
        True,
        f"30 min worked in 22:00{MINUS}06:00 > 0",
    ),
    Case(
        "or after 23:00 where the contract requires work after 22:00",
        lambda: Diary(
            [work(JUNE, "21:00", "23:30")],
            profile=WorkerProfile(is_under_18=True, contract_requires_work_after_22=True),
        ),
        Rule.YOUNG_NIGHT_WORK,
        "young_night_breach",
        True,
        f"30 min worked in 23:00{MINUS}07:00 > 0",
    ),
    # the rules in force on the date of the facts
    Case(
        "in 2004 a young worker's 9-hour day breaks reg 5A",
        lambda: Diary([work(date(2004, 6, 7), "08:00", "17:30", breaks=[30])], profile=YOUNG),
        Rule.YOUNG_DAILY_LIMIT,
        "young_day_breach",
        True,
        "9 h > 8 h",
    ),
    # working time including screening and walking
    Case(
        "screening time turns an 11-hour rest into 10 h 55 min",
        lambda: two_shifts(
            work(JUNE, "08:00", "19:55", breaks=[30], screening=10),
            work(JUNE + timedelta(days=1), "07:00", "15:00", breaks=[30]),
        ),
        Rule.DAILY_REST,
        "rest_breach",
        True,
        "Mon 2 Jun 2025 20:05 to Tue 07:00 = 10 h 55 min < 11 h",
        Basis.INCLUDING_SCREENING,
    ),
    Case(
        "walking time takes a 6-hour day over the break threshold",
        lambda: Diary([work(JUNE, "08:00", "14:00", walking=10)]),
        Rule.REST_BREAK,
        "break_breach",
        True,
        f"6 h 10 min {MINUS} breaks 0 min = 6 h 10 min > 6 h; longest break 0 min < 20 min",
        Basis.INCLUDING_SCREENING,
    ),
    Case(
        "both totals are shown",
        lambda: Diary([work(JUNE, "07:00", "17:30", breaks=[30], met=60, walking=8, screening=12)]),
        Rule.WORKING_TIME,
        "totals",
        False,
        "10 h, of which 1 h mandatory extra time; 10 + 0.33 screening and walking = 10.33 h",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_case(case: Case) -> None:
    result = case.build().check()

    found = pick(result, case.rule, case.measure, case.basis, case.first_day)

    assert found.arithmetic == case.arithmetic
    assert found.is_breach is case.is_breach
    assert (found in result.breaches) is case.is_breach


def test_the_table_has_at_least_forty_cases_of_its_own() -> None:
    assert len(CASES) >= 40


# -- details of the cases above ---------------------------------------------------------


def test_overlapping_periods_over_the_limit_are_counted_in_one_breach() -> None:
    result = fifty_hour_weeks(20).check()

    (found,) = breaches_of(result, Rule.WEEKLY_AVERAGE)

    assert found.numbers["periods_over_limit"] == 22
    assert (found.first_day, found.last_day) == (MONDAY, sunday_after(MONDAY, 20))
    assert "in 22 overlapping reference periods" in str(found.summary)


def test_a_new_starter_is_judged_week_by_week_since_starting() -> None:
    result = new_starter().check()

    found = pick(result, Rule.WEEKLY_AVERAGE, "new_starter_breach")

    assert found.regulation == "reg 4(4) and 4(6)"
    assert found.numbers["periods_over_limit"] == 3
    assert "since starting work on Mon 6 Jan 2025" in str(found.summary)


def test_replacement_days_not_yet_recorded_make_the_figure_provisional() -> None:
    found = pick(leave_at_the_end().check(), Rule.WEEKLY_AVERAGE, "highest_average")

    assert found.is_provisional
    assert "only 0 recorded yet" in str(found.summary)


def test_the_opt_out_lifts_only_the_48_hour_limit() -> None:
    shifts = every(MONDAY, 17, range(5), "07:00", "19:30", breaks=[30])  # 60 h
    shifts[3] = work(MONDAY + timedelta(days=3), "09:00", "21:00", breaks=[30])
    diary = Diary(
        shifts,
        profile=WorkerProfile(opt_out=OptOut(MONDAY)),
        recorded_until=sunday_after(MONDAY, 17),
    )

    result = diary.check()

    assert not [item for item in result.figures if item.rule == Rule.WEEKLY_AVERAGE]
    assert not breaches_of(result, Rule.WEEKLY_AVERAGE)
    assert [item.arithmetic for item in breaches_of(result, Rule.DAILY_REST)] == [
        "Thu 9 Jan 2025 21:00 to Fri 07:00 = 10 h < 11 h"
    ]
    assert pick(result, Rule.OPT_OUT, "opt_out").numbers == {"opted_out_days": 119}


def test_without_the_opt_out_the_same_weeks_are_over() -> None:
    shifts = every(MONDAY, 17, range(5), "07:00", "19:30", breaks=[30])

    result = Diary(shifts, recorded_until=sunday_after(MONDAY, 17)).check()

    assert pick(result, Rule.WEEKLY_AVERAGE, "average_breach").arithmetic == (
        "(1020 + 0) / 17 = 60.0 h"
    )


def test_hours_worked_under_the_opt_out_are_noted() -> None:
    assert any("opted-out day(s)" in str(note) for note in opt_out_then_forty_hours().check().notes)


def test_young_worker_rules_stop_on_the_eighteenth_birthday() -> None:
    shifts = young_days(JUNE, 5, "08:00", "17:00")  # 8.5 h a day
    profile = WorkerProfile(date_of_birth=date(2007, 6, 4))  # 18 on Wednesday 4 June

    result = Diary(shifts, profile=profile).check()

    assert [item.first_day for item in breaches_of(result, Rule.YOUNG_DAILY_LIMIT)] == [
        JUNE,
        JUNE + timedelta(days=1),
    ]


def test_a_young_worker_born_on_29_february_is_18_on_1_march() -> None:
    shifts = young_days(date(2026, 2, 27), 3, "08:00", "17:00")  # 8.5 h a day
    profile = WorkerProfile(date_of_birth=date(2008, 2, 29))

    result = Diary(shifts, profile=profile).check()

    assert [item.first_day for item in breaches_of(result, Rule.YOUNG_DAILY_LIMIT)] == [
        date(2026, 2, 27),
        date(2026, 2, 28),
    ]


# -- daylight saving ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("night", "hours"),
    [
        (date(2025, 10, 25), 9.0),  # the clocks go back: 22:00 to 06:00 is 9 hours
        (date(2025, 3, 29), 7.0),  # they go forward: 7 hours
        (date(2025, 6, 14), 8.0),
    ],
)
def test_a_night_shift_lasts_the_real_time_between_its_clock_times(
    night: date, hours: float
) -> None:
    result = Diary([work(night, "22:00", "06:00")]).check()

    (week,) = result.weeks

    assert week.monday == night - timedelta(days=5)
    assert week.hours == hours
    assert pick(result, Rule.WORKING_TIME, "totals").numbers["working_hours"] == hours


def test_the_clocks_going_back_can_cause_a_break_breach_the_clock_hides() -> None:
    result = Diary([work(date(2025, 10, 26), "00:30", "06:00")]).check()

    assert pick(result, Rule.REST_BREAK, "break_breach").arithmetic == (
        f"6 h 30 min {MINUS} breaks 0 min = 6 h 30 min > 6 h; longest break 0 min < 20 min"
    )


def test_a_shift_across_midnight_counts_its_hours_on_each_day() -> None:
    shifts = [work(JUNE + timedelta(days=6), "20:00", "06:00")]  # Sunday night

    result = Diary(shifts).check()

    assert [(week.monday, week.hours) for week in result.weeks] == [
        (JUNE, 4.0),
        (JUNE + timedelta(weeks=1), 6.0),
    ]


# -- bad input ----------------------------------------------------------------------------

NAIVE = datetime(2025, 6, 2, 8, 0)  # noqa: DTZ001 - a naive time is the bad input here

BAD_INPUT = [
    (
        "end before start",
        [Shift(at(JUNE, "18:00"), at(JUNE, "08:00"), label="row 4")],
        [],
        "row 4 (Mon 2 Jun 2025 18:00 to 08:00): it ends (Mon 2 Jun 2025 08:00) before it "
        "starts (Mon 2 Jun 2025 18:00).",
    ),
    (
        "a 30-hour shift",
        [Shift(at(JUNE, "06:00"), at(JUNE + timedelta(days=1), "12:00"))],
        [],
        "shift 1 (Mon 2 Jun 2025 06:00 to Tue 12:00): it lasts 30 h; a shift longer than "
        "24 hours is refused. Enter the shifts actually worked, each with its own start "
        "and end.",
    ),
    (
        "overlapping shifts",
        [work(JUNE, "08:00", "16:00"), work(JUNE, "15:00", "20:00")],
        [],
        "shift 2 (Mon 2 Jun 2025 15:00 to 20:00) overlaps shift 1 (Mon 2 Jun 2025 08:00 to "
        "16:00): a worker cannot be on two shifts at once.",
    ),
    (
        "a shift inside a long one and the next one too",
        [work(JUNE, "06:00", "22:00"), work(JUNE, "08:00", "09:00"), work(JUNE, "12:00", "13:00")],
        [],
        "shift 3 (Mon 2 Jun 2025 12:00 to 13:00) overlaps shift 1 (Mon 2 Jun 2025 06:00 to "
        "22:00): a worker cannot be on two shifts at once.",
    ),
    (
        "a time without its zone",
        [Shift(NAIVE, NAIVE + timedelta(hours=8))],
        [],
        "the times must carry their time zone.",
    ),
    (
        "a break outside the shift",
        [work(JUNE, "08:00", "16:00", breaks=[("17:00", 20)])],
        [],
        "the break at Mon 2 Jun 2025 17:00 is not inside the shift.",
    ),
    (
        "breaks as long as the shift",
        [work(JUNE, "08:00", "09:00", breaks=[60])],
        [],
        "the breaks (1 h) take up the whole shift (1 h).",
    ),
    (
        "mandatory extra time longer than the shift",
        [work(JUNE, "08:00", "10:00", met=180)],
        [],
        "the mandatory extra time (3 h) is longer than the time worked (2 h)",
    ),
    (
        "negative screening time",
        [work(JUNE, "08:00", "10:00", screening=-5)],
        [],
        "screening_minutes is negative.",
    ),
    (
        "an absence ending before it starts",
        [],
        [Absence(JUNE, JUNE - timedelta(days=1), AbsenceKind.SICK)],
        "absence 1 (sick leave, 2025-06-02): it ends (Sun 1 Jun 2025) before it starts "
        "(Mon 2 Jun 2025).",
    ),
    (
        "overlapping absences",
        [],
        [
            leave(JUNE, 5, AbsenceKind.ANNUAL_LEAVE),
            leave(JUNE + timedelta(days=4), 2, AbsenceKind.SICK),
        ],
        "absence 2 (sick leave, 2025-06-06) overlaps absence 1 (annual leave (reg 13, the "
        "basic 4 weeks), 2025-06-02): record each day as one kind of absence.",
    ),
    (
        "facts from before the regulations",
        [work(date(1998, 9, 30), "08:00", "16:00")],
        [],
        "no working-time rules are in force on Wed 30 Sep 1998; they apply from Thu 1 Oct 1998.",
    ),
]


@pytest.mark.parametrize(
    ("shifts", "absences", "message"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_refused_naming_the_entry(
    shifts: list[Shift], absences: list[Absence], message: str
) -> None:
    with pytest.raises(DiaryInputError) as raised:
        check_diary(WorkerProfile(), shifts, absences)

    assert any(message in str(problem.message) for problem in raised.value.problems), [
        str(problem.message) for problem in raised.value.problems
    ]


def test_problems_name_the_entry_for_programs_too() -> None:
    shifts = [work(JUNE, "08:00", "16:00"), work(JUNE, "15:00", "20:00")]

    (problem,) = find_input_problems(WorkerProfile(), shifts)

    assert (problem.kind, problem.index, problem.field) == ("shift", 1, "start")


def test_every_problem_is_reported_at_once() -> None:
    shifts = [
        Shift(at(JUNE, "18:00"), at(JUNE, "08:00")),
        Shift(at(JUNE, "06:00"), at(JUNE + timedelta(days=1), "12:00")),
    ]

    problems = find_input_problems(WorkerProfile(reference_weeks=53), shifts)

    assert [(problem.kind, problem.field) for problem in problems] == [
        ("shift", "end"),
        ("shift", "end"),
        ("profile", "reference_weeks"),
    ]


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (WorkerProfile(reference_weeks=53), "1 to 52 weeks, not 53"),
        (WorkerProfile(reference_weeks=0), "1 to 52 weeks, not 0"),
        (
            WorkerProfile(night_time=TimeWindow(time(23), time(5))),
            f"at least 7 hours and include 00:00{MINUS}05:00; 23:00{MINUS}05:00 does not",
        ),
        (
            WorkerProfile(night_time=TimeWindow(time(20), time(3))),
            f"include 00:00{MINUS}05:00; 20:00{MINUS}03:00 does not",
        ),
        (
            WorkerProfile(opt_out=OptOut(JUNE, JUNE - timedelta(days=1))),
            "The opt-out ends (Sun 1 Jun 2025) before it starts (Mon 2 Jun 2025).",
        ),
        (
            WorkerProfile(date_of_birth=JUNE),
            "is not before the diary's first day",
        ),
        (
            WorkerProfile(employment_start=JUNE + timedelta(days=1)),
            "it is before the employment start (Tue 3 Jun 2025).",
        ),
    ],
)
def test_a_bad_profile_is_refused(profile: WorkerProfile, message: str) -> None:
    with pytest.raises(DiaryInputError, match=None) as raised:
        check_diary(profile, [work(JUNE, "08:00", "16:00", breaks=[30])])

    assert message in str(raised.value)


def test_agreed_night_time_from_midnight_is_accepted() -> None:
    profile = WorkerProfile(night_time=TimeWindow(time(0), time(7)))

    result = Diary([work(JUNE, "20:00", "04:00", breaks=[30])], profile=profile).check()

    assert pick(result, Rule.NIGHT_WORKER, "night_worker").arithmetic == "1 / 1 = 100% ≥ 33%"


def test_a_diary_said_to_end_before_its_entries_is_refused() -> None:
    with pytest.raises(DiaryInputError, match="has entries up to Mon 2 Jun 2025"):
        check_diary(
            WorkerProfile(), [work(JUNE, "08:00", "16:00")], recorded_until=JUNE - timedelta(days=1)
        )


def test_an_empty_diary_has_nothing_to_report() -> None:
    result = check_diary(WorkerProfile(), [])

    assert (result.breaches, result.figures) == ((), ())
    assert [str(note) for note in result.notes] == ["The diary is empty."]


# -- dated rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (date(1998, 10, 1), WTR_1998),
        (date(2003, 4, 5), WTR_1998),
        (date(2003, 4, 6), WTR_2003),
        (date(2026, 4, 6), WTR_2003),
    ],
)
def test_the_version_in_force_on_a_day(day: date, version: RuleVersion) -> None:
    assert rules_in_force(day) is version


def test_there_are_no_rules_before_1_october_1998() -> None:
    with pytest.raises(DiaryInputError, match="they apply from Thu 1 Oct 1998"):
        rules_in_force(date(1998, 9, 30))


def test_before_6_april_2003_a_young_worker_had_no_8_hour_day() -> None:
    diary = Diary([work(date(2002, 6, 3), "08:00", "17:30", breaks=[30])], profile=YOUNG)

    result = diary.check()

    assert not breaches_of(result, Rule.YOUNG_DAILY_LIMIT)
    assert not breaches_of(result, Rule.YOUNG_NIGHT_WORK)
    assert result.rule_versions == (WTR_1998,)


def test_a_young_workers_night_work_became_a_breach_on_6_april_2003() -> None:
    nights = [work(date(2003, 4, 4), "21:00", "23:00"), work(date(2003, 4, 7), "21:00", "23:00")]

    result = Diary(nights, profile=YOUNG).check()

    assert [item.first_day for item in breaches_of(result, Rule.YOUNG_NIGHT_WORK)] == [
        date(2003, 4, 7)
    ]
    assert result.rule_versions == (WTR_1998, WTR_2003)


@pytest.mark.parametrize(
    ("day", "is_breach"),
    [(date(2029, 12, 20), False), (date(2030, 1, 2), True)],
)
def test_an_injected_version_applies_from_its_date(day: date, is_breach: bool) -> None:
    diary = two_shifts(
        work(day, "08:00", "19:30", breaks=[30]),
        work(day + timedelta(days=1), "07:00", "15:00", breaks=[30]),
    )

    result = diary.check(versions=(*RULE_VERSIONS, FICTIONAL))

    assert bool(breaches_of(result, Rule.DAILY_REST)) is is_breach
    assert result.rule_versions[-1] is (FICTIONAL if is_breach else WTR_2003)
    expected = "12 h" if is_breach else "11 h"
    assert (
        pick(result, Rule.DAILY_REST, "rest_breach" if is_breach else "shortest_rest")
        .arithmetic.render()
        .endswith(f"= 11 h 30 min {'<' if is_breach else '≥'} {expected}")
    )


def test_versions_must_be_in_date_order() -> None:
    with pytest.raises(ValueError, match="in order"):
        Diary([work(JUNE, "08:00", "16:00")]).check(versions=(WTR_2003, WTR_1998))


# -- output ---------------------------------------------------------------------------


def test_the_check_as_json_data() -> None:
    result = law_weekly_example().check()

    document = check_as_dict(result)

    assert document["disclaimer"] == "This is information, not legal advice."
    assert document["rules"] == [
        {
            "applies_from": "2003-04-06",
            "source": "Working Time Regulations 1998 as amended by SI 2002/3128 (regs 5A, 6A)",
        }
    ]
    figures = document["figures"]
    assert isinstance(figures, list)
    weekly = next(item for item in figures if item["rule"] == "weekly_average")
    assert weekly["arithmetic"] == "(680 + 120) / 17 = 47.06 h"
    assert weekly["numbers"]["average_hours"] == 47.0588
    assert weekly["first_day"] == "2025-01-06"


def test_a_breach_hidden_by_rounding_shows_more_decimals() -> None:
    shifts = every(MONDAY, 17, range(6), "08:00", "16:20", breaks=[20])
    shifts.append(work(MONDAY + timedelta(days=6), "10:00", "10:01"))

    result = Diary(shifts, recorded_until=sunday_after(MONDAY, 17)).check()

    assert pick(result, Rule.WEEKLY_AVERAGE, "average_breach").arithmetic == (
        "(816.02 + 0) / 17 = 48.00098 h"
    )


def test_a_breach_on_both_bases_is_reported_once_on_working_time() -> None:
    # A 9-hour gap is short of 11 hours with or without the screening after the first
    # shift and the walking before the second (8 h 40 min): one breach, on working time,
    # beside one that screening and walking alone make (a 6-hour day over the break limit).
    result = two_shifts(
        work(JUNE, "07:00", "20:00", breaks=[30], screening=10),
        work(JUNE + timedelta(days=1), "05:00", "11:00", walking=10),
    ).check()

    assert [(item.rule, item.basis) for item in result.breaches] == [
        (Rule.DAILY_REST, Basis.WORKING_TIME),
        (Rule.REST_BREAK, Basis.INCLUDING_SCREENING),
    ]
    assert result.breaches[0].arithmetic == "Mon 2 Jun 2025 20:00 to Tue 05:00 = 9 h < 11 h"


# -- properties ---------------------------------------------------------------------------

# Weeks to start in: an ordinary one, and the weeks the clocks go forward and back.
STARTS = [
    datetime(2025, 1, 6, tzinfo=LONDON).timestamp(),
    datetime(2025, 3, 24, tzinfo=LONDON).timestamp(),
    datetime(2025, 10, 20, tzinfo=LONDON).timestamp(),
]


@st.composite
def diaries(draw: st.DrawFn) -> list[Shift]:
    """Shifts one after another (gaps of 0 to 40 hours), some with breaks and extra time."""
    count = draw(st.integers(min_value=1, max_value=25))
    shifts: list[Shift] = []
    moment = draw(st.sampled_from(STARTS)) + draw(st.integers(0, 7 * 24 * 60)) * 60
    for _ in range(count):
        moment += draw(st.integers(min_value=0, max_value=40 * 60)) * 60
        minutes = draw(st.integers(min_value=120, max_value=14 * 60))
        break_minutes = draw(st.sampled_from([0, 0, 15, 20, 30]))
        begins = datetime.fromtimestamp(moment, LONDON)
        ends = datetime.fromtimestamp(moment + minutes * 60, LONDON)
        shifts.append(
            Shift(
                begins,
                ends,
                (Break(break_minutes),) if break_minutes else (),
                mandatory_extra_minutes=draw(st.sampled_from([0, 0, 20])),
                walking_minutes=draw(st.sampled_from([0, 8])),
                screening_minutes=draw(st.sampled_from([0, 12])),
            )
        )
        moment += minutes * 60
    return shifts


def split_at_midnight(shift: Shift) -> list[Shift]:
    """The shift as two entries meeting at local midnight (if it crosses one)."""
    start = shift.start.astimezone(LONDON)
    midnight = datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=LONDON)
    if shift.end.timestamp() <= midnight.timestamp():
        return [shift]
    first_is_longer = (
        midnight.timestamp() - start.timestamp() >= shift.end.timestamp() - midnight.timestamp()
    )
    extras = {
        "breaks": shift.breaks,
        "mandatory_extra_minutes": shift.mandatory_extra_minutes,
    }
    return [
        Shift(
            start,
            midnight,
            walking_minutes=shift.walking_minutes,
            **(extras if first_is_longer else {}),  # type: ignore[arg-type]
        ),
        Shift(
            midnight,
            shift.end,
            screening_minutes=shift.screening_minutes,
            **({} if first_is_longer else extras),  # type: ignore[arg-type]
        ),
    ]


PROFILES = st.sampled_from(
    [WorkerProfile(), YOUNG, WorkerProfile(opt_out=OptOut(date(2025, 3, 1)))]
)


def another_shift(shifts: list[Shift], others: list[Shift], *, touching: bool) -> Shift | None:
    """The first of `others` that overlaps none of `shifts` and, with `touching`, runs
    on from one or into one (meets it with no gap); without, stays apart from all."""
    spans = [(shift.start.timestamp(), shift.end.timestamp()) for shift in shifts]
    for other in others:
        start, end = other.start.timestamp(), other.end.timestamp()
        if any(start < high and end > low for low, high in spans):
            continue
        meets = any(start == high or end == low for low, high in spans)
        if meets == touching:
            return other
    return None


def week_hours(result: DiaryCheck) -> dict[date, tuple[float, float]]:
    return {week.monday: (week.hours, week.hours_including_screening) for week in result.weeks}


@settings(max_examples=60, deadline=None)
@given(diaries(), diaries(), PROFILES)
def test_adding_a_shift_never_lowers_a_weekly_total(
    shifts: list[Shift], others: list[Shift], profile: WorkerProfile
) -> None:
    extra = another_shift(shifts, others, touching=False)
    if extra is None:
        return
    before = week_hours(check_diary(profile, shifts))

    after = week_hours(check_diary(profile, [*shifts, extra]))

    for monday, (hours, including_screening) in before.items():
        assert after[monday][0] >= hours - 1e-9
        assert after[monday][1] >= including_screening - 1e-9


@settings(max_examples=60, deadline=None)
@given(diaries(), st.lists(st.integers(0, 24), min_size=1, max_size=3), PROFILES)
def test_a_shift_that_runs_on_from_another_never_lowers_the_total(
    shifts: list[Shift], picks: list[int], profile: WorkerProfile
) -> None:
    # A shift that meets another joins it: one stretch of work, whose untimed
    # breaks are spread over the whole stretch (the next test shows the arithmetic).
    # A week's total may then move to the next week, but the diary's total never drops.
    base = shifts[picks[0] % len(shifts)]
    length = timedelta(minutes=30 + 45 * (picks[-1] % 7))
    candidates = [
        Shift(base.end, base.end + length, (Break(15),) if picks[-1] % 2 else ()),
        Shift(base.start - length, base.start),
    ]
    extra = another_shift(shifts, candidates, touching=True)
    if extra is None:
        return
    before = week_hours(check_diary(profile, shifts))

    after = week_hours(check_diary(profile, [*shifts, extra]))

    assert (
        sum(hours for hours, _ in after.values())
        >= sum(hours for hours, _ in before.values()) - 1e-9
    )


def test_untimed_breaks_of_entries_that_run_on_are_spread_over_the_stretch() -> None:
    # Sunday 16:00-24:00 with no break, then Monday 00:00-02:00 with a 60-minute break
    # whose time is not recorded: one stretch of 10 hours with 1 hour of breaks, so
    # each hour of it is 0.9 h of work - 7.2 h on Sunday, 1.8 h on Monday. (Entered
    # as one shift, 16:00-02:00 with a 60-minute break, it reads the same.)
    sunday = MONDAY + timedelta(days=6)
    split = [
        work(sunday, "16:00", "00:00"),
        work(sunday + timedelta(days=1), "00:00", "02:00", breaks=[60]),
    ]
    whole = [work(sunday, "16:00", "02:00", breaks=[60])]

    hours = week_hours(check_diary(WorkerProfile(), split))

    assert hours[MONDAY][0] == pytest.approx(7.2)
    assert hours[sunday + timedelta(days=1)][0] == pytest.approx(1.8)
    assert week_hours(check_diary(WorkerProfile(), whole)) == hours


@settings(max_examples=60, deadline=None)
@given(diaries(), PROFILES)
def test_splitting_a_shift_at_midnight_changes_no_result(
    shifts: list[Shift], profile: WorkerProfile
) -> None:
    split = [part for shift in shifts for part in split_at_midnight(shift)]

    assert check_diary(profile, split) == check_diary(profile, shifts)


@settings(max_examples=60, deadline=None)
@given(diaries(), PROFILES, st.randoms(use_true_random=False))
def test_the_order_of_the_entries_changes_no_result(
    shifts: list[Shift], profile: WorkerProfile, random: object
) -> None:
    absences = [
        leave(date(2025, 12, 1), 3, AbsenceKind.SICK),
        leave(date(2026, 1, 5), 5, AbsenceKind.ANNUAL_LEAVE),
    ]
    shuffled = list(shifts)
    shuffled_absences = list(absences)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    random.shuffle(shuffled_absences)  # type: ignore[attr-defined]

    assert check_diary(profile, shuffled, shuffled_absences) == check_diary(
        profile, shifts, absences
    )


@settings(max_examples=40, deadline=None)
@given(diaries())
def test_the_weekly_totals_add_up_to_the_working_time(shifts: list[Shift]) -> None:
    result = check_diary(WorkerProfile(), shifts)

    worked = sum(
        shift.end.timestamp()
        - shift.start.timestamp()
        - sum(taken.minutes * 60 for taken in shift.breaks)
        for shift in shifts
    )
    assert sum(week.hours for week in result.weeks) == pytest.approx(worked / 3600)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from(
            [LONDON, UTC, timezone(timedelta(hours=-3, minutes=-30, microseconds=250))]
        ),
        allow_imaginary=True,
    )
)
def test_an_instant_is_what_timestamp_gives(moment: datetime) -> None:
    # The engine reads shift times with its own arithmetic (faster than timestamp()):
    # it must agree to the bit, on both sides of each clock change included.
    assert _instant(moment) == moment.timestamp()
    assert _instant(moment.replace(fold=1)) == moment.replace(fold=1).timestamp()


@pytest.mark.parametrize(
    "clock",
    [
        "2025-03-30 00:59:59",  # the last second of GMT
        "2025-03-30 01:30:00",  # a time the clocks skipped
        "2025-03-30 02:00:00",
        "2025-10-26 00:59:59.999999",
        "2025-10-26 01:00:00",  # shown twice: fold 0 is BST, fold 1 GMT
        "2025-10-26 01:59:59",
        "2025-10-26 02:00:00",
    ],
)
@pytest.mark.parametrize("fold", [0, 1])
def test_an_instant_is_what_timestamp_gives_around_the_clock_changes(clock: str, fold: int) -> None:
    moment = datetime.fromisoformat(clock).replace(tzinfo=LONDON, fold=fold)

    assert _instant(moment) == moment.timestamp()


# -- rules that change within a diary ----------------------------------------------------

LOWER_LIMITS = replace(
    WTR_2003,
    applies_from=date(2030, 1, 1),
    source="a fictional amendment: a 44-hour week and a 7-hour night",
    weekly_limit_hours=44,
    night_limit_hours=7,
)


def test_a_reference_period_is_judged_by_the_rules_in_force_on_its_last_day() -> None:
    monday = date(2029, 10, 1)
    shifts = every(monday, 17, range(5), "19:00", "04:30", breaks=[30])  # 45 h of nights
    diary = Diary(shifts, recorded_until=sunday_after(monday, 17))

    today = diary.check()
    later = diary.check(versions=(*RULE_VERSIONS, LOWER_LIMITS))

    assert not breaches_of(today, Rule.WEEKLY_AVERAGE)
    assert not breaches_of(today, Rule.NIGHT_AVERAGE)
    assert pick(later, Rule.WEEKLY_AVERAGE, "average_breach").arithmetic == (
        "(765 + 0) / 17 = 45.0 h"
    )
    assert pick(later, Rule.NIGHT_AVERAGE, "night_breach").arithmetic == (
        f"765 / (119 {MINUS} 17) = 7.5 h"
    )
    assert later.rule_versions == (WTR_2003, LOWER_LIMITS)


ALMOST_THE_SAME = replace(
    WTR_2003,
    applies_from=date(2025, 3, 1),
    source="the same numbers in a new row (a limit a hair above)",
    weekly_limit_hours=48 + 1e-9,
    night_limit_hours=8 + 1e-9,
)


@settings(max_examples=40, deadline=None)
@given(diaries())
def test_the_period_by_period_path_agrees_with_the_fast_one(shifts: list[Shift]) -> None:
    def averages(result: DiaryCheck) -> list[tuple[object, ...]]:
        return [
            (item.rule, item.measure, item.first_day, item.last_day, item.arithmetic)
            for item in (*result.breaches, *result.figures)
            if item.rule in (Rule.WEEKLY_AVERAGE, Rule.NIGHT_AVERAGE)
        ]

    recorded_until = date(2026, 3, 1)
    fast = check_diary(WorkerProfile(), shifts, recorded_until=recorded_until)
    slow = check_diary(
        WorkerProfile(),
        shifts,
        recorded_until=recorded_until,
        versions=(*RULE_VERSIONS, ALMOST_THE_SAME),
    )

    assert averages(slow) == averages(fast)
