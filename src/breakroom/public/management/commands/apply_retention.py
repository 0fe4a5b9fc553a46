"""Delete data past its retention period now; schedule it daily."""

from typing import Any

from django.core.management.base import BaseCommand

from breakroom.public.retention import do_apply_retention


class Command(BaseCommand):
    help = "Delete reports, answers, codes, audit rows and sessions past their retention."

    def handle(self, *args: Any, **options: Any) -> None:
        for kind, count in do_apply_retention().items():
            self.stdout.write(f"{kind}: {count} deleted")
