"""The JSON API for anonymous reports: the same actions as the pages (docs/api.md)."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from breakroom.accounts.keys import recall_unlocked_key
from breakroom.accounts.models import User
from breakroom.core.errors import ActionError
from breakroom.core.ratelimit import count_failure, is_limited, source_key, take
from breakroom.voice import actions
from breakroom.voice.access import access_inbox_site, access_report
from breakroom.voice.figures import published_figures
from breakroom.voice.models import Category, Frequency, Report, ReportKeyGrant, ReportStatus
from breakroom.voice.queries import list_inbox
from breakroom.workplaces.models import Site

from .json import error_response, json_errors, read_json_object, string_field
from .sites import open_site

HOUR = 3600


def _choice[T: (Category, Frequency, ReportStatus)](
    document: dict[str, Any], name: str, choices: type[T], default: T | None = None
) -> T:
    value = document.get(name)
    if value is None and default is not None:
        return default
    try:
        if not isinstance(value, str):
            raise ValueError(name)
        return choices(value)
    except ValueError as error:
        raise ActionError(
            _("“%(name)s” must be one of: %(choices)s.")
            % {"name": name, "choices": ", ".join(choices.values)},
            code="malformed",
        ) from error


def _opened_json(opened: actions.OpenedReport) -> dict[str, Any]:
    report = opened.report
    return {
        "report": {
            "category": report.category,
            "frequency": report.frequency,
            "status": report.status,
            "week": report.week.isoformat(),
            "body": opened.body,
        },
        "messages": [
            {"from_reporter": message.from_reporter, "week": message.week.isoformat(), "body": text}
            for message, text in opened.messages
        ],
    }


def _signed_in(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise ActionError(_("Sign in first."), status=401, code="sign_in")
    return request.user


def _inbox_report(request: HttpRequest, slug: str, report_id: str) -> tuple[User, Report]:
    """The signed-in organiser and one report from their site's inbox."""
    user = _signed_in(request)
    return user, access_report(user, access_inbox_site(user, slug), report_id)


@json_errors
@never_cache
@require_POST
def report_send(request: HttpRequest, slug: str) -> JsonResponse:
    """Send an anonymous report; the answer carries the receipt code, once."""
    site = open_site(slug)
    try:
        document = read_json_object(request)
        category = _choice(document, "category", Category)
        frequency = _choice(document, "frequency", Frequency, Frequency.ONCE)
        body = string_field(document, "body")
        department = shift = None
        if document.get("department") is not None:
            department = site.departments.filter(pk=document["department"]).first()
            if department is None:
                raise ActionError(_("Choose a department of this site."), code="malformed")
        if document.get("shift") is not None:
            shift = site.shifts.filter(pk=document["shift"]).first()
            if shift is None:
                raise ActionError(_("Choose a shift of this site."), code="malformed")
        if not take(
            f"report-site:{site.pk}",
            "all",
            limit=settings.REPORT_LIMIT_PER_SITE,
            window_seconds=HOUR,
        ) or not take(
            "report-source",
            source_key(request),
            limit=settings.REPORT_LIMIT_PER_SOURCE_WITHOUT_JS,
            window_seconds=HOUR,
        ):
            raise ActionError(
                _("Too many reports right now. Nothing was saved; try again later."),
                status=429,
                code="rate_limited",
            )
        sent = actions.do_send_report(
            site=site,
            category=category,
            body=body,
            frequency=frequency,
            department=department,
            shift=shift,
        )
    except ActionError as error:
        return error_response(error)
    return JsonResponse(
        {"receipt_code": sent.code, "week": sent.report.week.isoformat()}, status=201
    )


def _check_guesses(request: HttpRequest, site: Site) -> None:
    """Wrong codes are limited per sender (a keyed hash held an hour); right ones not."""
    if is_limited(
        f"receipt:{site.pk}",
        source_key(request),
        limit=settings.RECEIPT_GUESS_LIMIT,
        window_seconds=HOUR,
    ):
        raise ActionError(_("Too many wrong codes. Wait an hour."), status=429, code="rate_limited")


