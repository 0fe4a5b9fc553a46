"""Background work for the daily check-in (Django's tasks API)."""

import datetime

from django.tasks import task

from .actions import do_rebuild_rollups
from .dashboards import refresh_dashboards


@task
def rebuild_rollups(*, site_id: int, day: str) -> int:
    """Rebuild one site's rollups for one day, then its published dashboards."""
    rows = do_rebuild_rollups(site_id=site_id, day=datetime.date.fromisoformat(day))
    refresh_dashboards(site_id=site_id)
    return rows
