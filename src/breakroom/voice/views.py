"""Reporting without an account, the reporter's thread, and the organisers' inbox.

The reporter's pages work without JavaScript and set no cookie; the receipt code
travels only in the bodies of POST requests, never in an address.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from breakroom.accounts.access import SignedInRequest
from breakroom.accounts.keys import recall_unlocked_key
from breakroom.accounts.models import Membership, Role, User
from breakroom.core import pow
from breakroom.core.errors import ActionError
from breakroom.core.ratelimit import count_failure, is_limited, source_key, take
from breakroom.workplaces.models import Site, SiteStatus

from . import actions
from .access import access_inbox_site, access_report
from .forms import (
    CodeForm,
    GrantForm,
    InboxFilterForm,
    ReplyForm,
    ReporterReplyForm,
    ReportForm,
    SavedForm,
    StatusForm,
)
from .models import Category, Frequency, ReportKeyGrant, ReportStatus
from .queries import list_inbox

logger = logging.getLogger(__name__)
HOUR = 3600


def _private(request: HttpRequest) -> None:
    # Receipts and threads must never be kept by a shared phone's cache or a proxy.
    request.is_private_page = True  # type: ignore[attr-defined]


def _open_site(slug: str) -> Site:
    return get_object_or_404(Site.objects.exclude(status=SiteStatus.CLOSED), slug=slug)


def _report_form_page(
    request: HttpRequest, site: Site, form: ReportForm, status: int
) -> HttpResponse:
    return render(
        request,
        "voice/report_form.html",
        {
            "site": site,
            "form": form,
            "pow_challenge": pow.new_challenge(f"report:{site.pk}"),
            "pow_bits": settings.REPORT_POW_BITS,
        },
        status=status,
    )


def _flood_refusal(request: HttpRequest, site: Site, form: ReportForm) -> HttpResponse | None:
    """Stop floods without learning who anyone is (PRIVACY.md 16)."""
    if form.cleaned_data["website"]:
        form.add_error(None, _("This report could not be sent. Nothing was saved."))
        return _report_form_page(request, site, form, 400)
    solved = pow.is_solved(
        form.cleaned_data["pow_challenge"],
        form.cleaned_data["pow_nonce"],
        scope=f"report:{site.pk}",
        bits=settings.REPORT_POW_BITS,
    )
    limit = (
        settings.REPORT_LIMIT_PER_SOURCE if solved else settings.REPORT_LIMIT_PER_SOURCE_WITHOUT_JS
    )
    if not take(
        f"report-site:{site.pk}", "all", limit=settings.REPORT_LIMIT_PER_SITE, window_seconds=HOUR
    ):
        logger.warning("Report flood: the hourly cap of site %s was reached.", site.pk)
        form.add_error(
            None,
            _(
                "Too many reports are arriving right now. Nothing was saved; "
                "please try again in an hour."
            ),
        )
        return _report_form_page(request, site, form, 429)
    if not take("report-source", source_key(request), limit=limit, window_seconds=HOUR):
        form.add_error(
            None,
            _(
                "You have sent several reports in the last hour. Nothing was saved; "
                "please try again later."
            ),
        )
        return _report_form_page(request, site, form, 429)
    return None


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    _private(request)
    site = _open_site(slug)
    if request.method != "POST":
        return _report_form_page(request, site, ReportForm(site=site), 200)
    form = ReportForm(request.POST, site=site)
    if not form.is_valid():
        return _report_form_page(request, site, form, 400)
    refused = _flood_refusal(request, site, form)
    if refused is not None:
        return refused
    data = form.cleaned_data
    try:
        sent = actions.do_send_report(
            site=site,
            category=Category(data["category"]),
            body=data["body"],
            frequency=Frequency(data["frequency"]),
            department=data["department"],
            shift=data["shift"],
        )
    except ActionError as error:
        form.add_error(error.field, error.message)
        return _report_form_page(request, site, form, error.status)
    # Shown only now that the report is committed: a receipt is never for a lost report.
    return render(
        request,
        "voice/receipt.html",
        {"site": site, "code": sent.code, "form": SavedForm(initial={"code": sent.code})},
    )


@require_POST
def report_saved(request: HttpRequest, slug: str) -> HttpResponse:
    _private(request)
    site = _open_site(slug)
    form = SavedForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "voice/receipt.html",
            {"site": site, "code": request.POST.get("code", "")[:200], "form": form},
            status=400,
        )
    return render(request, "voice/saved.html", {"site": site})


def _thread_page(
    request: HttpRequest,
    site: Site,
    opened: actions.OpenedReport,
    code: str,
    *,
    status: int = 200,
    form: ReporterReplyForm | None = None,
    error: str = "",
) -> HttpResponse:
    return render(
        request,
        "voice/thread.html",
        {
            "site": site,
            "opened": opened,
            "form": form or ReporterReplyForm(initial={"code": code}),
            "error": error,
        },
        status=status,
    )


def _guesses_left(request: HttpRequest, site: Site) -> bool:
    """Wrong codes are limited per sender (a keyed hash held an hour); right ones are not,
    so workers sharing one network are never blocked by each other's use."""
    return not is_limited(
        f"receipt:{site.pk}",
        source_key(request),
        limit=settings.RECEIPT_GUESS_LIMIT,
        window_seconds=HOUR,
    )


