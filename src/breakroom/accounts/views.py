"""Sign-up, sign-in, "my sites", and verification in person."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from breakroom.core.errors import ActionError
from breakroom.core.fragments import render_fragment
from breakroom.core.models import TokenPurpose
from breakroom.core.ratelimit import count_failure, is_limited
from breakroom.core.tokens.policy import POLICIES
from breakroom.workplaces.models import Site

from . import actions, second_factor
from .access import (
    SignedInRequest,
    access_membership_to_manage,
    access_own_membership,
    access_site_to_manage,
    access_site_to_verify,
)
from .codes import display_code
from .forms import (
    ChangePassphraseForm,
    ContactForm,
    JoinSiteForm,
    SecondFactorForm,
    SetRoleForm,
    SignInForm,
    SignUpForm,
    VerifyCodeForm,
)
from .keys import forget_unlocked_key, remember_unlocked_key
from .models import Membership, Role, SecondFactor, User

SIGN_IN_LIMIT = 5
SIGN_IN_WINDOW = 15 * 60
VERIFY_LIMIT = 10
VERIFY_WINDOW = 10 * 60
SESSION_CODE_KEY = "verification_code"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:my-sites")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = actions.do_sign_up(
                    username=form.cleaned_data["username"],
                    passphrase=form.cleaned_data["passphrase"],
                    contact=form.cleaned_data["contact"],
                )
            except ActionError as error:
                form.add_error(error.field, error.message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                response = redirect("accounts:my-sites")
                private_key = actions.do_unlock_key_pair(
                    user=user, passphrase=form.cleaned_data["passphrase"]
                )
                remember_unlocked_key(request, response, private_key)
                return response
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:my-sites")
    form = SignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            username = form.cleaned_data["username"].strip().lower()
            if is_limited("signin", username, limit=SIGN_IN_LIMIT, window_seconds=SIGN_IN_WINDOW):
                form.add_error(
                    None, _("Too many wrong attempts for this username. Wait 15 minutes.")
                )
                status = 429
            else:
                user = authenticate(
                    request, username=username, password=form.cleaned_data["passphrase"]
                )
                if user is None:
                    count_failure("signin", username, window_seconds=SIGN_IN_WINDOW)
                    form.add_error(None, _("That username and passphrase do not match."))
                else:
                    login(request, user)
                    target = _next_url(request)
                    assert isinstance(user, User)  # noqa: S101 - our only user model
                    if second_factor.needs_second_factor(user):
                        target = (
                            reverse("accounts:second-factor") + "?" + urlencode({"next": target})
                        )
                    response = HttpResponseRedirect(target)
                    private_key = actions.do_unlock_key_pair(
                        user=user, passphrase=form.cleaned_data["passphrase"]
                    )
                    remember_unlocked_key(request, response, private_key)
                    return response
    return render(
        request,
        "accounts/signin.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect(reverse("public:home") + "?signed-out=1")
    forget_unlocked_key(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def passphrase_change(request: SignedInRequest) -> HttpResponse:
    form = ChangePassphraseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.do_change_passphrase(
                    user=request.user,
                    current=form.cleaned_data["current"],
                    new=form.cleaned_data["new"],
                )
            except ActionError as error:
                form.add_error(error.field if error.field != "passphrase" else "new", error.message)
            else:
                update_session_auth_hash(request, request.user)
                return redirect(reverse("accounts:my-sites") + "?passphrase-changed=1")
    return render(request, "accounts/passphrase_change.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: SignedInRequest) -> HttpResponse:
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            actions.do_set_contact(user=request.user, contact=form.cleaned_data["contact"])
            return redirect(reverse("accounts:my-sites") + "?contact-saved=1")
        return render(request, "accounts/contact_edit.html", {"form": form}, status=400)
    return render(request, "accounts/contact_edit.html", {"form": form})


def _joinable_sites(request: SignedInRequest) -> object:
    return Site.objects.exclude(memberships__user=request.user).order_by("name")


@login_required
@require_GET
def my_sites(request: SignedInRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("site")
    return render(
        request,
        "accounts/my_sites.html",
        {
            "memberships": memberships,
            "join_form": JoinSiteForm(sites=_joinable_sites(request)),
            "notice": next(
                (key for key in request.GET if key.endswith(("-changed", "-saved"))), ""
            ),
        },
    )


@login_required
@require_POST
def site_join(request: SignedInRequest) -> HttpResponse:
    form = JoinSiteForm(request.POST, sites=_joinable_sites(request))
    if form.is_valid():
        try:
            membership = actions.do_join_site(user=request.user, site=form.cleaned_data["site"])
        except ActionError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("accounts:membership", slug=membership.site.slug)
    memberships = Membership.objects.filter(user=request.user).select_related("site")
    return render(
        request,
        "accounts/my_sites.html",
        {"memberships": memberships, "join_form": form, "notice": ""},
        status=400,
    )


def _qr_svg(url: str) -> str:
    """The code's QR as inline SVG markup: no image request, no script."""
    svg: str = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#111", light="#fff")
    return svg


