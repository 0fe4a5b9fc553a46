"""publish_table: the k rule applied over time (PRIVACY.md 13)."""

from breakroom.core.figures import publish_table


def publish(count: int, basis: dict[str, int]) -> tuple[int | None, dict[str, int]]:
    table, new_basis = publish_table(
        {("a", "x"): count, ("b", "x"): 20},
        rows=["a", "b"],
        columns=["x"],
        k=5,
        previous_basis=basis,
    )
    return table["cells"]["a|x"], new_basis


def test_a_cell_appears_at_k_then_moves_only_after_k_more() -> None:
    shown: list[int | None] = []
    basis: dict[str, int] = {}
    for count in (4, 5, 9, 10):
        figure, basis = publish(count, basis)
        shown.append(figure)

    assert shown == [None, 5, 5, 10]


def test_the_basis_is_never_part_of_the_published_table() -> None:
    table, basis = publish_table({("a", "x"): 7}, rows=["a"], columns=["x"], k=5, previous_basis={})

    assert basis == {"a|x": 7}
    assert "basis" not in table
    assert table["total"] == 7
