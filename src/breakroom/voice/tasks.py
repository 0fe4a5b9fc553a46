"""Background work for reports."""

from django.tasks import task

from .actions import do_refresh_report_figures


@task
def refresh_report_figures(*, site_id: int) -> None:
    """Recompute a site's published report figures (safe to run twice)."""
    do_refresh_report_figures(site_id=site_id)
