"""Turning a site's published report figures into a table and a chart for a page."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from breakroom.workplaces.models import Site

from .charts import Bar, bar_chart
from .figures import published_figures
from .models import Category


@dataclass(frozen=True)
class FiguresView:
    k: int
    months: list[str]
    rows: list[tuple[str, list[int | None], int | None]]
    column_totals: list[int | None]
    total: int | None
    chart: SafeString


def figures_view(site: Site) -> FiguresView | None:
    document: dict[str, Any] | None = published_figures(site)
    if document is None:
        return None
    months = [
        date_format(datetime.date.fromisoformat(month), "M Y") for month in document["months"]
    ]
    rows = [
        (
            str(Category(category).label),
            [document["cells"][f"{category}|{month}"] for month in document["months"]],
            document["row_totals"][category],
        )
        for category in document["categories"]
    ]
    chart = bar_chart(
        [Bar(label, total) for label, _cells, total in rows],
        title=_("Reports by category over the last six months"),
        withheld_label=_("fewer than %(k)s") % {"k": document["k"]},
    )
    return FiguresView(
        k=document["k"],
        months=months,
        rows=rows,
        column_totals=[document["column_totals"][month] for month in document["months"]],
        total=document["total"],
        chart=chart,
    )
