"""The audit log: who did what to which object, on which day — ids only."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    USER_SIGNED_UP = "user.signed_up", _("Signed up")
    USER_PASSPHRASE_CHANGED = "user.passphrase_changed", _("Changed passphrase")
    USER_CONTACT_CHANGED = "user.contact_changed", _("Changed contact details")
    USER_CONTACT_READ = "user.contact_read", _("Read contact details")
    ADMIN_CREATED = "user.admin_created", _("Created an administrator")
    MEMBERSHIP_JOINED = "membership.joined", _("Joined a site")
    MEMBERSHIP_ROLE_SET = "membership.role_set", _("Set a role")
    MEMBERSHIP_REMOVED = "membership.removed", _("Removed from a site")
    VERIFICATION_CODE_ISSUED = "membership.code_issued", _("Asked for a verification code")
    MEMBERSHIP_VERIFIED = "membership.verified", _("Verified a worker")
    EMPLOYER_SAVED = "employer.saved", _("Saved an employer")
    SITE_SAVED = "site.saved", _("Saved a site")
    DEPARTMENT_ADDED = "department.added", _("Added a department")
    DEPARTMENT_REMOVED = "department.removed", _("Removed a department")
    SHIFT_SAVED = "shift.saved", _("Saved a shift")
    SHIFT_REMOVED = "shift.removed", _("Removed a shift")
    UNIT_SAVED = "unit.saved", _("Saved a bargaining unit")
    TOKENS_ISSUED = "tokens.issued", _("Took anonymous tokens")
    REPORT_READ = "report.read", _("Read a report")
    QUESTION_SAVED = "question.saved", _("Scheduled a check-in question")
    SECOND_FACTOR_SET_UP = "user.second_factor", _("Set up an authenticator app")
    REPORT_REPLIED = "report.replied", _("Replied to a report")
    REPORT_STATUS_SET = "report.status_set", _("Changed a report's status")
    REPORT_ACCESS_GRANTED = "report.access_granted", _("Gave an organiser access to reports")
    TOKEN_KEYS_ROTATED = "tokens.keys_rotated", _("Rotated token keys")


class AuditEvent(models.Model):
    """One action or read of personal data.

    Only ids and a day are kept: never free text, contact details, network
    addresses or an exact time (DESIGN.md, threat model 5; PRIVACY.md, 18).
    The actor is a plain id, not a foreign key, so the trail outlives the account.
    """

    actor_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor_id", "day"], name="audit_actor_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.actor_id} {self.kind} {self.target_type}:{self.target_id}"


class TokenPurpose(models.TextChoices):
    PULSE = "pulse", _("Daily check-in")
    REPORT = "report", _("Reports")
    DIARY = "diary", _("Diary summaries")


class TokenKey(models.Model):
    """One RSA key pair per site, purpose and period (docs/tokens.md).

    The site is a plain id: core knows nothing of workplaces. The private key is
    sealed at rest and destroyed once the period's grace is over.
    """

    key_id = models.CharField(max_length=64, unique=True)
    site_id = models.BigIntegerField()
    purpose = models.CharField(max_length=10, choices=TokenPurpose.choices)
    period = models.CharField(max_length=10)
    public_key = models.BinaryField()
    private_key_sealed = models.BinaryField(null=True)
    created_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site_id", "purpose", "period"], name="token_key_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.period} for site {self.site_id}"


class TokenIssuance(models.Model):
    """How many tokens were signed for one member under one key — and nothing else.

    This is the roll ("took part"); it holds no blinded message and no signature,
    so nothing joins it to the spent tokens.
    """

    holder_id = models.BigIntegerField()
    key = models.ForeignKey(TokenKey, on_delete=models.CASCADE, related_name="issuances")
    count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["holder_id", "key"], name="token_issuance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.count} tokens under key {self.key_id}"


class SpentToken(models.Model):
    """A spent token: anonymous content. A random id, the key, the token, the day.

    No link to a person and no time finer than the day (PRIVACY.md 2 and 15). The
    unique hash makes spending twice impossible, also under concurrency.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.ForeignKey(TokenKey, on_delete=models.PROTECT, related_name="spent")
    message_hash = models.CharField(max_length=64, unique=True)
    message = models.BinaryField()
    signature = models.BinaryField()
    day = models.DateField()

    def __str__(self) -> str:
        return f"spent token {self.message_hash[:12]}"
