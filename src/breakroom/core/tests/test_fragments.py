import pytest
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.workplaces.models import Site


@pytest.fixture
def verify_url(site: Site) -> str:
    return reverse("accounts:verify", kwargs={"slug": site.slug})


def test_a_normal_request_gets_the_whole_page(
    client: Client, organiser: User, verify_url: str
) -> None:
    client.force_login(organiser)

    response = client.get(verify_url)

    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'id="verify-panel"' in response.content


def test_htmx_gets_only_the_fragment(client: Client, organiser: User, verify_url: str) -> None:
    client.force_login(organiser)

    response = client.get(verify_url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert response.content.strip().startswith(b'<div id="verify-panel">')
