"""Settings: safe defaults, secrets created once with mode 0600, DATABASE_URL chooses."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from breakroom.settings.base import read_or_create_secret

PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'secure': s.SESSION_COOKIE_SECURE, "
    "'key': s.SECRET_KEY}))"
)


def load_settings(environment: dict[str, str]) -> dict[str, object]:
    keep = {key: value for key, value in os.environ.items() if not key.startswith("BREAKROOM_")}
    keep.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); " + PRINT_SETTINGS],
        env={**keep, "DJANGO_SETTINGS_MODULE": "breakroom.settings.base", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_defaults_are_safe_and_embedded(tmp_path: Path) -> None:
    loaded = load_settings({"BREAKROOM_DATA_DIR": str(tmp_path)})

    assert loaded["debug"] is False
    assert loaded["secure"] is True
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"] == str(tmp_path / "breakroom.sqlite3")
    assert loaded["key"] == (tmp_path / "secret_key").read_text()
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "contact_key").stat().st_mode) == 0o600


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    loaded = load_settings(
        {
            "BREAKROOM_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://breakroom@db.internal:5432/breakroom",
        }
    )

    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["name"] == "breakroom"


def test_secret_key_from_the_environment_writes_no_file(tmp_path: Path) -> None:
    loaded = load_settings(
        {
            "BREAKROOM_DATA_DIR": str(tmp_path),
            "BREAKROOM_SECRET_KEY": "from-the-environment",
            "BREAKROOM_CONTACT_KEY": "contact-from-the-environment",
        }
    )

    assert loaded["key"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_a_secret_file_is_created_once_and_then_reused(tmp_path: Path) -> None:
    first = read_or_create_secret(tmp_path / "nested" / "key")

    second = read_or_create_secret(tmp_path / "nested" / "key")

    assert first == second
    assert len(first) >= 64
    assert stat.S_IMODE((tmp_path / "nested" / "key").stat().st_mode) == 0o600
