"""The audit log: who did what to which object, on which day — ids only."""

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
