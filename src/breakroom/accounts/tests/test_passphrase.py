from django.test import Client
from django.urls import reverse

from breakroom.accounts.models import User
from breakroom.core.models import AuditEvent

PASSPHRASE = "correct horse battery staple"


def test_change_passphrase(client: Client, worker: User) -> None:
    client.force_login(worker)

    response = client.post(
        reverse("accounts:passphrase-change"),
        {
            "current": PASSPHRASE,
            "new": "a brand new passphrase",
            "new_again": "a brand new passphrase",
        },
    )

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password("a brand new passphrase")
    assert client.get(reverse("accounts:my-sites")).status_code == 200  # still signed in
    assert list(AuditEvent.objects.values_list("kind", flat=True)) == ["user.passphrase_changed"]


def test_wrong_current_passphrase_changes_nothing(client: Client, worker: User) -> None:
    client.force_login(worker)
    before = User.objects.get(pk=worker.pk).password

    response = client.post(
        reverse("accounts:passphrase-change"),
        {
            "current": "not my passphrase",
            "new": "a brand new passphrase",
            "new_again": "a brand new passphrase",
        },
    )

    assert response.status_code == 400
    assert "Your current passphrase is not right." in response.content.decode()
    assert User.objects.get(pk=worker.pk).password == before
    assert not AuditEvent.objects.exists()


def test_weak_new_passphrase_changes_nothing(client: Client, worker: User) -> None:
    client.force_login(worker)
    before = User.objects.get(pk=worker.pk).password

    response = client.post(
        reverse("accounts:passphrase-change"),
        {"current": PASSPHRASE, "new": "short", "new_again": "short"},
    )

    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert User.objects.get(pk=worker.pk).password == before


def test_contact_details_can_be_replaced_and_deleted(client: Client, worker: User) -> None:
    client.force_login(worker)

    client.post(reverse("accounts:contact-edit"), {"contact": "07700 900111"})
    saved = User.objects.get(pk=worker.pk).contact_sealed
    client.post(reverse("accounts:contact-edit"), {"contact": ""})

    assert saved is not None
    assert User.objects.get(pk=worker.pk).contact_sealed is None


def test_anonymous_visitors_are_sent_to_sign_in(anon_client: Client, db: None) -> None:
    response = anon_client.get(reverse("accounts:passphrase-change"))

    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/me/passphrase/"
