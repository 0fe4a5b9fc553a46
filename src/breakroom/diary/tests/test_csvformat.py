"""The diary CSV: reading (all or nothing, every error named), writing, the template."""

import io
import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from breakroom.diary.csvformat import (
    COLUMNS,
    AbsenceEntry,
    Entry,
    ParsedDiary,
    ShiftEntry,
    parse_diary_csv,
    template_csv,
    to_rule_inputs,
    write_diary_csv,
)
from breakroom.diary.rules import (
    AbsenceKind,
    Break,
    Rule,
    WorkerProfile,
    check_diary,
)

LONDON = ZoneInfo("Europe/London")
EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "diary-example.csv"
HEADER = ",".join(COLUMNS)


def at(day: date, clock: str, fold: int = 0) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=LONDON).replace(fold=fold)


def row(**cells: str) -> str:
    """A data row in the documented column order, from the cells given."""
    return ",".join(cells.get(name, "") for name in COLUMNS)


def parse(*rows: str) -> ParsedDiary:
    return parse_diary_csv("\n".join([HEADER, *rows]) + "\n")


def instants(entry: Entry) -> tuple[object, ...]:
    """An entry with its times as UTC instants: aware times in one zone compare by the
    wall clock (PEP 495), which would hide a wrong hour when the clocks go back."""
    if isinstance(entry, AbsenceEntry):
        return (entry.first_day, entry.last_day, entry.kind, entry.notes)
    times = (entry.scheduled_start, entry.scheduled_end, entry.actual_start, entry.actual_end)
    return (
        entry.day,
        *(None if moment is None else moment.timestamp() for moment in times),
        tuple(
            (taken.minutes, None if taken.start is None else taken.start.timestamp())
            for taken in entry.breaks
        ),
        entry.mandatory_extra_minutes,
        entry.notice_hours,
        entry.walking_minutes,
        entry.screening_minutes,
        entry.notes,
    )


# -- the template and the example ---------------------------------------------------------


def test_the_template_is_a_header_and_three_example_rows() -> None:
    parsed = parse_diary_csv(template_csv())

    assert parsed.errors == ()
    assert [type(entry).__name__ for entry in parsed.entries] == [
        "ShiftEntry",
        "ShiftEntry",
        "AbsenceEntry",
    ]
    assert template_csv().splitlines()[0] == HEADER
    assert write_diary_csv(parsed.entries) == template_csv()


def test_the_documented_example_reads_and_writes_back_unchanged() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")

    parsed = parse_diary_csv(text)

    assert parsed.errors == ()
    assert (len(parsed.shifts), len(parsed.absences)) == (8, 1)
    assert write_diary_csv(parsed.entries) == text


def test_the_example_shows_the_daily_rest_breach_of_a_13_hour_shift_and_a_9_hour_gap() -> None:
    shifts, absences = to_rule_inputs(parse_diary_csv(EXAMPLE.read_text()).entries)

    result = check_diary(WorkerProfile(), shifts, absences)

    assert [(item.rule, str(item.arithmetic)) for item in result.breaches] == [
        (Rule.DAILY_REST, "Thu 5 Jun 2025 07:30 to 16:30 = 9 h < 11 h")
    ]
    long_shift = shifts[2]
    assert long_shift.end.timestamp() - long_shift.start.timestamp() == 13 * 3600


# -- reading ----------------------------------------------------------------------------


def test_a_night_shift_ends_the_next_day_and_its_break_after_midnight() -> None:
    parsed = parse(
        row(
            kind="shift",
            date="2025-06-04",
            actual_start="22:00",
            actual_end="06:30",
            break_minutes="02:00-02:30",
            mandatory_extra_minutes="30",
            notice_hours="1.5",
            walking_minutes="8",
            screening_minutes="12",
            notes="kept back",
        )
    )

    (entry,) = parsed.shifts
    assert entry.start == at(date(2025, 6, 4), "22:00")
    assert entry.end == at(date(2025, 6, 5), "06:30")
    assert entry.breaks == (Break(30, at(date(2025, 6, 5), "02:00")),)
    assert (entry.mandatory_extra_minutes, entry.notice_hours) == (30, Decimal("1.5"))
    assert (entry.walking_minutes, entry.screening_minutes, entry.notes) == (8, 12, "kept back")
    assert entry.to_shift().label == "row 2"


