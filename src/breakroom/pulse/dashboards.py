"""Published dashboards, computed from rollups in the background and stored.

Pages and the API read one stored document per site (and one for the campaign),
so they answer at once however many answers exist. Every table goes through
`core.figures.publish_table`: stable over time, then the k rule. The basis — the
true counts — is stored beside the document and never published.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from breakroom.accounts.models import Membership
from breakroom.core.figures import publish_table
from breakroom.core.models import SpentToken
from breakroom.core.privacy import DEFAULT_K, suppress_counts
from breakroom.workplaces.models import Site, SiteStatus

from .models import CAMPAIGN, PublishedPulse, Question, Rollup

WEEKS_SHOWN = 8
RECENT_WEEKS = 4
MONTHS_SHOWN = 6
DAYS_SHOWN = 14


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def months_ending(today: datetime.date, count: int = MONTHS_SHOWN) -> list[datetime.date]:
    first = today.replace(day=1)
    months = [first]
    for _ in range(count - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def _by_month(rollups: Any, months: list[datetime.date]) -> dict[int, dict[tuple[str, str], int]]:
    by_month: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for row in (
        rollups.filter(day__gte=months[0])
        .annotate(month=TruncMonth("day"))
        .values("question_id", "value", "month")
        .annotate(total=Sum("count"))
    ):
        cell = (str(row["value"]), row["month"].isoformat())
        by_month[row["question_id"]][cell] = row["total"]
    return by_month


def weeks_ending(today: datetime.date, count: int = WEEKS_SHOWN) -> list[datetime.date]:
    last = monday(today)
    return [last - datetime.timedelta(weeks=ago) for ago in range(count - 1, -1, -1)]


def _question_header(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "kind": question.kind,
        "text": {"en": question.text_en, "pl": question.text_pl, "ro": question.text_ro},
        "options": question.options,
        "scale_labels": question.scale_labels,
        "values": [str(value) for value in question.allowed_values()],
    }


class Publisher:
    """Publishes several named tables for one scope, remembering each one's basis."""

    def __init__(self, k: int, previous_basis: dict[str, dict[str, int]]) -> None:
        self.k = k
        self.previous = previous_basis
        self.basis: dict[str, dict[str, int]] = {}

    def table(
        self, name: str, counts: dict[tuple[str, str], int], rows: list[str], columns: list[str]
    ) -> dict[str, Any]:
        document, basis = publish_table(
            counts, rows=rows, columns=columns, k=self.k, previous_basis=self.previous.get(name, {})
        )
        self.basis[name] = basis
        return document


def _site_document(site: Site, today: datetime.date, publisher: Publisher) -> dict[str, Any]:
    weeks = weeks_ending(today)
    columns = [week.isoformat() for week in weeks]
    recent_from = weeks[-RECENT_WEEKS]
    rollups = Rollup.objects.filter(site=site, day__gte=weeks[0])
    by_week: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    by_department: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    by_shift: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for row in rollups.values("question_id", "value", "day", "department_id", "shift_id").annotate(
        total=Sum("count")
    ):
        value, question_id = str(row["value"]), row["question_id"]
        cell = (value, monday(row["day"]).isoformat())
        by_week[question_id][cell] = by_week[question_id].get(cell, 0) + row["total"]
        if row["day"] >= recent_from:
            for table, group in (
                (by_department, row["department_id"]),
                (by_shift, row["shift_id"]),
            ):
                if group is not None:
                    key = (str(group), value)
                    table[question_id][key] = table[question_id].get(key, 0) + row["total"]
    departments = {str(d.pk): str(d) for d in site.departments.all()}
    shifts = {str(s.pk): str(s) for s in site.shifts.all()}
    months = months_ending(today)
    month_columns = [month.isoformat() for month in months]
    by_month = _by_month(Rollup.objects.filter(site=site), months)
    questions = []
    for question in Question.objects.filter(pk__in=set(by_week) | set(by_month)).order_by(
        "position", "pk"
    ):
        values = [str(value) for value in question.allowed_values()]
        questions.append(
            {
                **_question_header(question),
                "by_week": publisher.table(
                    f"q{question.pk}:week", by_week[question.pk], values, columns
                ),
                "by_month": publisher.table(
                    f"q{question.pk}:month", by_month[question.pk], values, month_columns
                ),
                "by_department": publisher.table(
                    f"q{question.pk}:department",
                    by_department[question.pk],
                    list(departments),
                    values,
                ),
                "by_shift": publisher.table(
                    f"q{question.pk}:shift", by_shift[question.pk], list(shifts), values
                ),
            }
        )
    # Participation comes from the spent tokens themselves: one per check-in, so
    # anyone can compare these counts with the public audit files of the same days.
    days = [
        (today - datetime.timedelta(days=ago)).isoformat() for ago in range(DAYS_SHOWN - 1, -1, -1)
    ]
    check_ins: dict[tuple[str, str], int] = defaultdict(int)
    daily: dict[tuple[str, str], int] = defaultdict(int)
    for period in SpentToken.objects.filter(
        key__site_id=site.pk, key__purpose="pulse", day__gte=weeks[0]
    ).values_list("key__period", flat=True):
        check_ins[("check-ins", monday(datetime.date.fromisoformat(period)).isoformat())] += 1
        if period >= days[0]:
            daily[("check-ins", period)] += 1
    verified = Membership.objects.filter(site=site, is_verified=True).count()
    return {
        "scope": site.slug,
        "k": publisher.k,
        "weeks": columns,
        "months": month_columns,
        "days": days,
        "recent_from": recent_from.isoformat(),
        "departments": departments,
        "shifts": shifts,
        "questions": questions,
        "participation": publisher.table("participation", dict(check_ins), ["check-ins"], columns),
        "participation_daily": publisher.table(
            "participation-daily", dict(daily), ["check-ins"], days
        ),
        "verified_workers": suppress_counts({"verified": verified}, k=publisher.k).counts[
            "verified"
        ],
    }


