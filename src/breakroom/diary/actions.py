"""Every write to a worker's diary. Only the owner reads or writes their diary."""

from typing import Any

import nacl.public
from django.db import transaction
from django.utils.translation import gettext as _

from breakroom.accounts.models import KeyPair, User
from breakroom.core.errors import ActionError

from . import rules
from .models import DiaryEntry, DiaryProfile
from .presentation import say
from .store import Entry, open_with, seal_for, to_absence, to_shift


def _public_key(user: User) -> bytes:
    key_pair = KeyPair.objects.filter(user=user).first()
    if key_pair is None:
        raise ActionError(_("Sign in again to open your diary."), status=403, code="locked")
    return bytes(key_pair.public_key)


def list_entries(user: User, private_key: nacl.public.PrivateKey | None) -> list[Entry]:
    """The user's diary, opened for this request, in date order."""
    if private_key is None:
        raise ActionError(_("Sign in again to open your diary."), status=403, code="locked")
    entries = [
        Entry(id=str(row.pk), data=open_with(private_key, bytes(row.sealed)))
        for row in DiaryEntry.objects.filter(user=user)
    ]
    return sorted(entries, key=lambda entry: entry.sort_key)


def read_profile(user: User, private_key: nacl.public.PrivateKey | None) -> dict[str, Any]:
    row = DiaryProfile.objects.filter(user=user).first()
    if row is None or private_key is None:
        return {}
    return open_with(private_key, bytes(row.sealed))


def _check_fits(
    existing: list[Entry], new: list[dict[str, Any]], profile: rules.WorkerProfile
) -> None:
    """Refuse entries the rules cannot take (end before start, over 24 hours,
    overlapping another shift …), naming the entry and the field."""
    candidates = existing + [
        Entry(id=f"new-{number}", data=data) for number, data in enumerate(new, 1)
    ]
    shifts = [to_shift(entry) for entry in candidates if entry.kind == "shift"]
    absences = [to_absence(entry) for entry in candidates if entry.kind == "absence"]
    problems = rules.find_input_problems(profile, shifts, absences)
    if problems:
        raise ActionError(
            "; ".join(say(problem.message) for problem in problems), code="invalid_entry"
        )


@transaction.atomic(durable=True)
def do_add_entries(
    *,
    user: User,
    private_key: nacl.public.PrivateKey | None,
    entries: list[dict[str, Any]],
    profile: rules.WorkerProfile,
) -> int:
    """Add entries — all of them or, if any cannot be checked, none. Return how many."""
    existing = list_entries(user, private_key)
    _check_fits(existing, entries, profile)
    public_key = _public_key(user)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=user, sealed=seal_for(public_key, data)) for data in entries
    )
    return len(entries)


@transaction.atomic(durable=True)
def do_delete_entry(*, user: User, entry_id: str) -> None:
    """Delete one of the user's own entries; anyone else's is not found."""
    deleted, _count = DiaryEntry.objects.filter(user=user, pk=entry_id).delete()
    if not deleted:
        raise ActionError(_("There is no such entry in your diary."), status=404)


@transaction.atomic(durable=True)
def do_save_profile(*, user: User, data: dict[str, Any]) -> None:
    DiaryProfile.objects.update_or_create(
        user=user, defaults={"sealed": seal_for(_public_key(user), data)}
    )
