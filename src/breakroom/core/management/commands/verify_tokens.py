"""Check a downloaded audit file of spent tokens: every signature, no duplicates."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from breakroom.core.tokens.verifier import verify_audit


class Command(BaseCommand):
    help = "Verify a spent-token audit file (docs/tokens.md) and print what it proves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--key-id", help="Also require the file's key to be this published key id."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = json.loads(options["file"].read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        report = verify_audit(document, expected_key_id=options["key_id"])
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.is_valid:
            raise CommandError(f"INVALID: {len(report.problems)} problem(s) found.")
        self.stdout.write(
            f"OK: {report.valid} valid, distinct tokens for {document['purpose']} "
            f"{document['period']} at {document['site']} (key {document['key']['key_id']})."
        )
