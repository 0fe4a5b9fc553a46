"""Importing a diary CSV: a preview, then all rows or none."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.diary.csvformat import template_csv
from breakroom.diary.models import DiaryEntry
from breakroom.voice.tests.conftest import signed_in_for_real

EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "diary-example.csv"


def test_a_good_file_is_previewed_then_imported_whole(worker: User) -> None:
    client = signed_in_for_real(worker)
    text = EXAMPLE.read_text()

    preview = client.post(
        reverse("diary:import"), {"file": SimpleUploadedFile("diary.csv", text.encode())}
    )
    stored_after_preview = DiaryEntry.objects.count()
    confirmed = client.post(reverse("diary:import"), {"content": text, "confirm": "yes"})

    assert preview.status_code == 200
    assert "ready to import" in preview.content.decode()
    assert stored_after_preview == 0
    assert confirmed.status_code == 302
    assert DiaryEntry.objects.filter(user=worker).count() == len(preview.context["parsed"].entries)
    results = client.get(reverse("diary:results")).content.decode()
    assert "Daily rest (11 hours)" in results


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row(worker: User) -> None:
    client = signed_in_for_real(worker)
    lines = template_csv().splitlines()
    broken = "\n".join([*lines, lines[-1].replace("2026", "2026-13", 1)])

    response = client.post(
        reverse("diary:import"), {"file": SimpleUploadedFile("diary.csv", broken.encode())}
    )
    forced = client.post(reverse("diary:import"), {"content": broken, "confirm": "yes"})

    assert response.status_code == 400
    assert "row" in response.content.decode()
    assert forced.status_code == 400
    assert not DiaryEntry.objects.exists()


def test_the_template_can_be_downloaded(worker: User) -> None:
    client: Client = signed_in_for_real(worker)

    response = client.get(reverse("diary:import-template"))

    assert response.status_code == 200
    assert response.content.decode() == template_csv()
