"""The diary CSV: one row per shift or absence (docs/diary-csv.md).

Pure Python, no Django. `parse_diary_csv` reads a whole file and returns either
every entry or every error, each naming the row (the header is row 1, as in a
spreadsheet) and the column: an import is all or nothing, and a bad row is never
dropped or changed silently. Rows that are entirely empty are not entries and are
skipped. `write_diary_csv` writes entries back in the same format, and
`template_csv` is the header with three example rows.

Times are local time in Europe/London. A time alone ("22:00") is on the row's date,
and an end time that is not after the start is on the next day; a full date and
time ("2025-06-04 07:30") says so outright. An hour that happens twice when the
clocks go back must carry its UTC offset ("01:30+01:00" the first time,
"01:30+00:00" the second); an hour that does not exist when they go forward is an
error.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

from .rules import (
    LONDON,
    Absence,
    AbsenceKind,
    Break,
    Shift,
    WorkerProfile,
    find_input_problems,
)
from .text import Day, Text

COLUMNS = (
    "kind",
    "date",
    "scheduled_start",
    "scheduled_end",
    "actual_start",
    "actual_end",
    "break_minutes",
    "mandatory_extra_minutes",
    "notice_hours",
    "walking_minutes",
    "screening_minutes",
    "absence_kind",
    "last_date",
    "notes",
)
REQUIRED_COLUMNS = ("kind", "date")
SHIFT_ONLY = (
    "scheduled_start",
    "scheduled_end",
    "actual_start",
    "actual_end",
    "break_minutes",
    "mandatory_extra_minutes",
    "notice_hours",
    "walking_minutes",
    "screening_minutes",
)
ABSENCE_ONLY = ("absence_kind", "last_date")
MAX_ROWS = 20_000  # about 50 years of shifts: more is not a diary
MAX_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class ShiftEntry:
    """A shift row: times as written (scheduled) and as worked (actual)."""

    row: int
    day: date
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    breaks: tuple[Break, ...] = ()
    mandatory_extra_minutes: int = 0
    notice_hours: Decimal | None = None
    walking_minutes: int = 0
    screening_minutes: int = 0
    notes: str = ""

    @property
    def start(self) -> datetime:
        """When the shift started: the actual start, or the scheduled one."""
        start = self.actual_start or self.scheduled_start
        assert start is not None  # noqa: S101 - the parser requires one of them
        return start

    @property
    def end(self) -> datetime:
        """When it ended: the actual end, or the scheduled end plus the extra time."""
        if self.actual_end is not None:
            return self.actual_end
        assert self.scheduled_end is not None  # noqa: S101 - the parser requires it
        return _later(self.scheduled_end, self.mandatory_extra_minutes)

    def to_shift(self) -> Shift:
        return Shift(
            start=self.start,
            end=self.end,
            breaks=self.breaks,
            mandatory_extra_minutes=self.mandatory_extra_minutes,
            walking_minutes=self.walking_minutes,
            screening_minutes=self.screening_minutes,
            label=_("row {row}", row=self.row),
        )


@dataclass(frozen=True, slots=True)
class AbsenceEntry:
    row: int
    first_day: date
    last_day: date
    kind: AbsenceKind
    notes: str = ""

    def to_absence(self) -> Absence:
        return Absence(self.first_day, self.last_day, self.kind, label=_("row {row}", row=self.row))


Entry = ShiftEntry | AbsenceEntry


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str
    message: Text

    @property
    def text(self) -> Text:
        """The error naming its row and column, worded when shown."""
        return _(
            "row {row}, {field}: {message}", row=self.row, field=self.field, message=self.message
        )

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True, slots=True)
class ParsedDiary:
    """Every entry of a file, or (if anything is wrong) no entry and every error."""

    entries: tuple[Entry, ...]
    errors: tuple[RowError, ...]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def shifts(self) -> tuple[ShiftEntry, ...]:
        return tuple(entry for entry in self.entries if isinstance(entry, ShiftEntry))

    @property
    def absences(self) -> tuple[AbsenceEntry, ...]:
        return tuple(entry for entry in self.entries if isinstance(entry, AbsenceEntry))


def _later(moment: datetime, minutes: int) -> datetime:
    """`minutes` of elapsed time after `moment` (not of wall clock, which jumps at DST)."""
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(LONDON)


def to_rule_inputs(entries: Iterable[Entry]) -> tuple[list[Shift], list[Absence]]:
    """The engine's shifts and absences from diary entries, in the order given."""
    shifts: list[Shift] = []
    absences: list[Absence] = []
    for entry in entries:
        if isinstance(entry, ShiftEntry):
            shifts.append(entry.to_shift())
        else:
            absences.append(entry.to_absence())
    return shifts, absences


