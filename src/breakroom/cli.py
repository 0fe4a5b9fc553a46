"""The `breakroom` command: Django's management commands under one name.

breakroom demo          migrate the embedded database, seed it, serve it
breakroom serve         the production-style server on the configured database
breakroom seed-demo     add the demo employer, sites and people (idempotent)
breakroom createadmin   create a union-staff account
breakroom <command>     any other management command (migrate, check, ...)
"""

import os
import sys

ALIASES = {
    "seed-demo": "seed_demo",
    "rotate-token-keys": "rotate_token_keys",
    "verify-tokens": "verify_tokens",
    "apply-retention": "apply_retention",
    "rebuild-pending-rollups": "rebuild_pending_rollups",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakroom.settings.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
