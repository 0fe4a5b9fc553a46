"""Turning a published dashboard document into what a page shows."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from breakroom.voice.charts import Bar, bar_chart

from .models import Question, QuestionKind


def _language() -> str:
    return (get_language() or "en")[:2]


def value_labels(question: dict[str, Any]) -> list[str]:
    language = _language()
    if question["kind"] == QuestionKind.YES_NO:
        return [_("No"), _("Yes")]
    if question["kind"] == QuestionKind.CHOICE:
        return [str(option.get(language) or option.get("en", "")) for option in question["options"]]
    return [str(value) for value in question["values"]]


def question_labels(question: Question) -> list[str]:
    """The label of each possible answer of a question, in the active language."""
    return value_labels(
        {
            "kind": question.kind,
            "options": question.options,
            "values": [str(value) for value in question.allowed_values()],
        }
    )


@dataclass(frozen=True)
class Grid:
    """A published table ready for a template: headers and rows of (label, cells, total)."""

    columns: list[str]
    rows: list[tuple[str, list[int | None], int | None]]
    column_totals: list[int | None]
    total: int | None


def grid(table: dict[str, Any], row_labels: dict[str, str], column_labels: dict[str, str]) -> Grid:
    return Grid(
        columns=[column_labels.get(column, column) for column in table["columns"]],
        rows=[
            (
                row_labels.get(row, row),
                [table["cells"][f"{row}|{column}"] for column in table["columns"]],
                table["row_totals"][row],
            )
            for row in table["rows"]
        ],
        column_totals=[table["column_totals"][column] for column in table["columns"]],
        total=table["total"],
    )


@dataclass(frozen=True)
class QuestionView:
    text: str
    chart: SafeString
    by_week: Grid
    by_month: Grid | None
    by_department: Grid | None
    by_shift: Grid | None
    by_site: Grid | None


def dashboard_view(document: dict[str, Any]) -> list[QuestionView]:
    language = _language()
    weeks = {
        week: date_format(datetime.date.fromisoformat(week), "j M") for week in document["weeks"]
    }
    months = {
        month: date_format(datetime.date.fromisoformat(month), "M Y")
        for month in document.get("months", [])
    }
    views = []
    for question in document["questions"]:
        labels = dict(zip(question["values"], value_labels(question), strict=True))
        by_week = grid(question["by_week"], labels, weeks)
        chart = bar_chart(
            [Bar(label, total) for label, _cells, total in by_week.rows],
            title=_("Answers over the last eight weeks"),
            withheld_label=_("fewer than %(k)s") % {"k": document["k"]},
        )
        views.append(
            QuestionView(
                text=str(question["text"].get(language) or question["text"]["en"]),
                chart=chart,
                by_week=by_week,
                by_month=grid(question["by_month"], labels, months)
                if "by_month" in question
                else None,
                by_department=grid(question["by_department"], document["departments"], labels)
                if "by_department" in question
                else None,
                by_shift=grid(question["by_shift"], document["shifts"], labels)
                if "by_shift" in question
                else None,
                by_site=grid(question["by_site"], document["sites"], labels)
                if "by_site" in question
                else None,
            )
        )
    return views


def participation_view(document: dict[str, Any]) -> Grid | None:
    """Check-ins a day over the last fortnight (one spent token each)."""
    table = document.get("participation_daily")
    if table is None:
        return None
    days = {day: date_format(datetime.date.fromisoformat(day), "j M") for day in table["columns"]}
    return grid(table, {"check-ins": _("Check-ins")}, days)
