"""JSON in and out: one error shape everywhere (docs/tokens.md, "Errors")."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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


def json_errors[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Answer in JSON when a view refuses or finds nothing, as the API promises."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except ActionError as error:
            return error_response(error)
        except Http404:
            return JsonResponse(
                {"error": "not_found", "message": _("There is nothing here, or not for you.")},
                status=404,
            )

    return wrapper
