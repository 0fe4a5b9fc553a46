"""Rebuild every check-in day still marked pending, and its site's dashboards."""

from typing import Any

from django.core.management.base import BaseCommand

from breakroom.pulse.actions import do_rebuild_pending_rollups


class Command(BaseCommand):
    help = "Catch up on check-in rollups (run every few minutes from a scheduler)."

    def handle(self, *args: Any, **options: Any) -> None:
        rebuilt = do_rebuild_pending_rollups()
        self.stdout.write(f"Rebuilt {rebuilt} pending days.")
