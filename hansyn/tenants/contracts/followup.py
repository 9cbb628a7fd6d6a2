"""Following up an employment requirement as Upphandlingsmyndigheten's criterion 11554 reads:
pure functions, no database, no Flask.

The clause (alternative a) asks for "en eller flera anställningar på heltid eller deltid, vilka
sammantagna motsvarar minst [antal] månader på heltid". So:

- each employment delivers the calendar months it was worked, times its extent (part time is
  summed to full-time months); a suspension (leave of any kind) is not worked and does not count;
- months count from the contract's start to its end, and a fixed-term employment at most to its
  planned end (a longer one must have its planned end moved);
- only employments for a target group the clause names count (a clause naming none counts all);
- "Senast sex (6) månader efter kontraktets start ska minst en (1) anställning ha påbörjats eller
  erbjudits": the first-hire rule, against the clause's own deadline;
- "Om en anställning avslutas i förtid av den anställde eller om det föreligger saklig grund för
  uppsägning eller skäl för avskedande ska leverantören anses ha uppfyllt sitt åtagande om minst
  tre fjärdedelar (75 %) av den … avtalade anställningstiden har fullgjorts": the early-end rule,
  with the contract's own share. An employment the employer ended for any other reason delivers
  only what was worked.

Dates are inclusive (an employment from 2026-01-01 to 2026-12-31 is twelve months). Exact
fractions are used throughout, so that a boundary such as "9 of 12 months at 75 %" never falls
on the wrong side through rounding.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

ONE_DAY = timedelta(days=1)
#: The first-hire deadline counts as near (the clause is at risk) this many days before it.
DEADLINE_NEAR_DAYS = 60


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


def months_of(first: date, last: date) -> Fraction:
    """Calendar months of the days `first` to `last`, both included."""
    return months_between(first, last + ONE_DAY)


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


class EndReason(enum.StrEnum):
    """Why an employment ended (the codes a placement records)."""

    EXPIRED = "expired"  # the agreed time ran out
    RESIGNED = "resigned"  # the employee resigned
    OBJECTIVE_GROUNDS = "objective_grounds"  # uppsägning på saklig grund
    SUMMARY_DISMISSAL = "summary_dismissal"  # avsked
    EMPLOYER_OTHER = "employer_other"  # the employer ended it for another reason
    OTHER_EMPLOYER = "other_employer"  # the employee moved on to another employer


#: Ends after which the early-end rule applies: the employee ended it (resigning, or leaving for
#: another employer), or the employer had objective grounds or grounds for summary dismissal.
EARLY_END_QUALIFIES = frozenset(
    {
        EndReason.RESIGNED,
        EndReason.OTHER_EMPLOYER,
        EndReason.OBJECTIVE_GROUNDS,
        EndReason.SUMMARY_DISMISSAL,
    }
)


@dataclass(frozen=True)
class Leave:
    """A suspension of the employment (sick leave, parental leave…), days inclusive."""

    first: date
    last: date


@dataclass(frozen=True)
class Employment:
    """One placement as the follow-up sees it."""

    start: date
    #: The last agreed day of a fixed-term employment; None: until further notice.
    planned_end: date | None
    #: Share of full time, above 0 and at most 1.
    extent: Fraction
    #: The last day worked, once the employment ended (may lie ahead: a notice period).
    ended_on: date | None = None
    end_reason: EndReason | None = None
    leaves: tuple[Leave, ...] = ()
    #: The programme (målgrupp) it counts for.
    target_group: int | None = None
    #: The day the employment was offered (or the hire recorded), if before its start.
    offered_on: date | None = None
    #: The caller's id for it (a placement id), passed through to `Credit`.
    key: int | None = None


@dataclass(frozen=True)
class ClauseTerms:
    required_months: int
    contract_start: date
    contract_end: date
    first_hire_deadline: date
    early_end_share: int = 75
    #: Programme ids the clause names; empty: every target group counts.
    target_groups: frozenset[int] = frozenset()
    #: The agreed time of an employment until further notice, when the clause gives one
    #: (persons × months per person); otherwise such an employment has no agreed length.
    months_per_person: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.early_end_share <= 100:
            raise ValueError("early_end_share is a percentage between 0 and 100")


# ---------------------------------------------------------------- one employment


def counts_for(terms: ClauseTerms, employment: Employment) -> bool:
    """Whether the employment is for a target group the clause names."""
    return not terms.target_groups or employment.target_group in terms.target_groups


def agreed_last_day(terms: ClauseTerms, employment: Employment) -> date | None:
    """The last day of the agreed time: the planned end, or for an employment until further
    notice the clause's months per person; None when there is no agreed length."""
    if employment.planned_end is not None:
        return employment.planned_end
    if terms.months_per_person:
        return add_months(employment.start, terms.months_per_person) - ONE_DAY
    return None


