"""Finding the site an API address names."""

import time

from django.http import Http404

from breakroom.workplaces.models import Site, SiteStatus

# Spending a token and checking in are the hottest paths there are, and a site's
# slug and status change seldom: each process remembers an open site for a minute.
REMEMBER_SECONDS = 60.0
_open_sites: dict[str, tuple[float, Site]] = {}


def open_site(slug: str) -> Site:
    """The open (or opening) site called `slug`; Http404 for a closed or unknown one."""
    now = time.monotonic()
    remembered = _open_sites.get(slug)
    if remembered is not None and now - remembered[0] < REMEMBER_SECONDS:
        return remembered[1]
    site = Site.objects.exclude(status=SiteStatus.CLOSED).filter(slug=slug).first()
    if site is None:
        _open_sites.pop(slug, None)
        raise Http404
    if len(_open_sites) > 1024:
        _open_sites.clear()
    _open_sites[slug] = (now, site)
    return site


def forget_open_sites() -> None:
    """Empty this process's memory of sites (tests, whose rows come and go)."""
    _open_sites.clear()
