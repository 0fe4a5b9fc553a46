"""Publishing a table of counts: stable over time, then through the k rule.

Features build their true counts; this turns them into what may be published and
the basis to remember for next time. It never publishes the basis.
"""

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from .privacy import stable_figure, suppress_table


def cell_name(row: Hashable, column: Hashable) -> str:
    return f"{row}|{column}"


def publish_table(
    true_counts: Mapping[tuple[str, str], int],
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    k: int,
    previous_basis: Mapping[str, int],
) -> tuple[dict[str, Any], dict[str, int]]:
    """Return (the published table as JSON-ready data, the new basis).

    Each published cell's figure moves only once its true count has moved by k or
    more since it was last published (PRIVACY.md 13); then cells, totals and the
    grand total go through `suppress_table` (PRIVACY.md 11 and 12). `None` means
    withheld. A withheld cell keeps no basis, so it is shown once it reaches k.
    """
    stable: dict[tuple[str, str], int] = {}
    basis: dict[str, int] = {}
    for row in rows:
        for column in columns:
            name = cell_name(row, column)
            figure, cell_basis = stable_figure(
                published=previous_basis.get(name),
                basis=previous_basis.get(name),
                current=true_counts.get((row, column), 0),
                k=k,
            )
            stable[(row, column)] = figure or 0
            basis[name] = cell_basis or 0
    table = suppress_table(stable, rows=rows, columns=columns, k=k)
    # Only a figure that was actually shown is held still: a withheld cell (1 to
    # k - 1) may appear as soon as it reaches k, which reveals nothing new.
    for (row, column), value in table.cells.items():
        if value is None:
            del basis[cell_name(row, column)]
    document = {
        "k": k,
        "rows": list(rows),
        "columns": list(columns),
        "cells": {
            cell_name(row, column): table.cells[(row, column)] for row in rows for column in columns
        },
        "row_totals": dict(table.row_totals),
        "column_totals": dict(table.column_totals),
        "total": table.total,
    }
    return document, basis
