"""Background work for workplaces, through Django's tasks API."""

from django.tasks import task
from django.utils import timezone

from .actions import do_rotate_token_keys


@task
def rotate_token_keys() -> list[int]:
    """Daily: keys for the days and weeks ahead; private keys of closed periods gone."""
    created, destroyed = do_rotate_token_keys(today=timezone.localdate())
    return [created, destroyed]
