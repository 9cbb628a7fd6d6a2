"""The arithmetic of following up an employment requirement: pure functions, no database.

A clause requires a number of full-time months of employment. Each placement (an employment of a
person from a target group) delivers the months it was served, at most the months agreed for it.
Following Upphandlingsmyndigheten's model, an employment that ends early through no fault of the
supplier counts as fully delivered once a share of the agreed time (by default 75 %) was served.
Exact fractions are used inside so that a boundary such as "9 of 12 months at 75 %" never falls
on the wrong side through rounding.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

Months = int | float | Fraction


def add_months(day: date, months: int) -> date:
    """The same day `months` later, moved back to the month's last day when it has none
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(start: date, end: date) -> Fraction:
    """Calendar months from `start` to `end` (0 if `end` is not after `start`): whole months
    counted with `add_months`, the rest as a fraction of the following month's length."""
    if end <= start:
        return Fraction(0)
    whole = (end.year - start.year) * 12 + end.month - start.month
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    anchor = add_months(start, whole)
    step = (add_months(start, whole + 1) - anchor).days
    return whole + Fraction((end - anchor).days, step)


def required_full_time_months(
    full_time_months: int | None, persons: int | None, months_per_person: int | None
) -> int:
    """The total the follow-up counts against: given directly, or as persons × months each.

    When both are given the direct figure wins (the form refuses them when they differ); a
    clause with neither (a dialogue requirement) requires 0 months.
    """
    if full_time_months is not None:
        return full_time_months
    if persons is not None and months_per_person is not None:
        return persons * months_per_person
    return 0


@dataclass(frozen=True)
class Placement:
    """One employment as the follow-up sees it, in full-time months."""

    agreed_months: Months
    served_months: Months
    ended_early: bool = False


@dataclass(frozen=True)
class Fulfilment:
    delivered: Fraction  # full-time months credited to the supplier
    share: Fraction  # delivered / required (1 when nothing is required)
    fulfilled: bool


def placement_credit(placement: Placement, early_end_share: int = 75) -> Fraction:
    """Months one placement delivers: what was served, at most what was agreed; an early end
    after at least `early_end_share` percent of the agreed time counts as the whole."""
    agreed, served = Fraction(placement.agreed_months), Fraction(placement.served_months)
    if agreed <= 0 or served <= 0:
        return Fraction(0)
    if placement.ended_early and served * 100 >= agreed * early_end_share:
        return agreed
    return min(served, agreed)


def clause_fulfilment(
    required_months: Months, placements: Iterable[Placement], early_end_share: int = 75
) -> Fulfilment:
    """How far the placements go towards the required full-time months."""
    if not 0 <= early_end_share <= 100:
        raise ValueError("early_end_share is a percentage between 0 and 100")
    required = Fraction(required_months)
    delivered = sum((placement_credit(p, early_end_share) for p in placements), Fraction(0))
    share = delivered / required if required > 0 else Fraction(1)
    return Fulfilment(delivered, share, delivered >= required)
