"""Add the demo employer, sites and fictional people; safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand

from breakroom.public.demo_data import DEMO_PASSPHRASE, seed_demo


class Command(BaseCommand):
    help = "Create the demo data (the three North East sites) where it is missing."

    def handle(self, *args: Any, **options: Any) -> None:
        sign_ins = seed_demo()
        self.stdout.write(f"Demo sign-ins (passphrase for all: {DEMO_PASSPHRASE}):")
        for username, role in sign_ins.items():
            self.stdout.write(f"  {username:<18} {role}")
