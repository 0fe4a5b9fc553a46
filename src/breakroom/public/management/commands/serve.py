"""Serve Breakroom with granian, a production-grade WSGI server.

Granian's access log stays off: an access log would record every visitor's
address, which Breakroom never keeps (PRIVACY.md, property 1).
"""

import os
import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def granian_arguments(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--no-access-log",
        "--log-level",
        "warning",
        "breakroom.wsgi:application",
    ]


class Command(BaseCommand):
    help = "Serve Breakroom with granian on the configured database (no access log)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("BREAKROOM_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("BREAKROOM_PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("BREAKROOM_WORKERS", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("BREAKROOM_THREADS", "4"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        executable = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which(
            "granian"
        )
        if executable is None:
            self.stderr.write("granian is not installed; run `make serve` to install it.")
            sys.exit(1)
        arguments = granian_arguments(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
        )
        self.stdout.write(f"Breakroom is at http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakroom.settings.base")
        os.execv(executable, arguments)  # noqa: S606 - fixed argument list, no shell
