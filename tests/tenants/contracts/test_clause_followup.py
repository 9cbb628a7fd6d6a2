"""The follow-up arithmetic of an employment requirement (pure functions, property-based)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansyn.tenants.contracts.followup import (
    Placement,
    add_months,
    clause_fulfilment,
    months_between,
    placement_credit,
    required_full_time_months,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))
months = st.integers(min_value=0, max_value=240)
amounts = st.fractions(min_value=0, max_value=60, max_denominator=100)
shares = st.integers(min_value=0, max_value=100)
placements = st.builds(Placement, amounts, amounts, st.booleans())


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    assert add_months(date(2025, 3, 1), -3) == date(2024, 12, 1)


@given(days, months)
def test_months_between_inverts_add_months(day, n):
    assert months_between(day, add_months(day, n)) == n


@given(days, days)
def test_months_between_is_monotonic_and_never_negative(a, b):
    start, end = min(a, b), max(a, b)
    assert months_between(start, end) >= 0
    assert months_between(end, start) == 0
    assert months_between(start, end) <= months_between(start, add_months(end, 1))


def test_required_months_given_directly_or_as_persons_times_months():
    assert required_full_time_months(36, None, None) == 36
    assert required_full_time_months(None, 3, 12) == 36
    assert required_full_time_months(None, 3, None) == 0
    assert required_full_time_months(None, None, None) == 0


def test_an_early_end_counts_as_fulfilled_from_the_share_on():
    assert placement_credit(Placement(12, 9, ended_early=True), 75) == 12
    short = Fraction(899, 100)
    assert placement_credit(Placement(12, short, ended_early=True), 75) == short
    # Not ended early: only what was served so far.
    assert placement_credit(Placement(12, 9), 75) == 9
    assert placement_credit(Placement(12, 15), 75) == 12


def test_three_persons_times_twelve_months():
    result = clause_fulfilment(36, [Placement(12, 12), Placement(12, 9, True), Placement(12, 6)])
    assert (result.delivered, result.share, result.fulfilled) == (30, Fraction(30, 36), False)
    done = clause_fulfilment(36, [Placement(12, 12), Placement(12, 9, True), Placement(12, 12)])
    assert done.fulfilled
    assert done.share == 1


def test_nothing_required_is_fulfilled():
    assert clause_fulfilment(0, []).fulfilled


def test_share_outside_percent_is_refused():
    with pytest.raises(ValueError, match="percentage"):
        clause_fulfilment(10, [], early_end_share=101)


@given(placements, shares)
def test_credit_is_between_zero_and_the_agreed_months(placement, share):
    credit = placement_credit(placement, share)
    assert 0 <= credit <= max(Fraction(placement.agreed_months), 0)
    if not placement.ended_early:
        assert credit == min(Fraction(placement.served_months), Fraction(placement.agreed_months))


@given(placements, shares)
def test_early_end_credit_is_all_or_what_was_served(placement, share):
    ended = Placement(placement.agreed_months, placement.served_months, ended_early=True)
    credit = placement_credit(ended, share)
    reached = ended.served_months * 100 >= ended.agreed_months * share and ended.served_months > 0
    expected = Fraction(ended.agreed_months) if reached else min(
        Fraction(ended.served_months), Fraction(ended.agreed_months)
    )
    assert credit == (expected if ended.agreed_months > 0 else 0)


@given(st.lists(placements, max_size=8), amounts, shares)
def test_fulfilment_is_the_sum_of_credits(items, required, share):
    result = clause_fulfilment(required, items, share)
    assert result.delivered == sum(placement_credit(p, share) for p in items)
    assert result.fulfilled == (result.delivered >= required)
    if required > 0:
        assert result.share == result.delivered / required


@given(st.lists(placements, max_size=8), amounts, shares, placements)
def test_another_placement_never_lowers_the_delivered_months(items, required, share, extra):
    before = clause_fulfilment(required, items, share)
    after = clause_fulfilment(required, [*items, extra], share)
    assert after.delivered >= before.delivered
    assert after.fulfilled or not before.fulfilled


@given(amounts, shares, shares)
def test_a_lower_share_never_credits_less(agreed, low, high):
    low, high = min(low, high), max(low, high)
    served = agreed * Fraction(low, 100)
    early = Placement(agreed, served, ended_early=True)
    assert placement_credit(early, low) >= placement_credit(early, high)