@login_required
@require_GET
def membership_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    membership = access_own_membership(request.user, slug)
    shown = request.session.get(SESSION_CODE_KEY)
    context: dict[str, object] = {"membership": membership}
    if shown and shown["site"] == slug and membership.is_verified:
        del request.session[SESSION_CODE_KEY]
    elif shown and shown["site"] == slug and shown["expires"] > timezone.now().timestamp():
        verify_url = request.build_absolute_uri(
            reverse("accounts:verify", kwargs={"slug": slug})
            + "?"
            + urlencode({"code": shown["code"]})
        )
        context |= {
            "code": display_code(shown["code"]),
            "qr_svg": _qr_svg(verify_url),
            "minutes_left": max(1, int((shown["expires"] - timezone.now().timestamp()) // 60)),
        }
    return render(request, "accounts/membership.html", context)


@login_required
@require_POST
def membership_code(request: SignedInRequest, slug: str) -> HttpResponse:
    membership = access_own_membership(request.user, slug)
    try:
        code, issued = actions.do_issue_verification_code(membership=membership)
    except ActionError as error:
        return render(
            request,
            "accounts/membership.html",
            {"membership": membership, "error": error.message},
            status=error.status,
        )
    # Kept in the person's own session only while it is valid, so the page can show
    # it again when it refreshes itself to learn whether the organiser has verified.
    request.session[SESSION_CODE_KEY] = {
        "site": slug,
        "code": code,
        "expires": issued.expires_at.timestamp(),
    }
    return redirect("accounts:membership", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: SignedInRequest, slug: str) -> HttpResponse:
    site = access_site_to_verify(request.user, slug)
    context: dict[str, object] = {"site": site}
    status = 200
    if request.method == "POST":
        form = VerifyCodeForm(request.POST)
        status = 400
        limited = is_limited(
            "verify", str(request.user.pk), limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW
        )
        if limited:
            form.add_error(None, _("Too many wrong codes. Wait ten minutes, then try again."))
            status = 429
        elif form.is_valid():
            try:
                verified = actions.do_verify_membership(
                    organiser=request.user, site=site, code=form.cleaned_data["code"]
                )
            except ActionError as error:
                count_failure("verify", str(request.user.pk), window_seconds=VERIFY_WINDOW)
                form.add_error(error.field, error.message)
                status = error.status
            else:
                context["verified"] = verified
                form = VerifyCodeForm()
                status = 200
    else:
        form = VerifyCodeForm(initial={"code": request.GET.get("code", "")[:12]})
    context["form"] = form
    return render_fragment(request, "accounts/verify.html", "panel", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def site_people(request: SignedInRequest, slug: str) -> HttpResponse:
    """Who has which role at a site; union staff and site administrators only."""
    site = access_site_to_manage(request.user, slug)
    form = SetRoleForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.do_set_role(
                    actor=request.user,
                    site=site,
                    username=form.cleaned_data["username"],
                    role=Role(form.cleaned_data["role"]),
                )
            except ActionError as error:
                form.add_error(error.field, error.message)
                status = error.status
            else:
                return redirect("accounts:site-people", slug=slug)
    memberships = (
        Membership.objects.filter(site=site)
        .select_related("user", "verified_by")
        .order_by("role", "user__username")
    )
    return render(
        request,
        "accounts/site_people.html",
        {"site": site, "form": form, "memberships": memberships},
        status=status,
    )


@login_required
@require_POST
def site_person_remove(request: SignedInRequest, slug: str, membership_id: int) -> HttpResponse:
    site = access_site_to_manage(request.user, slug)
    membership = access_membership_to_manage(request.user, site, membership_id)
    actions.do_remove_membership(actor=request.user, membership=membership)
    return redirect("accounts:site-people", slug=slug)


@login_required
@require_GET
def membership_tokens(request: SignedInRequest, slug: str) -> HttpResponse:
    """Where a verified worker's phone takes anonymous tokens (this page needs JavaScript:
    the phone itself blinds and finalizes them, so the server never sees them)."""
    membership = access_own_membership(request.user, slug)
    return render(
        request,
        "accounts/tokens.html",
        {
            "membership": membership,
            "policies": [
                {"purpose": purpose, "label": TokenPurpose(purpose).label, "policy": policy}
                for purpose, policy in POLICIES.items()
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_step(request: SignedInRequest) -> HttpResponse:
    """Set up an authenticator app, or give its code: organisers' second factor."""
    request.is_private_page = True  # type: ignore[attr-defined]
    target = _next_url(request)
    if not second_factor.needs_second_factor(request.user) or second_factor.has_passed(request):
        return HttpResponseRedirect(target)
    existing = SecondFactor.objects.filter(user=request.user).first()
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        key = str(request.user.pk)
        if is_limited("second-factor", key, limit=SIGN_IN_LIMIT, window_seconds=SIGN_IN_WINDOW):
            form.add_error(None, _("Too many wrong codes. Wait 15 minutes."))
            status = 429
        elif form.is_valid():
            try:
                actions.do_pass_second_factor(user=request.user, code=form.cleaned_data["code"])
            except ActionError as error:
                count_failure("second-factor", key, window_seconds=SIGN_IN_WINDOW)
                form.add_error(error.field, error.message)
            else:
                second_factor.mark_passed(request)
                return HttpResponseRedirect(target)
    context: dict[str, object] = {"form": form, "next": target}
    if existing is None or not existing.is_confirmed:
        secret = (
            second_factor.secret_of(existing)
            if existing is not None and request.method == "POST"
            else actions.do_start_second_factor(user=request.user)
        )
        context |= {
            "setting_up": True,
            "secret": second_factor.display_secret(secret),
            "qr_svg": _qr_svg(second_factor.provisioning_uri(secret, request.user.username)),
        }
    return render(request, "accounts/second_factor.html", context, status=status)