def worked_months(first: date, last: date, leaves: Iterable[Leave]) -> Fraction:
    """Calendar months of the days `first`..`last` that no leave covers."""
    if last < first:
        return Fraction(0)
    total, cursor = Fraction(0), first
    for leave in sorted(leaves, key=lambda item: item.first):
        if leave.last < cursor or leave.first > last:
            continue
        if leave.first > cursor:
            total += months_of(cursor, leave.first - ONE_DAY)
        cursor = max(cursor, leave.last + ONE_DAY)
    if cursor <= last:
        total += months_of(cursor, last)
    return total


def _last_counted_day(terms: ClauseTerms, employment: Employment, day: date) -> date:
    """The last day that counts as of `day`: never after the contract's end, the planned end
    or the day the employment ended."""
    candidates = [day, terms.contract_end]
    candidates += [d for d in (employment.planned_end, employment.ended_on) if d is not None]
    return min(candidates)


def delivered_by(terms: ClauseTerms, employment: Employment, day: date) -> Fraction:
    """Full-time months worked from the start up to and including `day`."""
    first = max(employment.start, terms.contract_start)
    last = _last_counted_day(terms, employment, day)
    return worked_months(first, last, employment.leaves) * employment.extent


def early_end_applies(terms: ClauseTerms, employment: Employment, day: date) -> bool:
    """The early-end rule: by `day` the employment ended before its agreed time, for a reason
    the criterion accepts, after at least the clause's share of the agreed time was worked."""
    ended, agreed_last = employment.ended_on, agreed_last_day(terms, employment)
    if ended is None or ended > day or agreed_last is None or ended >= agreed_last:
        return False
    if employment.end_reason not in EARLY_END_QUALIFIES:
        return False
    return served_share(terms, employment) * 100 >= terms.early_end_share


def served_share(terms: ClauseTerms, employment: Employment) -> Fraction:
    """Worked time up to the end over the agreed time (both without leave)."""
    agreed_last = agreed_last_day(terms, employment)
    if agreed_last is None or employment.ended_on is None:
        return Fraction(0)
    agreed = worked_months(employment.start, agreed_last, employment.leaves)
    served = worked_months(employment.start, employment.ended_on, employment.leaves)
    return served / agreed if agreed > 0 else Fraction(0)


def _agreed_months(terms: ClauseTerms, employment: Employment, agreed_last: date) -> Fraction:
    """Full-time months of the whole agreed time within the contract, without leave."""
    first = max(employment.start, terms.contract_start)
    last = min(agreed_last, terms.contract_end)
    return worked_months(first, last, employment.leaves) * employment.extent


def credit(terms: ClauseTerms, employment: Employment, day: date) -> Fraction:
    """Full-time months the employment has delivered to the clause as of `day`."""
    if not counts_for(terms, employment):
        return Fraction(0)
    agreed_last = agreed_last_day(terms, employment)
    if agreed_last is not None and early_end_applies(terms, employment, day):
        return _agreed_months(terms, employment, agreed_last)
    return delivered_by(terms, employment, day)


def total_credit(terms: ClauseTerms, employments: Iterable[Employment], day: date) -> Fraction:
    return sum((credit(terms, e, day) for e in employments), Fraction(0))


def credit_between(
    terms: ClauseTerms, employments: Sequence[Employment], first: date, last: date
) -> Fraction:
    """Full-time months credited during the days `first`..`last` (a report's quarter)."""
    return total_credit(terms, employments, last) - total_credit(
        terms, employments, first - ONE_DAY
    )


# ---------------------------------------------------------------- the first-hire rule


class FirstHire(enum.StrEnum):
    MET = "met"  # an employment was started or offered by the deadline
    PENDING = "pending"  # none yet; the deadline is not near
    NEAR = "near"  # none yet; the deadline is near
    MISSED = "missed"  # none was started or offered by the deadline


def first_hire_on(terms: ClauseTerms, employments: Iterable[Employment]) -> date | None:
    """The first day an employment that counts was offered or started."""
    days = [
        min(e.start, e.offered_on) if e.offered_on else e.start
        for e in employments
        if counts_for(terms, e)
    ]
    return min(days, default=None)


def first_hire_status(terms: ClauseTerms, first: date | None, today: date) -> FirstHire:
    deadline = terms.first_hire_deadline
    if first is not None and first <= deadline and first <= today:
        return FirstHire.MET
    if today > deadline:
        return FirstHire.MISSED
    if (deadline - today).days <= DEADLINE_NEAR_DAYS:
        return FirstHire.NEAR
    return FirstHire.PENDING


