"""Who may do what, and fetching objects with that check built in.

A person with no role at a site gets a 404 for its private pages, never a 403:
whether a page exists is itself something an outsider should not learn.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from breakroom.workplaces.models import Site

from .models import Membership, Role, User


class SignedInRequest(HttpRequest):
    """A request from a signed-in person (after `login_required`)."""

    user: User


def get_membership(user: User, site: Site) -> Membership | None:
    """Return `user`'s membership at `site`, or None."""
    return Membership.objects.filter(user=user, site=site).first()


def can_manage_employers(user: User) -> bool:
    """Only union staff (global administrators) create employers and sites."""
    return user.is_active and user.is_admin


def can_manage_site(user: User, site: Site) -> bool:
    """Union staff, or a site administrator of this site."""
    if can_manage_employers(user):
        return True
    return Membership.objects.filter(user=user, site=site, role=Role.ADMIN).exists()


def can_verify_at(user: User, site: Site) -> bool:
    """Organisers and site administrators of `site` verify its workers in person."""
    return (
        user.is_active
        and Membership.objects.filter(
            user=user, site=site, role__in=[Role.ORGANISER, Role.ADMIN]
        ).exists()
    )


def can_take_tokens(user: User, site: Site) -> bool:
    """Anonymous-but-eligible tokens are for members verified in person at `site`."""
    return (
        user.is_active
        and Membership.objects.filter(user=user, site=site, is_verified=True).exists()
    )


def access_site_to_verify(user: User, slug: str) -> Site:
    """Return the site if `user` may verify workers there, else raise Http404."""
    site = get_object_or_404(Site, slug=slug)
    if not can_verify_at(user, site):
        raise Http404
    return site


def access_site_to_manage(user: User, slug: str) -> Site:
    """Return the site if `user` may manage it, else raise Http404."""
    site = get_object_or_404(Site.objects.select_related("employer"), slug=slug)
    if not can_manage_site(user, site):
        raise Http404
    return site


def access_own_membership(user: User, slug: str) -> Membership:
    """Return `user`'s own membership at the site `slug`, else raise Http404."""
    return get_object_or_404(
        Membership.objects.select_related("site", "verified_by"), user=user, site__slug=slug
    )


def access_membership_to_manage(user: User, site: Site, membership_id: int) -> Membership:
    """Return a membership of `site` that `user` may change, else raise Http404."""
    if not can_manage_site(user, site):
        raise Http404
    return get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, site=site)


def admin_required[**P](
    view: Callable[Concatenate[SignedInRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Sign-in first; then union staff only. Everyone else sees a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not can_manage_employers(user):
            raise Http404
        return view(cast(SignedInRequest, request), *args, **kwargs)

    return cast(Callable[Concatenate[HttpRequest, P], HttpResponse], login_required(wrapper))
