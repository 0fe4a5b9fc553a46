"""Which tokens exist: purposes, their periods, limits and windows. Pure Python.

A period is a day in Europe/London (``2026-11-28``) or an ISO week (``2026-W48``).
"""

import datetime
import re
from dataclasses import dataclass
from typing import Literal

VARIANT = "RSABSSA-SHA384-PSS-Randomized"
MODULUS_BITS = 2048


@dataclass(frozen=True)
class Policy:
    """How a purpose's tokens are handed out and spent.

    `per_period`: tokens one verified member may take for one period.
    `horizon`: how many periods, the current one included, may be taken ahead.
    `grace_days`: days after a period ends during which its tokens may still be spent.
    """

    period: Literal["day", "week"]
    per_period: int
    horizon: int
    grace_days: int


POLICIES: dict[str, Policy] = {
    "pulse": Policy(period="day", per_period=1, horizon=7, grace_days=1),
    "report": Policy(period="week", per_period=5, horizon=2, grace_days=2),
    "diary": Policy(period="week", per_period=1, horizon=2, grace_days=2),
}

DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


class UnknownPeriod(ValueError):
    """The text is not a period of the purpose's kind."""


def period_of(purpose: str, day: datetime.date) -> str:
    """The period of `purpose` that contains `day`."""
    if POLICIES[purpose].period == "day":
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def period_bounds(purpose: str, period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of `period`; raise UnknownPeriod if it is malformed."""
    if POLICIES[purpose].period == "day":
        if not DAY_PATTERN.match(period):
            raise UnknownPeriod(period)
        try:
            day = datetime.date.fromisoformat(period)
        except ValueError as error:
            raise UnknownPeriod(period) from error
        return day, day
    match = WEEK_PATTERN.match(period)
    if match is None:
        raise UnknownPeriod(period)
    try:
        monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as error:
        raise UnknownPeriod(period) from error
    return monday, monday + datetime.timedelta(days=6)


def issuable_periods(purpose: str, today: datetime.date) -> list[str]:
    """The current period and the ones ahead of it, up to the horizon."""
    policy = POLICIES[purpose]
    step = datetime.timedelta(days=1 if policy.period == "day" else 7)
    return [period_of(purpose, today + step * ahead) for ahead in range(policy.horizon)]


def is_spendable(purpose: str, period: str, today: datetime.date) -> bool:
    """Tokens spend from the period's first day to the end of its grace."""
    first, last = period_bounds(purpose, period)
    return first <= today <= last + datetime.timedelta(days=POLICIES[purpose].grace_days)


def is_closed(purpose: str, period: str, today: datetime.date) -> bool:
    """The period and its grace are over: its private key may be destroyed."""
    _first, last = period_bounds(purpose, period)
    return today > last + datetime.timedelta(days=POLICIES[purpose].grace_days)
