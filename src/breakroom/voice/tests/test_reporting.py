"""Sending a report without an account, saving the code, and what is (not) stored."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from breakroom.core.receipts import code_entropy_bits, is_well_formed, normalise_code, word_list
from breakroom.voice.models import Report, ReportKeyGrant
from breakroom.workplaces.models import Site
from breakroom.workplaces.tests.factories import DepartmentFactory, SiteFactory

from .conftest import CANARY

GOOD = {"category": "overtime", "body": f"Mandatory overtime again. {CANARY}", "frequency": "often"}


def report_url(site: Site) -> str:
    return reverse("voice:report-create", kwargs={"slug": site.slug})


def test_receipt_codes_carry_at_least_80_bits() -> None:
    assert len(word_list()) == 7772
    assert code_entropy_bits() > 90


def test_every_word_survives_being_retyped() -> None:
    for word in word_list():
        typed = "-".join([word.upper()] * 7)

        assert is_well_formed(normalise_code(typed)), word


@time_machine.travel(datetime.datetime(2026, 11, 26, 14, 5, tzinfo=datetime.UTC), tick=False)
def test_a_report_is_stored_sealed_and_the_code_is_shown_once(
    anon_client: Client, site: Site
) -> None:
    response = anon_client.post(report_url(site), GOOD)

    assert response.status_code == 200
    code = response.context["code"]
    assert is_well_formed(code)
    assert code in response.content.decode()
    assert response.cookies == {}
    assert response["Cache-Control"] == "no-store, private"
    report = Report.objects.get()
    assert (report.category, report.frequency, report.status) == ("overtime", "often", "new")
    assert report.week == datetime.date(2026, 11, 23)  # the Monday: never the day
    dump = database_text()
    assert CANARY not in dump
    assert code not in dump
    assert len(report.receipt_lookup) == 64


def database_text() -> str:
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                rows.append(
                    " ".join(
                        bytes(value).decode("latin-1")
                        if isinstance(value, bytes | memoryview)
                        else repr(value)
                        for value in row
                    )
                )
    return "\n".join(rows)


def test_the_reporter_must_confirm_saving_the_code(anon_client: Client, site: Site) -> None:
    code = anon_client.post(report_url(site), GOOD).context["code"]
    saved_url = reverse("voice:report-saved", kwargs={"slug": site.slug})

    not_ticked = anon_client.post(saved_url, {"code": code})
    ticked = anon_client.post(saved_url, {"code": code, "saved": "on"})

    assert not_ticked.status_code == 400
    assert "Tick the box once you have saved your code." in not_ticked.content.decode()
    assert code in not_ticked.content.decode()  # still on screen to be saved
    assert ticked.status_code == 200
    assert "Thank you" in ticked.content.decode()


def test_the_report_is_sealed_to_the_sites_organisers(
    anon_client: Client, site: Site, organiser_client: Client
) -> None:
    anon_client.post(report_url(site), GOOD)

    assert list(ReportKeyGrant.objects.values_list("organiser__username", flat=True)) == [
        "olu-organiser"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "body": "   "}, "This field is required."),
        ({**GOOD, "body": "x" * 5001}, "Ensure this value has at most 5000 characters"),
        ({**GOOD, "category": "gossip"}, "Select a valid choice."),
        ({**GOOD, "frequency": "always"}, "Select a valid choice."),
        ({**GOOD, "website": "http://spam.example"}, "could not be sent"),
        ({}, "This field is required."),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_stored(
    anon_client: Client, site: Site, data: dict[str, str], message: str
) -> None:
    response = anon_client.post(report_url(site), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_department_of_another_site_is_refused(anon_client: Client, site: Site) -> None:
    elsewhere = DepartmentFactory.create(site=SiteFactory.create())

    response = anon_client.post(report_url(site), {**GOOD, "department": elsewhere.pk})

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_site_that_does_not_exist_is_a_404(anon_client: Client, db: None) -> None:
    response = anon_client.post("/s/nowhere/report/", GOOD)

    assert response.status_code == 404
    assert not Report.objects.exists()


@override_settings(REPORT_LIMIT_PER_SOURCE_WITHOUT_JS=3)
def test_a_flood_from_one_sender_is_stopped_without_storing_who(
    anon_client: Client, site: Site
) -> None:
    statuses = [anon_client.post(report_url(site), GOOD).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
    assert Report.objects.count() == 3
    assert "127.0.0.1" not in database_text()


@override_settings(REPORT_LIMIT_PER_SITE=2)
def test_a_flood_across_senders_hits_the_sites_cap(site: Site) -> None:
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(report_url(site), GOOD).status_code
        for n in range(1, 5)
    ]

    assert statuses == [200, 200, 429, 429]
    assert Report.objects.count() == 2


def test_the_report_form_works_without_javascript_and_offers_the_sites_groups(
    anon_client: Client, site: Site
) -> None:
    response = anon_client.get(report_url(site))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post"' in content
    assert "Pick" in content
    assert "Nights" in content
    assert response.cookies == {}
