"""The daily check-in: questions, anonymous answers, and their rollups.

An answer is anonymous content (PRIVACY.md 2, 15): a random key, the site, the day,
the optional department and shift, the question and the value — nothing else. It
counts once because the check-in that carried it spent that day's `pulse` token.
"""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from breakroom.workplaces.models import Department, ShiftPattern, Site


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("A scale from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One of a few options")


class Question(models.Model):
    """A short question asked on the days it is scheduled, at one site or at all."""

    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.CASCADE, related_name="pulse_questions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_en = models.CharField(_("question in English"), max_length=200)
    text_pl = models.CharField(_("question in Polish"), max_length=200, blank=True)
    text_ro = models.CharField(_("question in Romanian"), max_length=200, blank=True)
    # For `choice`: [{"en": "...", "pl": "...", "ro": "..."}, ...]; the value is the index.
    options = models.JSONField(default=list, blank=True)
    # For `scale`: what 1 and 5 mean, in each language ({"en": [low, high], ...}).
    scale_labels = models.JSONField(default=dict, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="question_dates_in_order",
                violation_error_message=_("The last day cannot come before the first."),
            )
        ]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        """The question in the active language, falling back to English."""
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"text_{language}", "") or self.text_en)

    def option_labels(self) -> list[str]:
        language = (get_language() or "en")[:2]
        return [str(option.get(language) or option.get("en", "")) for option in self.options]

    def allowed_values(self) -> range:
        if self.kind == QuestionKind.SCALE:
            return range(1, 6)
        if self.kind == QuestionKind.YES_NO:
            return range(2)
        return range(len(self.options))


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shift = models.ForeignKey(
        ShiftPattern, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["site", "day"], name="answer_site_day")]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class Rollup(models.Model):
    """Answers counted per site, day, department, shift, question and value.

    Dashboards read these, never the answers. Rebuilt per (site, day) from the
    answers themselves, so a rollup can run twice or late and still be right.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    shift = models.ForeignKey(
        ShiftPattern, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["site", "day"], name="rollup_site_day"),
            models.Index(fields=["day"], name="rollup_day"),
        ]

    def __str__(self) -> str:
        return f"{self.count} answers of {self.value} on {self.day}"


class PendingRollup(models.Model):
    """A (site, day) whose answers changed since its rollup was last rebuilt.

    Marked in the same transaction as the check-in, cleared by the rollup just
    before it reads the answers: a check-in that commits while a rollup runs marks
    the day again, so no answer is ever left out.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="pending_unique")]

    def __str__(self) -> str:
        return f"pending rollup {self.site_id} {self.day}"


CAMPAIGN = "campaign"


class PublishedPulse(models.Model):
    """A published dashboard and the basis it was computed from (never published).

    `scope` is a site's slug, or "campaign" for the figures across every site.
    """

    scope = models.CharField(max_length=60, unique=True)
    document = models.JSONField(default=dict)
    basis = models.JSONField(default=dict)
    updated_on = models.DateField()
    # Goes up with every refresh: pages cache what they render for one version.
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"published pulse {self.scope}"
