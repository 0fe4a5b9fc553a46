"""Anonymous reports and their two-way threads.

Anonymous content (PRIVACY.md 2, 7, 15): random primary keys, no link to a person,
the week instead of a time, and every text sealed with the report's own key. That
key is stored only sealed — to each organiser who was granted it, and to a key
derived from the reporter's receipt code.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from breakroom.accounts.models import User
from breakroom.workplaces.models import Department, ShiftPattern, Site

MAX_REPORT_CHARACTERS = 5000


class Category(models.TextChoices):
    BULLYING = "bullying", _("Bullying")
    MANDATORY_OVERTIME = "overtime", _("Mandatory overtime")
    SURVEILLANCE = "surveillance", _("Surveillance")
    PRODUCTION_TARGETS = "targets", _("Production targets")
    HEALTH_AND_SAFETY = "safety", _("Health and safety")
    PAY = "pay", _("Pay")
    BREAKS = "breaks", _("Breaks")
    SCHEDULING = "scheduling", _("Scheduling")
    DISCRIMINATION = "discrimination", _("Discrimination")
    OTHER = "other", pgettext_lazy("report category", "Other")


class Frequency(models.TextChoices):
    ONCE = "once", _("It happened once")
    SOMETIMES = "sometimes", _("It happens sometimes")
    OFTEN = "often", _("It happens often")
    EVERY_SHIFT = "every_shift", _("It happens every shift")


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACTING = "acting", _("Being acted on")
    RESOLVED = "resolved", _("Resolved")


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="reports")
    category = models.CharField(_("what it is about"), max_length=20, choices=Category.choices)
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency.choices, default=Frequency.ONCE
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shift = models.ForeignKey(
        ShiftPattern, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The Monday of the week it was sent: never a day or a time.
    week = models.DateField()
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW)
    body_sealed = models.BinaryField()
    receipt_lookup = models.CharField(max_length=64, unique=True)
    key_sealed_for_receipt = models.BinaryField()

    class Meta:
        indexes = [
            models.Index(fields=["site", "category", "week"], name="report_figures"),
            models.Index(fields=["site", "status"], name="report_inbox"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == ReportStatus.RESOLVED


class ReportMessage(models.Model):
    """One message in a report's thread, from the reporter or from the organisers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    # Order within the thread only; nothing orders messages across reports.
    position = models.PositiveIntegerField()
    from_reporter = models.BooleanField()
    body_sealed = models.BinaryField()
    week = models.DateField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="message_position")
        ]

    def __str__(self) -> str:
        return f"message {self.position} of report {self.report_id}"


class ReportKeyGrant(models.Model):
    """A report's key sealed to one organiser's public key: their access to it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="grants")
    organiser = models.ForeignKey(User, on_delete=models.CASCADE, related_name="report_grants")
    key_sealed = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "organiser"], name="grant_unique")]

    def __str__(self) -> str:
        return f"grant of report {self.report_id} to user {self.organiser_id}"


class PublishedFigures(models.Model):
    """The report counts a site last published, after the k rule.

    Kept so that a published figure changes only when at least k new reports
    arrived (PRIVACY.md 13), and so that pages read one row, not a million.
    """

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="report_figures")
    table = models.JSONField(default=dict)
    updated_on = models.DateField()

    def __str__(self) -> str:
        return f"report figures of site {self.site_id}"
