"""Reading questions and rollups."""

import datetime
import time
from dataclasses import dataclass

from django.db.models import Q

from breakroom.workplaces.models import Site

from .models import Question

MAX_QUESTIONS_A_DAY = 3


def scheduled_questions(site: Site | None, day: datetime.date) -> list[Question]:
    """Every question scheduled on `day` for `site` (its own and the campaign's)."""
    where = Q(site__isnull=True) | Q(site=site) if site is not None else Q(site__isnull=True)
    return list(
        Question.objects.filter(where, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("position", "pk")
    )


def todays_questions(site: Site, day: datetime.date) -> list[Question]:
    """One to three questions: when more are scheduled, they take turns by day."""
    questions = scheduled_questions(site, day)
    if len(questions) <= MAX_QUESTIONS_A_DAY:
        return questions
    start = (day.toordinal() * MAX_QUESTIONS_A_DAY) % len(questions)
    rotated = questions[start:] + questions[:start]
    return rotated[:MAX_QUESTIONS_A_DAY]


@dataclass(frozen=True)
class CheckInContext:
    """What a check-in is checked against: today's questions and the site's groups."""

    questions: dict[int, Question]
    departments: frozenset[int]
    shifts: frozenset[int]


# Check-ins come in shift-end peaks of many a second; what they are checked against
# changes seldom, so each process remembers it for a minute per site and day.
REMEMBER_SECONDS = 60.0
_contexts: dict[tuple[int, datetime.date], tuple[float, CheckInContext]] = {}


def check_in_context(site: Site, day: datetime.date) -> CheckInContext:
    now = time.monotonic()
    remembered = _contexts.get((site.pk, day))
    if remembered is not None and now - remembered[0] < REMEMBER_SECONDS:
        return remembered[1]
    context = CheckInContext(
        questions={question.pk: question for question in todays_questions(site, day)},
        departments=frozenset(site.departments.values_list("pk", flat=True)),
        shifts=frozenset(site.shifts.values_list("pk", flat=True)),
    )
    if len(_contexts) > 4096:
        _contexts.clear()
    _contexts[(site.pk, day)] = (now, context)
    return context


def forget_check_in_contexts() -> None:
    """Empty this process's memory (tests, and whoever schedules a question)."""
    _contexts.clear()
