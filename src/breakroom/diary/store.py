"""Sealing diary content to its owner's key pair, and turning it into rule inputs."""

import datetime
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import nacl.exceptions
import nacl.public

from . import rules

if TYPE_CHECKING:
    from .csvformat import AbsenceEntry, ShiftEntry

LONDON = ZoneInfo("Europe/London")


def seal_for(public_key: bytes, data: dict[str, Any]) -> bytes:
    """Only the holder of the matching private key can open what this seals."""
    box = nacl.public.SealedBox(nacl.public.PublicKey(bytes(public_key)))
    return bytes(box.encrypt(json.dumps(data, sort_keys=True).encode()))


def open_with(private_key: nacl.public.PrivateKey, sealed: bytes) -> dict[str, Any]:
    try:
        opened: dict[str, Any] = json.loads(
            nacl.public.SealedBox(private_key).decrypt(bytes(sealed))
        )
    except nacl.exceptions.CryptoError as error:
        raise ValueError("this diary entry is not sealed to you") from error
    return opened


def _clock(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def span(day: datetime.date, start: str, end: str) -> tuple[datetime.datetime, datetime.datetime]:
    """A shift on `day` from `start` to `end` (London time); ending at or before its
    start means it ended the next day."""
    begins = datetime.datetime.combine(day, _clock(start), tzinfo=LONDON)
    ends = datetime.datetime.combine(day, _clock(end), tzinfo=LONDON)
    if ends <= begins:
        ends = datetime.datetime.combine(
            day + datetime.timedelta(days=1), _clock(end), tzinfo=LONDON
        )
    return begins, ends


@dataclass(frozen=True)
class Entry:
    """A diary entry opened for one request: its id and its fields."""

    id: str
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def sort_key(self) -> str:
        return str(self.data.get("day") or self.data.get("first_day")) + str(
            self.data.get("start", "")
        )


def to_shift(entry: Entry) -> rules.Shift:
    data = entry.data
    start, end = span(datetime.date.fromisoformat(data["day"]), data["start"], data["end"])
    breaks = (rules.Break(minutes=int(data["break_minutes"])),) if data.get("break_minutes") else ()
    return rules.Shift(
        start=start,
        end=end,
        breaks=breaks,
        mandatory_extra_minutes=int(data.get("extra_minutes") or 0),
        walking_minutes=int(data.get("walking_minutes") or 0),
        screening_minutes=int(data.get("screening_minutes") or 0),
        label=f"shift on {data['day']}",
    )


def to_absence(entry: Entry) -> rules.Absence:
    data = entry.data
    return rules.Absence(
        first_day=datetime.date.fromisoformat(data["first_day"]),
        last_day=datetime.date.fromisoformat(data["last_day"]),
        kind=rules.AbsenceKind(data["absence_kind"]),
        label=f"absence from {data['first_day']}",
    )


def to_profile(data: dict[str, Any]) -> rules.WorkerProfile:
    def day(name: str) -> datetime.date | None:
        value = data.get(name)
        return datetime.date.fromisoformat(value) if value else None

    opt_out_from = day("opt_out_from")
    return rules.WorkerProfile(
        date_of_birth=day("date_of_birth"),
        is_under_18=bool(data.get("is_under_18")),
        opt_out=rules.OptOut(opt_out_from, day("opt_out_until")) if opt_out_from else None,
        reference_weeks=int(data["reference_weeks"]) if data.get("reference_weeks") else None,
        employment_start=day("employment_start"),
    )


def from_csv_entry(entry: "ShiftEntry | AbsenceEntry") -> dict[str, Any]:
    """An imported row, in the form the diary stores (times as London wall-clock)."""
    from .csvformat import ShiftEntry

    if not isinstance(entry, ShiftEntry):
        return {
            "kind": "absence",
            "first_day": entry.first_day.isoformat(),
            "last_day": entry.last_day.isoformat(),
            "absence_kind": entry.kind.value,
        }
    data: dict[str, Any] = {
        "kind": "shift",
        "day": entry.day.isoformat(),
        "start": entry.start.astimezone(LONDON).strftime("%H:%M"),
        "end": entry.end.astimezone(LONDON).strftime("%H:%M"),
    }
    for name, moment in (
        ("scheduled_start", entry.scheduled_start),
        ("scheduled_end", entry.scheduled_end),
    ):
        if moment is not None:
            data[name] = moment.astimezone(LONDON).strftime("%H:%M")
    optional = {
        "break_minutes": sum(item.minutes for item in entry.breaks),
        "extra_minutes": entry.mandatory_extra_minutes,
        "screening_minutes": entry.screening_minutes,
        "walking_minutes": entry.walking_minutes,
        "notice_hours": int(entry.notice_hours) if entry.notice_hours is not None else 0,
    }
    data.update({name: value for name, value in optional.items() if value})
    if entry.notes:
        data["incident"] = entry.notes
    return data
