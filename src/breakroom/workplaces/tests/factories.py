"""Factories for workplaces (test set-up only; the code under test uses actions)."""

from datetime import time

import factory

from breakroom.workplaces.models import (
    BargainingUnit,
    Department,
    DepartmentKind,
    Employer,
    ShiftKind,
    ShiftPattern,
    Site,
)


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Employer {n}")
    slug = factory.Sequence(lambda n: f"employer-{n}")


class SiteFactory(factory.django.DjangoModelFactory[Site]):
    class Meta:
        model = Site

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    region = "North East England"


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department

    site = factory.SubFactory(SiteFactory)
    kind = DepartmentKind.PICK
    name = ""


class ShiftFactory(factory.django.DjangoModelFactory[ShiftPattern]):
    class Meta:
        model = ShiftPattern

    site = factory.SubFactory(SiteFactory)
    kind = ShiftKind.NIGHTS
    name = ""
    starts_at = time(19, 0)
    ends_at = time(5, 30)


class UnitFactory(factory.django.DjangoModelFactory[BargainingUnit]):
    class Meta:
        model = BargainingUnit

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")
