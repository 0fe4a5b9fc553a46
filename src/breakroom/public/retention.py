"""Applying the retention periods (core.retention) across the apps."""

import datetime

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from breakroom.accounts.models import VerificationCode
from breakroom.core import retention
from breakroom.core.models import AuditEvent
from breakroom.pulse.models import Answer
from breakroom.voice.models import Report, ReportStatus


@transaction.atomic(durable=True)
def do_apply_retention(*, today: datetime.date | None = None) -> dict[str, int]:
    """Delete whatever has outlived its retention period; return how many of each.

    Safe to run twice. Deleting a report deletes its thread and its key grants.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    deleted = {
        "resolved reports": Report.objects.filter(
            status=ReportStatus.RESOLVED,
            week__lt=today - retention.REPORTS_AFTER_RESOLVED.keep,
        ).delete()[0],
        "open reports": Report.objects.filter(
            week__lt=today - retention.REPORTS_UNRESOLVED.keep
        ).delete()[0],
        "answers": Answer.objects.filter(day__lt=today - retention.ANSWERS.keep).delete()[0],
        "verification codes": VerificationCode.objects.filter(
            expires_at__lt=now - retention.VERIFICATION_CODES.keep
        ).delete()[0],
        "audit events": AuditEvent.objects.filter(
            day__lt=today - retention.AUDIT_LOG.keep
        ).delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        "finished tasks": DBTaskResult.objects.finished()
        .filter(finished_at__lte=now - retention.FINISHED_TASKS.keep)
        .delete()[0],
    }
    return deleted
