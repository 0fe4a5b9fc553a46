"""Personas shared by every app's tests (STYLE.md).

`site` is a workplace; `worker` works there unverified, `verified_worker` was
verified in person, `organiser` organises there, `site_admin` administers it,
`admin` is union staff, and `outsider` has an account but no role at `site`
(they work at `other_site`). `anon_client` has no account at all.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from breakroom.accounts.models import Role, User
from breakroom.accounts.second_factor import SESSION_FLAG
from breakroom.accounts.tests.factories import MembershipFactory, UserFactory
from breakroom.api.sites import forget_open_sites
from breakroom.core.crypto import blind_rsa
from breakroom.core.tokens.service import forget_known_keys
from breakroom.diary import engine_build
from breakroom.pulse.queries import forget_check_in_contexts
from breakroom.workplaces.models import DepartmentKind, ShiftKind, Site
from breakroom.workplaces.tests.factories import DepartmentFactory, ShiftFactory, SiteFactory

SECURE_HEADERS = {"HTTP_SEC_FETCH_SITE": "same-origin"}

# BREAKROOM_PURE_ENGINE=1 tests the diary rules engine's pure-Python source where `make`
# has compiled it (tools/run_tests.py does so once). This runs before any test module is
# imported, hence before anything imports the engine (and fails if something did).
if engine_build.pure_requested():
    engine_build.use_pure_source()


# Property tests draw the same examples on every run, on every machine: a failure in
# CI is then one anyone can reproduce, never a roll of the dice.
hypothesis_settings.register_profile("breakroom", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile("breakroom")


@pytest.fixture(autouse=True)
def _clear_cache_and_language() -> Iterator[None]:
    cache.clear()
    forget_known_keys()
    forget_open_sites()
    forget_check_in_contexts()
    yield
    cache.clear()
    forget_known_keys()
    forget_open_sites()
    forget_check_in_contexts()
    # A request to /pl/ or /ro/ leaves its language active in this thread.
    translation.activate(settings.LANGUAGE_CODE)


KEY_POOL: list[rsa.RSAPrivateKey] = []


@pytest.fixture(autouse=True)
def _fast_token_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand out pre-generated RSA keys: generating 2048-bit keys in every test is slow.

    Keys are distinct within a test (each test gets the pool from its start) and
    reused across tests, whose database rows are rolled back in between.
    """
    handed_out = iter(range(10_000))

    def next_key(bits: int = 2048) -> rsa.RSAPrivateKey:
        index = next(handed_out)
        while len(KEY_POOL) <= index:
            KEY_POOL.append(rsa.generate_private_key(public_exponent=65537, key_size=bits))
        return KEY_POOL[index]

    monkeypatch.setattr(blind_rsa, "generate_private_key", next_key)


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` stands for a fully signed-in person, second step
    included. Tests of the second step itself sign in through the pages instead."""
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        session[SESSION_FLAG] = True
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def site(db: None) -> Site:
    site = SiteFactory.create(name="Durham fulfilment centre", slug="durham")
    DepartmentFactory.create(site=site, kind=DepartmentKind.PICK)
    DepartmentFactory.create(site=site, kind=DepartmentKind.STOW)
    ShiftFactory.create(site=site, kind=ShiftKind.NIGHTS)
    ShiftFactory.create(
        site=site, kind=ShiftKind.DAYS, starts_at=datetime.time(7, 30), ends_at=datetime.time(18)
    )
    return site


@pytest.fixture
def other_site(db: None) -> Site:
    return SiteFactory.create(name="Darlington fulfilment centre", slug="darlington")


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory.create(username="alice-staff", is_admin=True)


@pytest.fixture
def site_admin(site: Site) -> User:
    return MembershipFactory.create(
        site=site,
        user__username="sam-siteadmin",
        role=Role.ADMIN,
        is_verified=True,
        verified_on=datetime.date(2026, 11, 1),
    ).user


@pytest.fixture
def organiser(site: Site) -> User:
    return MembershipFactory.create(
        site=site,
        user__username="olu-organiser",
        role=Role.ORGANISER,
        is_verified=True,
        verified_on=datetime.date(2026, 11, 1),
    ).user


@pytest.fixture
def worker(site: Site) -> User:
    return MembershipFactory.create(site=site, user__username="will-worker").user


@pytest.fixture
def verified_worker(site: Site, organiser: User) -> User:
    return MembershipFactory.create(
        site=site,
        user__username="vera-verified",
        is_verified=True,
        verified_by=organiser,
        verified_on=datetime.date(2026, 11, 2),
    ).user


@pytest.fixture
def outsider(other_site: Site) -> User:
    return MembershipFactory.create(
        site=other_site,
        user__username="otto-outsider",
        role=Role.ORGANISER,
        is_verified=True,
        verified_on=datetime.date(2026, 11, 1),
    ).user


@pytest.fixture
def anon_client(db: None) -> Client:
    return Client(headers={"Sec-Fetch-Site": "same-origin"})


@pytest.fixture
def client(db: None) -> Client:
    """Every test client behaves like a browser on Breakroom's own pages."""
    return Client(headers={"Sec-Fetch-Site": "same-origin"})
