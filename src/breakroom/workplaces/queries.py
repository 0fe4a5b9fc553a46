"""Reading workplaces."""

from django.db.models import Count, Prefetch, QuerySet

from .models import BargainingUnit, Employer, Site


def list_public_sites() -> QuerySet[Site]:
    """Every site, with its employer, for the home page."""
    return Site.objects.select_related("employer").order_by("employer__name", "name")


def get_public_site(slug: str) -> Site | None:
    """A site with everything its public page shows, or None."""
    units = BargainingUnit.objects.prefetch_related("departments", "shifts")
    return (
        Site.objects.select_related("employer")
        .prefetch_related("departments", "shifts", Prefetch("bargaining_units", queryset=units))
        .filter(slug=slug)
        .first()
    )


def list_employers() -> QuerySet[Employer]:
    return Employer.objects.annotate(site_count=Count("sites")).order_by("name")