def _open_with_code(request: HttpRequest, site: Site, code: str) -> actions.OpenedReport:
    _check_guesses(request, site)
    try:
        return actions.open_report_with_code(site=site, code=code)
    except ActionError:
        count_failure(f"receipt:{site.pk}", source_key(request), window_seconds=HOUR)
        raise


@json_errors
@never_cache
@require_POST
def report_thread(request: HttpRequest, slug: str) -> JsonResponse:
    """Read a report and its thread with the receipt code (sent in the body, never the URL)."""
    site = open_site(slug)
    document = read_json_object(request)
    opened = _open_with_code(request, site, string_field(document, "code"))
    return JsonResponse(_opened_json(opened))


@json_errors
@never_cache
@require_POST
def report_thread_reply(request: HttpRequest, slug: str) -> JsonResponse:
    site = open_site(slug)
    document = read_json_object(request)
    code = string_field(document, "code")
    _open_with_code(request, site, code)
    message = actions.do_reply_as_reporter(
        site=site, code=code, body=string_field(document, "body")
    )
    return JsonResponse({"position": message.position}, status=201)


@json_errors
@never_cache
@require_GET
def inbox(request: HttpRequest, slug: str) -> JsonResponse:
    """An organiser's list of the site's reports: metadata only."""
    try:
        user = _signed_in(request)
        site = access_inbox_site(user, slug)
    except ActionError as error:
        return error_response(error)
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    if category not in {"", *Category.values} or status not in {"", *ReportStatus.values}:
        return error_response(ActionError(_("Unknown category or status."), code="malformed"))
    reports = list(list_inbox(site, category=category, status=status)[:200])
    readable = set(
        ReportKeyGrant.objects.filter(organiser=user, report__in=reports).values_list(
            "report_id", flat=True
        )
    )
    return JsonResponse(
        {
            "reports": [
                {
                    "id": str(report.pk),
                    "category": report.category,
                    "status": report.status,
                    "week": report.week.isoformat(),
                    "readable": report.pk in readable,
                }
                for report in reports
            ]
        }
    )


@json_errors
@never_cache
@require_GET
def inbox_report(request: HttpRequest, slug: str, report_id: str) -> JsonResponse:
    """An organiser reads one report (the read is audited)."""
    try:
        user, report = _inbox_report(request, slug, report_id)
        opened = actions.do_open_report(
            organiser=user, report=report, private_key=recall_unlocked_key(request)
        )
    except ActionError as error:
        return error_response(error)
    return JsonResponse({"id": str(report.pk), **_opened_json(opened)})


@json_errors
@never_cache
@require_POST
def inbox_reply(request: HttpRequest, slug: str, report_id: str) -> JsonResponse:
    try:
        user, report = _inbox_report(request, slug, report_id)
        document = read_json_object(request)
        message = actions.do_reply_as_organiser(
            organiser=user,
            report=report,
            private_key=recall_unlocked_key(request),
            body=string_field(document, "body"),
        )
    except ActionError as error:
        return error_response(error)
    return JsonResponse({"position": message.position}, status=201)


@json_errors
@never_cache
@require_POST
def inbox_status(request: HttpRequest, slug: str, report_id: str) -> JsonResponse:
    try:
        user, report = _inbox_report(request, slug, report_id)
        document = read_json_object(request)
        status = _choice(document, "status", ReportStatus)
        actions.do_set_report_status(organiser=user, report=report, status=status)
    except ActionError as error:
        return error_response(error)
    return JsonResponse({"status": status.value})


@json_errors
@require_GET
def report_figures(request: HttpRequest, slug: str) -> JsonResponse:
    """Published report counts by category and month, after the k rule."""
    site = get_object_or_404(Site, slug=slug)
    figures = published_figures(site)
    if figures is None:
        raise Http404
    return JsonResponse({"site": site.slug, **figures})
