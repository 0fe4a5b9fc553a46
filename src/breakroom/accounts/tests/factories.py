"""Factories for people and memberships (test set-up only)."""

import datetime

import factory

from breakroom.accounts.models import Membership, Role, User
from breakroom.workplaces.tests.factories import SiteFactory

PASSPHRASE = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person-{n}")
    joined_on = factory.LazyFunction(datetime.date.today)
    password = factory.PostGenerationMethodCall("set_password", PASSPHRASE)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    site = factory.SubFactory(SiteFactory)
    role = Role.WORKER
    joined_on = factory.LazyFunction(datetime.date.today)