def test_a_shift_that_ran_as_scheduled_adds_its_extra_time_at_the_end() -> None:
    parsed = parse(
        row(
            kind="shift",
            date="2025-06-02",
            scheduled_start="18:30",
            scheduled_end="05:00",
            mandatory_extra_minutes="90",
        )
    )

    (entry,) = parsed.shifts
    assert (entry.start, entry.end) == (
        at(date(2025, 6, 2), "18:30"),
        at(date(2025, 6, 3), "06:30"),
    )


def test_extra_time_is_elapsed_time_across_the_clocks_going_back() -> None:
    parsed = parse(
        row(
            kind="shift",
            date="2025-10-25",
            scheduled_start="17:00",
            scheduled_end="01:00+01:00",
            mandatory_extra_minutes="60",
        )
    )

    (entry,) = parsed.shifts
    assert entry.end.timestamp() == at(date(2025, 10, 26), "01:00", fold=1).timestamp()
    assert entry.end.timestamp() - entry.start.timestamp() == 9 * 3600


def test_an_hour_that_happened_twice_is_read_with_its_offset() -> None:
    parsed = parse(
        row(kind="shift", date="2025-10-25", actual_start="22:00", actual_end="01:30+00:00")
    )

    (entry,) = parsed.shifts
    assert entry.end.timestamp() - entry.start.timestamp() == 4.5 * 3600
    assert write_diary_csv(parsed.entries).splitlines()[1].split(",")[5] == "01:30+00:00"


def test_absences_span_their_days() -> None:
    parsed = parse(
        row(kind="absence", date="2025-06-09", absence_kind="annual_leave", last_date="2025-06-13"),
        row(kind="absence", date="2025-06-16", absence_kind="Sick"),
        row(kind="absence", date="2025-06-17", absence_kind="shared parental"),
    )

    assert [(entry.first_day, entry.last_day, entry.kind) for entry in parsed.absences] == [
        (date(2025, 6, 9), date(2025, 6, 13), AbsenceKind.ANNUAL_LEAVE),
        (date(2025, 6, 16), date(2025, 6, 16), AbsenceKind.SICK),
        (date(2025, 6, 17), date(2025, 6, 17), AbsenceKind.SHARED_PARENTAL),
    ]
    _, absences = to_rule_inputs(parsed.entries)
    assert absences[0].label == "row 2"


def test_spreadsheet_habits_are_read() -> None:
    text = (
        "\ufeffKind,Date,Actual_Start,Actual_End,Notes\r\n"
        'shift,03/06/2025,08:00,16:00,"a note, with a comma\r\nand a new line"\r\n'
        ",,,,\r\n"
        "\r\n"
        "SHIFT,2025-06-04,08:00,2025-06-04 16:00,\r\n"
    )

    parsed = parse_diary_csv(text)

    assert parsed.errors == ()
    assert [entry.day for entry in parsed.shifts] == [date(2025, 6, 3), date(2025, 6, 4)]
    assert parsed.shifts[0].notes == "a note, with a comma\r\nand a new line"
    assert [entry.row for entry in parsed.shifts] == [2, 5]


def test_a_header_only_file_has_no_entries_and_no_errors() -> None:
    assert parse_diary_csv(HEADER + "\n") == ParsedDiary((), ())


# -- bad rows: each error names the row and the column ------------------------------------

SHIFT = {"kind": "shift", "date": "2025-06-02", "actual_start": "08:00", "actual_end": "16:00"}