def _wrong_guess(request: HttpRequest, site: Site) -> None:
    count_failure(f"receipt:{site.pk}", source_key(request), window_seconds=HOUR)


@require_http_methods(["GET", "POST"])
def thread_open(request: HttpRequest, slug: str) -> HttpResponse:
    _private(request)
    site = _open_site(slug)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, "voice/thread_open.html", {"site": site, "form": form})
    if not form.is_valid():
        return render(request, "voice/thread_open.html", {"site": site, "form": form}, status=400)
    if not _guesses_left(request, site):
        form.add_error(None, _("Too many wrong codes. Wait an hour, then try again."))
        return render(request, "voice/thread_open.html", {"site": site, "form": form}, status=429)
    try:
        opened = actions.open_report_with_code(site=site, code=form.cleaned_data["code"])
    except ActionError as error:
        _wrong_guess(request, site)
        form.add_error(error.field, error.message)
        return render(
            request, "voice/thread_open.html", {"site": site, "form": form}, status=error.status
        )
    return _thread_page(request, site, opened, form.cleaned_data["code"])


@require_POST
def thread_reply(request: HttpRequest, slug: str) -> HttpResponse:
    _private(request)
    site = _open_site(slug)
    form = ReporterReplyForm(request.POST)
    code = request.POST.get("code", "")[:200]
    if not _guesses_left(request, site):
        code_form = CodeForm()
        code_form.add_error(None, _("Too many wrong codes. Wait an hour, then try again."))
        return render(
            request, "voice/thread_open.html", {"site": site, "form": code_form}, status=429
        )
    try:
        opened = actions.open_report_with_code(site=site, code=code)
    except ActionError as error:
        _wrong_guess(request, site)
        code_form = CodeForm()
        code_form.add_error(None, error.message)
        return render(
            request,
            "voice/thread_open.html",
            {"site": site, "form": code_form},
            status=error.status,
        )
    if not form.is_valid():
        return _thread_page(request, site, opened, code, status=400, form=form)
    try:
        actions.do_reply_as_reporter(site=site, code=code, body=form.cleaned_data["body"])
    except ActionError as error:
        return _thread_page(
            request, site, opened, code, status=error.status, form=form, error=str(error.message)
        )
    return _thread_page(request, site, actions.open_report_with_code(site=site, code=code), code)


@login_required
@require_GET
def inbox(request: SignedInRequest, slug: str) -> HttpResponse:
    site = access_inbox_site(request.user, slug)
    filters = InboxFilterForm(request.GET or None)
    category = status = ""
    if filters.is_valid():
        category = filters.cleaned_data["category"]
        status = filters.cleaned_data["status"]
    page = Paginator(list_inbox(site, category=category, status=status), 25).get_page(
        request.GET.get("page")
    )
    readable = set(
        ReportKeyGrant.objects.filter(
            organiser=request.user, report__in=[report.pk for report in page]
        ).values_list("report_id", flat=True)
    )
    return render(
        request,
        "voice/inbox.html",
        {"site": site, "page": page, "filters": filters, "readable": readable},
    )


