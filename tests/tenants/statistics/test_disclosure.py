"""Suppression on tables small enough to check by hand."""

from __future__ import annotations

import pytest

from hansyn.tenants.statistics.disclosure import (
    DEFAULT_K,
    MIN_K,
    CannotProtect,
    Earlier,
    one_way,
    single,
    suppress,
    two_breakdowns,
    two_way,
)


def published(cells, k=DEFAULT_K, earlier=()):
    return suppress(cells, k, earlier).apply(cells)


def truth(cells):
    return {c.key: c.value for c in cells}


def test_a_small_count_is_hidden_with_the_next_smallest_of_its_row():
    cells = one_way("reg", {"a": 3, "b": 12, "c": 7, "d": 0})
    shown = published(cells)
    assert shown == {"reg/a": None, "reg/b": 12, "reg/c": None, "reg/d": 0, "reg/*": 22}


def test_the_total_is_hidden_only_when_no_cell_can_protect():
    shown = published(one_way("reg", {"a": 3, "b": 0}))
    assert shown == {"reg/a": None, "reg/b": 0, "reg/*": None}


def test_a_threshold_below_three_is_refused():
    with pytest.raises(ValueError, match="at least 3"):
        suppress(one_way("reg", {"a": 1}), MIN_K - 1)


def test_figures_that_do_not_add_up_are_refused():
    cells = one_way("reg", {"a": 3, "b": 4})
    broken = [*cells[:-1], cells[-1].__class__(**{**cells[-1].__dict__, "value": 8})]
    with pytest.raises(ValueError, match="add up"):
        suppress(broken, 5)


def test_a_lone_count_below_k_is_hidden_and_needs_no_partner():
    assert published(single("ongoing", 2)) == {"ongoing": None}
    assert published(single("ongoing", 9)) == {"ongoing": 9}


def test_a_cell_between_two_protected_blocks_is_not_left_as_a_bridge():
    """Two hidden cells in every row and column is not enough: a hidden cell joining two closed
    blocks is what the margins of one block leave over (r1 + r2 - c1 - c2)."""
    block = {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2"),
             ("r3", "c3"), ("r3", "c4"), ("r4", "c3"), ("r4", "c4")}
    values = dict.fromkeys(block | {("r2", "c3")}, 2)
    cells = two_way("t", ["r1", "r2", "r3", "r4"], ["c1", "c2", "c3", "c4"], values)
    shown = published(cells, k=3)
    assert all(shown[f"t/{r}/{c}"] is None for r, c in values)
    bridge_free = [shown[key] is None for key in ("t/r1/*", "t/r2/*", "t/*/c1", "t/*/c2")]
    assert any(bridge_free), "a margin around the bridge must be hidden too"


def test_two_ones_in_a_row_are_not_protected_by_each_other_alone():
    """Hidden counts are at least 1, so 1 + 1 = 2 would pin both."""
    cells = one_way("t", {"a": 1, "b": 1, "c": 10})
    shown = published(cells)
    assert shown["t/c"] is None or shown["t/*"] is None


def test_two_breakdowns_share_their_total():
    cells = two_breakdowns("p", ("form", {"permanent": 8, "temporary": 2}),
                           ("sector", {"cleaning": 6, "meals": 4}))
    shown = published(cells)
    assert shown["p/form/temporary"] is None
    assert shown["p/form/permanent"] is None
    assert shown["p/sector/meals"] is None
    assert shown["p/*"] == 10


def test_a_new_version_keeps_hidden_what_was_hidden():
    first_cells = one_way("reg", {"a": 3, "b": 12, "c": 7})
    first = published(first_cells)
    second_cells = one_way("reg", {"a": 6, "b": 12, "c": 7})
    second = published(second_cells, earlier=[Earlier.from_published(first, truth(first_cells))])
    assert second["reg/a"] is None
    assert second["reg/c"] is None


def test_a_value_that_moved_by_less_than_k_is_hidden_in_the_new_version():
    """15 shown, then 17: the difference shows two people joined that group."""
    first_cells = one_way("reg", {"a": 15, "b": 12, "c": 9})
    first = published(first_cells)
    assert None not in first.values()
    second_cells = one_way("reg", {"a": 17, "b": 12, "c": 9})
    second = published(second_cells, earlier=[Earlier.from_published(first, truth(first_cells))])
    assert second["reg/a"] is None
    # b and c still show what they showed, so the total must go too, or a = total - 21.
    assert second["reg/*"] is None


def test_the_difference_of_two_versions_does_not_give_a_hidden_cell_away():
    first_cells = one_way("t", {"p0": 0, "p1": 1, "p2": 0, "p3": 0, "p4": 2})
    first = published(first_cells, k=3)
    second_cells = one_way("t", {"p0": 0, "p1": 1, "p2": 1, "p3": 3, "p4": 2})
    second = published(second_cells, k=3,
                       earlier=[Earlier.from_published(first, truth(first_cells))])
    # p1 and p4 did not change, so their sum is known from the first version (3); showing
    # p3 = 3 and the total 7 would give p2 = 7 - 3 - 3 = 1.
    assert second["t/p2"] is None
    assert second["t/p3"] is None or second["t/*"] is None


def test_a_version_that_cannot_be_protected_is_refused():
    """p1 + p2 = 4 is known from the first version; if both stay as they were and the rest
    becomes 0, the new total is that 4 whatever is hidden."""
    first_cells = one_way("t", {"p0": 0, "p1": 3, "p2": 1, "p3": 7})
    first = published(first_cells)
    second_cells = one_way("t", {"p0": 0, "p1": 3, "p2": 1, "p3": 0})
    with pytest.raises(CannotProtect):
        published(second_cells, earlier=[Earlier.from_published(first, truth(first_cells))])
