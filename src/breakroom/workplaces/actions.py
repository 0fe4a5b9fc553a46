"""Every write to employers, sites, departments, shifts and bargaining units."""

from collections.abc import Iterable
from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from breakroom.accounts.access import can_manage_employers, can_manage_site
from breakroom.accounts.models import User
from breakroom.core.audit import record_event
from breakroom.core.errors import ActionError
from breakroom.core.models import EventKind
from breakroom.core.privacy import MINIMUM_K
from breakroom.core.tokens.keys import destroy_closed_private_keys, ensure_keys

from .models import (
    BargainingUnit,
    Department,
    DepartmentKind,
    Employer,
    ShiftKind,
    ShiftPattern,
    Site,
    SiteStatus,
)

NOT_ALLOWED = _("You cannot manage this.")


def site_has_anonymous_data(site: Site) -> bool:
    """Reports (and, later, answers) exist: the site's k is then fixed (PRIVACY.md 14)."""
    return site.reports.exists()


def _require_admin(actor: User) -> None:
    if not can_manage_employers(actor):
        raise ActionError(NOT_ALLOWED, status=404)


def _require_site_manager(actor: User, site: Site) -> None:
    if not can_manage_site(actor, site):
        raise ActionError(NOT_ALLOWED, status=404)


@transaction.atomic(durable=True)
def do_save_employer(
    *, actor: User, name: str, slug: str, employer: Employer | None = None
) -> Employer:
    """Create an employer, or rename `employer`. Union staff only."""
    _require_admin(actor)
    employer = employer or Employer()
    employer.name = name.strip()
    employer.slug = slug
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as error:
        raise ActionError(_("An employer with that name or short name exists.")) from error
    record_event(actor_id=actor.pk, kind=EventKind.EMPLOYER_SAVED, target=employer)
    return employer


@transaction.atomic(durable=True)
def do_save_site(
    *,
    actor: User,
    employer: Employer,
    name: str,
    slug: str,
    region: str,
    status: SiteStatus,
    site: Site | None = None,
    privacy_k: int | None = None,
) -> Site:
    """Create a site, or change `site`. New sites need union staff; a site
    administrator may edit their own site's details. The site's k (smallest group
    shown) is at least 3 and cannot change once the site has anonymous data."""
    if site is None:
        _require_admin(actor)
        site = Site()
    else:
        _require_site_manager(actor, site)
    if privacy_k is not None and privacy_k != site.privacy_k:
        if privacy_k < MINIMUM_K:
            raise ActionError(_("k must be at least 3."), field="privacy_k")
        if site.pk is not None and site_has_anonymous_data(site):
            raise ActionError(
                _("k cannot change once the site has reports or check-in answers."),
                field="privacy_k",
            )
        site.privacy_k = privacy_k
    site.employer = employer
    site.name = name.strip()
    site.slug = slug
    site.region = region.strip()
    site.status = status
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as error:
        raise ActionError(_("A site with that short name exists."), field="slug") from error
    record_event(actor_id=actor.pk, kind=EventKind.SITE_SAVED, target=site)
    return site


@transaction.atomic(durable=True)
def do_add_department(
    *, actor: User, site: Site, kind: DepartmentKind, name: str = ""
) -> Department:
    """Add a department to `site`; refuse a duplicate, or `other` without a name."""
    _require_site_manager(actor, site)
    name = name.strip()
    if kind == DepartmentKind.OTHER and not name:
        raise ActionError(_("Give the department a name."), field="name")
    if Department.objects.filter(site=site, kind=kind, name=name).exists():
        raise ActionError(_("This site already has that department."), field="kind")
    department = Department.objects.create(site=site, kind=kind, name=name)
    record_event(actor_id=actor.pk, kind=EventKind.DEPARTMENT_ADDED, target=department)
    return department


@transaction.atomic(durable=True)
def do_remove_department(*, actor: User, department: Department) -> None:
    """Remove a department (and drop it from any bargaining unit)."""
    _require_site_manager(actor, department.site)
    record_event(actor_id=actor.pk, kind=EventKind.DEPARTMENT_REMOVED, target=department)
    department.delete()


