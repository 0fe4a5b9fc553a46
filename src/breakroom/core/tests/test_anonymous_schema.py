"""PRIVACY.md 2 and 15: anonymous content links to no person and carries no fine time."""

import pytest
from django.apps import apps
from django.db import models

from breakroom.accounts.models import User
from breakroom.core.models import SpentToken
from breakroom.diary.models import DiarySummary
from breakroom.pulse.models import Answer
from breakroom.voice.models import Report, ReportMessage

# Every model that holds anonymous input. A new one must be added here.
ANONYMOUS = [Report, ReportMessage, SpentToken, Answer, DiarySummary]
SUSPICIOUS_NAMES = ("user", "person", "member", "ip", "address", "agent", "session", "created")


@pytest.mark.parametrize("model", ANONYMOUS, ids=lambda model: model.__name__)
def test_anonymous_content_has_no_link_to_a_person(model: type[models.Model]) -> None:
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if field.is_relation and related is not None and field.concrete:
            assert related is not User, field
            # Follow one step: nothing it points to may point at a person either.
            for inner in related._meta.get_fields():
                if inner.concrete and inner.is_relation:
                    assert inner.related_model is not User, (field, inner)
        assert not any(part in field.name.split("_") for part in SUSPICIOUS_NAMES), field


@pytest.mark.parametrize("model", ANONYMOUS, ids=lambda model: model.__name__)
def test_anonymous_content_has_no_time_and_random_keys(model: type[models.Model]) -> None:
    for field in model._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.TimeField), field
        assert not getattr(field, "auto_now", False), field
        assert not getattr(field, "auto_now_add", False), field
    assert isinstance(model._meta.pk, models.UUIDField)


def test_every_model_with_a_sealed_body_is_declared_anonymous() -> None:
    sealed = {
        model
        for model in apps.get_models()
        if any(field.name == "body_sealed" for field in model._meta.concrete_fields)
    }

    assert sealed <= set(ANONYMOUS)
