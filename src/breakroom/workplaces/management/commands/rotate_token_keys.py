"""Run the token key rotation now; schedule it daily (cron, a systemd timer)."""

from typing import Any

from django.core.management.base import BaseCommand

from breakroom.workplaces.tasks import rotate_token_keys


class Command(BaseCommand):
    help = "Create token keys for the periods ahead and destroy closed periods' private keys."

    def handle(self, *args: Any, **options: Any) -> None:
        result = rotate_token_keys.enqueue()
        if result.is_finished:
            created, destroyed = result.return_value or [0, 0]
            self.stdout.write(f"Created {created} keys; destroyed {destroyed} private keys.")
        else:
            self.stdout.write(f"Queued the rotation as task {result.id}.")
