"""Privacy headers and cookie-free protection against cross-site requests."""

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class PrivacyHeadersMiddleware:
    """Send the headers every page needs (PRIVACY.md, property 3).

    `Permissions-Policy` turns off the device features no page uses. A page built
    for a signed-in person is marked `no-store`, so a shared phone's cache or a
    proxy never keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        user = getattr(request, "user", None)
        if getattr(request, "is_private_page", False) or (user and user.is_authenticated):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, private"
            patch_vary_headers(response, ["Cookie"])
        return response


def is_same_origin_request(request: HttpRequest) -> bool:
    """Decide whether an unsafe request may come from this site's own pages.

    Browsers say where a request comes from in `Sec-Fetch-Site`; older ones send
    `Origin`. A request that carries neither did not come from a browser page, so
    it cannot be a forged cross-site request. No cookie or token is needed, which
    keeps visitors who have not signed in free of cookies.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.get_host()}"


class SameOriginPostMiddleware:
    """Refuse unsafe requests that another site's page made a browser send."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS and not is_same_origin_request(request):
            return HttpResponseForbidden(render_to_string("core/cross_site.html", request=request))
        return self.get_response(request)


class SecondFactorMiddleware:
    """Organisers' and administrators' pages need the second step of signing in.

    One place for every organiser page and API, so a new one cannot forget it.
    """

    PROTECTED = re.compile(r"^/(?:(?:pl|ro)/)?(?:organise|manage)/|^/api/v1/sites/[^/]+/inbox")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.PROTECTED.match(request.path_info) and self._must_pass(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": "second_factor",
                        "message": _("Complete the second step of signing in."),
                    },
                    status=403,
                )
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("accounts:second-factor")
            )
        return self.get_response(request)

    @staticmethod
    def _must_pass(request: HttpRequest) -> bool:
        from breakroom.accounts.models import User
        from breakroom.accounts.second_factor import has_passed, needs_second_factor

        user = getattr(request, "user", None)
        return isinstance(user, User) and not has_passed(request) and needs_second_factor(user)
