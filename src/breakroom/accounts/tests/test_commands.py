"""The command line: createadmin and the idempotent demo data."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from breakroom.accounts.models import Membership, User
from breakroom.core.models import AuditEvent
from breakroom.pulse.models import Answer
from breakroom.voice.models import Report
from breakroom.workplaces.models import BargainingUnit, Site


def test_createadmin_reads_the_passphrase_from_stdin(db: None) -> None:
    output = StringIO()

    call_command(
        "createadmin",
        "alice-staff",
        passphrase_stdin=True,
        stdin=StringIO("a long staff passphrase\n"),
        stdout=output,
    )

    user = User.objects.get()
    assert (user.username, user.is_admin) == ("alice-staff", True)
    assert user.check_password("a long staff passphrase")
    assert output.getvalue() == "Created administrator alice-staff.\n"


def test_createadmin_refuses_a_weak_passphrase(db: None) -> None:
    with pytest.raises(CommandError, match="too short"):
        call_command("createadmin", "alice-staff", passphrase_stdin=True, stdin=StringIO("short\n"))

    assert not User.objects.exists()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "accounts", "workplaces"}
    }


def test_the_demo_data_is_complete_and_a_second_run_changes_nothing(db: None) -> None:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    first = row_counts()

    call_command("seed_demo", stdout=StringIO())

    assert row_counts() == first
    assert list(Site.objects.values_list("slug", "status")) == [
        ("darlington", "open"),
        ("durham", "open"),
        ("gateshead", "opening"),
    ]
    for unit in BargainingUnit.objects.all():
        assert unit.union_headcount != unit.employer_headcount
        assert unit.union_headcount_on is not None
        assert unit.employer_headcount_on is not None
    assert User.objects.filter(is_admin=True).count() == 1
    assert Membership.objects.filter(role="organiser").count() == 3
    # A dozen named workers, and sixteen more at Durham whose check-ins fill the demo.
    assert Membership.objects.filter(role="worker").count() == 12 + 16
    assert Membership.objects.filter(role="worker", is_verified=True).count() == 7 + 16
    assert Answer.objects.count() > 0
    assert Report.objects.count() == 32
    assert "union-staff" in output.getvalue()
    assert "demo-breakroom-passphrase" in output.getvalue()
    assert AuditEvent.objects.count() == first["core.AuditEvent"]