# ---------------------------------------------------------------- the clause


class ClauseStatus(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MET = "met"
    NOT_MET = "not_met"


class Why(enum.StrEnum):
    """The rule behind a status, shown in words by the pages."""

    DELIVERED = "delivered"  # met: the months were delivered and the first hire was in time
    FIRST_HIRE_MISSED = "first_hire_missed"  # not met: no hire by the deadline
    ENDED_SHORT = "ended_short"  # not met: the contract ended before the months were delivered
    FORECAST_SHORT = "forecast_short"  # at risk: the planned months fall short
    DEADLINE_NEAR = "deadline_near"  # at risk: the deadline is near and nobody is hired
    FORECAST_MEETS = "forecast_meets"  # on track: the planned months reach the requirement


@dataclass(frozen=True)
class Credit:
    """One employment's part in the follow-up."""

    key: int | None
    counts: bool
    delivered: Fraction  # as of today
    planned: Fraction  # by the contract's end, if it runs as planned
    early_end: bool  # the early-end rule credited the whole agreed time


@dataclass(frozen=True)
class FollowUp:
    required: Fraction
    delivered: Fraction
    #: Delivered plus what ongoing employments will deliver up to their planned end.
    planned: Fraction
    remaining: Fraction
    first_hire: FirstHire
    first_hire_on: date | None
    status: ClauseStatus
    why: tuple[Why, ...]
    #: The day the months were reached, or the day the forecast reaches them; None: never.
    met_on: date | None
    credits: tuple[Credit, ...] = field(default=())

    @property
    def share(self) -> Fraction:
        """Delivered over required (1 when nothing is required)."""
        return self.delivered / self.required if self.required else Fraction(1)


def reached_on(terms: ClauseTerms, employments: Sequence[Employment]) -> date | None:
    """The first day by which the credited months reach the requirement, if they ever do
    within the contract (credit never falls as days pass, so a binary search finds it)."""
    required = terms.required_months
    low, high = terms.contract_start, terms.contract_end
    if total_credit(terms, employments, high) < required:
        return None
    while low < high:
        middle = low + (high - low) // 2
        if total_credit(terms, employments, middle) >= required:
            high = middle
        else:
            low = middle + ONE_DAY
    return low


def _status(
    terms: ClauseTerms, delivered: Fraction, planned: Fraction, first_hire: FirstHire, today: date
) -> tuple[ClauseStatus, tuple[Why, ...]]:
    required = terms.required_months
    if first_hire is FirstHire.MISSED:
        return ClauseStatus.NOT_MET, (Why.FIRST_HIRE_MISSED,)
    if delivered >= required:
        return ClauseStatus.MET, (Why.DELIVERED,)
    if today > terms.contract_end:
        return ClauseStatus.NOT_MET, (Why.ENDED_SHORT,)
    why = tuple(
        reason
        for reason, applies in (
            (Why.FORECAST_SHORT, planned < required),
            (Why.DEADLINE_NEAR, first_hire is FirstHire.NEAR),
        )
        if applies
    )
    if why:
        return ClauseStatus.AT_RISK, why
    return ClauseStatus.ON_TRACK, (Why.FORECAST_MEETS,)


def clause_status(
    terms: ClauseTerms, employments: Sequence[Employment], today: date
) -> tuple[ClauseStatus, tuple[Why, ...]]:
    """The status of `follow_up` and its rule alone, without searching for the day the months
    are reached (statistics count statuses over many contracts and quarters)."""
    delivered = total_credit(terms, employments, today)
    planned = total_credit(terms, employments, terms.contract_end)
    first_hire = first_hire_status(terms, first_hire_on(terms, employments), today)
    return _status(terms, delivered, planned, first_hire, today)


def follow_up(terms: ClauseTerms, employments: Sequence[Employment], today: date) -> FollowUp:
    """Where a clause stands on `today`, and where its planned employments take it."""
    credits = tuple(
        Credit(
            e.key,
            counts_for(terms, e),
            credit(terms, e, today),
            credit(terms, e, terms.contract_end),
            early_end_applies(terms, e, today),
        )
        for e in employments
    )
    delivered = sum((c.delivered for c in credits), Fraction(0))
    planned = sum((c.planned for c in credits), Fraction(0))
    required = Fraction(terms.required_months)
    first = first_hire_on(terms, employments)
    first_hire = first_hire_status(terms, first, today)
    status, why = _status(terms, delivered, planned, first_hire, today)
    return FollowUp(
        required=required,
        delivered=delivered,
        planned=planned,
        remaining=max(required - delivered, Fraction(0)),
        first_hire=first_hire,
        first_hire_on=first,
        status=status,
        why=why,
        met_on=reached_on(terms, employments),
        credits=credits,
    )
