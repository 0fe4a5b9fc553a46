"""Public report figures: counts by category and month, through the core k rule.

Figures are computed in the background and stored (`PublishedFigures`), so a page
reads one row however many reports exist. Each cell's figure moves only once its
true count has moved by at least k (`stable_figure`), then the table goes through
`suppress_table`. Only the published table ever leaves the database; the true
counts it was computed from (the "basis") stay inside.
"""

import datetime
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from breakroom.core.figures import publish_table
from breakroom.workplaces.models import Site

from .models import Category, PublishedFigures, Report

MONTHS_SHOWN = 6


def month_starts(today: datetime.date, count: int = MONTHS_SHOWN) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, this month included."""
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def refresh_published_figures(
    *, site_id: int, today: datetime.date | None = None
) -> dict[str, Any]:
    """Recompute a site's published table from its reports; return what is published.

    A report counts in the month of its week's Monday. Must run in a transaction.
    """
    site = Site.objects.get(pk=site_id)
    today = today or timezone.localdate()
    months = month_starts(today)
    rows = [category.value for category in Category]
    columns = [month.isoformat() for month in months]
    true_counts = {
        (row["category"], row["month"].isoformat()): row["count"]
        for row in Report.objects.filter(site=site, week__gte=months[0])
        .annotate(month=TruncMonth("week"))
        .values("category", "month")
        .annotate(count=Count("id"))
        if row["month"] is not None
    }
    stored = PublishedFigures.objects.select_for_update().filter(site=site).first()
    previous_basis: dict[str, int] = stored.table.get("basis", {}) if stored else {}
    table, basis = publish_table(
        true_counts, rows=rows, columns=columns, k=site.privacy_k, previous_basis=previous_basis
    )
    document = {
        "k": table["k"],
        "months": columns,
        "categories": rows,
        "cells": table["cells"],
        "row_totals": table["row_totals"],
        "column_totals": table["column_totals"],
        "total": table["total"],
        "basis": basis,
    }
    PublishedFigures.objects.update_or_create(
        site=site, defaults={"table": document, "updated_on": today}
    )
    return document


def published_figures(site: Site) -> dict[str, Any] | None:
    """What the site's page and the API may show: never the basis."""
    stored = PublishedFigures.objects.filter(site=site).first()
    if stored is None:
        return None
    return {key: value for key, value in stored.table.items() if key != "basis"}
