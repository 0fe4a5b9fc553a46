"""The JSON API for anonymous tokens (docs/tokens.md). Thin: access, action, JSON."""

import datetime

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from breakroom.accounts.actions import do_issue_tokens
from breakroom.accounts.models import User
from breakroom.core.errors import ActionError
from breakroom.core.models import TokenKey
from breakroom.core.tokens import service
from breakroom.core.tokens.keys import ensure_keys
from breakroom.core.tokens.policy import POLICIES, issuable_periods
from breakroom.workplaces.models import Site

from .json import error_response, json_errors, read_json_object, string_field
from .sites import open_site

MAX_BLINDED_PER_REQUEST = max(policy.per_period for policy in POLICIES.values())


@json_errors
@require_GET
def token_keys(request: HttpRequest, slug: str) -> JsonResponse:
    """Every key a client may take tokens under now: one per purpose and period."""
    site = open_site(slug)
    today = timezone.localdate()
    ensure_keys(site_id=site.pk, today=today)
    wanted = {
        (purpose, period) for purpose in POLICIES for period in issuable_periods(purpose, today)
    }
    keys = [
        key
        for key in TokenKey.objects.filter(site_id=site.pk).order_by("purpose", "period")
        if (key.purpose, key.period) in wanted
    ]
    response = JsonResponse(
        {"site": site.slug, "keys": [service.published_key_document(key) for key in keys]}
    )
    # Cacheable for five minutes, but never past midnight, when the periods move on.
    now = timezone.localtime()
    midnight = (now + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    seconds_left = int((midnight - now).total_seconds())
    response["Cache-Control"] = f"public, max-age={max(0, min(300, seconds_left))}"
    return response


@json_errors
@never_cache
@require_POST
def tokens_issue(request: HttpRequest, slug: str) -> JsonResponse:
    """Blind-sign tokens for the signed-in, verified member."""
    site = open_site(slug)
    if not isinstance(request.user, User):
        return error_response(ActionError(_("Sign in to take tokens."), status=401, code="sign_in"))
    try:
        document = read_json_object(request)
        key_id = string_field(document, "key_id")
        blinded = document.get("blinded_messages")
        if not isinstance(blinded, list) or not 0 < len(blinded) <= MAX_BLINDED_PER_REQUEST:
            raise service.malformed(
                _("“blinded_messages” must be a list of 1 to %(count)s strings.")
                % {"count": MAX_BLINDED_PER_REQUEST}
            )
        messages = [service.decode_base64(item, name="blinded_messages") for item in blinded]
        signatures, remaining = do_issue_tokens(
            user=request.user, site=site, key_id=key_id, blinded_messages=messages
        )
    except ActionError as error:
        return error_response(error)
    return JsonResponse(
        {
            "key_id": key_id,
            "blind_signatures": [service.encode_base64(signature) for signature in signatures],
            "remaining": remaining,
        }
    )


@json_errors
@never_cache
@require_POST
def tokens_spend(request: HttpRequest, slug: str) -> JsonResponse:
    """Spend one token. Who sends it is neither asked nor recorded."""
    site = open_site(slug)
    try:
        document = read_json_object(request)
        spent = service.do_spend_token(
            site_id=site.pk,
            key_id=string_field(document, "key_id"),
            message=service.decode_base64(document.get("message"), name="message"),
            signature=service.decode_base64(document.get("signature"), name="signature"),
        )
    except ActionError as error:
        return error_response(error)
    return JsonResponse(
        {"spent": True, "purpose": spent.purpose, "period": spent.period}, status=201
    )


@json_errors
@require_GET
def tokens_spent_audit(request: HttpRequest, slug: str, purpose: str, period: str) -> JsonResponse:
    """The public audit file of a closed period (docs/tokens.md)."""
    site = get_object_or_404(Site, slug=slug)
    document = service.spent_tokens_audit(
        site_id=site.pk,
        site_slug=site.slug,
        purpose=purpose,
        period=period,
        k=site.privacy_k,
        today=timezone.localdate(),
    )
    if document is None:
        return JsonResponse(
            {
                "error": "not_published",
                "message": _(
                    "Published once the period is over and at least %(k)s tokens were spent."
                )
                % {"k": site.privacy_k},
            },
            status=404,
        )
    return JsonResponse(document)