# -- reading ------------------------------------------------------------------------------

_DATE_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(
    r"^(?:(?P<date>\S+)[ T])?(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?P<offset>(?:Z|[+-]\d{2}:\d{2}))?$"
)
_CLOCK = r"\d{1,2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?"
_TIMED_BREAK = re.compile(rf"^({_CLOCK})\s*-\s*({_CLOCK})$")


def _(template: str, **values: str | int | Day | Text) -> Text:
    """A message for a person, worded when shown (text.py); the extractor finds it."""
    return Text(template, **values)


class _FieldError(ValueError):
    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def _parse_date(text: str) -> date:
    match = _DATE_ISO.match(text) or _DATE_UK.match(text)
    if match is None:
        raise _FieldError(
            _("{text} is not a date: write 2025-06-02 (or 02/06/2025).", text=repr(text))
        )
    if match.re is _DATE_ISO:
        year, month, day = (int(part) for part in match.groups())
    else:
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise _FieldError(_("{text} is not a date that exists.", text=repr(text))) from None


def _london(day: date, clock: time, offset: str | None, text: str) -> datetime:
    """The instant of `clock` on `day` in London, refusing a skipped or doubled hour."""
    local = datetime.combine(day, clock, tzinfo=LONDON)
    if offset is not None:
        if offset == "Z":
            zone = UTC
        else:
            sign = 1 if offset[0] == "+" else -1
            zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
        instant = datetime.combine(day, clock, tzinfo=zone).astimezone(LONDON)
        if instant.replace(tzinfo=None) != datetime.combine(day, clock):
            raise _FieldError(_("{text} is not a time London's clocks showed.", text=repr(text)))
        return instant
    round_trip = local.astimezone(UTC).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise _FieldError(
            _(
                "{text} did not happen on {day}: the clocks went forward an hour that night.",
                text=repr(text),
                day=day.isoformat(),
            )
        )
    if local.replace(fold=1).utcoffset() != local.utcoffset():
        first, second = local.utcoffset(), local.replace(fold=1).utcoffset()
        raise _FieldError(
            _(
                "{text} happened twice on {day} (the clocks went back): write {first} for "
                "the first time or {second} for the second.",
                text=text,
                day=day.isoformat(),
                first=f"{clock:%H:%M}{_offset_text(first)}",
                second=f"{clock:%H:%M}{_offset_text(second)}",
            )
        )
    return local


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _parse_moment(
    text: str, day: date, after: datetime | None = None, *, may_equal: bool = False
) -> datetime:
    """A full date and time, or a time on `day` - or on the next day if on `day` it would
    not be after `after` (at or after it, with `may_equal`)."""
    match = _TIME.match(text)
    if match is None:
        raise _FieldError(
            _(
                "{text} is not a time: write 07:30, or 2025-06-04 07:30 for another day.",
                text=repr(text),
            )
        )
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        raise _FieldError(_("{text} is not a time of day (00:00 to 23:59).", text=repr(text)))
    clock = time(hour, minute)
    if match["date"] is not None:
        return _london(_parse_date(match["date"]), clock, match["offset"], text)
    if after is None:
        return _london(day, clock, match["offset"], text)
    # Compare instants: aware datetimes in one zone compare by wall clock (PEP 495),
    # which is wrong in the hour the clocks go back.
    limit = after.timestamp()
    try:
        moment = _london(day, clock, match["offset"], text)
    except _FieldError:
        moment = None  # e.g. 01:30+00:00 exists only on the night the clocks go back
    if moment is not None:
        if moment.timestamp() > limit or (may_equal and moment.timestamp() == limit):
            return moment
        if not may_equal and (
            moment.replace(tzinfo=None) == after.astimezone(LONDON).replace(tzinfo=None)
        ):
            raise _FieldError(
                _(
                    "{text} is the same time as the start: for a 24-hour shift give the "
                    "end's date too (2025-06-05 07:30).",
                    text=repr(text),
                )
            )
    return _london(day + timedelta(days=1), clock, match["offset"], text)


def _parse_minutes(text: str) -> int:
    if not re.fullmatch(r"\d+", text):
        raise _FieldError(_("{text} is not a whole number of minutes.", text=repr(text)))
    minutes = int(text)
    if minutes > MAX_MINUTES:
        raise _FieldError(_("{minutes} minutes is more than a day.", minutes=minutes))
    return minutes


