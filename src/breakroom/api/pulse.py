"""The JSON API for the daily check-in: questions, anonymous check-ins, dashboards."""

from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from breakroom.core.errors import ActionError
from breakroom.core.tokens import service as token_service
from breakroom.pulse import actions
from breakroom.pulse.dashboards import published_dashboard
from breakroom.pulse.models import CAMPAIGN
from breakroom.pulse.queries import todays_questions
from breakroom.workplaces.models import Site

from .json import json_errors, read_json_object, string_field
from .sites import open_site


def _optional_id(document: dict[str, Any], name: str) -> int | None:
    value = document.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ActionError(_("“%(name)s” must be a number.") % {"name": name}, code="malformed")
    return value


@json_errors
@require_GET
def questions(request: HttpRequest, slug: str) -> JsonResponse:
    """Today's questions at the site, in every language."""
    site = open_site(slug)
    today = timezone.localdate()
    return JsonResponse(
        {
            "site": site.slug,
            "day": today.isoformat(),
            "questions": [
                {
                    "id": question.pk,
                    "kind": question.kind,
                    "text": {
                        "en": question.text_en,
                        "pl": question.text_pl,
                        "ro": question.text_ro,
                    },
                    "options": question.options,
                    "values": list(question.allowed_values()),
                }
                for question in todays_questions(site, today)
            ],
        }
    )


@json_errors
@never_cache
@require_POST
def checkin(request: HttpRequest, slug: str) -> JsonResponse:
    """One anonymous check-in, paid for with today's pulse token. Send no cookie."""
    site = open_site(slug)
    document = read_json_object(request)
    token = document.get("token")
    raw_answers = document.get("answers")
    if not isinstance(token, dict) or not isinstance(raw_answers, dict):
        raise ActionError(_("Send a token and your answers."), code="malformed")
    try:
        answers = {int(question): value for question, value in raw_answers.items()}
    except ValueError as error:
        raise ActionError(_("Answers are keyed by question number."), code="malformed") from error
    if not all(
        isinstance(value, int) and not isinstance(value, bool) for value in answers.values()
    ):
        raise ActionError(_("Each answer is a number."), code="malformed")
    stored = actions.do_check_in(
        site=site,
        key_id=string_field(token, "key_id"),
        message=token_service.decode_base64(token.get("message"), name="message"),
        signature=token_service.decode_base64(token.get("signature"), name="signature"),
        answers=answers,
        department_id=_optional_id(document, "department"),
        shift_id=_optional_id(document, "shift"),
    )
    return JsonResponse({"stored": stored}, status=201)


@json_errors
@require_GET
def dashboard(request: HttpRequest, slug: str) -> JsonResponse:
    """The site's published check-in figures (null means withheld by the k rule)."""
    site = get_object_or_404(Site, slug=slug)
    document = published_dashboard(site.slug)
    if document is None:
        raise Http404
    return JsonResponse(document)


@json_errors
@require_GET
def campaign_dashboard(request: HttpRequest) -> JsonResponse:
    document = published_dashboard(CAMPAIGN)
    if document is None:
        raise Http404
    return JsonResponse(document)
