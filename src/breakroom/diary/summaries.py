"""Weekly summaries a worker may contribute to their site's anonymous figures.

A summary says only which band the week's hours fell in, which band its mandatory
extra time fell in, and how many breaches of each rule it held. It travels from the
phone with a `diary` token for that week and without the session cookie, and is
published only through the core k rule.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from breakroom.core.errors import ActionError
from breakroom.core.figures import publish_table
from breakroom.core.tokens import service as token_service
from breakroom.core.tokens.policy import period_of
from breakroom.workplaces.models import Site

from . import rules
from .models import DiarySummary, PublishedDiaryFigures

HOURS_BANDS = ["under-40", "40-48", "48-55", "55-60", "over-60"]
EXTRA_BANDS = ["none", "1-4", "5-9", "10-plus"]
WEEKS_SHOWN = 8


def hours_band(hours: float) -> str:
    for limit, band in ((40, "under-40"), (48, "40-48"), (55, "48-55"), (60, "55-60")):
        if hours <= limit:
            return band
    return "over-60"


def extra_band(hours: float) -> str:
    if hours <= 0:
        return "none"
    if hours < 5:
        return "1-4"
    if hours < 10:
        return "5-9"
    return "10-plus"


def summary_of_week(check: rules.DiaryCheck, monday: datetime.date) -> dict[str, Any] | None:
    """The summary of the week starting `monday`, from a diary's check (None if empty)."""
    week = next((total for total in check.weeks if total.monday == monday), None)
    if week is None or week.hours <= 0:
        return None
    sunday = monday + datetime.timedelta(days=6)
    breaches: dict[str, int] = {}
    for finding in check.breaches:
        if finding.first_day <= sunday and finding.last_day >= monday:
            breaches[finding.rule.value] = breaches.get(finding.rule.value, 0) + 1
    return {
        "week": monday.isoformat(),
        "hours_band": hours_band(week.hours),
        "extra_hours_band": extra_band(week.mandatory_extra_hours),
        "breaches": breaches,
    }


def _check_summary(document: dict[str, Any]) -> tuple[datetime.date, str, str, dict[str, int]]:
    try:
        week = datetime.date.fromisoformat(str(document.get("week")))
    except ValueError as error:
        raise ActionError(_("“week” must be a date."), code="malformed") from error
    if week.weekday() != 0:
        raise ActionError(_("“week” must be a Monday."), code="malformed")
    hours, extra = document.get("hours_band"), document.get("extra_hours_band")
    if hours not in HOURS_BANDS or extra not in EXTRA_BANDS:
        raise ActionError(_("Unknown hours band."), code="malformed")
    breaches = document.get("breaches")
    known = {rule.value for rule in rules.Rule}
    if not isinstance(breaches, dict) or not all(
        key in known and isinstance(count, int) and 0 <= count <= 50
        for key, count in breaches.items()
    ):
        raise ActionError(_("Breaches must be counts by rule."), code="malformed")
    return week, str(hours), str(extra), {str(key): int(count) for key, count in breaches.items()}


@transaction.atomic(durable=True)
def do_contribute_summary(
    *, site: Site, key_id: str, message: bytes, signature: bytes, summary: dict[str, Any]
) -> DiarySummary:
    """Store one anonymous weekly summary, paid for with that week's `diary` token.

    Raise ActionError — storing nothing — for a token of another site, purpose or
    week, a spent or forged token, or a malformed summary.
    """
    week, hours, extra, breaches = _check_summary(summary)
    key = token_service.get_key(site_id=site.pk, key_id=key_id)
    if key.purpose != "diary" or key.period != period_of("diary", week):
        raise ActionError(
            _("This token is not the diary token for that week at this site."),
            code="wrong_token",
        )
    token_service.spend_token(
        site_id=site.pk,
        key_id=key_id,
        message=message,
        signature=signature,
        today=timezone.localdate(),
    )
    stored = DiarySummary.objects.create(
        site=site, week=week, hours_band=hours, extra_hours_band=extra, breaches=breaches
    )
    refresh_diary_figures(site=site)
    return stored


def refresh_diary_figures(*, site: Site) -> dict[str, Any]:
    """Recompute the site's published working-time figures (inside a transaction)."""
    today = timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    weeks = [
        (this_monday - datetime.timedelta(weeks=ago)).isoformat()
        for ago in range(WEEKS_SHOWN - 1, -1, -1)
    ]
    summaries = DiarySummary.objects.filter(site=site, week__gte=weeks[0])
    hours = {
        (row["hours_band"], row["week"].isoformat()): row["n"]
        for row in summaries.values("hours_band", "week").annotate(n=Count("id"))
    }
    extra = {
        (row["extra_hours_band"], row["week"].isoformat()): row["n"]
        for row in summaries.values("extra_hours_band", "week").annotate(n=Count("id"))
    }
    with_breach: dict[tuple[str, str], int] = {}
    for summary in summaries.only("week", "breaches"):
        for rule in summary.breaches:
            cell = (rule, summary.week.isoformat())
            with_breach[cell] = with_breach.get(cell, 0) + 1
    stored = PublishedDiaryFigures.objects.select_for_update().filter(site=site).first()
    previous: dict[str, dict[str, int]] = stored.basis if stored else {}
    basis: dict[str, dict[str, int]] = {}
    document: dict[str, Any] = {"k": site.privacy_k, "weeks": weeks}
    for name, counts, rows in (
        ("hours", hours, HOURS_BANDS),
        ("extra", extra, EXTRA_BANDS),
        ("breaches", with_breach, [rule.value for rule in rules.Rule]),
    ):
        document[name], basis[name] = publish_table(
            counts,
            rows=rows,
            columns=weeks,
            k=site.privacy_k,
            previous_basis=previous.get(name, {}),
        )
    PublishedDiaryFigures.objects.update_or_create(
        site=site, defaults={"document": document, "basis": basis, "updated_on": today}
    )
    return document
