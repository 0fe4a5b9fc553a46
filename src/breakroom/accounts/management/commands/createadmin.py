"""Create a union-staff account from the command line."""

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from breakroom.accounts.actions import do_create_admin
from breakroom.core.errors import ActionError


class Command(BaseCommand):
    help = "Create an administrator (union staff) who manages employers, sites and roles."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--passphrase-stdin",
            action="store_true",
            help="Read the passphrase from standard input instead of asking for it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["passphrase_stdin"]:
            stdin = options.get("stdin") or sys.stdin
            passphrase = stdin.readline().rstrip("\n")
        else:
            passphrase = getpass.getpass("Passphrase: ")
            if passphrase != getpass.getpass("Passphrase again: "):
                raise CommandError("The two passphrases are not the same.")
        try:
            user = do_create_admin(username=options["username"], passphrase=passphrase)
        except ActionError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Created administrator {user.username}.")
