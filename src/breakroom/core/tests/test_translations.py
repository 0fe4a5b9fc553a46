"""Every string a person reads is translated into Polish and Romanian.

The catalogues are extracted afresh from a copy of the source, so a string added
without a translation — or a catalogue not refreshed with `make messages` — fails.
"""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LANGUAGES = ("pl", "ro")
SOURCE = Path(settings.PACKAGE_DIR)


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("catalogues") / "breakroom"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    here = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages",
                locale=list(LANGUAGES),
                no_obsolete=True,
                no_location=True,
                ignore_patterns=["tests/*"],
                verbosity=0,
            )
    finally:
        os.chdir(here)
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(fresh_catalogues: Path, language: str) -> None:
    catalogue = polib.pofile(str(fresh_catalogues / language / "LC_MESSAGES" / "django.po"))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue) > 150


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogue_is_up_to_date(fresh_catalogues: Path, language: str) -> None:
    committed = polib.pofile(str(SOURCE / "locale" / language / "LC_MESSAGES" / "django.po"))
    fresh = polib.pofile(str(fresh_catalogues / language / "LC_MESSAGES" / "django.po"))

    assert {entry.msgid for entry in committed if not entry.obsolete} == {
        entry.msgid for entry in fresh
    }
