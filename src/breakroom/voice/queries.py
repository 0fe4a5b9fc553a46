"""Reading reports (metadata only: the text is sealed)."""

from django.db.models import QuerySet

from breakroom.workplaces.models import Site

from .models import Report


def list_inbox(site: Site, *, category: str = "", status: str = "") -> QuerySet[Report]:
    """The site's reports, newest week first; the order within a week means nothing."""
    reports = Report.objects.filter(site=site).only("id", "category", "status", "week", "frequency")
    if category:
        reports = reports.filter(category=category)
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-week", "id")
