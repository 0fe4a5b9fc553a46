"""The worker's diary: a week at a time, fast on a phone; the check; the evidence pack."""

import datetime
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from breakroom.accounts.access import SignedInRequest
from breakroom.accounts.keys import recall_unlocked_key
from breakroom.accounts.models import Membership
from breakroom.core.errors import ActionError

from . import actions, rules
from .csvformat import parse_diary_csv, template_csv
from .forms import ABSENCE_CHOICES, AbsenceForm, ImportForm, ProfileForm, ShiftForm
from .presentation import (
    HOURS_LABELS,
    evidence_csv,
    evidence_pdf,
    hours_chart,
    rest_chart,
    say,
    title,
)
from .store import Entry, from_csv_entry, to_absence, to_profile, to_shift
from .summaries import summary_of_week


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _week(request: SignedInRequest) -> datetime.date:
    try:
        return _monday(datetime.date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return _monday(timezone.localdate())


def _private(request: SignedInRequest) -> None:
    request.is_private_page = True  # type: ignore[attr-defined]


def _open(request: SignedInRequest) -> tuple[list[Entry], dict[str, Any]]:
    private_key = recall_unlocked_key(request)
    return actions.list_entries(request.user, private_key), actions.read_profile(
        request.user, private_key
    )


def _locked(request: SignedInRequest, error: ActionError) -> HttpResponse:
    return render(request, "diary/locked.html", {"message": error.message}, status=error.status)


type DiaryView = Callable[[SignedInRequest, list[Entry], dict[str, Any]], HttpResponse]


def with_open_diary(view: DiaryView) -> Callable[[SignedInRequest], HttpResponse]:
    """Sign-in required; the page is private; the diary is opened with the key the
    session unlocked, or the person is told to sign in again."""

    @wraps(view)
    def wrapper(request: SignedInRequest) -> HttpResponse:
        _private(request)
        try:
            entries, profile_data = _open(request)
        except ActionError as refused:
            return _locked(request, refused)
        return view(request, entries, profile_data)

    return login_required(wrapper)


def _in_week(entry: Entry, monday: datetime.date) -> bool:
    sunday = monday + datetime.timedelta(days=6)
    if entry.kind == "shift":
        return monday <= datetime.date.fromisoformat(entry.data["day"]) <= sunday
    first = datetime.date.fromisoformat(entry.data["first_day"])
    last = datetime.date.fromisoformat(entry.data["last_day"])
    return first <= sunday and last >= monday


def _same_as_last(entries: list[Entry]) -> dict[str, Any]:
    shifts = [entry for entry in entries if entry.kind == "shift"]
    if not shifts:
        return {"day": timezone.localdate()}
    last = dict(shifts[-1].data)
    last["day"] = datetime.date.fromisoformat(last["day"]) + datetime.timedelta(days=1)
    last.pop("incident", None)
    return last


def _home(
    request: SignedInRequest,
    *,
    shift_form: ShiftForm | None = None,
    absence_form: AbsenceForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    _private(request)
    try:
        entries, _profile = _open(request)
    except ActionError as refused:
        return _locked(request, refused)
    monday = _week(request)
    return render(
        request,
        "diary/home.html",
        {
            "monday": monday,
            "previous_week": (monday - datetime.timedelta(days=7)).isoformat(),
            "next_week": (monday + datetime.timedelta(days=7)).isoformat(),
            "entries": [entry for entry in entries if _in_week(entry, monday)],
            "absence_labels": dict(ABSENCE_CHOICES),
            "count": len(entries),
            "shift_form": shift_form or ShiftForm(initial=_same_as_last(entries)),
            "absence_form": absence_form
            or AbsenceForm(initial={"first_day": monday, "last_day": monday}),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def home(request: SignedInRequest) -> HttpResponse:
    return _home(request)


def _add(request: SignedInRequest, data: dict[str, Any]) -> None:
    private_key = recall_unlocked_key(request)
    profile = to_profile(actions.read_profile(request.user, private_key))
    actions.do_add_entries(
        user=request.user, private_key=private_key, entries=[data], profile=profile
    )


def _back_to_week(day: str) -> HttpResponse:
    return redirect(
        reverse("diary:home") + f"?week={_monday(datetime.date.fromisoformat(day)).isoformat()}"
    )


def _save(request: SignedInRequest, form: ShiftForm | AbsenceForm, day: str) -> HttpResponse:
    """Add the entry a valid form describes, or show the week again with why not."""
    status = 400
    if form.is_valid():
        data = form.entry_data()
        try:
            _add(request, data)
        except ActionError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return _back_to_week(data[day])
    return _home(
        request,
        shift_form=form if isinstance(form, ShiftForm) else None,
        absence_form=form if isinstance(form, AbsenceForm) else None,
        status=status,
    )


@login_required
@require_POST
def shift_add(request: SignedInRequest) -> HttpResponse:
    return _save(request, ShiftForm(request.POST), "day")


@login_required
@require_POST
def absence_add(request: SignedInRequest) -> HttpResponse:
    return _save(request, AbsenceForm(request.POST), "first_day")


@login_required
@require_POST
def entry_delete(request: SignedInRequest, entry_id: str) -> HttpResponse:
    try:
        actions.do_delete_entry(user=request.user, entry_id=entry_id)
    except ActionError as error:
        return _home(request, error=str(error.message), status=error.status)
    return redirect(reverse("diary:home") + "?week=" + request.POST.get("week", ""))


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: SignedInRequest) -> HttpResponse:
    _private(request)
    private_key = recall_unlocked_key(request)
    if private_key is None:
        return _locked(request, ActionError(_("Sign in again to open your diary."), status=403))
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            actions.do_save_profile(user=request.user, data=form.profile_data())
            return redirect("diary:results")
        return render(request, "diary/profile.html", {"form": form}, status=400)
    stored = actions.read_profile(request.user, private_key)
    return render(request, "diary/profile.html", {"form": ProfileForm(initial=stored)})


def _check(
    entries: list[Entry], profile_data: dict[str, Any]
) -> tuple[rules.DiaryCheck | None, list[str]]:
    shifts = [to_shift(entry) for entry in entries if entry.kind == "shift"]
    if not shifts:
        return None, []
    try:
        return (
            rules.check_diary(
                to_profile(profile_data),
                shifts,
                [to_absence(entry) for entry in entries if entry.kind == "absence"],
            ),
            [],
        )
    except rules.DiaryInputError as error:
        return None, [say(problem.message) for problem in error.problems]


def _shown(finding: rules.Finding) -> dict[str, Any]:
    """A finding as the results page shows it, worded in the reader's language."""
    return {
        "title": title(finding),
        "finding": finding,
        "summary": say(finding.summary),
        "arithmetic": say(finding.arithmetic),
    }


@require_GET
@with_open_diary
def results(
    request: SignedInRequest, entries: list[Entry], profile_data: dict[str, Any]
) -> HttpResponse:
    check, problems = _check(entries, profile_data)
    membership = (
        Membership.objects.filter(user=request.user, is_verified=True)
        .select_related("site")
        .first()
    )
    this_monday = _monday(timezone.localdate())
    contributions = (
        [
            summary
            for monday in (this_monday - datetime.timedelta(days=7), this_monday)
            if (summary := summary_of_week(check, monday)) is not None
        ]
        if check and membership
        else []
    )
    return render(
        request,
        "diary/results.html",
        {
            "site": membership.site if membership else None,
            "contributions": [
                (
                    {
                        "monday": datetime.date.fromisoformat(summary["week"]),
                        "hours_label": HOURS_LABELS[summary["hours_band"]],
                    },
                    json.dumps(summary),
                )
                for summary in contributions
            ],
            "check": check,
            "problems": problems,
            "breaches": [_shown(finding) for finding in check.breaches] if check else [],
            "figures": [_shown(finding) for finding in check.figures] if check else [],
            "notes": [say(note) for note in check.notes] if check else [],
            "hours_chart": hours_chart(check.weeks) if check else "",
            "rest_chart": rest_chart(check.rest_gaps) if check else "",
            "disclaimer": say(rules.DISCLAIMER),
        },
    )


@require_GET
@with_open_diary
def export_csv(
    request: SignedInRequest, entries: list[Entry], profile_data: dict[str, Any]
) -> HttpResponse:
    check, _problems = _check(entries, profile_data)
    response = HttpResponse(
        evidence_csv(entries, check, made_on=timezone.localdate()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="breakroom-diary.csv"'
    return response


@require_GET
@with_open_diary
def evidence(
    request: SignedInRequest, entries: list[Entry], profile_data: dict[str, Any]
) -> HttpResponse:
    check, _problems = _check(entries, profile_data)
    pdf = evidence_pdf(entries, check, made_on=timezone.localdate(), owner=request.user.username)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="breakroom-evidence.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: SignedInRequest) -> HttpResponse:
    """Upload → preview (with every problem named) → confirm: all rows or none."""
    _private(request)
    if request.method == "GET":
        return render(request, "diary/import.html", {"form": ImportForm()})
    text = request.POST.get("content", "")
    if not text:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "diary/import.html", {"form": form}, status=400)
        raw = form.cleaned_data["file"].read(1_000_001)
        if len(raw) > 1_000_000:
            form.add_error("file", _("The file is larger than 1 MB."))
            return render(request, "diary/import.html", {"form": form}, status=400)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
            return render(request, "diary/import.html", {"form": form}, status=400)
    parsed = parse_diary_csv(text)
    context: dict[str, Any] = {
        "form": ImportForm(),
        "content": text,
        "parsed": parsed,
        "errors": [say(error.text) for error in parsed.errors],
    }
    if parsed.errors or request.POST.get("confirm") != "yes":
        return render(request, "diary/import.html", context, status=400 if parsed.errors else 200)
    try:
        private_key = recall_unlocked_key(request)
        count = actions.do_add_entries(
            user=request.user,
            private_key=private_key,
            entries=[from_csv_entry(entry) for entry in parsed.entries],
            profile=to_profile(actions.read_profile(request.user, private_key)),
        )
    except ActionError as error:
        context["error"] = error.message
        return render(request, "diary/import.html", context, status=error.status)
    return redirect(reverse("diary:home") + f"?imported={count}")


@login_required
@require_GET
def import_template(request: SignedInRequest) -> HttpResponse:
    """A CSV to fill in: the header and example rows (docs/diary-csv.md)."""
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="breakroom-diary-template.csv"'
    return response
