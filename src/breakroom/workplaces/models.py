"""Employers, their sites, and the departments, shifts and bargaining units of each."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SiteStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("site status", "Open")
    OPENING = "opening", _("Opening")
    CLOSED = "closed", _("Closed")


def default_privacy_k() -> int:
    """New sites start with the deployment's k (BREAKROOM_K, 5 unless set)."""
    k: int = settings.BREAKROOM_K
    return k


class Site(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    region = models.CharField(_("region"), max_length=80)
    status = models.CharField(
        _("status"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.OPEN
    )
    # The k rule's threshold for this site's figures: fixed once any figure has data.
    privacy_k = models.PositiveSmallIntegerField(
        _("smallest group shown (k)"),
        default=default_privacy_k,
        help_text=_("No figure about fewer people than this is ever shown. At least 3."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(privacy_k__gte=3),
                name="site_k_at_least_3",
                violation_error_message=_("k must be at least 3."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentKind(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    STOW = "stow", _("Stow")
    PICK = "pick", _("Pick")
    PACK = "pack", _("Pack")
    SHIP = "ship", _("Ship")
    ICQA = "icqa", _("ICQA (inventory control)")
    RETURNS = "returns", _("Returns")
    OTHER = "other", pgettext_lazy("department", "Other")


class Department(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="departments")
    kind = models.CharField(_("department"), max_length=10, choices=DepartmentKind.choices)
    # Only for `other`: what the workers call it.
    name = models.CharField(_("name"), max_length=80, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "name"], name="department_unique"),
            models.CheckConstraint(
                condition=~models.Q(kind=DepartmentKind.OTHER, name=""),
                name="department_other_named",
                violation_error_message=_("Give the department a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())


class ShiftKind(models.TextChoices):
    DAYS = "days", _("Days")
    NIGHTS = "nights", _("Nights")
    TWILIGHT = "twilight", _("Twilight")
    WEEKEND = "weekend", _("Weekend")
    OTHER = "other", pgettext_lazy("shift", "Other")


class ShiftPattern(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="shifts")
    kind = models.CharField(_("shift"), max_length=10, choices=ShiftKind.choices)
    name = models.CharField(_("name"), max_length=80, blank=True)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "name"], name="shift_unique"),
            models.CheckConstraint(
                condition=~models.Q(starts_at=models.F("ends_at")),
                name="shift_not_empty",
                violation_error_message=_("A shift cannot start and end at the same time."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at < self.starts_at


class BargainingUnit(models.Model):
    """A group of workers a union asks to bargain for, with two disputed headcounts.

    The union's estimate and the employer's stated figure are kept side by side,
    each with the day it was given and where it came from: headcount disputes decide
    recognition cases (LAW.md).
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="bargaining_units")
    name = models.CharField(_("name"), max_length=120)
    departments = models.ManyToManyField(Department, blank=True, related_name="units")
    shifts = models.ManyToManyField(ShiftPattern, blank=True, related_name="units")
    union_headcount = models.PositiveIntegerField(_("union's estimate"), null=True, blank=True)
    union_headcount_on = models.DateField(_("estimated on"), null=True, blank=True)
    union_headcount_source = models.CharField(_("source"), max_length=200, blank=True)
    employer_headcount = models.PositiveIntegerField(_("employer's figure"), null=True, blank=True)
    employer_headcount_on = models.DateField(_("stated on"), null=True, blank=True)
    employer_headcount_source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="unit_unique_name"),
            models.CheckConstraint(
                condition=models.Q(union_headcount__isnull=True)
                | models.Q(union_headcount_on__isnull=False),
                name="unit_union_headcount_dated",
                violation_error_message=_("Say on which day this headcount was given."),
            ),
            models.CheckConstraint(
                condition=models.Q(employer_headcount__isnull=True)
                | models.Q(employer_headcount_on__isnull=False),
                name="unit_employer_headcount_dated",
                violation_error_message=_("Say on which day this headcount was given."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def headcount_gap(self) -> int | None:
        """How many more workers the employer counts than the union (negative: fewer)."""
        if self.union_headcount is None or self.employer_headcount is None:
            return None
        return self.employer_headcount - self.union_headcount
