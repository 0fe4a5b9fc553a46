"""Token periods, windows and limits: pure rules, table-driven and property-based."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breakroom.core.tokens.policy import (
    POLICIES,
    UnknownPeriod,
    is_closed,
    is_spendable,
    issuable_periods,
    period_bounds,
    period_of,
)

THURSDAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("purpose", "day", "period"),
    [
        ("pulse", THURSDAY, "2026-11-26"),
        ("report", THURSDAY, "2026-W48"),
        ("diary", datetime.date(2027, 1, 1), "2026-W53"),
        ("report", datetime.date(2026, 1, 1), "2026-W01"),
    ],
)
def test_the_period_of_a_day(purpose: str, day: datetime.date, period: str) -> None:
    assert period_of(purpose, day) == period


def test_issuable_periods_run_up_to_the_horizon() -> None:
    assert issuable_periods("pulse", THURSDAY) == [
        "2026-11-26",
        "2026-11-27",
        "2026-11-28",
        "2026-11-29",
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
    ]
    assert issuable_periods("report", THURSDAY) == ["2026-W48", "2026-W49"]


@pytest.mark.parametrize(
    ("purpose", "period", "today", "spendable", "closed"),
    [
        ("pulse", "2026-11-26", datetime.date(2026, 11, 25), False, False),
        ("pulse", "2026-11-26", datetime.date(2026, 11, 26), True, False),
        ("pulse", "2026-11-26", datetime.date(2026, 11, 27), True, False),
        ("pulse", "2026-11-26", datetime.date(2026, 11, 28), False, True),
        ("report", "2026-W48", datetime.date(2026, 11, 23), True, False),
        ("report", "2026-W48", datetime.date(2026, 12, 1), True, False),
        ("report", "2026-W48", datetime.date(2026, 12, 2), False, True),
    ],
)
def test_spending_windows(
    purpose: str, period: str, today: datetime.date, spendable: bool, closed: bool
) -> None:
    assert is_spendable(purpose, period, today) is spendable
    assert is_closed(purpose, period, today) is closed


@pytest.mark.parametrize(
    ("purpose", "text"),
    [
        ("pulse", "2026-W48"),
        ("pulse", "2026-13-01"),
        ("report", "2026-11-26"),
        ("report", "2026-W54"),
    ],
)
def test_malformed_periods_are_refused(purpose: str, text: str) -> None:
    with pytest.raises(UnknownPeriod):
        period_bounds(purpose, text)


@given(
    purpose=st.sampled_from(sorted(POLICIES)),
    day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)),
)
def test_a_day_lies_within_its_period(purpose: str, day: datetime.date) -> None:
    first, last = period_bounds(purpose, period_of(purpose, day))

    assert first <= day <= last
    assert is_spendable(purpose, period_of(purpose, day), day)
    assert not is_closed(purpose, period_of(purpose, day), day)
