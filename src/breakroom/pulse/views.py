"""The check-in page (JavaScript: the phone spends its token) and the dashboards."""

import csv
import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from breakroom.accounts.access import (
    SignedInRequest,
    access_own_membership,
    access_site_to_verify,
    can_manage_employers,
)
from breakroom.core.errors import ActionError
from breakroom.workplaces.models import Site

from . import actions
from .dashboards import published_dashboard, published_version
from .forms import QuestionForm
from .models import CAMPAIGN, Question
from .presentation import dashboard_view, participation_view, question_labels
from .queries import scheduled_questions, todays_questions


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: SignedInRequest, slug: str) -> HttpResponse:
    """Today's questions. The answers leave the phone without the session cookie,
    with a token, through the API; a form sent without JavaScript is refused."""
    membership = access_own_membership(request.user, slug)
    status = 200
    if request.method == "POST":
        status = 400
    questions = todays_questions(membership.site, timezone.localdate())
    return render(
        request,
        "pulse/checkin.html",
        {
            "membership": membership,
            "site": membership.site,
            "questions": [
                (
                    question,
                    list(zip(question.allowed_values(), question_labels(question), strict=True)),
                )
                for question in questions
            ],
            "without_javascript": request.method == "POST",
            "today": timezone.localdate().isoformat(),
        },
        status=status,
    )


def _dashboard_page(request: HttpRequest, site: Site | None, scope: str) -> HttpResponse:
    """A dashboard page. Rendering its tables is the costly part, so the rendered
    figures are cached per published version and language (the template's
    `{% cache %}`); the document itself is loaded only when that cache misses."""
    version = published_version(scope)

    def questions() -> list[Any]:
        document = published_dashboard(scope)
        return dashboard_view(document) if document else []

    def document() -> dict[str, Any] | None:
        return published_dashboard(scope)

    closed_days = [
        (timezone.localdate() - datetime.timedelta(days=ago)).isoformat() for ago in range(2, 9)
    ]
    return render(
        request,
        "pulse/dashboard.html",
        {
            "site": site,
            "scope": scope,
            "version": version,
            "document": document,
            "questions": questions,
            "participation": lambda: participation_view(published_dashboard(scope) or {}),
            "audit_days": closed_days,
        },
    )


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(Site, slug=slug)
    return _dashboard_page(request, site, site.slug)


@require_GET
def campaign_dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard_page(request, None, CAMPAIGN)


@require_GET
def figures_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The published (already suppressed) figures as CSV; empty cells are withheld."""
    site = get_object_or_404(Site, slug=slug)
    document = published_dashboard(site.slug)
    if document is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="breakroom-pulse-{site.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["site", "k", "question", "table", "row", "column", "count"])
    for question in document["questions"]:
        for name in ("by_week", "by_month", "by_department", "by_shift"):
            table = question[name]
            for row in table["rows"]:
                for column in table["columns"]:
                    value = table["cells"][f"{row}|{column}"]
                    writer.writerow(
                        [
                            site.slug,
                            document["k"],
                            question["text"]["en"],
                            name,
                            row,
                            column,
                            "" if value is None else value,
                        ]
                    )
    for name in ("participation", "participation_daily"):
        participation = document[name]
        for column in participation["columns"]:
            value = participation["cells"][f"check-ins|{column}"]
            writer.writerow(
                [
                    site.slug,
                    document["k"],
                    "",
                    name,
                    "check-ins",
                    column,
                    "" if value is None else value,
                ]
            )
    return response


def _questions_page(
    request: SignedInRequest, site: Site | None, form: QuestionForm, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    questions = Question.objects.filter(site=site).order_by("-starts_on", "position")
    return render(
        request,
        "pulse/questions.html",
        {
            "site": site,
            "form": form,
            "questions": questions,
            "today": today,
            "asked_today": {
                q.pk
                for q in (
                    todays_questions(site, today) if site else scheduled_questions(None, today)
                )
            },
        },
        status=status,
    )


def _question_site(request: SignedInRequest, slug: str | None) -> Site | None:
    if slug is None:
        if not can_manage_employers(request.user):
            raise Http404
        return None
    return access_site_to_verify(request.user, slug)


@login_required
@require_http_methods(["GET", "POST"])
def questions(request: SignedInRequest, slug: str | None = None) -> HttpResponse:
    site = _question_site(request, slug)
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.do_save_question(actor=request.user, site=site, fields=form.cleaned_data)
            except ActionError as error:
                form.add_error(error.field, error.message)
                return _questions_page(request, site, form, status=error.status)
            return redirect(request.path)
        return _questions_page(request, site, form, status=400)
    return _questions_page(request, site, form)


@login_required
@require_POST
def question_end(
    request: SignedInRequest, question_id: int, slug: str | None = None
) -> HttpResponse:
    site = _question_site(request, slug)
    question = get_object_or_404(Question, pk=question_id, site=site)
    try:
        actions.do_end_question(actor=request.user, question=question, day=timezone.localdate())
    except ActionError as error:
        raise Http404 from error
    if slug is None:
        return redirect("pulse:campaign-questions")
    return redirect("pulse:questions", slug=slug)
