"""PRIVACY.md property 3: every page sends the privacy headers; no cookie before sign-in."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from breakroom.accounts.models import Membership, User
from breakroom.voice.actions import do_send_report
from breakroom.voice.models import Category
from breakroom.workplaces.models import BargainingUnit, Site

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def every_url_name(
    resolver: URLResolver | None = None, namespace: str = ""
) -> list[tuple[str, set[str]]]:
    """Every named URL pattern, with the names of the arguments it takes."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += every_url_name(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            names.append((f"{namespace}{pattern.name}", set(converters)))
    return names


@pytest.fixture
def all_urls(site: Site, admin: User) -> list[str]:
    """One concrete URL for every named URL pattern in the project."""
    membership = Membership.objects.create(user=admin, site=site, joined_on="2026-11-01")
    unit = BargainingUnit.objects.create(site=site, name="Everyone")
    department = site.departments.first()
    shift = site.shifts.first()
    assert department is not None
    assert shift is not None
    values = {
        "slug": site.slug,
        "membership_id": membership.pk,
        "department_id": department.pk,
        "shift_id": shift.pk,
        "unit_id": unit.pk,
        "purpose": "pulse",
        "period": "2026-11-28",
        "question_id": 1,
        "entry_id": "00000000-0000-4000-8000-000000000000",
        "report_id": do_send_report(site=site, category=Category.PAY, body="Short pay.").report.pk,
    }
    return [
        reverse(name, kwargs={key: values[key] for key in keywords} or None)
        for name, keywords in every_url_name()
    ]


def test_every_url_pattern_is_walked(all_urls: list[str]) -> None:
    assert len(all_urls) == len(every_url_name())
    assert "/s/durham/" in all_urls
    assert "/manage/sites/durham/people/" in all_urls


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_sends_privacy_headers(
    client: Client, admin: User, all_urls: list[str], signed_in: bool
) -> None:
    if signed_in:
        client.force_login(admin)

    for url in all_urls:
        response = client.get(url)

        assert response["Content-Security-Policy"] == EXPECTED_CSP, url
        assert response["Referrer-Policy"] == "no-referrer", url
        assert response["X-Frame-Options"] == "DENY", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
        assert "microphone=()" in response["Permissions-Policy"], url
        if signed_in:
            assert response["Cache-Control"] == "no-store, private", url


def test_no_page_sets_a_cookie_for_a_visitor(anon_client: Client, all_urls: list[str]) -> None:
    for url in all_urls:
        response = anon_client.get(url)

        assert response.cookies == {}, url
        assert "Set-Cookie" not in response, url
    assert anon_client.cookies == {}


def test_a_failed_sign_in_sets_no_cookie(anon_client: Client, worker: User) -> None:
    response = anon_client.post(
        reverse("accounts:signin"), {"username": "will-worker", "passphrase": "wrong one!"}
    )

    assert response.status_code == 400
    assert response.cookies == {}


def test_signing_in_sets_one_hardened_session_cookie(anon_client: Client, worker: User) -> None:
    response = anon_client.post(
        reverse("accounts:signin"),
        {"username": "will-worker", "passphrase": "correct horse battery staple"},
    )

    assert response.status_code == 302
    # The session, and the key that opens the person's unlocked key pair in it.
    assert sorted(response.cookies) == ["breakroom_session", "breakroom_unlock"]
    for cookie in response.cookies.values():
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["secure"] is True


def test_static_files_send_privacy_headers(client: Client) -> None:
    response = client.get("/static/breakroom/breakroom.css")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["Referrer-Policy"] == "no-referrer"
