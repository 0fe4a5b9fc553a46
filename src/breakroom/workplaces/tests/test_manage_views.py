"""The administration pages: who sees them, and that they write through actions."""

import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.core.models import AuditEvent
from breakroom.workplaces.models import BargainingUnit, Employer, ShiftPattern, Site


def manage_urls(site: Site) -> list[str]:
    shift = site.shifts.first()
    assert shift is not None
    return [
        reverse("workplaces:site-manage", kwargs={"slug": site.slug}),
        reverse("workplaces:site-edit", kwargs={"slug": site.slug}),
        reverse("workplaces:shift-create", kwargs={"slug": site.slug}),
        reverse("workplaces:shift-edit", kwargs={"slug": site.slug, "shift_id": shift.pk}),
        reverse("workplaces:unit-create", kwargs={"slug": site.slug}),
    ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("site_admin", 200),
        ("organiser", 404),
        ("verified_worker", 404),
        ("worker", 404),
        ("outsider", 404),
    ],
)
def test_site_pages_are_for_its_managers_only(
    request: pytest.FixtureRequest, client: Client, site: Site, persona: str, status: int
) -> None:
    client.force_login(request.getfixturevalue(persona))

    statuses = {url: client.get(url).status_code for url in manage_urls(site)}

    assert statuses == dict.fromkeys(manage_urls(site), status)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("site_admin", 404), ("organiser", 404), ("outsider", 404)],
)
def test_employer_pages_are_for_union_staff_only(
    request: pytest.FixtureRequest, client: Client, site: Site, persona: str, status: int
) -> None:
    client.force_login(request.getfixturevalue(persona))

    create = client.get(reverse("workplaces:employer-create"))
    client.post(reverse("workplaces:employer-create"), {"name": "X Ltd", "slug": "x"})

    assert create.status_code == status
    assert Employer.objects.filter(slug="x").exists() is (status == 200)


def test_manage_home_lists_only_a_site_admins_own_sites(
    client: Client, site: Site, other_site: Site, site_admin: User
) -> None:
    client.force_login(site_admin)

    response = client.get(reverse("workplaces:manage-home"))

    content = response.content.decode()
    assert site.name in content
    assert other_site.name not in content
    assert "Add an employer" not in content


def test_manage_home_is_hidden_from_people_who_manage_nothing(
    client: Client, organiser: User
) -> None:
    client.force_login(organiser)

    assert client.get(reverse("workplaces:manage-home")).status_code == 404


def test_an_admin_adds_a_shift_through_the_page(client: Client, site: Site, admin: User) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("workplaces:shift-create", kwargs={"slug": site.slug}),
        {"kind": "twilight", "name": "", "starts_at": "17:45", "ends_at": "22:15"},
    )

    assert response.status_code == 302
    assert site.shifts.filter(kind="twilight").count() == 1
    assert AuditEvent.objects.filter(kind="shift.saved").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "twilight", "name": "", "starts_at": "17:45", "ends_at": "17:45"},
        {"kind": "twilight", "name": "", "starts_at": "25:00", "ends_at": "22:15"},
        {"kind": "lunch", "name": "", "starts_at": "12:00", "ends_at": "13:00"},
        {},
    ],
)
def test_a_bad_shift_changes_nothing(
    client: Client, site: Site, admin: User, data: dict[str, str]
) -> None:
    client.force_login(admin)
    before = ShiftPattern.objects.count()

    response = client.post(reverse("workplaces:shift-create", kwargs={"slug": site.slug}), data)

    assert response.status_code == 400
    assert ShiftPattern.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_an_admin_records_a_unit_with_two_headcounts(
    client: Client, site: Site, admin: User
) -> None:
    client.force_login(admin)
    pick = site.departments.get(kind="pick")

    response = client.post(
        reverse("workplaces:unit-create", kwargs={"slug": site.slug}),
        {
            "name": "Pickers",
            "departments": [pick.pk],
            "union_headcount": "640",
            "union_headcount_on": "2026-10-01",
            "union_headcount_source": "Map",
            "employer_headcount": "910",
            "employer_headcount_on": "2026-10-20",
            "employer_headcount_source": "Letter",
        },
    )

    assert response.status_code == 302
    unit = BargainingUnit.objects.get()
    assert (unit.union_headcount, unit.employer_headcount) == (640, 910)
    assert list(unit.departments.all()) == [pick]


def test_a_unit_with_an_undated_headcount_shows_why_and_changes_nothing(
    client: Client, site: Site, admin: User
) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("workplaces:unit-create", kwargs={"slug": site.slug}),
        {"name": "Pickers", "employer_headcount": "910"},
    )

    assert response.status_code == 400
    assert "Say on which day this headcount was given." in response.content.decode()
    assert not BargainingUnit.objects.exists()


def test_a_department_is_added_and_removed_through_the_page(
    client: Client, site: Site, admin: User
) -> None:
    client.force_login(admin)
    add_url = reverse("workplaces:department-add", kwargs={"slug": site.slug})

    client.post(add_url, {"kind": "returns", "name": ""})
    duplicate = client.post(add_url, {"kind": "returns", "name": ""})
    returns = site.departments.get(kind="returns")
    client.post(
        reverse(
            "workplaces:department-remove",
            kwargs={"slug": site.slug, "department_id": returns.pk},
        )
    )

    assert duplicate.status_code == 400
    assert "This site already has that department." in duplicate.content.decode()
    assert not site.departments.filter(kind="returns").exists()


def test_the_site_page_for_managers_uses_a_fixed_number_of_queries(
    client: Client, site: Site, admin: User, django_assert_num_queries: object
) -> None:
    client.force_login(admin)

    with django_assert_num_queries(7):  # type: ignore[operator]
        response = client.get(reverse("workplaces:site-manage", kwargs={"slug": site.slug}))

    assert response.status_code == 200