@transaction.atomic(durable=True)
def do_save_shift(
    *,
    actor: User,
    site: Site,
    kind: ShiftKind,
    name: str,
    starts_at: time,
    ends_at: time,
    shift: ShiftPattern | None = None,
) -> ShiftPattern:
    """Create or change a shift. A shift may cross midnight; it may not be
    empty (start equal to end)."""
    _require_site_manager(actor, site)
    if starts_at == ends_at:
        raise ActionError(_("A shift cannot start and end at the same time."), field="ends_at")
    name = name.strip()
    clash = ShiftPattern.objects.filter(site=site, kind=kind, name=name)
    if shift is not None:
        clash = clash.exclude(pk=shift.pk)
    if clash.exists():
        raise ActionError(_("This site already has a shift with that name."), field="name")
    shift = shift or ShiftPattern(site=site)
    shift.kind = kind
    shift.name = name
    shift.starts_at = starts_at
    shift.ends_at = ends_at
    shift.save()
    record_event(actor_id=actor.pk, kind=EventKind.SHIFT_SAVED, target=shift)
    return shift


@transaction.atomic(durable=True)
def do_remove_shift(*, actor: User, shift: ShiftPattern) -> None:
    """Remove a shift (and drop it from any bargaining unit)."""
    _require_site_manager(actor, shift.site)
    record_event(actor_id=actor.pk, kind=EventKind.SHIFT_REMOVED, target=shift)
    shift.delete()


@transaction.atomic(durable=True)
def do_save_unit(
    *,
    actor: User,
    site: Site,
    name: str,
    departments: Iterable[Department],
    shifts: Iterable[ShiftPattern],
    union_headcount: int | None,
    union_headcount_on: date | None,
    union_headcount_source: str,
    employer_headcount: int | None,
    employer_headcount_on: date | None,
    employer_headcount_source: str,
    unit: BargainingUnit | None = None,
) -> BargainingUnit:
    """Create or change a bargaining unit and its two headcounts.

    A headcount needs the day it was given. Departments and shifts must belong to
    `site`. Raise ActionError otherwise.
    """
    _require_site_manager(actor, site)
    departments = list(departments)
    shifts = list(shifts)
    if any(item.site_id != site.pk for item in departments) or any(
        item.site_id != site.pk for item in shifts
    ):
        raise ActionError(_("Departments and shifts must belong to this site."))
    for figure, day, field in (
        (union_headcount, union_headcount_on, "union_headcount_on"),
        (employer_headcount, employer_headcount_on, "employer_headcount_on"),
    ):
        if figure is not None and day is None:
            raise ActionError(_("Say on which day this headcount was given."), field=field)
    name = name.strip()
    clash = BargainingUnit.objects.filter(site=site, name=name)
    if unit is not None:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise ActionError(
            _("This site already has a bargaining unit with that name."), field="name"
        )
    unit = unit or BargainingUnit(site=site)
    unit.name = name
    unit.union_headcount = union_headcount
    unit.union_headcount_on = union_headcount_on
    unit.union_headcount_source = union_headcount_source.strip()
    unit.employer_headcount = employer_headcount
    unit.employer_headcount_on = employer_headcount_on
    unit.employer_headcount_source = employer_headcount_source.strip()
    unit.save()
    unit.departments.set(departments)
    unit.shifts.set(shifts)
    record_event(actor_id=actor.pk, kind=EventKind.UNIT_SAVED, target=unit)
    return unit


@transaction.atomic(durable=True)
def do_rotate_token_keys(*, today: date) -> tuple[int, int]:
    """Create every open site's token keys up to the horizon and destroy the private
    keys of closed periods; return (created, destroyed). Safe to run twice."""
    created = sum(
        ensure_keys(site_id=site_id, today=today)
        for site_id in Site.objects.exclude(status=SiteStatus.CLOSED).values_list("pk", flat=True)
    )
    destroyed = destroy_closed_private_keys(today=today)
    return created, destroyed
