"""Reading questions and rollups."""

import datetime

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
