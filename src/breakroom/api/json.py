"""JSON in and out: one error shape everywhere (docs/tokens.md, "Errors")."""

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from breakroom.core.errors import ActionError

MAX_BODY_BYTES = 64 * 1024


def error_response(error: ActionError) -> JsonResponse:
    return JsonResponse({"error": error.code, "message": str(error.message)}, status=error.status)


def read_json_object(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object; raise a `malformed` ActionError for anything else."""
    if len(request.body) > MAX_BODY_BYTES:
        raise ActionError(_("The request is too large."), status=413, code="malformed")
    try:
        document = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ActionError(_("The request is not valid JSON."), code="malformed") from error
    if not isinstance(document, dict):
        raise ActionError(_("The request must be a JSON object."), code="malformed")
    return document


def string_field(document: dict[str, Any], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value:
        raise ActionError(
            _("The field “%(name)s” is missing or not a string.") % {"name": name},
            code="malformed",
        )
    return value
