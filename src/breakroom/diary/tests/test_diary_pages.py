"""The diary's pages: private by construction, checked by the rules engine."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import escape

from breakroom.accounts.models import User
from breakroom.diary import rules
from breakroom.diary.models import DiaryEntry
from breakroom.diary.presentation import say
from breakroom.diary.text import Figure, Number, Text
from breakroom.voice.tests.conftest import signed_in_for_real

CANARY = "canary-diary-forklift-77"


def shift(day: str, start: str, end: str, **extra: object) -> dict[str, object]:
    return {"day": day, "start": start, "end": end, "break_minutes": 30, **extra}


@pytest.fixture
def diary(worker: User) -> Client:
    return signed_in_for_real(worker)


def add(client: Client, data: dict[str, object]) -> int:
    return client.post(reverse("diary:shift-add"), data).status_code


def test_a_13_hour_shift_then_a_9_hour_gap_breaks_daily_rest(diary: Client) -> None:
    add(diary, shift("2026-11-16", "07:00", "20:00", extra_minutes=120, incident=CANARY))
    add(diary, shift("2026-11-17", "05:00", "15:00"))

    page = diary.get(reverse("diary:results")).content.decode()

    assert "Daily rest (11 hours)" in page
    assert "This is information, not legal advice." in page
    assert "<svg" in page


def test_entries_are_sealed_so_the_database_holds_no_plaintext(diary: Client, worker: User) -> None:
    add(diary, shift("2026-11-16", "07:00", "19:00", incident=CANARY))

    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM diary_diaryentry")
        stored = [bytes(row[0]) for row in cursor.fetchall()]
    assert len(stored) == 1
    assert CANARY.encode() not in stored[0]
    assert b"2026-11-16" not in stored[0]
    assert CANARY in diary.get(reverse("diary:home") + "?week=2026-11-16").content.decode()


def test_nobody_else_reads_a_diary(
    diary: Client, worker: User, organiser: User, admin: User
) -> None:
    add(diary, shift("2026-11-16", "07:00", "19:00", incident=CANARY))
    entry = DiaryEntry.objects.get()

    for person in (organiser, admin):
        other = signed_in_for_real(person)
        page = other.get(reverse("diary:home") + "?week=2026-11-16").content.decode()
        deleted = other.post(reverse("diary:entry-delete", kwargs={"entry_id": entry.pk}))
        assert CANARY not in page
        assert deleted.status_code == 404
    assert DiaryEntry.objects.count() == 1


def test_a_session_without_the_unlocked_key_reads_nothing(client: Client, worker: User) -> None:
    client.force_login(worker)

    response = client.get(reverse("diary:home"))

    assert response.status_code == 403
    assert "Sign in again to open your diary." in response.content.decode()


def test_an_overlapping_shift_is_refused_and_nothing_changes(diary: Client) -> None:
    add(diary, shift("2026-11-16", "07:00", "19:00"))

    status = add(diary, shift("2026-11-16", "18:00", "22:00"))

    assert status == 400
    assert DiaryEntry.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"day": "2026-02-30", "start": "07:00", "end": "19:00"},
        {"day": "2026-11-16", "start": "25:00", "end": "19:00"},
        {"day": "2026-11-16", "start": "07:00", "end": "19:00", "break_minutes": -5},
        {},
    ],
)
def test_bad_shifts_are_refused(diary: Client, data: dict[str, object]) -> None:
    assert add(diary, data) == 400
    assert not DiaryEntry.objects.exists()


def test_an_absence_with_its_last_day_first_is_refused(diary: Client) -> None:
    response = diary.post(
        reverse("diary:absence-add"),
        {"first_day": "2026-11-20", "last_day": "2026-11-18", "absence_kind": "sick"},
    )

    assert response.status_code == 400
    assert "The last day cannot come before the first." in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_the_evidence_pack_and_csv_carry_the_findings(diary: Client) -> None:
    add(diary, shift("2026-11-16", "07:00", "20:00"))
    add(diary, shift("2026-11-17", "05:00", "15:00"))

    pdf = diary.get(reverse("diary:evidence"))
    exported = diary.get(reverse("diary:export-csv"))

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "no-store, private"
    text = exported.content.decode()
    assert "2026-11-16" in text
    assert "This is information, not legal advice." in text
    assert "daily rest" in text.lower()


def test_the_profile_is_sealed_and_used(diary: Client, worker: User) -> None:
    response = diary.post(reverse("diary:profile"), {"is_under_18": "on"})
    add(diary, shift(str(datetime.date(2026, 11, 16)), "07:00", "17:00"))

    page = diary.get(reverse("diary:results")).content.decode()

    assert response.status_code == 302
    assert "Young worker" in page


def test_the_evidence_pack_embeds_a_font_with_polish_and_romanian_letters(diary: Client) -> None:
    add(diary, shift("2026-11-16", "07:00", "19:00", task="kompletacja ąęłńśźż șțăîâ"))

    pdf = diary.get(reverse("diary:evidence")).content

    # The text is set in DejaVu Sans (or the bundled Vera), embedded: not in a
    # standard PDF font, which has no ą, ł, ș or ț.
    assert b"DejaVuSans" in pdf or b"Vera" in pdf


def test_the_findings_read_in_the_workers_language(diary: Client) -> None:
    add(diary, shift("2026-11-16", "07:00", "20:00"))
    add(diary, shift("2026-11-17", "05:00", "15:00"))
    london = ZoneInfo("Europe/London")
    same = [
        rules.Shift(
            datetime.datetime(2026, 11, day, start, tzinfo=london),
            datetime.datetime(2026, 11, day, end, tzinfo=london),
            (rules.Break(30),),
        )
        for day, start, end in ((16, 7, 20), (17, 5, 15))
    ]
    (breach,) = rules.check_diary(rules.WorkerProfile(), same).breaches

    with translation.override("pl"):
        page = diary.get(reverse("diary:results")).content.decode()
        summary, arithmetic = say(breach.summary), say(breach.arithmetic)
        monday = formats.date_format(datetime.date(2026, 11, 16), "D j M Y")

    assert breach.rule == rules.Rule.DAILY_REST
    assert summary != str(breach.summary)
    assert escape(summary) in page
    assert escape(arithmetic) in page
    assert f"{monday} 07:00" in summary
    assert "the longest unbroken rest" not in page


def test_the_arithmetic_writes_decimals_the_readers_way() -> None:
    arithmetic = Text(
        "({worked} + {replacement}) / {weeks} = {average} h",
        worked=Number(680.5),
        replacement=Number(120),
        weeks=17,
        average=Figure("47.09"),
    )

    with translation.override("pl"):
        polish = say(arithmetic)
    with translation.override("en"):
        english = say(arithmetic)

    assert polish == "(680,5 + 120) / 17 = 47,09 h"
    assert english == "(680.5 + 120) / 17 = 47.09 h" == str(arithmetic)
