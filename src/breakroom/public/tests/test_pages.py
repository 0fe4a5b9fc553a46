"""The pages anyone can read."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from breakroom.workplaces.models import Site
from breakroom.workplaces.tests.factories import SiteFactory, UnitFactory


@pytest.fixture
def unit(site: Site) -> object:
    unit = UnitFactory.create(
        site=site,
        name="All hourly-paid associates",
        union_headcount=1450,
        union_headcount_on=datetime.date(2026, 10, 1),
        union_headcount_source="Workplace map",
        employer_headcount=2700,
        employer_headcount_on=datetime.date(2026, 10, 20),
        employer_headcount_source="Letter to the union",
    )
    unit.departments.set(site.departments.all())
    return unit


def test_home_lists_every_site(anon_client: Client, site: Site, other_site: Site) -> None:
    response = anon_client.get(reverse("public:home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Darlington fulfilment centre" in content
    assert "Durham fulfilment centre" in content
    assert f'href="/s/{site.slug}/"' in content


def test_a_site_page_shows_both_headcounts_side_by_side(
    anon_client: Client, site: Site, unit: object
) -> None:
    response = anon_client.get(reverse("public:site", kwargs={"slug": "durham"}))

    content = response.content.decode()
    assert response.status_code == 200
    assert "1,450" in content
    assert "1 October 2026 · Workplace map" in content
    assert "2,700" in content
    assert "20 October 2026 · Letter to the union" in content
    assert "Departments: Pick, Stow." in content
    assert "05:30 (next day)" in content


def test_a_missing_headcount_says_so(anon_client: Client, site: Site) -> None:
    UnitFactory.create(
        site=site, name="Nights", union_headcount=300, union_headcount_on="2026-11-01"
    )

    content = anon_client.get(reverse("public:site", kwargs={"slug": "durham"})).content.decode()

    assert "Not given yet" in content


def test_an_unknown_site_is_a_404(anon_client: Client, db: None) -> None:
    response = anon_client.get(reverse("public:site", kwargs={"slug": "nowhere"}))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_site_page_uses_a_fixed_number_of_queries(
    anon_client: Client, site: Site, unit: object, django_assert_num_queries: object
) -> None:
    SiteFactory.create_batch(3)
    url = reverse("public:site", kwargs={"slug": "durham"})

    with django_assert_num_queries(8):  # type: ignore[operator]
        anon_client.get(url)


def test_the_home_page_uses_one_query_however_many_sites(
    anon_client: Client, db: None, django_assert_num_queries: object
) -> None:
    SiteFactory.create_batch(12)

    with django_assert_num_queries(1):  # type: ignore[operator]
        response = anon_client.get(reverse("public:home"))

    assert response.content.decode().count('class="card"') == 12


def test_pages_come_in_polish_and_romanian(anon_client: Client, site: Site) -> None:
    english = anon_client.get("/s/durham/").content.decode()
    polish = anon_client.get("/pl/s/durham/").content.decode()
    romanian = anon_client.get("/ro/s/durham/").content.decode()

    assert '<html lang="en">' in english
    assert '<html lang="pl">' in polish
    assert '<html lang="ro">' in romanian
    assert "Sign up" in english
    assert "Sign up" not in polish
    assert "Sign up" not in romanian
    assert 'href="/pl/s/durham/"' in english  # the language switcher keeps the page
    assert 'href="/s/durham/"' in polish


def test_the_home_page_confirms_signing_out(anon_client: Client, db: None) -> None:
    response = anon_client.get(reverse("public:home") + "?signed-out=1")

    assert "You are signed out." in response.content.decode()
