"""Questions and a way to check in exactly as a phone does."""

import base64
import datetime
import json
from typing import Any

import pytest
from django.test import Client

from breakroom.accounts.models import User
from breakroom.core.tests.tokens_helpers import token_client
from breakroom.pulse.models import Question, QuestionKind
from breakroom.workplaces.models import Site


@pytest.fixture
def questions(site: Site) -> list[Question]:
    start = datetime.date(2026, 1, 1)
    return [
        Question.objects.create(
            site=None,
            kind=QuestionKind.SCALE,
            text_en="How hard was the rate today?",
            starts_on=start,
            position=1,
        ),
        Question.objects.create(
            site=None,
            kind=QuestionKind.YES_NO,
            text_en="Did you get your full breaks?",
            starts_on=start,
            position=2,
        ),
        Question.objects.create(
            site=site,
            kind=QuestionKind.CHOICE,
            text_en="How much notice of extra time?",
            options=[{"en": "None"}, {"en": "Under a day"}, {"en": "More"}],
            starts_on=start,
            position=3,
        ),
    ]


def check_in(
    worker: User, site: Site, answers: dict[int, int], *, period: str, **extra: Any
) -> tuple[int, Any]:
    """Take today's token as the worker, then check in anonymously with it."""
    token = token_client(worker, site=site.slug).take(purpose="pulse", period=period, count=1)[0]
    return spend_check_in(site, token.as_json(), answers, **extra)


def spend_check_in(
    site: Site, token: dict[str, str], answers: dict[int, int], **extra: Any
) -> tuple[int, Any]:
    response = Client(headers={"Sec-Fetch-Site": "same-origin"}).post(
        f"/api/v1/sites/{site.slug}/pulse/checkin",
        json.dumps({"token": token, "answers": {str(k): v for k, v in answers.items()}, **extra}),
        content_type="application/json",
    )
    return response.status_code, response.json()


def forged_token(key_id: str) -> dict[str, str]:
    return {
        "key_id": key_id,
        "message": base64.b64encode(b"m" * 64).decode(),
        "signature": base64.b64encode(b"s" * 256).decode(),
    }
