"""Writing to the audit log."""

from django.db import models
from django.utils import timezone

from .models import AuditEvent, EventKind


def record_event(*, actor_id: int | None, kind: EventKind, target: models.Model) -> AuditEvent:
    """Append one audit row: the actor's id, the kind, the target's type and id, today.

    Call it inside the action's transaction so the row exists exactly when the
    change does.
    """
    return AuditEvent.objects.create(
        actor_id=actor_id,
        kind=kind,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        day=timezone.localdate(),
    )
