"""Pages anyone can read: the list of sites and each site's campaign page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from breakroom.diary.models import PublishedDiaryFigures
from breakroom.diary.presentation import hours_grid
from breakroom.voice.presentation import figures_view
from breakroom.workplaces.queries import get_public_site, list_public_sites


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/home.html",
        {"sites": list_public_sites(), "signed_out": "signed-out" in request.GET},
    )


@require_GET
def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    if site is None:
        raise Http404
    working_time = PublishedDiaryFigures.objects.filter(site=site).first()
    return render(
        request,
        "public/site.html",
        {
            "site": site,
            "figures": figures_view(site),
            "working_time": hours_grid(working_time.document) if working_time else None,
        },
    )