BAD_ROWS = [
    (
        "an impossible date",
        {"date": "2025-02-30"},
        "date",
        "'2025-02-30' is not a date that exists.",
    ),
    (
        "an impossible UK date",
        {"date": "31/04/2025"},
        "date",
        "'31/04/2025' is not a date that exists.",
    ),
    ("not a date", {"date": "next Tuesday"}, "date", "is not a date: write 2025-06-02"),
    ("not a time", {"actual_start": "8am"}, "actual_start", "'8am' is not a time"),
    ("25 o'clock", {"actual_end": "25:00"}, "actual_end", "is not a time of day"),
    (
        "end before start on the same day, written in full",
        {"actual_end": "2025-06-02 07:00"},
        "actual_end",
        "it ends (Mon 2 Jun 2025 07:00) before it starts (Mon 2 Jun 2025 08:00).",
    ),
    (
        "a 30-hour shift",
        {"actual_end": "2025-06-03 14:00"},
        "actual_end",
        "it lasts 30 h; a shift longer than 24 hours is refused.",
    ),
    (
        "an end equal to the start",
        {"actual_end": "08:00"},
        "actual_end",
        "is the same time as the start: for a 24-hour shift give the end's date too",
    ),
    ("a missing end", {"actual_end": ""}, "actual_end", "is empty, but actual_start is given."),
    (
        "no times at all",
        {"actual_start": "", "actual_end": ""},
        "actual_start",
        "a shift needs actual_start and actual_end",
    ),
    (
        "minutes in words",
        {"break_minutes": "half an hour"},
        "break_minutes",
        "is not a whole number",
    ),
    (
        "negative minutes",
        {"screening_minutes": "-5"},
        "screening_minutes",
        "'-5' is not a whole number",
    ),
    ("fractional minutes", {"walking_minutes": "7.5"}, "walking_minutes", "is not a whole number"),
    (
        "two days of minutes",
        {"mandatory_extra_minutes": "3000"},
        "mandatory_extra_minutes",
        "more than a day",
    ),
    (
        "negative notice",
        {"notice_hours": "-1"},
        "notice_hours",
        "is not a number of hours (0 or more)",
    ),
    ("notice in words", {"notice_hours": "some"}, "notice_hours", "is not a number of hours"),
    ("an empty break", {"break_minutes": "20;;10"}, "break_minutes", "an empty break between"),
    (
        "a break outside the shift",
        {"break_minutes": "17:00-17:20"},
        "break_minutes",
        "is not inside the shift",
    ),
    (
        "breaks longer than the shift",
        {"break_minutes": "500"},
        "break_minutes",
        "the breaks (8 h 20 min) take up the whole shift (8 h).",
    ),
    (
        "an absence kind on a shift",
        {"absence_kind": "sick"},
        "absence_kind",
        "is for absences; leave it empty on a shift row.",
    ),
    (
        "a time that did not happen",
        {"date": "2025-03-30", "actual_start": "01:30", "actual_end": "06:00"},
        "actual_start",
        "'01:30' did not happen on 2025-03-30: the clocks went forward",
    ),
    (
        "a time that happened twice",
        {"date": "2025-10-25", "actual_start": "22:00", "actual_end": "01:30"},
        "actual_end",
        "01:30 happened twice on 2025-10-26 (the clocks went back): write 01:30+01:00 for "
        "the first time or 01:30+00:00 for the second.",
    ),
    (
        "an offset London's clocks never showed",
        {"actual_start": "08:00+05:00"},
        "actual_start",
        "'08:00+05:00' is not a time London's clocks showed.",
    ),
    ("an unknown kind of entry", {"kind": "holiday"}, "kind", "'holiday' is not a kind of entry"),
    ("no kind", {"kind": ""}, "kind", "is empty: write shift or absence."),
]


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_a_bad_shift_row_is_named_by_row_and_column(
    cells: dict[str, str], field: str, message: str
) -> None:
    good = row(**{**SHIFT, "date": "2025-05-26", "break_minutes": "30"})

    parsed = parse(good, row(**{**SHIFT, **cells}))

    assert parsed.entries == ()
    assert [(error.row, error.field) for error in parsed.errors] == [(3, field)]
    assert message in str(parsed.errors[0].message)


