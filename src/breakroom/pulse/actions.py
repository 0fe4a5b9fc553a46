"""Writing check-ins and rebuilding what dashboards read."""

import datetime
import uuid
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from breakroom.accounts.access import can_manage_employers, can_verify_at
from breakroom.accounts.models import User
from breakroom.core.audit import record_event
from breakroom.core.errors import ActionError
from breakroom.core.models import EventKind
from breakroom.core.tokens import service as token_service
from breakroom.core.tokens.policy import period_of
from breakroom.workplaces.models import Site

from .models import Answer, PendingRollup, Question, Rollup
from .queries import check_in_context, forget_check_in_contexts


def _check_answers(scheduled: dict[int, Question], answers: dict[int, int]) -> list[Question]:
    if not answers:
        raise ActionError(_("Answer at least one question."), code="malformed")
    chosen = []
    for question_id, value in answers.items():
        question = scheduled.get(question_id)
        if question is None:
            raise ActionError(_("That question is not asked today."), code="not_today", status=400)
        if value not in question.allowed_values():
            raise ActionError(_("That answer is out of range."), code="out_of_range")
        chosen.append(question)
    return chosen


@transaction.atomic(durable=True)
def do_check_in(
    *,
    site: Site,
    key_id: str,
    message: bytes,
    signature: bytes,
    answers: dict[int, int],
    department_id: int | None = None,
    shift_id: int | None = None,
) -> int:
    """Store one anonymous check-in, paid for with today's `pulse` token; return how
    many answers were stored.

    Raise ActionError — and store nothing — for a token of another site, purpose or
    day, a spent or forged token, a question not asked today, a value out of range,
    or a department or shift that is not the site's.
    """
    today = timezone.localdate()
    context = check_in_context(site, today)
    chosen = _check_answers(context.questions, answers)
    if department_id is not None and department_id not in context.departments:
        raise ActionError(_("Choose a department of this site."), code="malformed")
    if shift_id is not None and shift_id not in context.shifts:
        raise ActionError(_("Choose a shift of this site."), code="malformed")
    key = token_service.get_key(site_id=site.pk, key_id=key_id)
    if key.purpose != "pulse" or key.period != period_of("pulse", today):
        raise ActionError(
            _("This token is not today's check-in token for this site."),
            code="wrong_token",
            status=400,
        )
    token_service.spend_token(
        site_id=site.pk, key_id=key_id, message=message, signature=signature, today=today
    )
    _store_answers(site.pk, today, department_id, shift_id, [(q.pk, answers[q.pk]) for q in chosen])
    transaction.on_commit(partial(_queue_rollup, site.pk, today))
    return len(chosen)


ROLLUP_EVERY_SECONDS = 30


def _store_answers(
    site_id: int,
    day: datetime.date,
    department_id: int | None,
    shift_id: int | None,
    answers: list[tuple[int, int]],
) -> None:
    """The answers and the day's pending mark, in two plain statements.

    Check-ins arrive in shift-end peaks, so this skips the ORM's per-object work; the
    values go through the fields' own preparation all the same. Many check-ins mark
    the same day at once: the first mark wins, the others change nothing.
    """
    answer_id = Answer._meta.pk
    day_field = Answer._meta.get_field("day")
    assert answer_id is not None  # noqa: S101 - every model has a primary key
    prepared_day = day_field.get_db_prep_value(day, connection, prepared=False)
    rows = [
        (
            answer_id.get_db_prep_value(uuid.uuid4(), connection, prepared=False),
            site_id,
            prepared_day,
            department_id,
            shift_id,
            question_id,
            value,
        )
        for question_id, value in answers
    ]
    quote = connection.ops.quote_name
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Answer._meta.db_table)} "  # noqa: S608 - names from the models
            "(id, site_id, day, department_id, shift_id, question_id, value) "
            f"VALUES {placeholders}",
            [value for row in rows for value in row],
        )
        cursor.execute(
            f"INSERT INTO {quote(PendingRollup._meta.db_table)} (site_id, day) "  # noqa: S608
            "VALUES (%s, %s) ON CONFLICT (site_id, day) DO NOTHING",
            [site_id, prepared_day],
        )


