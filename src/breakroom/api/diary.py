"""The JSON API for contributed diary summaries and the figures they make."""

from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from breakroom.core.errors import ActionError
from breakroom.core.tokens import service as token_service
from breakroom.diary.models import PublishedDiaryFigures
from breakroom.diary.summaries import do_contribute_summary
from breakroom.workplaces.models import Site, SiteStatus

from .json import json_errors, read_json_object, string_field


@json_errors
@never_cache
@require_POST
def summary_contribute(request: HttpRequest, slug: str) -> JsonResponse:
    """One anonymous weekly summary, paid for with that week's diary token. No cookie."""
    site = get_object_or_404(Site.objects.exclude(status=SiteStatus.CLOSED), slug=slug)
    document = read_json_object(request)
    token = document.get("token")
    if not isinstance(token, dict):
        raise ActionError(_("Send a token with the summary."), code="malformed")
    do_contribute_summary(
        site=site,
        key_id=string_field(token, "key_id"),
        message=token_service.decode_base64(token.get("message"), name="message"),
        signature=token_service.decode_base64(token.get("signature"), name="signature"),
        summary=document,
    )
    return JsonResponse({"contributed": True}, status=201)


@json_errors
@require_GET
def figures(request: HttpRequest, slug: str) -> JsonResponse:
    """Published working-time figures from contributed summaries (null: withheld)."""
    site = get_object_or_404(Site, slug=slug)
    stored = PublishedDiaryFigures.objects.filter(site=site).first()
    if stored is None:
        raise Http404
    return JsonResponse({"site": site.slug, **stored.document})
