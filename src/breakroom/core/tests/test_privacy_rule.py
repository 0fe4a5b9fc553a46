"""The k rule: table-driven cases, an exhaustive search of small tables, properties."""

import itertools
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakroom.core.privacy import (
    SuppressedTable,
    checked_k,
    publishable,
    stable_figure,
    suppress_counts,
    suppress_table,
)


def test_k_is_never_below_three() -> None:
    assert checked_k(3) == 3
    with pytest.raises(ValueError, match="at least 3"):
        checked_k(2)


def test_a_small_cell_is_withheld_with_every_total_it_adds_to() -> None:
    counts = {("pay", "Oct"): 7, ("pay", "Nov"): 2, ("safety", "Oct"): 0, ("safety", "Nov"): 9}

    table = suppress_table(counts, rows=["pay", "safety"], columns=["Oct", "Nov"], k=5)

    assert table.cells == {
        ("pay", "Oct"): 7,
        ("pay", "Nov"): None,
        ("safety", "Oct"): 0,
        ("safety", "Nov"): 9,
    }
    assert table.row_totals == {"pay": None, "safety": 9}
    assert table.column_totals == {"Oct": 7, "Nov": None}
    assert table.total is None


def test_a_table_with_no_small_cell_is_published_whole() -> None:
    counts = {("a", 1): 5, ("a", 2): 0, ("b", 1): 12, ("b", 2): 6}

    table = suppress_table(counts, rows=["a", "b"], columns=[1, 2], k=5)

    assert table.is_complete
    assert table.row_totals == {"a": 5, "b": 18}
    assert table.column_totals == {1: 17, 2: 6}
    assert table.total == 23


def test_a_small_total_of_published_cells_is_withheld() -> None:
    table = suppress_table({("a", 1): 0, ("a", 2): 0}, rows=["a"], columns=[1, 2], k=3)

    assert table.row_totals == {"a": 0}
    assert table.total == 0


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress_table({("a", 1): -1}, rows=["a"], columns=[1], k=5)


def test_a_list_of_counts_withholds_its_total_when_any_count_is_withheld() -> None:
    published = suppress_counts({"pay": 8, "breaks": 1, "other": 0}, k=5)
    whole = suppress_counts({"pay": 8, "breaks": 6}, k=5)

    assert published.counts == {"pay": 8, "breaks": None, "other": 0}
    assert published.total is None
    assert whole.total == 14


def test_a_figure_moves_only_after_k_new_contributions() -> None:
    figure, basis = stable_figure(published=None, basis=None, current=12, k=5)
    after_four = stable_figure(published=figure, basis=basis, current=16, k=5)
    after_five = stable_figure(published=figure, basis=basis, current=17, k=5)

    assert (figure, basis) == (12, 12)
    assert after_four == (12, 12)
    assert after_five == (17, 17)


def test_a_shown_zero_holds_until_k_new_contributions() -> None:
    # Turning 0 into "withheld" after one answer would tell a watcher that answer.
    after_two = stable_figure(published=0, basis=0, current=2, k=5)
    after_five = stable_figure(published=0, basis=0, current=5, k=5)

    assert after_two == (0, 0)
    assert after_five == (5, 5)


def published_view(table: SuppressedTable[int, int]) -> tuple[object, ...]:
    return (
        tuple(sorted(table.cells.items())),
        tuple(sorted(table.row_totals.items())),
        tuple(sorted(table.column_totals.items())),
        table.total,
    )


def assert_nothing_withheld_is_determined(shape: tuple[int, int], largest: int, k: int) -> None:
    """Every table with counts 0..largest, grouped by what it publishes.

    Within a group an observer cannot tell the tables apart; a withheld number is
    safe if it takes at least two values within its group. Bounding counts by
    `largest` only gives the observer more knowledge than they have, so passing
    here is the stronger result.
    """
    rows, columns = range(shape[0]), range(shape[1])
    cells = list(itertools.product(rows, columns))
    groups: dict[tuple[object, ...], list[dict[tuple[int, int], int]]] = defaultdict(list)
    shown: dict[tuple[object, ...], SuppressedTable[int, int]] = {}
    for values in itertools.product(range(largest + 1), repeat=len(cells)):
        counts = dict(zip(cells, values, strict=True))
        table = suppress_table(counts, rows=rows, columns=columns, k=k)
        assert all(value is None or publishable(value, k) for value in table.cells.values())
        view = published_view(table)
        groups[view].append(counts)
        shown[view] = table
    for view, tables in groups.items():
        table = shown[view]
        for cell, published in table.cells.items():
            if published is None:
                assert len({counts[cell] for counts in tables}) >= 2, (view, cell)
        withheld_totals = [(0, key) for key, value in table.row_totals.items() if value is None]
        withheld_totals += [(1, key) for key, value in table.column_totals.items() if value is None]
        for index, key in withheld_totals:
            sums = {
                sum(value for cell, value in counts.items() if cell[index] == key)
                for counts in tables
            }
            # A withheld total is either a small group (then it must stay uncertain)
            # or a margin of a withheld cell (then it must not pin that cell down,
            # which the cell check above already shows).
            if all(0 < total < k for total in sums):
                assert len(sums) >= 2, (view, index, key)


@pytest.mark.parametrize("k", [3, 5])
@pytest.mark.parametrize("shape", [(1, 3), (2, 2), (2, 3)])
def test_exhaustively_no_withheld_number_can_be_worked_out(shape: tuple[int, int], k: int) -> None:
    assert_nothing_withheld_is_determined(shape, largest=6, k=k)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    shape=st.tuples(st.integers(1, 5), st.integers(1, 6)),
    k=st.integers(3, 10),
)
def test_no_published_equation_involves_a_withheld_cell(
    data: st.DataObject, shape: tuple[int, int], k: int
) -> None:
    rows, columns = list(range(shape[0])), list(range(shape[1]))
    counts = {(row, column): data.draw(st.integers(0, 50)) for row in rows for column in columns}

    table = suppress_table(counts, rows=rows, columns=columns, k=k)

    for (row, column), value in table.cells.items():
        if value is None:
            assert 0 < counts[(row, column)] < k
            assert table.row_totals[row] is None
            assert table.column_totals[column] is None
            assert table.total is None
        else:
            assert value == counts[(row, column)]
            assert publishable(value, k)
    for total in [*table.row_totals.values(), *table.column_totals.values(), table.total]:
        assert total is None or publishable(total, k)