def _parse_breaks(text: str, day: date, start: datetime) -> tuple[Break, ...]:
    """ "30", "20;15" (lengths only; "20+15" too) or "12:00-12:30" (times), joined with ";".

    "+" joins lengths only: in a time it starts a UTC offset ("01:30+00:00").
    """
    parts = [piece.strip() for piece in text.split(";")]
    if len(parts) == 1 and ":" not in text:
        parts = [piece.strip() for piece in text.split("+")]
    breaks: list[Break] = []
    for part in parts:
        if not part:
            raise _FieldError(_("{text}: an empty break between separators.", text=repr(text)))
        timed = _TIMED_BREAK.match(part)
        if timed is None:
            if ":" in part:
                raise _FieldError(
                    _(
                        "{part} is not a break: write 12:00-12:30, and separate breaks with ';'.",
                        part=repr(part),
                    )
                )
            minutes = _parse_minutes(part)
            if minutes == 0:
                continue
            breaks.append(Break(minutes))
            continue
        begins = _parse_moment(timed[1], day, after=start, may_equal=True)
        ends = _parse_moment(timed[2], day, after=begins)
        minutes = round((ends.timestamp() - begins.timestamp()) / 60)
        breaks.append(Break(minutes, begins))
    return tuple(breaks)


def _parse_hours(text: str) -> Decimal:
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise _FieldError(_("{text} is not a number of hours.", text=repr(text))) from None
    if not hours.is_finite() or hours < 0:
        raise _FieldError(_("{text} is not a number of hours (0 or more).", text=repr(text)))
    return hours


def _parse_shift(row: int, cells: dict[str, str], errors: list[RowError]) -> ShiftEntry | None:
    def field(name: str) -> str:
        return cells.get(name, "").strip()

    before = len(errors)
    for name in ABSENCE_ONLY:
        if field(name):
            errors.append(RowError(row, name, _("is for absences; leave it empty on a shift row.")))
    try:
        day = _parse_date(field("date"))
    except _FieldError as error:
        errors.append(RowError(row, "date", error.text))
        return None

    def moment(name: str, after: datetime | None = None) -> datetime | None:
        text = field(name)
        if not text:
            return None
        try:
            return _parse_moment(text, day, after)
        except _FieldError as error:
            errors.append(RowError(row, name, error.text))
            return None

    scheduled_start = moment("scheduled_start")
    scheduled_end = moment("scheduled_end", scheduled_start)
    actual_start = moment("actual_start")
    actual_end = moment("actual_end", actual_start or scheduled_start)
    for start_name, end_name in (
        ("actual_start", "actual_end"),
        ("scheduled_start", "scheduled_end"),
    ):
        if bool(field(start_name)) != bool(field(end_name)):
            missing, given = (end_name, start_name) if field(start_name) else (start_name, end_name)
            errors.append(RowError(row, missing, _("is empty, but {given} is given.", given=given)))
    if not field("actual_start") and not field("scheduled_start"):
        errors.append(
            RowError(
                row,
                "actual_start",
                _(
                    "a shift needs actual_start and actual_end (or, if it ran as planned, "
                    "scheduled_start and scheduled_end)."
                ),
            )
        )
    numbers: dict[str, int] = {}
    for name in ("mandatory_extra_minutes", "walking_minutes", "screening_minutes"):
        text = field(name)
        try:
            numbers[name] = _parse_minutes(text) if text else 0
        except _FieldError as error:
            errors.append(RowError(row, name, error.text))
    notice: Decimal | None = None
    if field("notice_hours"):
        try:
            notice = _parse_hours(field("notice_hours"))
        except _FieldError as error:
            errors.append(RowError(row, "notice_hours", error.text))
    breaks: tuple[Break, ...] = ()
    start = actual_start or scheduled_start
    if field("break_minutes") and start is not None:
        try:
            breaks = _parse_breaks(field("break_minutes"), day, start)
        except _FieldError as error:
            errors.append(RowError(row, "break_minutes", error.text))
    if len(errors) > before:
        return None
    return ShiftEntry(
        row=row,
        day=day,
        scheduled_start=scheduled_start,
        scheduled_end=scheduled_end,
        actual_start=actual_start,
        actual_end=actual_end,
        breaks=breaks,
        mandatory_extra_minutes=numbers["mandatory_extra_minutes"],
        notice_hours=notice,
        walking_minutes=numbers["walking_minutes"],
        screening_minutes=numbers["screening_minutes"],
        notes=cells.get("notes", ""),
    )


