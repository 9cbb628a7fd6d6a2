"""Quarters and years, with Swedish calendar days as boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hansyn.errors import InvalidInput
from hansyn.tenants.statistics.periods import Period


@pytest.mark.parametrize(("text", "period"), [
    ("2026Q3", Period(2026, 3)), ("2026q1", Period(2026, 1)), (" 2025 ", Period(2025)),
])
def test_parse(text, period):
    assert Period.parse(text) == period


@pytest.mark.parametrize("text", ["", "2026Q5", "26Q1", "2026-Q1", "1999Q1", "abc"])
def test_parse_refuses(text):
    with pytest.raises(InvalidInput):
        Period.parse(text)


def test_a_quarter_starts_at_swedish_midnight():
    assert Period(2026, 2).start_utc() == datetime(2026, 3, 31, 22, tzinfo=UTC)  # summer time
    assert Period(2026, 1).start_utc() == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert Period(2026, 4).end_day == date(2027, 1, 1)
    assert Period(2026).quarters() == [Period(2026, q) for q in range(1, 5)]


def test_last_complete_and_trailing():
    assert Period.last_complete(date(2026, 1, 15)) == Period(2025, 4)
    assert Period(2026, 2).trailing(3) == [Period(2025, 4), Period(2026, 1), Period(2026, 2)]
    assert Period(2026).trailing(2) == [Period(2025), Period(2026)]
