from io import StringIO

import pytest
from django.core.management import call_command


def test_models_and_migrations_agree(db: None) -> None:
    output = StringIO()

    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output)
    except SystemExit:
        pytest.fail(f"A model change has no migration:\n{output.getvalue()}")

    assert "No changes detected" in output.getvalue()