def _parse_absence(row: int, cells: dict[str, str], errors: list[RowError]) -> AbsenceEntry | None:
    def field(name: str) -> str:
        return cells.get(name, "").strip()

    before = len(errors)
    for name in SHIFT_ONLY:
        if field(name):
            errors.append(
                RowError(row, name, _("is for shifts; leave it empty on an absence row."))
            )
    first_day = last_day = None
    try:
        first_day = _parse_date(field("date"))
    except _FieldError as error:
        errors.append(RowError(row, "date", error.text))
    if field("last_date"):
        try:
            last_day = _parse_date(field("last_date"))
        except _FieldError as error:
            errors.append(RowError(row, "last_date", error.text))
    else:
        last_day = first_day
    kind_text = field("absence_kind").lower().replace(" ", "_").replace("-", "_")
    kind: AbsenceKind | None = None
    if not kind_text:
        errors.append(
            RowError(row, "absence_kind", _("is empty: write one of {kinds}.", kinds=_kinds()))
        )
    else:
        try:
            kind = AbsenceKind(kind_text)
        except ValueError:
            errors.append(
                RowError(
                    row,
                    "absence_kind",
                    _(
                        "{text} is not a kind of absence: write one of {kinds}.",
                        text=repr(field("absence_kind")),
                        kinds=_kinds(),
                    ),
                )
            )
    if len(errors) > before or first_day is None or last_day is None or kind is None:
        return None
    return AbsenceEntry(row, first_day, last_day, kind, cells.get("notes", ""))


def _kinds() -> str:
    return ", ".join(kind.value for kind in AbsenceKind)


_FIELD_OF_PROBLEM = {
    "start": "actual_start",
    "end": "actual_end",
    "breaks": "break_minutes",
    "date": "date",
    "first_day": "date",
    "last_day": "last_date",
    "kind": "absence_kind",
}