BAD_ABSENCES = [
    ("no kind of absence", {}, "absence_kind", "is empty: write one of annual_leave,"),
    ("an unknown kind", {"absence_kind": "holiday"}, "absence_kind", "'holiday' is not a kind"),
    (
        "a bad last date",
        {"absence_kind": "sick", "last_date": "2025-13-01"},
        "last_date",
        "not a date",
    ),
    (
        "a break on an absence",
        {"absence_kind": "sick", "break_minutes": "30"},
        "break_minutes",
        "is for shifts; leave it empty on an absence row.",
    ),
    (
        "ending before it starts",
        {"absence_kind": "sick", "last_date": "2025-06-01"},
        "last_date",
        "it ends (Sun 1 Jun 2025) before it starts (Mon 2 Jun 2025).",
    ),
]


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [case[1:] for case in BAD_ABSENCES],
    ids=[case[0] for case in BAD_ABSENCES],
)
def test_a_bad_absence_row_is_named_by_row_and_column(
    cells: dict[str, str], field: str, message: str
) -> None:
    parsed = parse(row(kind="absence", date="2025-06-02", **cells))

    assert parsed.entries == ()
    assert [(error.row, error.field) for error in parsed.errors] == [(2, field)]
    assert message in str(parsed.errors[0].message)


def test_overlapping_shifts_are_named_at_the_later_row() -> None:
    parsed = parse(
        row(**SHIFT),
        row(kind="shift", date="2025-06-02", actual_start="15:00", actual_end="20:00"),
    )

    (error,) = parsed.errors
    assert (error.row, error.field) == (3, "actual_start")
    assert error.message == (
        "row 3 (Mon 2 Jun 2025 15:00 to 20:00) overlaps row 2 (Mon 2 Jun 2025 08:00 to "
        "16:00): a worker cannot be on two shifts at once."
    )


def test_a_scheduled_shift_problem_names_the_scheduled_column() -> None:
    parsed = parse(
        row(kind="shift", date="2025-06-02", scheduled_start="08:00", scheduled_end="16:00"),
        row(kind="shift", date="2025-06-02", scheduled_start="12:00", scheduled_end="20:00"),
    )

    assert [(error.row, error.field) for error in parsed.errors] == [(3, "scheduled_start")]


def test_overlapping_absences_are_named_at_the_later_row() -> None:
    parsed = parse(
        row(kind="absence", date="2025-06-02", absence_kind="sick", last_date="2025-06-06"),
        row(kind="absence", date="2025-06-05", absence_kind="annual_leave"),
    )

    assert [(error.row, error.field) for error in parsed.errors] == [(3, "date")]


def test_an_import_is_all_or_nothing_and_lists_every_bad_row() -> None:
    parsed = parse(
        row(**SHIFT),
        row(**{**SHIFT, "date": "2025-06-31"}),
        row(**{**SHIFT, "date": "2025-06-04"}),
        row(kind="absence", date="2025-06-05", absence_kind="beach"),
        row(**{**SHIFT, "date": "2025-06-06", "actual_end": "2025-06-07 14:00"}),
    )

    assert parsed.entries == ()
    assert not parsed.is_valid
    assert [(error.row, error.field) for error in parsed.errors] == [
        (3, "date"),
        (5, "absence_kind"),
        (6, "actual_end"),
    ]
    assert str(parsed.errors[0]) == "row 3, date: '2025-06-31' is not a date that exists."


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("kind,date,start", [(1, "start", "unknown column; the columns are ")]),
        ("kind,actual_start", [(1, "date", "this column is required.")]),
        ("kind,date,date", [(1, "date", "this column appears twice.")]),
        ("", [(1, "header", "the file is empty; row 1 must name the columns")]),
    ],
)
def test_a_bad_header_is_named(header: str, expected: list[tuple[int, str, str]]) -> None:
    parsed = parse_diary_csv(header + "\nshift,2025-06-02\n" if header else "")

    assert [(error.row, error.field) for error in parsed.errors] == [
        (row, field) for row, field, _message in expected
    ]
    assert all(
        str(error.message).startswith(message)
        for error, (_row, _field, message) in zip(parsed.errors, expected, strict=True)
    )


