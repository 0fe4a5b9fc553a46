"""Server-rendered pages whose parts htmx can swap in place."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_fragment(
    request: HttpRequest,
    template_name: str,
    fragment: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render the whole page, or only `fragment` of it when htmx asks.

    `fragment` names a `{% partialdef %}` in the template, so the page and its part
    come from one template and one view: there is never separate logic for htmx.
    """
    name = template_name
    if request.headers.get("HX-Request") == "true":
        name = f"{template_name}#{fragment}"
    return render(request, name, dict(context or {}), status=status)
