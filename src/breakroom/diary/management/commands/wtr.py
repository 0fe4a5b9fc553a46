"""`breakroom wtr check FILE.csv`: the Working Time Regulations check of a diary CSV.

For reps who work from spreadsheets: the file is the documented diary CSV
(docs/diary-csv.md), nothing is stored, and the output is the engine's breaches and
figures with their arithmetic (or the same as JSON with --json).

Exit status: 0 when there is no breach, 1 when there are breaches, 2 when the file
or the options cannot be used (every error is listed, naming the row and column).
"""

import json
import sys
from datetime import date, time
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from breakroom.diary.csvformat import parse_diary_csv, to_rule_inputs
from breakroom.diary.rules import (
    DISCLAIMER,
    DiaryCheck,
    DiaryInputError,
    Finding,
    OptOut,
    TimeWindow,
    WorkerProfile,
    check_as_dict,
    check_diary,
)

EXIT_BREACHES = 1
EXIT_BAD_INPUT = 2


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} {text!r} is not a date: write 2025-06-02.") from None


def _window(text: str) -> TimeWindow:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"--night-time {text!r} is not a night time: write 23:00-06:00.") from None
    return TimeWindow(start, end)


def _profile(options: dict[str, Any]) -> WorkerProfile:
    def day(name: str) -> date | None:
        text = options[name]
        return _date(text, "--" + name.replace("_", "-")) if text else None

    opted_out_from = day("opted_out_from")
    opted_out_until = day("opted_out_until")
    if opted_out_until and not opted_out_from:
        raise ValueError("--opted-out-until needs --opted-out-from.")
    return WorkerProfile(
        date_of_birth=day("date_of_birth"),
        is_under_18=options["under_18"],
        opt_out=OptOut(opted_out_from, opted_out_until) if opted_out_from else None,
        reference_weeks=options["reference_weeks"],
        night_time=_window(options["night_time"]) if options["night_time"] else None,
        employment_start=day("employment_start"),
        contract_requires_work_after_22=options["contract_requires_work_after_22"],
    )


class Command(BaseCommand):
    help = "Working Time Regulations checks of a diary CSV (docs/diary-csv.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser(
            "check",
            help="Check a diary CSV and print the breaches and figures.",
            description="Exit status: 0 no breach, 1 breaches, 2 bad input.",
        )
        check.add_argument("file", type=Path, help="the diary CSV")
        check.add_argument("--json", action="store_true", help="print JSON instead of text")
        check.add_argument(
            "--under-18", action="store_true", help="the worker is under 18 throughout"
        )
        check.add_argument(
            "--date-of-birth", metavar="DATE", help="the worker's date of birth (YYYY-MM-DD)"
        )
        check.add_argument(
            "--opted-out-from",
            metavar="DATE",
            help="first day of an opt-out from the 48-hour limit",
        )
        check.add_argument(
            "--opted-out-until", metavar="DATE", help="last day of that opt-out, if it ended"
        )
        check.add_argument(
            "--employment-start",
            metavar="DATE",
            help="the day the worker started (for a new starter)",
        )
        check.add_argument(
            "--reference-weeks",
            type=int,
            metavar="WEEKS",
            help="a reference period set by a collective or workforce agreement (1-52)",
        )
        check.add_argument(
            "--night-time",
            metavar="HH:MM-HH:MM",
            help="night time set by an agreement, e.g. 22:00-05:00",
        )
        check.add_argument(
            "--contract-requires-work-after-22",
            action="store_true",
            help="a young worker's contract requires work after 22:00 (restricted "
            "period 23:00-07:00)",
        )
        check.add_argument(
            "--until",
            metavar="DATE",
            help="the diary is complete to this day (days with no entry were not worked)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        as_json: bool = options["json"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            self._refuse([f"{path}: cannot be read ({error})."], as_json)
        parsed = parse_diary_csv(text)
        if not parsed.is_valid:
            self._refuse([str(error) for error in parsed.errors], as_json)
        if not parsed.entries:
            self._refuse([f"{path}: the diary has no entries."], as_json)
        try:
            profile = _profile(options)
            until = _date(options["until"], "--until") if options["until"] else None
        except ValueError as error:
            self._refuse([str(error)], as_json)
        shifts, absences = to_rule_inputs(parsed.entries)
        try:
            result = check_diary(profile, shifts, absences, recorded_until=until)
        except DiaryInputError as error:
            self._refuse([str(problem.message) for problem in error.problems], as_json)
        if as_json:
            document = {"file": str(path), "entries": len(parsed.entries), **check_as_dict(result)}
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_report(path, len(shifts), len(absences), result))
        if result.has_breaches:
            sys.exit(EXIT_BREACHES)

    def _refuse(self, errors: list[str], as_json: bool) -> NoReturn:
        if as_json:
            self.stdout.write(json.dumps({"errors": errors, "disclaimer": DISCLAIMER}, indent=2))
        else:
            self.stderr.write(f"The diary cannot be checked ({len(errors)} error(s)):")
            for error in errors:
                self.stderr.write(f"  - {error}")
        sys.exit(EXIT_BAD_INPUT)


def _finding_lines(number: str, finding: Finding) -> list[str]:
    basis = (
        " [counting security screening and walking time]"
        if finding.basis.value != "working_time"
        else ""
    )
    provisional = " [provisional]" if finding.is_provisional else ""
    days = (
        finding.first_day.isoformat()
        if finding.first_day == finding.last_day
        else f"{finding.first_day.isoformat()} to {finding.last_day.isoformat()}"
    )
    return [
        f"{number} {finding.title} ({finding.regulation}), {days}{basis}{provisional}",
        f"     {finding.summary}",
        f"     Arithmetic: {finding.arithmetic}",
    ]


def _report(path: Path, shifts: int, absences: int, result: DiaryCheck) -> str:
    lines = [
        f"Working Time Regulations check of {path}",
        f"{shifts} shift(s), {absences} absence(s).",
    ]
    lines += [
        f"Rules applied: {version.source}, in force from {version.applies_from.isoformat()}."
        for version in result.rule_versions
    ]
    lines.append("")
    if result.breaches:
        lines.append(f"BREACHES ({len(result.breaches)})")
        for position, finding in enumerate(result.breaches, start=1):
            lines += _finding_lines(f"{position:>3}.", finding)
    else:
        lines.append("No breach found.")
    lines += ["", "FIGURES"]
    for finding in result.figures:
        lines += _finding_lines("  -", finding)
    if result.weeks:
        lines += ["", "HOURS PER WEEK (Monday to Sunday)"]
        for week in result.weeks:
            line = f"  week from {week.monday.isoformat()}: {week.hours:.2f} h"
            if week.hours_including_screening != week.hours:
                line += f" ({week.hours_including_screening:.2f} h with screening and walking)"
            if week.mandatory_extra_hours:
                line += f", of which {week.mandatory_extra_hours:.2f} h mandatory extra time"
            lines.append(line)
    if result.notes:
        lines += ["", "NOTES"]
        lines += [f"  - {note}" for note in result.notes]
    lines += ["", DISCLAIMER]
    return "\n".join(lines)
