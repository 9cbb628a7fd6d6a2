"""The follow-up arithmetic of criterion 11554 (pure functions): tables for every rule, and
properties that hold for any employments."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansyn.tenants.contracts.followup import (
    ClauseStatus,
    ClauseTerms,
    Employment,
    EndReason,
    FirstHire,
    Leave,
    Why,
    add_months,
    clause_status,
    credit,
    credit_between,
    first_hire_on,
    first_hire_status,
    follow_up,
    months_between,
    months_of,
    reached_on,
    required_full_time_months,
    total_credit,
    worked_months,
)

F = Fraction
FULL = F(1)
START, END = date(2026, 1, 1), date(2028, 12, 31)
TERMS = ClauseTerms(36, START, END, first_hire_deadline=date(2026, 7, 1))
#: A twelve-month fixed-term employment from 1 February 2026 (last day 31 January 2027).
HIRED, PLANNED_END = date(2026, 2, 1), date(2027, 1, 31)
LATER = date(2030, 1, 1)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))
months = st.integers(min_value=0, max_value=240)


def employment(**values: object) -> Employment:
    fields: dict[str, object] = {"start": HIRED, "planned_end": PLANNED_END, "extent": FULL}
    fields.update(values)
    return Employment(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- calendar months


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


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), F(12)),
        (date(2026, 2, 1), date(2027, 1, 31), F(12)),
        (date(2026, 3, 1), date(2026, 3, 31), F(1)),
        (date(2026, 3, 1), date(2026, 3, 1), F(1, 31)),
        (date(2026, 3, 2), date(2026, 3, 1), F(0)),
    ],
)
def test_inclusive_days_in_calendar_months(first, last, expected):
    assert months_of(first, last) == expected


def test_required_months_given_directly_or_as_persons_times_months():
    assert required_full_time_months(36, None, None) == 36
    assert required_full_time_months(None, 3, 12) == 36
    assert required_full_time_months(None, 3, None) == 0
    assert required_full_time_months(None, None, None) == 0


def test_a_share_outside_percent_is_refused():
    with pytest.raises(ValueError, match="percentage"):
        ClauseTerms(10, START, END, START, early_end_share=101)


# ---------------------------------------------------------------- the early-end rule

NINE_MONTHS = date(2026, 10, 31)  # 9 of the 12 agreed months worked: exactly 75 %
JUST_SHORT = date(2026, 10, 30)  # 8 months and 30 of October's 31 days


@pytest.mark.parametrize(
    ("reason", "ended_on", "share", "expected"),
    [
        # the employee ended it, or the employer had grounds: 75 % served counts as the whole
        (EndReason.RESIGNED, NINE_MONTHS, 75, F(12)),
        (EndReason.OTHER_EMPLOYER, NINE_MONTHS, 75, F(12)),
        (EndReason.OBJECTIVE_GROUNDS, NINE_MONTHS, 75, F(12)),
        (EndReason.SUMMARY_DISMISSAL, NINE_MONTHS, 75, F(12)),
        # one day short of the share: only what was worked
        (EndReason.RESIGNED, JUST_SHORT, 75, 8 + F(30, 31)),
        (EndReason.OBJECTIVE_GROUNDS, JUST_SHORT, 75, 8 + F(30, 31)),
        (EndReason.SUMMARY_DISMISSAL, JUST_SHORT, 75, 8 + F(30, 31)),
        (EndReason.OTHER_EMPLOYER, JUST_SHORT, 75, 8 + F(30, 31)),
        # the employer ended it otherwise: never more than was worked
        (EndReason.EMPLOYER_OTHER, NINE_MONTHS, 75, F(9)),
        (EndReason.EMPLOYER_OTHER, date(2027, 1, 30), 75, 11 + F(30, 31)),
        # "ran out" before the planned end is not an early end the criterion forgives
        (EndReason.EXPIRED, NINE_MONTHS, 75, F(9)),
        # ending on the planned end is no early end: the whole time was worked
        (EndReason.EXPIRED, PLANNED_END, 75, F(12)),
        (EndReason.RESIGNED, PLANNED_END, 75, F(12)),
        (EndReason.EMPLOYER_OTHER, PLANNED_END, 75, F(12)),
        # the contract's own share
        (EndReason.RESIGNED, NINE_MONTHS, 76, F(9)),
        (EndReason.RESIGNED, date(2026, 12, 31), 100, F(11)),
        (EndReason.RESIGNED, date(2026, 2, 1), 0, F(12)),
        (EndReason.RESIGNED, date(2026, 7, 31), 50, F(12)),
        (EndReason.RESIGNED, date(2026, 7, 30), 50, 5 + F(30, 31)),
    ],
)
def test_early_end_rule(reason, ended_on, share, expected):
    terms = ClauseTerms(36, START, END, date(2026, 7, 1), early_end_share=share)
    ended = employment(ended_on=ended_on, end_reason=reason)
    assert credit(terms, ended, LATER) == expected


@pytest.mark.parametrize(
    ("values", "terms", "expected"),
    [
        # part time: the whole agreed time at its extent
        ({"extent": F(1, 2)}, TERMS, F(6)),
        ({"extent": F(30, 40)}, TERMS, F(9)),
        # a month's leave neither helps nor hurts: 9 of 11 worked months is over 75 % …
        (
            {
                "leaves": (Leave(date(2026, 5, 1), date(2026, 5, 31)),),
                "ended_on": date(2026, 11, 30),
            },
            TERMS,
            F(11),
        ),
        # … 8 of 11 is under it
        (
            {"leaves": (Leave(date(2026, 5, 1), date(2026, 5, 31)),), "ended_on": NINE_MONTHS},
            TERMS,
            F(8),
        ),
        # three months' leave: 6 of 9 worked months is under 75 %
        (
            {"leaves": (Leave(date(2026, 5, 1), date(2026, 7, 31)),), "ended_on": NINE_MONTHS},
            TERMS,
            F(6),
        ),
        # until further notice: the clause's months per person is the agreed time
        (
            {"planned_end": None},
            ClauseTerms(36, START, END, date(2026, 7, 1), months_per_person=12),
            F(12),
        ),
        (
            {"planned_end": None, "ended_on": date(2026, 8, 31)},
            ClauseTerms(36, START, END, date(2026, 7, 1), months_per_person=12),
            F(7),
        ),
        # … and without one it has no agreed length, so only the worked months count
        ({"planned_end": None}, TERMS, F(9)),
        # the agreed time counts only up to the contract's end
        ({}, ClauseTerms(36, START, date(2026, 12, 31), date(2026, 7, 1)), F(11)),
    ],
)
def test_early_end_with_extent_leave_and_agreed_time(values, terms, expected):
    fields = {"ended_on": NINE_MONTHS, "end_reason": EndReason.RESIGNED, **values}
    assert credit(terms, employment(**fields), LATER) == expected


def test_an_early_end_counts_from_its_last_day_not_from_the_notice():
    resigned = employment(ended_on=NINE_MONTHS, end_reason=EndReason.RESIGNED)
    assert credit(TERMS, resigned, date(2026, 10, 30)) == 8 + F(30, 31)
    assert credit(TERMS, resigned, NINE_MONTHS) == 12


# ---------------------------------------------------------------- part time and suspensions


@pytest.mark.parametrize(
    ("employments", "expected"),
    [
        # two parallel half-time placements of one person make one full-time year
        ([employment(extent=F(1, 2)), employment(extent=F(1, 2))], F(12)),
        # 30 of 40 hours a week
        ([employment(extent=F(30, 40))], F(9)),
        # 75 % for four months and full time for two
        (
            [
                employment(extent=F(3, 4), planned_end=date(2026, 5, 31)),
                employment(start=date(2026, 6, 1), planned_end=date(2026, 7, 31)),
            ],
            F(5),
        ),
        # a day at 20 %
        ([employment(extent=F(1, 5), planned_end=HIRED)], F(1, 5) * F(1, 28)),
        ([], F(0)),
    ],
)
def test_part_time_is_summed_to_full_time_months(employments, expected):
    assert total_credit(TERMS, employments, LATER) == expected


@pytest.mark.parametrize(
    ("leaves", "expected"),
    [
        ((), F(12)),
        ((Leave(date(2026, 3, 1), date(2026, 3, 31)),), F(11)),
        # leave at the very start and the very end
        ((Leave(HIRED, date(2026, 2, 28)), Leave(date(2027, 1, 1), PLANNED_END)), F(10)),
        # overlapping leaves count once
        (
            (
                Leave(date(2026, 3, 1), date(2026, 4, 30)),
                Leave(date(2026, 4, 1), date(2026, 5, 31)),
            ),
            F(9),
        ),
        # leave outside the employment changes nothing
        ((Leave(date(2025, 1, 1), date(2026, 1, 31)), Leave(date(2027, 2, 1), LATER)), F(12)),
        # leave for the whole employment leaves nothing
        ((Leave(date(2026, 1, 1), date(2027, 12, 31)),), F(0)),
        # a single day
        ((Leave(date(2026, 3, 10), date(2026, 3, 10)),), 11 + F(30, 31)),
    ],
)
def test_suspensions_do_not_count(leaves, expected):
    assert credit(TERMS, employment(leaves=leaves), LATER) == expected
    assert worked_months(HIRED, PLANNED_END, leaves) == expected


@pytest.mark.parametrize(
    ("values", "day", "expected"),
    [
        # worked so far, today included
        ({}, date(2026, 2, 28), F(1)),
        ({}, date(2026, 1, 31), F(0)),
        # never past the planned end (a longer employment must move it)
        ({}, date(2027, 6, 30), F(12)),
        # never before the contract's start or after its end
        ({"start": date(2025, 12, 1)}, date(2026, 1, 31), F(1)),
        ({"planned_end": None}, date(2029, 6, 30), 35 + F(0)),
        # an employment for a target group the clause does not name counts nothing
        ({"target_group": 7}, LATER, F(0)),
    ],
)
def test_what_counts_by_a_day(values, day, expected):
    terms = ClauseTerms(36, START, END, date(2026, 7, 1), target_groups=frozenset({3}))
    fields = {"target_group": 3, **values}
    assert credit(terms, employment(**fields), day) == expected


def test_a_clause_naming_no_target_group_counts_every_group():
    assert credit(TERMS, employment(target_group=7), LATER) == 12
    assert credit(TERMS, employment(target_group=None), LATER) == 12


def test_credit_within_a_quarter():
    worked = [employment(), employment(extent=F(1, 2), start=date(2026, 3, 1))]
    assert credit_between(TERMS, worked, date(2026, 1, 1), date(2026, 3, 31)) == 2 + F(1, 2)
    assert credit_between(TERMS, worked, date(2026, 4, 1), date(2026, 6, 30)) == 3 + F(3, 2)
    ended = [employment(ended_on=NINE_MONTHS, end_reason=EndReason.RESIGNED)]
    # the early end credits its whole agreed time in the quarter it ends
    assert credit_between(TERMS, ended, date(2026, 10, 1), date(2026, 12, 31)) == 4


# ---------------------------------------------------------------- the first-hire rule

DEADLINE = date(2026, 7, 1)


def hire(start: date, offered_on: date | None = None, group: int = 3) -> Employment:
    return employment(start=start, offered_on=offered_on, target_group=group)


@pytest.mark.parametrize(
    ("employments", "today", "expected"),
    [
        ([], date(2026, 3, 1), FirstHire.PENDING),
        ([], DEADLINE - timedelta(days=61), FirstHire.PENDING),
        ([], DEADLINE - timedelta(days=60), FirstHire.NEAR),
        ([], DEADLINE, FirstHire.NEAR),
        ([], DEADLINE + timedelta(days=1), FirstHire.MISSED),
        # started by the deadline
        ([hire(date(2026, 6, 1))], date(2026, 6, 2), FirstHire.MET),
        ([hire(DEADLINE)], DEADLINE, FirstHire.MET),
        ([hire(DEADLINE)], date(2027, 1, 1), FirstHire.MET),
        # offered by the deadline, starting after it
        ([hire(date(2026, 8, 1), date(2026, 6, 20))], date(2026, 6, 20), FirstHire.MET),
        # recorded today for a start next month, the deadline in ten days
        ([hire(date(2026, 7, 15), date(2026, 6, 21))], date(2026, 6, 21), FirstHire.MET),
        # started and offered after the deadline
        ([hire(date(2026, 8, 1), date(2026, 7, 2))], date(2026, 8, 2), FirstHire.MISSED),
        # a start ahead without an offer date is not yet "started"
        ([hire(date(2026, 6, 30))], date(2026, 6, 1), FirstHire.NEAR),
        # an employment for another target group does not count
        ([hire(date(2026, 3, 1), group=9)], date(2026, 8, 1), FirstHire.MISSED),
    ],
)
def test_first_hire_rule(employments, today, expected):
    terms = ClauseTerms(36, START, END, DEADLINE, target_groups=frozenset({3}))
    assert first_hire_status(terms, first_hire_on(terms, employments), today) == expected


# ---------------------------------------------------------------- the status


def year(start: date, **values: object) -> Employment:
    """A full-time year from `start`."""
    return employment(start=start, planned_end=add_months(start, 12) - timedelta(days=1), **values)


@pytest.mark.parametrize(
    ("employments", "today", "status", "why", "met_on"),
    [
        # nobody yet, the deadline far off: the planned months fall short
        ([], date(2026, 2, 1), ClauseStatus.AT_RISK, (Why.FORECAST_SHORT,), None),
        # nobody yet and the deadline near
        (
            [],
            date(2026, 6, 1),
            ClauseStatus.AT_RISK,
            (Why.FORECAST_SHORT, Why.DEADLINE_NEAR),
            None,
        ),
        # nobody by the deadline
        ([], date(2026, 7, 2), ClauseStatus.NOT_MET, (Why.FIRST_HIRE_MISSED,), None),
        # three years planned: on track, met when the last one ends
        (
            [year(date(2026, 2, 1)), year(date(2026, 3, 1)), year(date(2026, 4, 1))],
            date(2026, 5, 1),
            ClauseStatus.ON_TRACK,
            (Why.FORECAST_MEETS,),
            date(2027, 3, 31),
        ),
        # two years planned: at risk
        (
            [year(date(2026, 2, 1)), year(date(2026, 3, 1))],
            date(2026, 5, 1),
            ClauseStatus.AT_RISK,
            (Why.FORECAST_SHORT,),
            None,
        ),
        # delivered
        (
            [year(date(2026, 2, 1)), year(date(2026, 3, 1)), year(date(2026, 4, 1))],
            date(2027, 4, 1),
            ClauseStatus.MET,
            (Why.DELIVERED,),
            date(2027, 3, 31),
        ),
        # one ended early after ten months because the employee resigned: still met
        (
            [
                year(date(2026, 2, 1), ended_on=date(2026, 11, 30), end_reason=EndReason.RESIGNED),
                year(date(2026, 3, 1)),
                year(date(2026, 4, 1)),
            ],
            date(2027, 4, 1),
            ClauseStatus.MET,
            (Why.DELIVERED,),
            date(2027, 3, 31),
        ),
        # … but not when the employer ended it otherwise
        (
            [
                year(
                    date(2026, 2, 1),
                    ended_on=date(2026, 11, 30),
                    end_reason=EndReason.EMPLOYER_OTHER,
                ),
                year(date(2026, 3, 1)),
                year(date(2026, 4, 1)),
            ],
            date(2027, 4, 1),
            ClauseStatus.AT_RISK,
            (Why.FORECAST_SHORT,),
            None,
        ),
        # the contract ended short
        (
            [year(date(2026, 2, 1))],
            date(2029, 1, 1),
            ClauseStatus.NOT_MET,
            (Why.ENDED_SHORT,),
            None,
        ),
        # delivered, but the first hire came after the deadline
        (
            [
                year(date(2026, 8, 1), offered_on=date(2026, 7, 15)),
                year(date(2026, 8, 1)),
                year(date(2026, 8, 1)),
            ],
            date(2027, 9, 1),
            ClauseStatus.NOT_MET,
            (Why.FIRST_HIRE_MISSED,),
            date(2027, 7, 31),
        ),
    ],
)
def test_clause_status(employments, today, status, why, met_on):
    result = follow_up(TERMS, employments, today)
    assert (result.status, result.why, result.met_on) == (status, why, met_on)
    assert clause_status(TERMS, employments, today) == (status, why)
    assert result.remaining == max(result.required - result.delivered, 0)
    assert result.planned >= result.delivered


def test_follow_up_figures():
    worked = [
        year(date(2026, 2, 1)),
        year(date(2026, 2, 1), extent=F(1, 2)),
        year(date(2026, 3, 1), ended_on=date(2026, 4, 30), end_reason=EndReason.EMPLOYER_OTHER),
    ]
    result = follow_up(TERMS, worked, date(2026, 7, 31))
    assert (result.delivered, result.planned, result.remaining) == (F(11), F(20), F(25))
    assert result.first_hire_on == date(2026, 2, 1)
    assert [c.delivered for c in result.credits] == [F(6), F(3), F(2)]
    assert result.share == F(11, 36)


# ---------------------------------------------------------------- properties

extents = st.fractions(min_value=F(1, 100), max_value=1, max_denominator=100)
starts = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def employments_(draw: st.DrawFn) -> Employment:
    start = draw(starts)
    planned = draw(st.none() | st.integers(0, 900).map(lambda n: start + timedelta(days=n)))
    ended = draw(st.none() | st.integers(0, 900).map(lambda n: start + timedelta(days=n)))
    return Employment(
        start,
        planned,
        draw(extents),
        ended_on=ended,
        end_reason=draw(st.sampled_from(EndReason)) if ended else None,
        target_group=draw(st.sampled_from([1, 2])),
    )


terms_ = st.builds(
    ClauseTerms,
    st.integers(1, 60),
    st.just(START),
    st.just(END),
    st.just(date(2026, 7, 1)),
    st.integers(0, 100),
    st.sampled_from([frozenset(), frozenset({1})]),
    st.none() | st.integers(1, 24),
)


@given(terms_, employments_(), days, days)
def test_credit_never_falls_as_days_pass(terms, item, a, b):
    early, late = min(a, b), max(a, b)
    assert 0 <= credit(terms, item, early) <= credit(terms, item, late)


@given(terms_, employments_(), days)
def test_credit_is_at_most_the_contract_at_full_time(terms, item, day):
    assert credit(terms, item, day) <= months_of(START, END) * item.extent


@given(terms_, st.lists(employments_(), max_size=6))
def test_reached_on_is_the_first_day_the_requirement_is_reached(terms, items):
    day = reached_on(terms, items)
    if day is None:
        assert total_credit(terms, items, END) < terms.required_months
    else:
        assert total_credit(terms, items, day) >= terms.required_months
        assert total_credit(terms, items, day - timedelta(days=1)) < terms.required_months


@given(terms_, st.lists(employments_(), max_size=6), days)
def test_another_employment_never_lowers_the_delivered_months(terms, items, day):
    extra = Employment(START, None, FULL, target_group=1)
    assert total_credit(terms, [*items, extra], day) >= total_credit(terms, items, day)
