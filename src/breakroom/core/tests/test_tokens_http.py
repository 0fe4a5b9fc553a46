"""The Python client over real HTTP, and the command that rotates keys."""

from io import StringIO
from urllib.request import HTTPCookieProcessor

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from breakroom.accounts.models import User
from breakroom.core.models import SpentToken, TokenKey
from breakroom.core.tokens.client import HttpTransport, TokenClient, TokenClientError
from breakroom.core.tokens.policy import period_of
from breakroom.workplaces.models import Site


@pytest.mark.django_db(transaction=True)
# The live server speaks plain HTTP; Python's cookie jar, unlike browsers, keeps no
# `Secure` cookie for http://localhost.
@override_settings(SESSION_COOKIE_SECURE=False)
def test_the_python_client_takes_and_spends_over_http(
    live_server: LiveServer, site: Site, verified_worker: User
) -> None:
    from django.utils import timezone

    transport = HttpTransport(live_server.url)
    transport.sign_in("vera-verified", "correct horse battery staple")
    client = TokenClient(transport, site=site.slug)
    today = period_of("pulse", timezone.localdate())

    token = client.take(purpose="pulse", period=today, count=1)[0]
    answer = client.spend(token)
    with pytest.raises(TokenClientError) as again:
        client.spend(token)

    assert answer == {"spent": True, "purpose": "pulse", "period": today}
    assert (again.value.status, again.value.code) == (409, "spent")
    assert SpentToken.objects.count() == 1

    # Only the session opener has a cookie jar; the one that spends has none.
    def has_cookie_jar(opener: object) -> bool:
        handlers = getattr(opener, "handlers", [])
        return any(isinstance(handler, HTTPCookieProcessor) for handler in handlers)

    assert has_cookie_jar(transport.session)
    assert not has_cookie_jar(transport.anonymous)


def test_the_rotation_command_reports_what_it_did(site: Site) -> None:
    output = StringIO()

    call_command("rotate_token_keys", stdout=output)

    assert output.getvalue() == "Created 11 keys; destroyed 0 private keys.\n"
    assert TokenKey.objects.filter(site_id=site.pk).count() == 11


@pytest.mark.parametrize(
    ("persona", "status", "button"),
    [("verified_worker", 200, True), ("worker", 200, False), ("outsider", 404, False)],
)
def test_the_tokens_page_is_for_verified_members(
    request: pytest.FixtureRequest,
    client: Client,
    site: Site,
    persona: str,
    status: int,
    button: bool,
) -> None:
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("accounts:membership-tokens", kwargs={"slug": site.slug}))

    assert response.status_code == status
    assert (b'id="take-tokens"' in response.content) is button
