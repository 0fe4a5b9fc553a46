"""Every write to reports and their threads.

Anonymous actions (sending, the reporter's replies) write no audit row: an audit row
carries a day, finer than the week a report is allowed to carry. Organisers' actions
and reads are audited (ids only).
"""

import datetime
from dataclasses import dataclass
from functools import partial

import nacl.public
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from breakroom.accounts.models import KeyPair, Membership, Role, User
from breakroom.core.audit import record_event
from breakroom.core.errors import ActionError
from breakroom.core.models import EventKind
from breakroom.core.receipts import code_secrets, is_well_formed, new_code, normalise_code
from breakroom.workplaces.models import Department, ShiftPattern, Site

from .access import can_read_reports_at
from .models import (
    MAX_REPORT_CHARACTERS,
    Category,
    Frequency,
    Report,
    ReportKeyGrant,
    ReportMessage,
    ReportStatus,
)
from .sealing import (
    new_report_key,
    open_key_with_code_key,
    open_sealed_key,
    open_with,
    seal_key_to,
    seal_key_with,
    seal_with,
)

NO_SUCH_CODE = _("No report matches that code. Check the words and try again.")


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week: the only date a report carries."""
    return day - datetime.timedelta(days=day.weekday())


def _check_text(body: str) -> str:
    body = body.strip()
    if not body:
        raise ActionError(_("Write what happened."), field="body")
    if len(body) > MAX_REPORT_CHARACTERS:
        raise ActionError(
            _("Keep it to %(count)s characters at most.") % {"count": MAX_REPORT_CHARACTERS},
            field="body",
        )
    return body


def _organiser_key_pairs(site: Site) -> list[KeyPair]:
    organisers = Membership.objects.filter(
        site=site, role__in=[Role.ORGANISER, Role.ADMIN], user__is_active=True
    ).values("user_id")
    return list(KeyPair.objects.filter(user_id__in=organisers))


@dataclass(frozen=True)
class SentReport:
    report: Report
    code: str


@transaction.atomic(durable=True)
def do_send_report(
    *,
    site: Site,
    category: Category,
    body: str,
    frequency: Frequency = Frequency.ONCE,
    department: Department | None = None,
    shift: ShiftPattern | None = None,
) -> SentReport:
    """Store an anonymous report and return it with its receipt code.

    The code exists only in the return value: show it once. The report's key is
    sealed to every organiser of the site and to the code. Raise ActionError if the
    text is empty or too long, or the department or shift is not the site's.
    """
    body = _check_text(body)
    if (department and department.site_id != site.pk) or (shift and shift.site_id != site.pk):
        raise ActionError(_("Choose a department and a shift of this site."))
    report_key = new_report_key()
    code = new_code()
    secrets = code_secrets(code)
    report = Report.objects.create(
        site=site,
        category=category,
        frequency=frequency,
        department=department,
        shift=shift,
        week=week_of(timezone.localdate()),
        body_sealed=seal_with(report_key, body),
        receipt_lookup=secrets.lookup,
        key_sealed_for_receipt=seal_key_with(secrets.key, report_key),
    )
    ReportKeyGrant.objects.bulk_create(
        ReportKeyGrant(
            report=report,
            organiser_id=key_pair.user_id,
            key_sealed=seal_key_to(bytes(key_pair.public_key), report_key),
        )
        for key_pair in _organiser_key_pairs(site)
    )
    transaction.on_commit(partial(_refresh_figures, site.pk))
    return SentReport(report=report, code=code)


def _refresh_figures(site_id: int) -> None:
    from .tasks import refresh_report_figures

    # At most one refresh per site every half minute, however fast reports arrive;
    # the daily job and the next report after that catch up.
    if cache.add(f"voice:figures-queued:{site_id}", 1, timeout=30):
        refresh_report_figures.enqueue(site_id=site_id)


@dataclass(frozen=True)
class OpenedReport:
    """A report with its text and thread in plain text, for one request only."""

    report: Report
    key: bytes
    body: str
    messages: list[tuple[ReportMessage, str]]


def _opened(report: Report, key: bytes) -> OpenedReport:
    messages = list(report.messages.all())
    return OpenedReport(
        report=report,
        key=key,
        body=open_with(key, bytes(report.body_sealed)),
        messages=[(message, open_with(key, bytes(message.body_sealed))) for message in messages],
    )


def open_report_with_code(*, site: Site, code: str) -> OpenedReport:
    """The reporter's way in: raise ActionError (404) for any code that does not fit."""
    code = normalise_code(code)
    if not is_well_formed(code):
        raise ActionError(NO_SUCH_CODE, field="code", status=404)
    secrets = code_secrets(code)
    report = Report.objects.filter(site=site, receipt_lookup=secrets.lookup).first()
    if report is None:
        raise ActionError(NO_SUCH_CODE, field="code", status=404)
    try:
        key = open_key_with_code_key(secrets.key, bytes(report.key_sealed_for_receipt))
    except ValueError as error:
        raise ActionError(NO_SUCH_CODE, field="code", status=404) from error
    return _opened(report, key)