def _detail_page(
    request: SignedInRequest,
    site: Site,
    report_id: str,
    *,
    reply_form: ReplyForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    report = access_report(request.user, site, report_id)
    context: dict[str, object] = {
        "site": site,
        "report": report,
        "reply_form": reply_form or ReplyForm(),
        "status_form": StatusForm(initial={"status": report.status}),
        "error": error,
    }
    try:
        context["opened"] = actions.do_open_report(
            organiser=request.user, report=report, private_key=recall_unlocked_key(request)
        )
    except ActionError as refused:
        context["locked"] = refused.message
    return render(request, "voice/report_detail.html", context, status=status)


@login_required
@require_GET
def report_detail(request: SignedInRequest, slug: str, report_id: str) -> HttpResponse:
    site = access_inbox_site(request.user, slug)
    return _detail_page(request, site, report_id)


@login_required
@require_POST
def report_reply(request: SignedInRequest, slug: str, report_id: str) -> HttpResponse:
    site = access_inbox_site(request.user, slug)
    report = access_report(request.user, site, report_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, site, report_id, reply_form=form, status=400)
    try:
        actions.do_reply_as_organiser(
            organiser=request.user,
            report=report,
            private_key=recall_unlocked_key(request),
            body=form.cleaned_data["body"],
        )
    except ActionError as error:
        return _detail_page(
            request, site, report_id, reply_form=form, error=str(error.message), status=error.status
        )
    return redirect("voice:report-detail", slug=slug, report_id=report_id)


@login_required
@require_POST
def report_status(request: SignedInRequest, slug: str, report_id: str) -> HttpResponse:
    site = access_inbox_site(request.user, slug)
    report = access_report(request.user, site, report_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail_page(
            request, site, report_id, error=_("Choose a status from the list."), status=400
        )
    actions.do_set_report_status(
        organiser=request.user, report=report, status=ReportStatus(form.cleaned_data["status"])
    )
    return redirect("voice:report-detail", slug=slug, report_id=report_id)


@login_required
@require_http_methods(["GET", "POST"])
def report_access(request: SignedInRequest, slug: str) -> HttpResponse:
    """Organisers who lack reports' keys, and the button that shares them."""
    site = access_inbox_site(request.user, slug)
    status = 200
    message = ""
    if request.method == "POST":
        form = GrantForm(request.POST)
        to = (
            User.objects.filter(pk=form.cleaned_data["organiser"]).first()
            if form.is_valid()
            else None
        )
        if to is None:
            message, status = _("Choose an organiser from the list."), 400
        else:
            try:
                shared = actions.do_grant_report_access(
                    organiser=request.user,
                    private_key=recall_unlocked_key(request),
                    site=site,
                    to=to,
                )
            except ActionError as error:
                message, status = str(error.message), error.status
            else:
                message = ngettext(
                    "%(name)s can now read %(count)s more report.",
                    "%(name)s can now read %(count)s more reports.",
                    shared,
                ) % {"name": to.username, "count": shared}
    organisers = (
        Membership.objects.filter(site=site, role__in=[Role.ORGANISER, Role.ADMIN])
        .exclude(user=request.user)
        .select_related("user")
        .order_by("user__username")
    )
    held = ReportKeyGrant.objects.filter(report__site=site)
    counts = {
        organiser.user_id: held.filter(organiser_id=organiser.user_id).count()
        for organiser in organisers
    }
    return render(
        request,
        "voice/access.html",
        {
            "site": site,
            "organisers": [(m.user, counts[m.user_id]) for m in organisers],
            "mine": held.filter(organiser=request.user).count(),
            "message": message,
        },
        status=status,
    )
