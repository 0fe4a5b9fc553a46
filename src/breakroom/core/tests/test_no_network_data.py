"""PRIVACY.md property 1: no IP address or user agent is stored anywhere.

Requests carry canary values in REMOTE_ADDR, X-Forwarded-For, X-Real-IP and
User-Agent through every kind of write this app has. Afterwards the canaries are
searched for in every table (sessions decoded), the cache, and the logs.
"""

import logging
import os
import pickle
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import Membership, User
from breakroom.public.management.commands.serve import granian_arguments
from breakroom.workplaces.models import Site

CANARY_ADDRESS = "198.51.100.173"
CANARY_FORWARDED = "203.0.113.219"
CANARY_AGENT = "CanaryAgent/7.7 (zqxj-browser)"
CANARIES = (CANARY_ADDRESS, CANARY_FORWARDED, CANARY_AGENT, "zqxj")


def canary_client() -> Client:
    return Client(
        REMOTE_ADDR=CANARY_ADDRESS,
        HTTP_X_FORWARDED_FOR=CANARY_FORWARDED,
        HTTP_X_REAL_IP=CANARY_FORWARDED,
        HTTP_USER_AGENT=CANARY_AGENT,
        HTTP_SEC_FETCH_SITE="same-origin",
    )


def database_text() -> str:
    """Every value of every row of every table, with session payloads decoded."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks += [repr(row) for row in cursor.fetchall()]
    chunks += [repr(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(chunks)


def cache_text() -> str:
    store = cache._cache  # type: ignore[attr-defined]
    return "\n".join(f"{key!r} {pickle.loads(value)!r}" for key, value in store.items())  # noqa: S301


def test_no_request_leaves_an_address_or_user_agent_behind(
    site: Site, organiser: User, admin: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    worker = canary_client()
    organiser_client = canary_client()
    organiser_client.force_login(organiser)
    admin_client = canary_client()
    admin_client.force_login(admin)

    worker.post(
        reverse("accounts:signup"),
        {
            "username": "canary-worker",
            "passphrase": "a long canary passphrase",
            "passphrase_again": "a long canary passphrase",
            "contact": "07700 900777",
        },
    )
    worker.post(reverse("accounts:site-join"), {"site": site.pk})
    worker.post(reverse("accounts:membership-code", kwargs={"slug": site.slug}))
    code = worker.session["verification_code"]["code"]
    organiser_client.post(reverse("accounts:verify", kwargs={"slug": site.slug}), {"code": code})
    worker.post(reverse("accounts:signout"))
    worker.post(reverse("accounts:signin"), {"username": "canary-worker", "passphrase": "wrong"})
    worker.post(
        reverse("accounts:signin"),
        {"username": "canary-worker", "passphrase": "a long canary passphrase"},
    )
    worker.get(reverse("public:site", kwargs={"slug": "no-such-site"}))
    admin_client.post(
        reverse("workplaces:department-add", kwargs={"slug": site.slug}), {"kind": "returns"}
    )
    admin_client.post(reverse("workplaces:employer-create"), {"name": "", "slug": "!"})

    membership = Membership.objects.get(user__username="canary-worker")
    assert membership.is_verified is True  # the journey really happened
    stored = database_text() + cache_text() + caplog.text
    assert "canary-worker" in stored  # the search can find what is there
    for canary in CANARIES:
        assert canary not in stored


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_granian_without_an_access_log() -> None:
    arguments = granian_arguments(host="127.0.0.1", port=8000, workers=2, threads=4)

    assert "--no-access-log" in arguments
    assert "--access-log" not in arguments


def test_the_production_server_writes_no_address_or_user_agent(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "BREAKROOM_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "breakroom.settings.base",
        "BREAKROOM_LOG_LEVEL": "DEBUG",
    }
    command = [sys.executable, "-m", "breakroom.cli"]
    for step in (["migrate", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([*command, *step], env=environment, check=True)  # noqa: S603
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603
            [*command, "serve", "--port", str(port), "--workers", "1"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            statuses = []
            deadline = time.monotonic() + 20
            for path in ("/", "/s/no-such-site/", "/signin/"):
                while True:
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}{path}",
                        headers={"User-Agent": CANARY_AGENT, "X-Forwarded-For": CANARY_FORWARDED},
                    )
                    try:
                        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                            statuses.append(response.status)
                    except urllib.error.HTTPError as error:
                        statuses.append(error.code)
                    except OSError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.2)
                        continue
                    break
        finally:
            server.terminate()
            server.wait(timeout=10)

    assert statuses == [200, 404, 200]
    written = log_path.read_text()
    for canary in CANARIES:
        assert canary not in written
    assert "no-such-site" not in written  # no access log line at all
