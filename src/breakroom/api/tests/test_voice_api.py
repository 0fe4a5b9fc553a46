"""The report API: the same flows as the pages, in JSON."""

import json
from typing import Any

import pytest
from django.test import Client

from breakroom.accounts.models import User
from breakroom.core.models import AuditEvent
from breakroom.voice.figures import refresh_published_figures
from breakroom.voice.models import Report, ReportMessage
from breakroom.voice.tests.conftest import signed_in_for_real
from breakroom.workplaces.models import Site


def post(client: Client, path: str, body: object) -> tuple[int, Any]:
    response = client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def get(client: Client, path: str) -> tuple[int, Any]:
    response = client.get(f"/api/v1{path}")
    return response.status_code, response.json()


def test_report_read_reply_through_the_api(
    anon_client: Client, site: Site, organiser: User
) -> None:
    organiser_client = signed_in_for_real(organiser)

    status, sent = post(
        anon_client, "/sites/durham/reports", {"category": "safety", "body": "Blocked fire exit."}
    )
    code = sent["receipt_code"]
    _, inbox = get(organiser_client, "/sites/durham/inbox")
    report_id = inbox["reports"][0]["id"]
    _, read = get(organiser_client, f"/sites/durham/inbox/{report_id}")
    replied, _ = post(
        organiser_client, f"/sites/durham/inbox/{report_id}/reply", {"body": "On it."}
    )
    answered, _ = post(
        anon_client, "/sites/durham/reports/thread/reply", {"code": code, "body": "Thanks."}
    )
    _, thread = post(anon_client, "/sites/durham/reports/thread", {"code": code})
    status_set, _ = post(
        organiser_client, f"/sites/durham/inbox/{report_id}/status", {"status": "acting"}
    )

    assert status == 201
    assert len(code.split()) == 7
    assert inbox["reports"][0]["readable"] is True
    assert read["report"]["body"] == "Blocked fire exit."
    assert (replied, answered, status_set) == (201, 201, 200)
    assert [message["body"] for message in thread["messages"]] == ["On it.", "Thanks."]
    assert thread["report"]["status"] == "acknowledged"
    assert Report.objects.get().status == "acting"
    assert AuditEvent.objects.filter(kind="report.read", actor_id=organiser.pk).count() == 1


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"category": "gossip", "body": "x"}, 400, "malformed"),
        ({"category": "pay"}, 400, "malformed"),
        ({"category": "pay", "body": "   "}, 400, "invalid"),
        ({"category": "pay", "body": "x" * 5001}, 400, "invalid"),
        ({"category": "pay", "body": "x", "department": 999999}, 400, "malformed"),
        ("not an object", 400, "malformed"),
    ],
)
def test_bad_reports_are_refused_in_json(
    anon_client: Client, site: Site, body: object, status: int, error: str
) -> None:
    assert post(anon_client, "/sites/durham/reports", body)[0] == status
    assert post(anon_client, "/sites/durham/reports", body)[1]["error"] == error
    assert not Report.objects.exists()


def test_a_missing_site_is_a_json_404(anon_client: Client, db: None) -> None:
    status, answer = post(anon_client, "/sites/nowhere/reports", {"category": "pay", "body": "x"})

    assert (status, answer["error"]) == (404, "not_found")


@pytest.mark.parametrize(("persona", "status"), [(None, 401), ("admin", 404), ("worker", 404)])
def test_the_inbox_is_for_organisers_only(
    request: pytest.FixtureRequest, site: Site, persona: str | None, status: int
) -> None:
    client = signed_in_for_real(request.getfixturevalue(persona)) if persona else Client()

    assert get(client, "/sites/durham/inbox")[0] == status


def test_a_wrong_code_reads_nothing(anon_client: Client, site: Site) -> None:
    status, answer = post(anon_client, "/sites/durham/reports/thread", {"code": "abacus " * 7})

    assert (status, answer["error"]) == (404, "invalid")
    assert not ReportMessage.objects.exists()


def test_figures_are_published_through_the_k_rule(anon_client: Client, site: Site) -> None:
    senders = [Client(REMOTE_ADDR=f"192.0.2.{number}") for number in range(6)]
    for sender in senders[:5]:
        post(sender, "/sites/durham/reports", {"category": "pay", "body": "Short."})
    post(senders[5], "/sites/durham/reports", {"category": "breaks", "body": "No break."})
    refresh_published_figures(site_id=site.pk)

    status, figures = get(anon_client, "/sites/durham/report-figures")

    assert status == 200
    assert figures["k"] == 5
    assert figures["row_totals"]["pay"] == 5
    assert figures["row_totals"]["breaks"] is None
    assert figures["total"] is None
    assert "basis" not in figures
