"""Scheduled housekeeping (Django's tasks API)."""

from django.tasks import task

from .retention import do_apply_retention


@task
def apply_retention() -> dict[str, int]:
    """Daily: delete data past its retention period (core.retention)."""
    return do_apply_retention()
