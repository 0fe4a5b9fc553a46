"""Joining a site, and who may give whom a role there."""

import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import Membership, Role, User
from breakroom.core.models import AuditEvent
from breakroom.workplaces.models import Site

from .factories import UserFactory


def test_a_person_joins_a_site_as_an_unverified_worker(client: Client, site: Site) -> None:
    person = UserFactory.create(username="new-starter")
    client.force_login(person)

    response = client.post(reverse("accounts:site-join"), {"site": site.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:membership", kwargs={"slug": site.slug})
    membership = Membership.objects.get(user=person)
    assert (membership.site, membership.role, membership.is_verified) == (site, "worker", False)


def test_joining_twice_is_refused(client: Client, site: Site, worker: User) -> None:
    client.force_login(worker)

    response = client.post(reverse("accounts:site-join"), {"site": site.pk})

    assert response.status_code == 400
    assert Membership.objects.filter(user=worker).count() == 1


def test_joining_a_site_that_does_not_exist_is_refused(client: Client, worker: User) -> None:
    client.force_login(worker)

    response = client.post(reverse("accounts:site-join"), {"site": "99999"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert Membership.objects.filter(user=worker).count() == 1


def people_url(site: Site) -> str:
    return reverse("accounts:site-people", kwargs={"slug": site.slug})


@pytest.mark.parametrize("persona", ["admin", "site_admin"])
def test_admins_name_organisers(
    request: pytest.FixtureRequest, client: Client, site: Site, worker: User, persona: str
) -> None:
    actor = request.getfixturevalue(persona)
    client.force_login(actor)

    response = client.post(people_url(site), {"username": "WILL-WORKER", "role": "organiser"})

    assert response.status_code == 302
    membership = Membership.objects.get(user=worker, site=site)
    assert (membership.role, membership.is_verified, membership.verified_by) == (
        Role.ORGANISER,
        True,
        actor,
    )
    assert AuditEvent.objects.filter(kind="membership.role_set", actor_id=actor.pk).count() == 1


@pytest.mark.parametrize("persona", ["organiser", "worker", "verified_worker", "outsider"])
def test_nobody_else_can_give_roles(
    request: pytest.FixtureRequest, client: Client, site: Site, worker: User, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))

    page = client.get(people_url(site))
    response = client.post(people_url(site), {"username": "will-worker", "role": "admin"})

    assert (page.status_code, response.status_code) == (404, 404)
    assert Membership.objects.get(user=worker, site=site).role == Role.WORKER
    assert not AuditEvent.objects.exists()


def test_naming_an_unknown_person_changes_nothing(client: Client, site: Site, admin: User) -> None:
    client.force_login(admin)
    before = Membership.objects.count()

    response = client.post(people_url(site), {"username": "nobody-here", "role": "organiser"})

    assert response.status_code == 400
    assert "Nobody has that username." in response.content.decode()
    assert Membership.objects.count() == before


def test_an_unknown_role_changes_nothing(
    client: Client, site: Site, admin: User, worker: User
) -> None:
    client.force_login(admin)

    response = client.post(people_url(site), {"username": "will-worker", "role": "boss"})

    assert response.status_code == 400
    assert Membership.objects.get(user=worker).role == Role.WORKER


def test_an_admin_removes_someone_from_a_site(
    client: Client, site: Site, admin: User, worker: User
) -> None:
    client.force_login(admin)
    membership = Membership.objects.get(user=worker)

    response = client.post(
        reverse(
            "accounts:site-person-remove",
            kwargs={"slug": site.slug, "membership_id": membership.pk},
        )
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(user=worker).exists()
    assert AuditEvent.objects.filter(kind="membership.removed").count() == 1


def test_a_membership_of_another_site_cannot_be_removed_through_this_one(
    client: Client, site: Site, other_site: Site, site_admin: User, outsider: User
) -> None:
    client.force_login(site_admin)
    elsewhere = Membership.objects.get(user=outsider)

    response = client.post(
        reverse(
            "accounts:site-person-remove",
            kwargs={"slug": site.slug, "membership_id": elsewhere.pk},
        )
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_the_people_page_lists_roles_with_a_fixed_number_of_queries(
    client: Client,
    site: Site,
    admin: User,
    worker: User,
    verified_worker: User,
    organiser: User,
    django_assert_num_queries: object,
) -> None:
    client.force_login(admin)

    with django_assert_num_queries(4):  # type: ignore[operator]
        response = client.get(people_url(site))

    assert response.status_code == 200
    content = response.content.decode()
    for username in ("will-worker", "vera-verified", "olu-organiser"):
        assert username in content