def test_a_row_with_more_cells_than_the_header_is_refused() -> None:
    parsed = parse_diary_csv("kind,date\nshift,2025-06-02,08:00\n")

    assert [(error.row, error.field) for error in parsed.errors] == [(2, "column 3")]


# -- writing: whatever is written reads back the same ------------------------------------

YEAR_START = datetime(2025, 1, 1, tzinfo=UTC).timestamp()


@st.composite
def shift_entries(draw: st.DrawFn) -> ShiftEntry:
    # Any minute of 2025, the nights the clocks change included.
    start_minute = draw(
        st.one_of(
            st.integers(0, 365 * 24 * 60),
            st.sampled_from([83 * 24 * 60 + offset for offset in range(-300, 300, 15)]),
            st.sampled_from([298 * 24 * 60 + offset for offset in range(-300, 300, 15)]),
        )
    )
    minutes = draw(st.integers(60, 24 * 60))
    start = datetime.fromtimestamp(YEAR_START + start_minute * 60, LONDON)
    end = datetime.fromtimestamp(YEAR_START + (start_minute + minutes) * 60, LONDON)
    timed = draw(st.booleans())
    breaks: tuple[Break, ...] = ()
    if timed and minutes > 90:
        at_minute = start_minute + draw(st.integers(30, minutes - 60))
        breaks = (Break(30, datetime.fromtimestamp(YEAR_START + at_minute * 60, LONDON)),)
    elif minutes > 90:
        breaks = (Break(draw(st.integers(1, 45))),)
    with_schedule = draw(st.booleans())
    notes = draw(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
    return ShiftEntry(
        row=0,
        day=start.date(),
        scheduled_start=start if with_schedule else None,
        scheduled_end=end if with_schedule else None,
        actual_start=start,
        actual_end=end,
        breaks=breaks,
        mandatory_extra_minutes=draw(st.sampled_from([0, 30])),
        notice_hours=draw(st.sampled_from([None, Decimal("0"), Decimal("2.5")])),
        walking_minutes=draw(st.integers(0, 30)),
        screening_minutes=draw(st.integers(0, 30)),
        notes=notes.strip(),
    )


@st.composite
def absence_entries(draw: st.DrawFn) -> AbsenceEntry:
    first = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    return AbsenceEntry(
        row=0,
        first_day=first,
        last_day=first + timedelta(days=draw(st.integers(0, 20))),
        kind=draw(st.sampled_from(list(AbsenceKind))),
        notes=draw(st.sampled_from(["", "flu", 'said "no"'])),
    )


@settings(max_examples=150, deadline=None)
@given(st.one_of(shift_entries(), absence_entries()))
def test_a_written_entry_reads_back_the_same(entry: Entry) -> None:
    parsed = parse_diary_csv(write_diary_csv([entry]))

    assert parsed.errors == ()
    (read,) = parsed.entries
    assert read.row == 2
    assert instants(read) == instants(entry)


# -- breakroom wtr check FILE.csv ---------------------------------------------------------


def run_check(*arguments: str) -> tuple[int, str, str]:
    """Run the command; return its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("wtr", "check", *arguments, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def write_file(tmp_path: Path, *rows: str) -> str:
    path = tmp_path / "diary.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return str(path)


def test_the_command_prints_the_breach_with_its_arithmetic_and_exits_1() -> None:
    status, out, _ = run_check(str(EXAMPLE))

    assert status == 1
    assert "BREACHES (1)" in out
    assert "Daily rest (reg 10(1)), 2025-06-04 to 2025-06-05" in out
    assert "Arithmetic: Thu 5 Jun 2025 07:30 to 16:30 = 9 h < 11 h" in out
    assert out.rstrip().endswith("This is information, not legal advice.")


def test_the_command_prints_json() -> None:
    status, out, _ = run_check(str(EXAMPLE), "--json")

    document = json.loads(out)
    assert status == 1
    assert document["entries"] == 9
    assert [item["arithmetic"] for item in document["breaches"]] == [
        "Thu 5 Jun 2025 07:30 to 16:30 = 9 h < 11 h"
    ]
    assert document["disclaimer"] == "This is information, not legal advice."


def test_the_command_exits_0_when_nothing_is_broken(tmp_path: Path) -> None:
    path = write_file(tmp_path, row(**{**SHIFT, "break_minutes": "30"}))

    status, out, _ = run_check(path)

    assert status == 0
    assert "No breach found." in out


def test_the_command_lists_every_bad_row_and_exits_2(tmp_path: Path) -> None:
    path = write_file(
        tmp_path,
        row(**{**SHIFT, "date": "2025-02-30"}),
        row(**{**SHIFT, "actual_end": "2025-06-03 14:00"}),
    )

    status, out, err = run_check(path)

    assert (status, out) == (2, "")
    assert "The diary cannot be checked (2 error(s)):" in err
    assert "row 2, date: '2025-02-30' is not a date that exists." in err
    assert "row 3, actual_end: row 3 (Mon 2 Jun 2025 08:00 to Tue 14:00): it lasts 30 h" in err


def test_the_command_lists_errors_as_json_too(tmp_path: Path) -> None:
    path = write_file(tmp_path, row(**{**SHIFT, "kind": "holiday"}))

    status, out, _ = run_check(path, "--json")

    assert status == 2
    assert json.loads(out)["errors"] == [
        "row 2, kind: 'holiday' is not a kind of entry: write shift or absence."
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--opted-out-from", "yesterday"], "--opted-out-from 'yesterday' is not a date"),
        (["--opted-out-until", "2025-06-01"], "--opted-out-until needs --opted-out-from."),
        (["--reference-weeks", "60"], "1 to 52 weeks, not 60"),
        (["--night-time", "late"], "--night-time 'late' is not a night time"),
        (["--until", "2025-05-01"], "has entries up to"),
    ],
)
def test_the_command_refuses_bad_options_with_exit_2(
    tmp_path: Path, options: list[str], message: str
) -> None:
    path = write_file(tmp_path, row(**SHIFT))

    status, _, err = run_check(path, *options)

    assert status == 2
    assert message in err


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    status, _, err = run_check(str(tmp_path / "missing.csv"))

    assert status == 2
    assert "cannot be read" in err


def test_the_command_applies_the_young_worker_rules(tmp_path: Path) -> None:
    path = write_file(tmp_path, row(**{**SHIFT, "actual_end": "17:00", "break_minutes": "30"}))

    status, out, _ = run_check(path, "--under-18")

    assert status == 1
    assert "Young worker's 8-hour day (reg 5A(1)), 2025-06-02" in out
    assert "Arithmetic: 8.5 h > 8 h" in out


def test_the_command_applies_the_opt_out(tmp_path: Path) -> None:
    monday = date(2025, 1, 6)
    rows = [
        row(
            kind="shift",
            date=(monday + timedelta(days=day)).isoformat(),
            actual_start="07:00",
            actual_end="19:30",
            break_minutes="30",
        )
        for day in range(17 * 7)
        if day % 7 < 5
    ]
    path = write_file(tmp_path, *rows)

    _, plain, _ = run_check(path, "--until", "2025-05-04")
    status, opted_out, _ = run_check(
        path, "--until", "2025-05-04", "--opted-out-from", "2025-01-06"
    )

    assert "Arithmetic: (1020 + 0) / 17 = 60.0 h" in plain
    assert "48-hour weekly average (reg 4(1), 4(3) and 4(6))" in plain
    assert status == 0
    assert "No breach found." in opted_out
    assert "Opted out of the 48-hour limit from Mon 6 Jan 2025" in opted_out
