"""Verification in person: a code on the worker's phone, typed or scanned by an organiser."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from breakroom.accounts.actions import do_issue_verification_code
from breakroom.accounts.codes import code_digest
from breakroom.accounts.models import Membership, User, VerificationCode
from breakroom.core.models import AuditEvent
from breakroom.workplaces.models import Site

from .factories import MembershipFactory

NOW = datetime.datetime(2026, 11, 28, 6, 15, tzinfo=datetime.UTC)


def membership_of(user: User) -> Membership:
    return Membership.objects.get(user=user)


def verify_url(site: Site) -> str:
    return reverse("accounts:verify", kwargs={"slug": site.slug})


def unchanged(user: User) -> bool:
    membership = membership_of(user)
    return (membership.is_verified, membership.verified_by, membership.verified_on) == (
        False,
        None,
        None,
    )


@time_machine.travel(NOW, tick=False)
def test_worker_shows_a_code_and_an_organiser_verifies_it(
    site: Site, worker: User, organiser: User
) -> None:
    phone = Client(HTTP_SEC_FETCH_SITE="same-origin")
    phone.force_login(worker)
    organiser_phone = Client(HTTP_SEC_FETCH_SITE="same-origin")
    organiser_phone.force_login(organiser)

    phone.post(reverse("accounts:membership-code", kwargs={"slug": site.slug}))
    page = phone.get(reverse("accounts:membership", kwargs={"slug": site.slug})).content.decode()
    code = phone.session["verification_code"]["code"]
    response = organiser_phone.post(verify_url(site), {"code": f"{code[:4]} {code[4:]}"})

    assert f"{code[:4]} {code[4:]}" in page
    assert "<svg" in page  # the QR code, inline
    assert '<meta http-equiv="refresh" content="5">' in page
    assert response.status_code == 200
    assert "will-worker is now verified." in response.content.decode()
    membership = membership_of(worker)
    assert (membership.is_verified, membership.verified_by, membership.verified_on) == (
        True,
        organiser,
        datetime.date(2026, 11, 28),
    )
    assert list(AuditEvent.objects.order_by("pk").values_list("kind", "actor_id")) == [
        ("membership.code_issued", worker.pk),
        ("membership.verified", organiser.pk),
    ]
    after = phone.get(reverse("accounts:membership", kwargs={"slug": site.slug})).content
    assert b"Verified" in after
    assert code.encode() not in after
    assert "verification_code" not in phone.session


def test_the_qr_code_opens_the_organiser_page_with_the_code_filled_in(
    client: Client, site: Site, organiser: User
) -> None:
    client.force_login(organiser)

    response = client.get(verify_url(site) + "?code=12345678")

    assert 'value="12345678"' in response.content.decode()


def test_only_a_hash_of_the_code_is_stored(site: Site, worker: User) -> None:
    code, issued = do_issue_verification_code(membership=membership_of(worker))

    assert code not in issued.digest
    assert len(issued.digest) == 64


def test_a_new_code_replaces_the_old_one(site: Site, worker: User) -> None:
    first, _ = do_issue_verification_code(membership=membership_of(worker))

    second, _ = do_issue_verification_code(membership=membership_of(worker))

    assert VerificationCode.objects.get().digest == code_digest(second)
    assert (first == second) is (code_digest(first) == code_digest(second))


def test_an_expired_code_is_refused_and_changes_nothing(
    client: Client, site: Site, worker: User, organiser: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        code, _ = do_issue_verification_code(membership=membership_of(worker))
    client.force_login(organiser)

    with time_machine.travel(NOW + datetime.timedelta(minutes=11), tick=False):
        response = client.post(verify_url(site), {"code": code})

    assert response.status_code == 410
    assert "This code has expired." in response.content.decode()
    assert unchanged(worker)


def test_a_used_code_is_refused(client: Client, site: Site, worker: User, organiser: User) -> None:
    code, _ = do_issue_verification_code(membership=membership_of(worker))
    client.force_login(organiser)
    client.post(verify_url(site), {"code": code})
    events = AuditEvent.objects.count()

    response = client.post(verify_url(site), {"code": code})

    assert response.status_code == 409
    assert "This code has already been used." in response.content.decode()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("typed", ["00000000", "1234", "abcdefgh", ""])
def test_a_wrong_or_malformed_code_is_refused(
    client: Client, site: Site, worker: User, organiser: User, typed: str
) -> None:
    do_issue_verification_code(membership=membership_of(worker))
    client.force_login(organiser)

    response = client.post(verify_url(site), {"code": typed})

    assert response.status_code == 400
    assert unchanged(worker)


def test_a_code_from_another_site_is_unknown_here(
    client: Client, site: Site, other_site: Site, organiser: User
) -> None:
    elsewhere = MembershipFactory.create(site=other_site)
    code, _ = do_issue_verification_code(membership=elsewhere)
    client.force_login(organiser)

    response = client.post(verify_url(site), {"code": code})

    assert response.status_code == 400
    assert "No worker at this site is showing that code." in response.content.decode()
    assert Membership.objects.get(pk=elsewhere.pk).is_verified is False


@pytest.mark.parametrize("persona", ["outsider", "worker", "verified_worker", "admin"])
def test_only_organisers_of_the_site_can_verify(
    request: pytest.FixtureRequest, client: Client, site: Site, persona: str
) -> None:
    waiting = MembershipFactory.create(site=site, user__username="waiting-worker")
    code, _ = do_issue_verification_code(membership=waiting)
    client.force_login(request.getfixturevalue(persona))

    page = client.get(verify_url(site))
    response = client.post(verify_url(site), {"code": code})

    assert page.status_code == 404
    assert response.status_code == 404
    assert Membership.objects.get(pk=waiting.pk).is_verified is False
    assert not AuditEvent.objects.filter(kind="membership.verified").exists()


def test_anonymous_visitors_are_sent_to_sign_in(anon_client: Client, site: Site) -> None:
    response = anon_client.post(verify_url(site), {"code": "12345678"})

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=")


def test_an_organiser_cannot_verify_themselves(client: Client, site: Site) -> None:
    organiser = MembershipFactory.create(site=site, role="organiser")
    code, _ = do_issue_verification_code(membership=organiser)
    client.force_login(organiser.user)

    response = client.post(verify_url(site), {"code": code})

    assert response.status_code == 403
    assert Membership.objects.get(pk=organiser.pk).is_verified is False


def test_guessing_codes_is_stopped(
    client: Client, site: Site, worker: User, organiser: User
) -> None:
    code, _ = do_issue_verification_code(membership=membership_of(worker))
    client.force_login(organiser)
    for guess in range(10):
        client.post(verify_url(site), {"code": f"{guess:08d}"})

    response = client.post(verify_url(site), {"code": code})

    assert response.status_code == 429
    assert unchanged(worker)


def test_a_verified_worker_gets_no_new_code(
    client: Client, site: Site, verified_worker: User
) -> None:
    client.force_login(verified_worker)

    response = client.post(reverse("accounts:membership-code", kwargs={"slug": site.slug}))

    assert response.status_code == 400
    assert "You are already verified at this site." in response.content.decode()
    assert not VerificationCode.objects.exists()


def test_nobody_sees_another_persons_membership_page(
    client: Client, site: Site, outsider: User
) -> None:
    client.force_login(outsider)

    page = client.get(reverse("accounts:membership", kwargs={"slug": site.slug}))
    code = client.post(reverse("accounts:membership-code", kwargs={"slug": site.slug}))

    assert (page.status_code, code.status_code) == (404, 404)
    assert not VerificationCode.objects.exists()


def test_a_code_for_one_site_survives_visiting_another_sites_page(
    client: Client, site: Site, other_site: Site, verified_worker: User
) -> None:
    Membership.objects.create(user=verified_worker, site=other_site, joined_on=NOW.date())
    client.force_login(verified_worker)
    client.post(reverse("accounts:membership-code", kwargs={"slug": other_site.slug}))

    client.get(reverse("accounts:membership", kwargs={"slug": site.slug}))
    page = client.get(reverse("accounts:membership", kwargs={"slug": other_site.slug}))

    assert page.context["code"] is not None
    assert "verification_code" in client.session
