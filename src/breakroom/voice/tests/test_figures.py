"""Public report figures: the k rule on every cell, no differencing, k fixed per site."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.core.errors import ActionError
from breakroom.voice.actions import do_send_report
from breakroom.voice.figures import published_figures, refresh_published_figures
from breakroom.voice.models import Category
from breakroom.workplaces.actions import do_save_site
from breakroom.workplaces.models import Site, SiteStatus

NOVEMBER = datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC)


def send(site: Site, category: Category, count: int) -> None:
    for _ in range(count):
        do_send_report(site=site, category=category, body="It keeps happening.")


@time_machine.travel(NOVEMBER, tick=False)
def test_cells_below_k_and_the_totals_that_would_reveal_them_are_withheld(site: Site) -> None:
    send(site, Category.MANDATORY_OVERTIME, 6)
    send(site, Category.BULLYING, 2)

    refresh_published_figures(site_id=site.pk)
    figures = published_figures(site)

    assert figures is not None
    assert figures["k"] == 5
    assert figures["months"][-1] == "2026-11-01"
    assert figures["cells"]["overtime|2026-11-01"] == 6
    assert figures["cells"]["bullying|2026-11-01"] is None
    assert figures["cells"]["pay|2026-11-01"] == 0
    assert figures["row_totals"]["overtime"] == 6
    assert figures["row_totals"]["bullying"] is None
    assert figures["column_totals"]["2026-11-01"] is None
    assert figures["total"] is None
    assert "basis" not in figures


@time_machine.travel(NOVEMBER, tick=False)
def test_a_published_figure_moves_only_after_k_new_reports(site: Site) -> None:
    send(site, Category.PAY, 7)
    refresh_published_figures(site_id=site.pk)

    send(site, Category.PAY, 4)
    refresh_published_figures(site_id=site.pk)
    after_four = published_figures(site)
    send(site, Category.PAY, 1)
    refresh_published_figures(site_id=site.pk)
    after_five = published_figures(site)

    assert after_four is not None
    assert after_five is not None
    assert after_four["cells"]["pay|2026-11-01"] == 7
    assert after_five["cells"]["pay|2026-11-01"] == 12


@time_machine.travel(NOVEMBER, tick=False)
def test_the_site_page_shows_the_figures_and_k(anon_client: Client, site: Site) -> None:
    send(site, Category.MANDATORY_OVERTIME, 6)
    send(site, Category.BULLYING, 1)
    refresh_published_figures(site_id=site.pk)

    content = anon_client.get(reverse("public:site", kwargs={"slug": site.slug})).content.decode()

    assert "no number about fewer than 5 reports is shown" in content
    assert "<svg" in content
    assert '<th scope="row">Mandatory overtime</th>' in content
    assert "fewer than 5" in content


def test_reports_refresh_the_figures_after_they_commit(
    site: Site, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        do_send_report(site=site, category=Category.PAY, body="Short again.")

    figures = published_figures(site)
    assert figures is not None
    assert figures["row_totals"]["pay"] is None


def _set_k(admin: User, site: Site, k: int) -> None:
    do_save_site(
        actor=admin,
        site=site,
        employer=site.employer,
        name=site.name,
        slug=site.slug,
        region=site.region,
        status=SiteStatus.OPEN,
        privacy_k=k,
    )


def test_k_is_fixed_once_a_site_has_reports(site: Site, admin: User) -> None:
    _set_k(admin, site, 7)
    do_send_report(site=site, category=Category.PAY, body="Short again.")

    with pytest.raises(ActionError, match="cannot change once"):
        _set_k(admin, site, 3)
    with pytest.raises(ActionError, match="at least 3"):
        _set_k(admin, site, 2)

    site.refresh_from_db()
    assert site.privacy_k == 7
