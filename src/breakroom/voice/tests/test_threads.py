"""The two-way anonymous thread, the organisers' inbox, and who can read what."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.accounts.tests.factories import MembershipFactory
from breakroom.core.models import AuditEvent
from breakroom.voice.actions import SentReport, do_send_report
from breakroom.voice.models import Category, Report, ReportKeyGrant, ReportMessage
from breakroom.workplaces.models import Site

from .conftest import CANARY, signed_in_for_real


def thread_url(site: Site) -> str:
    return reverse("voice:thread-open", kwargs={"slug": site.slug})


def reply_url(site: Site) -> str:
    return reverse("voice:thread-reply", kwargs={"slug": site.slug})


def detail_url(site: Site, report: Report) -> str:
    return reverse("voice:report-detail", kwargs={"slug": site.slug, "report_id": report.pk})


def test_the_reporter_reads_their_report_with_the_code(
    anon_client: Client, site: Site, sent: SentReport
) -> None:
    shouted = sent.code.upper().replace(" ", "-")

    response = anon_client.post(thread_url(site), {"code": f"  {shouted} "})

    assert response.status_code == 200
    assert CANARY in response.content.decode()
    assert response.cookies == {}
    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize("code", ["", "one two three", "abacus " * 7])
def test_a_wrong_code_opens_nothing(
    anon_client: Client, site: Site, sent: SentReport, code: str
) -> None:
    response = anon_client.post(thread_url(site), {"code": code})

    assert response.status_code in {400, 404}
    assert CANARY not in response.content.decode()


def test_a_code_works_only_at_its_own_site(
    anon_client: Client, site: Site, other_site: Site, sent: SentReport
) -> None:
    response = anon_client.post(thread_url(other_site), {"code": sent.code})

    assert response.status_code == 404
    assert CANARY not in response.content.decode()


def test_guessing_codes_is_stopped(anon_client: Client, site: Site, sent: SentReport) -> None:
    for _ in range(20):
        anon_client.post(thread_url(site), {"code": "abacus " * 7})

    response = anon_client.post(thread_url(site), {"code": sent.code})

    assert response.status_code == 429
    assert CANARY not in response.content.decode()


def test_organiser_and_reporter_talk_in_the_thread(
    anon_client: Client, site: Site, sent: SentReport, organiser_client: Client, organiser: User
) -> None:
    organiser_page = organiser_client.get(detail_url(site, sent.report))
    organiser_client.post(
        reverse("voice:report-reply", kwargs={"slug": site.slug, "report_id": sent.report.pk}),
        {"body": "We hear you. Can you tell us which manager?"},
    )
    anon_client.post(reply_url(site), {"code": sent.code, "body": "The one on nights in pick."})

    reporter_page = anon_client.post(thread_url(site), {"code": sent.code}).content.decode()
    assert CANARY in organiser_page.content.decode()
    assert "We hear you. Can you tell us which manager?" in reporter_page
    assert "The one on nights in pick." in reporter_page
    messages = list(ReportMessage.objects.values_list("position", "from_reporter"))
    assert messages == [(1, False), (2, True)]
    assert Report.objects.get().status == "acknowledged"
    for message in ReportMessage.objects.all():
        assert b"manager" not in bytes(message.body_sealed)
    # Reads and replies by the organiser are audited; the reporter's are not.
    assert list(
        AuditEvent.objects.filter(actor_id=organiser.pk)
        .exclude(kind__in=["user.signed_up", "user.second_factor"])
        .values_list("kind", flat=True)
        .order_by("pk")
    ) == ["report.read", "report.replied"]


def test_a_closed_thread_takes_no_more_answers(
    anon_client: Client, site: Site, sent: SentReport, organiser_client: Client
) -> None:
    organiser_client.post(
        reverse("voice:report-status", kwargs={"slug": site.slug, "report_id": sent.report.pk}),
        {"status": "resolved"},
    )

    response = anon_client.post(reply_url(site), {"code": sent.code, "body": "One more thing"})

    assert response.status_code == 409
    assert "This thread is closed." in response.content.decode()
    assert not ReportMessage.objects.exists()


@pytest.mark.parametrize(("body", "status"), [("", 400), ("x" * 5001, 400)])
def test_an_empty_or_oversized_answer_is_refused(
    anon_client: Client, site: Site, sent: SentReport, body: str, status: int
) -> None:
    response = anon_client.post(reply_url(site), {"code": sent.code, "body": body})

    assert response.status_code == status
    assert not ReportMessage.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "outsider", "worker", "verified_worker"])
def test_nobody_but_the_sites_organisers_sees_the_inbox_or_a_report(
    request: pytest.FixtureRequest, site: Site, sent: SentReport, persona: str
) -> None:
    client = signed_in_for_real(request.getfixturevalue(persona))

    inbox = client.get(reverse("voice:inbox", kwargs={"slug": site.slug}))
    detail = client.get(detail_url(site, sent.report))
    reply = client.post(
        reverse("voice:report-reply", kwargs={"slug": site.slug, "report_id": sent.report.pk}),
        {"body": "Let me in"},
    )

    assert (inbox.status_code, detail.status_code, reply.status_code) == (404, 404, 404)
    assert not ReportMessage.objects.exists()
    assert not AuditEvent.objects.filter(kind="report.read").exists()


def test_an_organiser_without_a_signed_in_key_cannot_read(
    client: Client, site: Site, sent: SentReport, organiser: User
) -> None:
    client.force_login(organiser)  # a session without the unlocked key

    response = client.get(detail_url(site, sent.report))

    assert response.status_code == 200
    assert CANARY not in response.content.decode()
    assert "Sign in again to unlock your reports." in response.content.decode()
    assert not AuditEvent.objects.filter(kind="report.read").exists()


def test_a_new_organiser_reads_older_reports_once_access_is_shared(
    site: Site, sent: SentReport, organiser_client: Client
) -> None:
    newcomer = MembershipFactory.create(
        site=site, role="organiser", is_verified=True, verified_on=datetime.date(2026, 11, 20)
    ).user
    newcomer_client = signed_in_for_real(newcomer)
    before = newcomer_client.get(detail_url(site, sent.report)).content.decode()

    shared = organiser_client.post(
        reverse("voice:report-access", kwargs={"slug": site.slug}), {"organiser": newcomer.pk}
    )
    after = newcomer_client.get(detail_url(site, sent.report)).content.decode()

    assert CANARY not in before
    assert "You have not been given access to this report yet." in before
    assert f"{newcomer.username} can now read 1 more report." in shared.content.decode()
    assert CANARY in after
    assert ReportKeyGrant.objects.filter(organiser=newcomer).count() == 1


def test_the_inbox_lists_reports_by_week_with_filters(
    site: Site, organiser_client: Client, django_assert_max_num_queries: object
) -> None:
    for category in (Category.PAY, Category.PAY, Category.BREAKS):
        do_send_report(site=site, category=category, body="Something happened.")

    everything = organiser_client.get(reverse("voice:inbox", kwargs={"slug": site.slug}))
    pay = organiser_client.get(reverse("voice:inbox", kwargs={"slug": site.slug}) + "?category=pay")

    assert everything.content.decode().count('class="card"') == 3
    assert pay.content.decode().count('class="card"') == 2


def test_right_codes_never_use_up_the_guess_allowance(
    anon_client: Client, site: Site, sent: SentReport
) -> None:
    for _ in range(25):
        anon_client.post(thread_url(site), {"code": sent.code})

    response = anon_client.post(thread_url(site), {"code": sent.code})

    assert response.status_code == 200
    assert CANARY in response.content.decode()
