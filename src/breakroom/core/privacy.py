"""The k rule: the one place where a figure about people is allowed out.

Every figure Breakroom publishes — on a page, in an export, through the API — about
people or their anonymous input goes through these functions (PRIVACY.md 11 to 14).
Pure Python: no Django import.

The guarantee, for one published table of counts with its row, column and grand
totals:

1. Every published number is 0 or at least k. A published 0 says "nobody": it is
   about no one, so it identifies no one.
2. No withheld number can be worked out exactly from what is published. Cells with
   1 to k - 1 are withheld (primary suppression). Then every total that a withheld
   cell contributes to is withheld too (complementary suppression of the margins),
   and so is the grand total. What remains published is a set of cells and of
   totals whose equations involve only published cells, so a withheld cell appears
   in no published equation: all an observer knows of it is that it lies between
   1 and k - 1, which for k >= 3 leaves at least two possibilities.

Withholding margins rather than extra cells costs some totals but keeps the proof
this short, and it holds whatever else an observer knows about the other cells.
The same data must be published through one table only: two tables that share a
total (say category x month and category x department) would let an observer
combine them. Differencing over time is handled by `stable_figure`.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_K = 5
MINIMUM_K = 3


def checked_k(k: int) -> int:
    """Refuse a k below the minimum: a group of two is two people, not a figure."""
    if k < MINIMUM_K:
        raise ValueError(f"k must be at least {MINIMUM_K}, not {k}")
    return k


def publishable(count: int, k: int) -> bool:
    """Zero (nobody) or at least k: the only counts that may be shown on their own."""
    return count == 0 or count >= checked_k(k)


@dataclass(frozen=True)
class SuppressedTable[Row: Hashable, Col: Hashable]:
    """What may be published of a table: `None` wherever a number is withheld."""

    rows: tuple[Row, ...]
    columns: tuple[Col, ...]
    cells: dict[tuple[Row, Col], int | None]
    row_totals: dict[Row, int | None]
    column_totals: dict[Col, int | None]
    total: int | None
    k: int

    @property
    def is_complete(self) -> bool:
        """True when nothing had to be withheld."""
        return all(value is not None for value in self.cells.values())


def suppress_table[Row: Hashable, Col: Hashable](
    counts: Mapping[tuple[Row, Col], int],
    *,
    rows: Sequence[Row],
    columns: Sequence[Col],
    k: int,
) -> SuppressedTable[Row, Col]:
    """Apply the k rule to a rows x columns table of counts and its totals.

    Missing cells count as 0. Raise ValueError for a negative count or k < 3.
    """
    checked_k(k)
    values: dict[tuple[Row, Col], int] = {}
    for row in rows:
        for column in columns:
            value = counts.get((row, column), 0)
            if value < 0:
                raise ValueError(f"negative count at {(row, column)!r}")
            values[(row, column)] = value
    withheld = {cell for cell, value in values.items() if not publishable(value, k)}
    cells = {cell: (None if cell in withheld else value) for cell, value in values.items()}

    def margin(members: list[tuple[Row, Col]]) -> int | None:
        # A total is withheld if any cell it adds up is withheld (complementary
        # suppression of the margin), or if it is itself a small group.
        if any(cell in withheld for cell in members):
            return None
        total = sum(values[cell] for cell in members)
        return total if publishable(total, k) else None

    row_totals = {row: margin([(row, column) for column in columns]) for row in rows}
    column_totals = {column: margin([(row, column) for row in rows]) for column in columns}
    return SuppressedTable(
        rows=tuple(rows),
        columns=tuple(columns),
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=margin(list(values)),
        k=k,
    )


@dataclass(frozen=True)
class SuppressedCounts[Key: Hashable]:
    counts: dict[Key, int | None]
    total: int | None
    k: int


def suppress_counts[Key: Hashable](
    counts: Mapping[Key, int], *, k: int, publish_total: bool = True
) -> SuppressedCounts[Key]:
    """The k rule for a single list of counts and (optionally) its total.

    The total is withheld whenever any count is: a total minus the published counts
    would otherwise give the withheld ones away.
    """
    table = suppress_table(
        {(key, None): value for key, value in counts.items()},
        rows=list(counts),
        columns=[None],
        k=k,
    )
    return SuppressedCounts(
        counts={key: table.cells[(key, None)] for key in counts},
        total=table.total if publish_total else None,
        k=k,
    )


def stable_figure(
    *, published: int | None, basis: int | None, current: int, k: int
) -> tuple[int | None, int | None]:
    """Differencing over time (PRIVACY.md 13): what to publish for a group now.

    `published` is the figure shown last time and `basis` the true count it was
    computed from; `current` is the true count today. Once a figure has been shown
    — a 0 included — it changes only after the true count has moved by at least k:
    otherwise comparing today's page with yesterday's would reveal a group of fewer
    than k (one new answer, say, turning a 0 into a withheld cell). Until then the
    old figure is shown again, knowingly a little stale. Return (figure, basis).
    """
    checked_k(k)
    if basis is not None and abs(current - basis) < k:
        return published, basis
    return current, current
