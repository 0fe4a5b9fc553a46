"""Workplace actions: what they write, what they refuse, and that refusal changes nothing."""

import datetime

import pytest

from breakroom.accounts.models import User
from breakroom.core.errors import ActionError
from breakroom.core.models import AuditEvent
from breakroom.workplaces import actions
from breakroom.workplaces.models import (
    BargainingUnit,
    Department,
    DepartmentKind,
    Employer,
    ShiftKind,
    ShiftPattern,
    Site,
    SiteStatus,
)

from .factories import DepartmentFactory, SiteFactory


def test_union_staff_create_an_employer_and_a_site(admin: User) -> None:
    employer = actions.do_save_employer(actor=admin, name="Amazon UK Services Ltd", slug="amazon")

    site = actions.do_save_site(
        actor=admin,
        employer=employer,
        name="Gateshead fulfilment centre",
        slug="gateshead",
        region="North East England",
        status=SiteStatus.OPENING,
    )

    assert Site.objects.get(slug="gateshead") == site
    assert site.status == "opening"
    assert list(AuditEvent.objects.order_by("pk").values_list("kind", "actor_id")) == [
        ("employer.saved", admin.pk),
        ("site.saved", admin.pk),
    ]


@pytest.mark.parametrize("persona", ["site_admin", "organiser", "worker", "outsider"])
def test_only_union_staff_create_employers_and_sites(
    request: pytest.FixtureRequest, site: Site, persona: str
) -> None:
    actor = request.getfixturevalue(persona)
    sites_before = Site.objects.count()
    employers_before = Employer.objects.count()

    with pytest.raises(ActionError):
        actions.do_save_employer(actor=actor, name="Another", slug="another")
    with pytest.raises(ActionError):
        actions.do_save_site(
            actor=actor,
            employer=site.employer,
            name="New",
            slug="new",
            region="",
            status=SiteStatus.OPEN,
        )

    assert Employer.objects.count() == employers_before
    assert Site.objects.count() == sites_before
    assert not AuditEvent.objects.exists()


def test_a_site_admin_edits_their_own_site_only(
    site_admin: User, site: Site, other_site: Site
) -> None:
    actions.do_save_site(
        actor=site_admin,
        site=site,
        employer=site.employer,
        name="Durham (Bowburn)",
        slug=site.slug,
        region=site.region,
        status=SiteStatus.OPEN,
    )

    with pytest.raises(ActionError):
        actions.do_save_site(
            actor=site_admin,
            site=other_site,
            employer=other_site.employer,
            name="Renamed",
            slug=other_site.slug,
            region="",
            status=SiteStatus.CLOSED,
        )

    assert Site.objects.get(pk=site.pk).name == "Durham (Bowburn)"
    assert Site.objects.get(pk=other_site.pk).name == "Darlington fulfilment centre"


def test_a_duplicate_site_slug_is_refused(admin: User, site: Site) -> None:
    with pytest.raises(ActionError, match="short name exists"):
        actions.do_save_site(
            actor=admin,
            employer=site.employer,
            name="Copy",
            slug=site.slug,
            region="",
            status=SiteStatus.OPEN,
        )

    assert Site.objects.filter(slug=site.slug).count() == 1


def test_departments_are_added_once_and_other_needs_a_name(admin: User, site: Site) -> None:
    added = actions.do_add_department(actor=admin, site=site, kind=DepartmentKind.RETURNS)
    named = actions.do_add_department(
        actor=admin, site=site, kind=DepartmentKind.OTHER, name="Amnesty"
    )

    with pytest.raises(ActionError, match="already has that department"):
        actions.do_add_department(actor=admin, site=site, kind=DepartmentKind.RETURNS)
    with pytest.raises(ActionError, match="Give the department a name"):
        actions.do_add_department(actor=admin, site=site, kind=DepartmentKind.OTHER)

    assert (str(added), str(named)) == ("Returns", "Amnesty")
    assert site.departments.count() == 4


def test_a_night_shift_crosses_midnight_and_an_empty_shift_is_refused(
    admin: User, site: Site
) -> None:
    twilight = actions.do_save_shift(
        actor=admin,
        site=site,
        kind=ShiftKind.TWILIGHT,
        name="",
        starts_at=datetime.time(17, 45),
        ends_at=datetime.time(22, 15),
    )

    with pytest.raises(ActionError, match="start and end at the same time"):
        actions.do_save_shift(
            actor=admin,
            site=site,
            kind=ShiftKind.OTHER,
            name="Broken",
            starts_at=datetime.time(6),
            ends_at=datetime.time(6),
        )

    assert twilight.crosses_midnight is False
    assert site.shifts.get(kind=ShiftKind.NIGHTS).crosses_midnight is True
    assert not ShiftPattern.objects.filter(name="Broken").exists()


def test_a_unit_keeps_both_headcounts_with_their_dates_and_sources(admin: User, site: Site) -> None:
    unit = actions.do_save_unit(
        actor=admin,
        site=site,
        name="Hourly-paid associates",
        departments=site.departments.all(),
        shifts=site.shifts.all(),
        union_headcount=1400,
        union_headcount_on=datetime.date(2026, 10, 1),
        union_headcount_source="Workplace map",
        employer_headcount=2700,
        employer_headcount_on=datetime.date(2026, 10, 20),
        employer_headcount_source="Letter to the CAC",
    )

    saved = BargainingUnit.objects.get(pk=unit.pk)
    assert (saved.union_headcount, saved.employer_headcount, saved.headcount_gap) == (
        1400,
        2700,
        1300,
    )
    assert saved.departments.count() == 2
    assert saved.shifts.count() == 2


def test_a_headcount_without_a_date_is_refused(admin: User, site: Site) -> None:
    with pytest.raises(ActionError) as refused:
        actions.do_save_unit(
            actor=admin,
            site=site,
            name="Undated",
            departments=[],
            shifts=[],
            union_headcount=None,
            union_headcount_on=None,
            union_headcount_source="",
            employer_headcount=2700,
            employer_headcount_on=None,
            employer_headcount_source="",
        )

    assert refused.value.field == "employer_headcount_on"
    assert not BargainingUnit.objects.exists()


def test_a_unit_cannot_take_another_sites_departments(admin: User, site: Site) -> None:
    foreign = DepartmentFactory.create(site=SiteFactory.create(), kind=DepartmentKind.PACK)

    with pytest.raises(ActionError, match="must belong to this site"):
        actions.do_save_unit(
            actor=admin,
            site=site,
            name="Mixed",
            departments=[foreign],
            shifts=[],
            union_headcount=None,
            union_headcount_on=None,
            union_headcount_source="",
            employer_headcount=None,
            employer_headcount_on=None,
            employer_headcount_source="",
        )

    assert not BargainingUnit.objects.exists()


def test_removing_a_department_drops_it_from_units(admin: User, site: Site) -> None:
    department = site.departments.get(kind=DepartmentKind.PICK)
    unit = actions.do_save_unit(
        actor=admin,
        site=site,
        name="Pickers",
        departments=[department],
        shifts=[],
        union_headcount=None,
        union_headcount_on=None,
        union_headcount_source="",
        employer_headcount=None,
        employer_headcount_on=None,
        employer_headcount_source="",
    )

    actions.do_remove_department(actor=admin, department=department)

    assert not Department.objects.filter(pk=department.pk).exists()
    assert unit.departments.count() == 0
