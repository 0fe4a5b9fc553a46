"""Who may read which report: organisers of its site — and only with a granted key."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from breakroom.accounts.access import can_verify_at
from breakroom.accounts.models import User
from breakroom.workplaces.models import Site

from .models import Report


def can_read_reports_at(user: User, site: Site) -> bool:
    """Organisers (and site administrators) of `site`. Union staff are not, unless
    they are also organisers there: nobody reads a report without being granted it."""
    return can_verify_at(user, site)


def access_inbox_site(user: User, slug: str) -> Site:
    """The site whose inbox `user` may open, else Http404."""
    site = get_object_or_404(Site, slug=slug)
    if not can_read_reports_at(user, site):
        raise Http404
    return site


def access_report(user: User, site: Site, report_id: str) -> Report:
    """A report of `site` that `user` organises for, else Http404 (whether or not it exists)."""
    if not can_read_reports_at(user, site):
        raise Http404
    return get_object_or_404(Report.objects.filter(site=site), pk=report_id)