def _add_message(report: Report, key: bytes, body: str, *, from_reporter: bool) -> ReportMessage:
    # Lock the report row so two replies at once get distinct positions.
    Report.objects.select_for_update().filter(pk=report.pk).first()
    last = report.messages.aggregate(last=Max("position"))["last"] or 0
    return ReportMessage.objects.create(
        report=report,
        position=last + 1,
        from_reporter=from_reporter,
        body_sealed=seal_with(key, body),
        week=week_of(timezone.localdate()),
    )


@transaction.atomic(durable=True)
def do_reply_as_reporter(*, site: Site, code: str, body: str) -> ReportMessage:
    """The reporter answers in their thread; raise ActionError if the code does not
    fit, the text is empty or too long, or the thread is closed."""
    body = _check_text(body)
    opened = open_report_with_code(site=site, code=code)
    if opened.report.is_closed:
        raise ActionError(_("This thread is closed."), status=409)
    return _add_message(opened.report, opened.key, body, from_reporter=True)


def _organiser_key(
    organiser: User, report: Report, private_key: nacl.public.PrivateKey | None
) -> bytes:
    if not can_read_reports_at(organiser, report.site):
        raise ActionError(_("You are not an organiser at this site."), status=404)
    grant = ReportKeyGrant.objects.filter(report=report, organiser=organiser).first()
    if grant is None:
        raise ActionError(
            _("You have not been given access to this report yet. Ask another organiser."),
            status=403,
            code="no_grant",
        )
    if private_key is None:
        raise ActionError(_("Sign in again to unlock your reports."), status=403, code="locked")
    try:
        return open_sealed_key(private_key, bytes(grant.key_sealed))
    except ValueError as error:
        raise ActionError(_("Your key does not open this report."), status=403) from error


@transaction.atomic(durable=True)
def do_open_report(
    *, organiser: User, report: Report, private_key: nacl.public.PrivateKey | None
) -> OpenedReport:
    """An organiser reads a report: decrypted for this request, and the read audited."""
    key = _organiser_key(organiser, report, private_key)
    record_event(actor_id=organiser.pk, kind=EventKind.REPORT_READ, target=report)
    return _opened(report, key)


@transaction.atomic(durable=True)
def do_reply_as_organiser(
    *, organiser: User, report: Report, private_key: nacl.public.PrivateKey | None, body: str
) -> ReportMessage:
    """An organiser answers the reporter. Refused on a closed thread."""
    body = _check_text(body)
    key = _organiser_key(organiser, report, private_key)
    if report.is_closed:
        raise ActionError(_("This thread is closed."), status=409)
    message = _add_message(report, key, body, from_reporter=False)
    if report.status == ReportStatus.NEW:
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.ACKNOWLEDGED)
        report.status = ReportStatus.ACKNOWLEDGED
    record_event(actor_id=organiser.pk, kind=EventKind.REPORT_REPLIED, target=report)
    return message


@transaction.atomic(durable=True)
def do_set_report_status(*, organiser: User, report: Report, status: ReportStatus) -> None:
    """Move a report along new → acknowledged → acting → resolved (or back)."""
    if not can_read_reports_at(organiser, report.site):
        raise ActionError(_("You are not an organiser at this site."), status=404)
    report.status = status
    report.save(update_fields=["status"])
    record_event(actor_id=organiser.pk, kind=EventKind.REPORT_STATUS_SET, target=report)


@transaction.atomic(durable=True)
def do_grant_report_access(
    *, organiser: User, private_key: nacl.public.PrivateKey | None, site: Site, to: User
) -> int:
    """Give `to`, an organiser of `site`, every report key `organiser` holds there.

    Return how many reports were shared. Raise ActionError if either is not an
    organiser of the site, or `to` has no key pair yet (they must sign in once).
    """
    if not can_read_reports_at(organiser, site) or not can_read_reports_at(to, site):
        raise ActionError(_("Both people must be organisers at this site."), status=404)
    if private_key is None:
        raise ActionError(_("Sign in again to unlock your reports."), status=403, code="locked")
    key_pair = KeyPair.objects.filter(user=to).first()
    if key_pair is None:
        raise ActionError(_("They must sign in once before they can be given access."))
    already = ReportKeyGrant.objects.filter(organiser=to, report__site=site).values("report_id")
    grants = ReportKeyGrant.objects.filter(organiser=organiser, report__site=site).exclude(
        report_id__in=already
    )
    shared = [
        ReportKeyGrant(
            report_id=grant.report_id,
            organiser=to,
            key_sealed=seal_key_to(
                bytes(key_pair.public_key), open_sealed_key(private_key, bytes(grant.key_sealed))
            ),
        )
        for grant in grants
    ]
    ReportKeyGrant.objects.bulk_create(shared)
    record_event(actor_id=organiser.pk, kind=EventKind.REPORT_ACCESS_GRANTED, target=key_pair)
    return len(shared)


@transaction.atomic(durable=True)
def do_refresh_report_figures(*, site_id: int) -> None:
    """Recompute and store a site's published report figures (see figures.py)."""
    from .figures import refresh_published_figures

    refresh_published_figures(site_id=site_id)