def _campaign_document(today: datetime.date, publisher: Publisher) -> dict[str, Any]:
    weeks = weeks_ending(today)
    columns = [week.isoformat() for week in weeks]
    recent_from = weeks[-RECENT_WEEKS]
    sites = {str(site.pk): site.name for site in Site.objects.exclude(status=SiteStatus.CLOSED)}
    by_week: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    by_site: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    rollups = Rollup.objects.filter(question__site__isnull=True, day__gte=weeks[0])
    for row in rollups.values("question_id", "value", "day", "site_id").annotate(
        total=Sum("count")
    ):
        value, question_id = str(row["value"]), row["question_id"]
        cell = (value, monday(row["day"]).isoformat())
        by_week[question_id][cell] = by_week[question_id].get(cell, 0) + row["total"]
        if row["day"] >= recent_from:
            key = (str(row["site_id"]), value)
            by_site[question_id][key] = by_site[question_id].get(key, 0) + row["total"]
    months = months_ending(today)
    month_columns = [month.isoformat() for month in months]
    by_month = _by_month(Rollup.objects.filter(question__site__isnull=True), months)
    questions = []
    for question in Question.objects.filter(pk__in=set(by_week) | set(by_month)).order_by(
        "position", "pk"
    ):
        values = [str(value) for value in question.allowed_values()]
        questions.append(
            {
                **_question_header(question),
                "by_week": publisher.table(
                    f"q{question.pk}:week", by_week[question.pk], values, columns
                ),
                "by_month": publisher.table(
                    f"q{question.pk}:month", by_month[question.pk], values, month_columns
                ),
                "by_site": publisher.table(
                    f"q{question.pk}:site", by_site[question.pk], list(sites), values
                ),
            }
        )
    return {
        "scope": CAMPAIGN,
        "k": publisher.k,
        "weeks": columns,
        "months": month_columns,
        "recent_from": recent_from.isoformat(),
        "sites": sites,
        "questions": questions,
    }


def _store(scope: str, k: int, build: Any, today: datetime.date) -> dict[str, Any]:
    stored = PublishedPulse.objects.select_for_update().filter(scope=scope).first()
    publisher = Publisher(k, stored.basis if stored else {})
    document: dict[str, Any] = build(publisher)
    PublishedPulse.objects.update_or_create(
        scope=scope,
        defaults={
            "document": document,
            "basis": publisher.basis,
            "updated_on": today,
            "version": (stored.version + 1) if stored else 1,
        },
    )
    return document


@transaction.atomic(durable=True)
def refresh_dashboards(*, site_id: int, today: datetime.date | None = None) -> None:
    """Recompute the site's dashboard and the campaign's (safe to run twice)."""
    today = today or timezone.localdate()
    site = Site.objects.get(pk=site_id)
    _store(site.slug, site.privacy_k, lambda p: _site_document(site, today, p), today)
    # Across sites the strictest k of any open site applies.
    strictest = max(
        [
            DEFAULT_K,
            *Site.objects.exclude(status=SiteStatus.CLOSED).values_list("privacy_k", flat=True),
        ]
    )
    _store(CAMPAIGN, strictest, lambda p: _campaign_document(today, p), today)


def published_dashboard(scope: str) -> dict[str, Any] | None:
    stored = PublishedPulse.objects.filter(scope=scope).only("document").first()
    return stored.document if stored else None


def published_version(scope: str) -> int | None:
    """The version of the published dashboard, without loading it."""
    return PublishedPulse.objects.filter(scope=scope).values_list("version", flat=True).first()