def parse_diary_csv(text: str) -> ParsedDiary:
    """Every entry of a diary CSV, or every error in it (and then no entry)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    errors: list[RowError] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        return ParsedDiary(
            (), (RowError(1, "header", _("cannot be read as CSV: {error}.", error=str(error))),)
        )
    if header is None or not any(cell.strip() for cell in header):
        return ParsedDiary(
            (),
            (
                RowError(
                    1,
                    "header",
                    _(
                        "the file is empty; row 1 must name the columns: {columns}.",
                        columns=", ".join(COLUMNS),
                    ),
                ),
            ),
        )
    names = [cell.strip().lower() for cell in header]
    for position, name in enumerate(names):
        if name not in COLUMNS:
            errors.append(
                RowError(
                    1,
                    name or f"column {position + 1}",
                    _("unknown column; the columns are {columns}.", columns=", ".join(COLUMNS)),
                )
            )
        elif names.index(name) != position:
            errors.append(RowError(1, name, _("this column appears twice.")))
    for name in REQUIRED_COLUMNS:
        if name not in names:
            errors.append(RowError(1, name, _("this column is required.")))
    if errors:
        return ParsedDiary((), tuple(errors))
    entries: list[Entry] = []
    row = 1
    try:
        for cells_list in reader:
            row += 1
            if row > MAX_ROWS + 1:
                errors.append(
                    RowError(
                        row, "kind", _("a diary file holds at most {rows} rows.", rows=MAX_ROWS)
                    )
                )
                break
            if not any(cell.strip() for cell in cells_list):
                continue
            if len(cells_list) > len(names):
                errors.append(
                    RowError(
                        row,
                        f"column {len(names) + 1}",
                        _(
                            "this row has {cells} cells but the header names {columns} columns.",
                            cells=len(cells_list),
                            columns=len(names),
                        ),
                    )
                )
                continue
            cells = dict(zip(names, cells_list, strict=False))
            kind = cells.get("kind", "").strip().lower()
            if kind == "shift":
                shift = _parse_shift(row, cells, errors)
                if shift is not None:
                    entries.append(shift)
            elif kind == "absence":
                absence = _parse_absence(row, cells, errors)
                if absence is not None:
                    entries.append(absence)
            else:
                shown = cells.get("kind", "").strip()
                errors.append(
                    RowError(
                        row,
                        "kind",
                        _(
                            "{text} is not a kind of entry: write shift or absence.",
                            text=repr(shown),
                        )
                        if shown
                        else _("is empty: write shift or absence."),
                    )
                )
    except csv.Error as error:
        errors.append(RowError(row, "row", _("cannot be read as CSV: {error}.", error=str(error))))
    # The engine's checks (overlaps, a shift over 24 hours ...) run on every row that
    # could be read, so one pass reports every error in the file.
    errors.extend(_check_entries(entries))
    if errors:
        return ParsedDiary((), tuple(sorted(errors, key=lambda error: error.row)))
    return ParsedDiary(tuple(entries), ())


def _check_entries(entries: Sequence[Entry]) -> list[RowError]:
    """What the engine refuses (overlaps, a 30-hour shift ...), as row errors."""
    shift_rows = [entry for entry in entries if isinstance(entry, ShiftEntry)]
    absence_rows = [entry for entry in entries if isinstance(entry, AbsenceEntry)]
    shifts, absences = to_rule_inputs(entries)
    errors: list[RowError] = []
    for problem in find_input_problems(WorkerProfile(), shifts, absences):
        if problem.index is None:
            row = 1
        elif problem.kind == "absence":
            row = absence_rows[problem.index].row
        else:
            row = shift_rows[problem.index].row
        field = _FIELD_OF_PROBLEM.get(problem.field, problem.field)
        if problem.kind == "shift" and field in ("actual_start", "actual_end"):
            shift_row = shift_rows[problem.index or 0]
            if shift_row.actual_start is None:
                field = field.replace("actual", "scheduled")
        errors.append(RowError(row, field, problem.message))
    return errors


# -- writing ------------------------------------------------------------------------------


def _clock_text(moment: datetime | None, day: date, after: datetime | None = None) -> str:
    """The shortest text that `_parse_moment` reads back as `moment` (to the minute)."""
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    clock = f"{local:%H:%M}"
    if local.replace(fold=1).utcoffset() != local.replace(fold=0).utcoffset():
        clock += _offset_text(local.utcoffset())
    try:
        if _parse_moment(clock, day, after).timestamp() == moment.timestamp():
            return clock
    except _FieldError:
        pass
    return f"{local.date().isoformat()} {clock}"


def _clock_only(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    clock = f"{local:%H:%M}"
    if local.replace(fold=1).utcoffset() != local.replace(fold=0).utcoffset():
        clock += _offset_text(local.utcoffset())
    return clock


def _breaks_text(entry: ShiftEntry) -> str:
    parts: list[str] = []
    for taken in entry.breaks:
        if taken.start is None:
            parts.append(str(taken.minutes))
            continue
        ends = _later(taken.start, taken.minutes)
        parts.append(f"{_clock_only(taken.start)}-{_clock_only(ends)}")
    return ";".join(parts)


def _row_of(entry: Entry) -> dict[str, str]:
    if isinstance(entry, AbsenceEntry):
        return {
            "kind": "absence",
            "date": entry.first_day.isoformat(),
            "absence_kind": entry.kind.value,
            "last_date": entry.last_day.isoformat() if entry.last_day != entry.first_day else "",
            "notes": entry.notes,
        }
    return {
        "kind": "shift",
        "date": entry.day.isoformat(),
        "scheduled_start": _clock_text(entry.scheduled_start, entry.day),
        "scheduled_end": _clock_text(entry.scheduled_end, entry.day, entry.scheduled_start),
        "actual_start": _clock_text(entry.actual_start, entry.day),
        "actual_end": _clock_text(
            entry.actual_end, entry.day, entry.actual_start or entry.scheduled_start
        ),
        "break_minutes": _breaks_text(entry),
        "mandatory_extra_minutes": str(entry.mandatory_extra_minutes or ""),
        "notice_hours": "" if entry.notice_hours is None else str(entry.notice_hours),
        "walking_minutes": str(entry.walking_minutes or ""),
        "screening_minutes": str(entry.screening_minutes or ""),
        "notes": entry.notes,
    }


def _cell(text: str) -> str:
    """A CSV cell, quoted when it holds a comma, a quote, a line break or edge spaces.

    (The csv module quotes only the characters of its own line ending, so a lone
    carriage return in a note would come back as a new row.)
    """
    if text != text.strip() or any(character in text for character in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_diary_csv(entries: Iterable[Entry]) -> str:
    """Entries as a diary CSV (every column, in the documented order)."""
    lines = [",".join(COLUMNS)]
    for entry in entries:
        cells = _row_of(entry)
        lines.append(",".join(_cell(cells.get(name, "")) for name in COLUMNS))
    return "\n".join(lines) + "\n"


def template_csv() -> str:
    """The header and three example rows: a day shift, a night shift, a week's leave."""
    return (
        ",".join(COLUMNS)
        + "\n"
        + "shift,2025-06-02,07:30,18:00,07:26,18:00,12:00-12:30,,,8,12,,,"
        + "day shift with a timed break\n"
        + "shift,2025-06-04,18:30,05:00,18:28,07:00,30,120,2,8,15,,,"
        + "night shift kept back 2 hours; told at 03:00\n"
        + "absence,2025-06-09,,,,,,,,,,annual_leave,2025-06-13,a week's annual leave\n"
    )