def _queue_rollup(site_id: int, day: datetime.date) -> None:
    """Queue a rebuild of the day's rollups, at most one per site and day every 30 s.

    A check-in that arrives inside that window queues one trailing rebuild for when
    it closes, so the last check-ins of a shift are never left waiting for the next
    day (the pending mark also lets the scheduled catch-up find them). Where the task
    backend cannot defer a task (the embedded demo), every check-in rebuilds at once.
    """
    from .tasks import rebuild_rollups

    if not rebuild_rollups.get_backend().supports_defer:
        rebuild_rollups.enqueue(site_id=site_id, day=day.isoformat())
        return
    window = f"pulse:rollup-queued:{site_id}:{day.isoformat()}"
    if cache.add(window, 1, timeout=ROLLUP_EVERY_SECONDS):
        rebuild_rollups.enqueue(site_id=site_id, day=day.isoformat())
    elif cache.add(f"{window}:trailing", 1, timeout=ROLLUP_EVERY_SECONDS):
        later = timezone.now() + datetime.timedelta(seconds=ROLLUP_EVERY_SECONDS + 1)
        rebuild_rollups.using(run_after=later).enqueue(site_id=site_id, day=day.isoformat())


@transaction.atomic(durable=True)
def do_rebuild_rollups(*, site_id: int, day: datetime.date) -> int:
    """Rebuild one site's rollups for one day from its answers; return the row count.

    Clears the pending mark first, inside the same transaction, so that a check-in
    committed after this reads the answers marks the day again.
    """
    PendingRollup.objects.filter(site_id=site_id, day=day).delete()
    Rollup.objects.filter(site_id=site_id, day=day).delete()
    counted = (
        Answer.objects.filter(site_id=site_id, day=day)
        .values("department_id", "shift_id", "question_id", "value")
        .annotate(count=Count("id"))
    )
    rows = Rollup.objects.bulk_create(
        Rollup(site_id=site_id, day=day, **group) for group in counted
    )
    return len(rows)


def do_rebuild_pending_rollups() -> int:
    """Every (site, day) marked pending, then those sites' dashboards: the scheduled
    catch-up (`breakroom rebuild-pending-rollups`). Return how many days were rebuilt."""
    from .dashboards import refresh_dashboards

    pending = list(PendingRollup.objects.values_list("site_id", "day"))
    for site_id, day in pending:
        do_rebuild_rollups(site_id=site_id, day=day)
    for site_id in sorted({site_id for site_id, _day in pending}):
        refresh_dashboards(site_id=site_id)
    return len(pending)


@transaction.atomic(durable=True)
def do_save_question(
    *, actor: User, site: Site | None, fields: dict[str, Any], question: Question | None = None
) -> Question:
    """Schedule a question at `site` (organisers and administrators of the site) or,
    with no site, across the campaign (union staff). Raise ActionError otherwise."""
    allowed = can_manage_employers(actor) if site is None else can_verify_at(actor, site)
    if not allowed or (question is not None and question.site_id != (site.pk if site else None)):
        raise ActionError(_("You cannot schedule questions here."), status=404)
    if question is not None and question.answers.exists():
        # Changing what was asked would change what earlier answers mean.
        raise ActionError(_("This question has answers: end it and add a new one instead."))
    question = question or Question(site=site)
    for name in (
        "kind",
        "text_en",
        "text_pl",
        "text_ro",
        "starts_on",
        "ends_on",
        "position",
        "options",
    ):
        setattr(question, name, fields[name])
    question.save()
    record_event(actor_id=actor.pk, kind=EventKind.QUESTION_SAVED, target=question)
    transaction.on_commit(forget_check_in_contexts)
    return question


@transaction.atomic(durable=True)
def do_end_question(*, actor: User, question: Question, day: datetime.date) -> None:
    """Stop asking a question from tomorrow on (its answers stay)."""
    allowed = (
        can_manage_employers(actor)
        if question.site is None
        else can_verify_at(actor, question.site)
    )
    if not allowed:
        raise ActionError(_("You cannot schedule questions here."), status=404)
    question.ends_on = max(question.starts_on, day)
    question.save(update_fields=["ends_on"])
    record_event(actor_id=actor.pk, kind=EventKind.QUESTION_SAVED, target=question)
    transaction.on_commit(forget_check_in_contexts)
