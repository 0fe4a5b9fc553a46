"""A worker's private diary: every entry sealed to the worker's own key pair.

Nothing in a diary is readable without the worker's passphrase (which unlocks their
private key at sign-in): not by organisers, not by admins, not by whoever holds the
database and the server's settings. A worker who forgets the passphrase loses the
diary, which the pages say plainly, offering an export.

`DiarySummary` is different: a weekly summary a worker chose to contribute to the
site's figures — anonymous content, paid for with a `diary` token, linked to no one.
"""

import uuid

from django.db import models

from breakroom.accounts.models import User
from breakroom.workplaces.models import Site


class DiaryEntry(models.Model):
    """One shift or absence, sealed. Its kind, dates and times are inside the seal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="diary_entries")
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"diary entry {self.pk}"


class DiaryProfile(models.Model):
    """What the rules need about the worker (age, opt-out, agreements), sealed."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="diary_profile")
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"diary profile of user {self.user_id}"


class DiarySummary(models.Model):
    """A contributed week: bands and breach counts only. Anonymous content."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    week = models.DateField()
    hours_band = models.CharField(max_length=10)
    extra_hours_band = models.CharField(max_length=10)
    breaches = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["site", "week"], name="summary_site_week")]

    def __str__(self) -> str:
        return f"diary summary {self.pk}"


class PublishedDiaryFigures(models.Model):
    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="+")
    document = models.JSONField(default=dict)
    basis = models.JSONField(default=dict)
    updated_on = models.DateField()

    def __str__(self) -> str:
        return f"diary figures of site {self.site_id}"
