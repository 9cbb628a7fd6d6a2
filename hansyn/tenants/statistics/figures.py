"""The municipality's own figures for a period, read from its database. Counts only: nothing
here returns a person."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.followup import ClauseStatus, clause_status, credit_between
from hansyn.tenants.contracts.models import Contract, ServiceCategory
from hansyn.tenants.contracts.operations import list_contracts
from hansyn.tenants.matches.models import Case, CaseEvent, CaseState
from hansyn.tenants.matches.reasons import REASONS
from hansyn.tenants.placements.models import EmploymentForm, Placement, WageSubsidy
from hansyn.tenants.placements.operations import (
    as_employment,
    clause_terms,
    followed_up,
    placements_of_contracts,
)
from hansyn.tenants.procurements.models import Procurement
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.vacancies.models import Vacancy


@dataclass(frozen=True)
class GroupCount:
    code: str
    name: str
    count: int


def _programmes(session: Session) -> list[Programme]:
    return list(session.scalars(select(Programme).order_by(Programme.sort_order, Programme.id)))


def _by_programme(session: Session, *conditions: object) -> list[GroupCount]:
    query = (
        select(Candidate.programme_id, func.count(Candidate.id))
        .where(*conditions)  # type: ignore[arg-type]
        .group_by(Candidate.programme_id)
    )
    counts: dict[int, int] = {row[0]: row[1] for row in session.execute(query)}
    return [
        GroupCount(p.code, p.name, counts.get(p.id, 0))
        for p in _programmes(session)
        if p.active or counts.get(p.id)
    ]


def registered(session: Session, period: Period) -> list[GroupCount]:
    """Candidates registered during the period, by programme/target group."""
    return _by_programme(
        session,
        Candidate.created_at >= period.start_utc(),
        Candidate.created_at < period.end_utc(),
    )


def enrolled(session: Session, period: Period) -> list[GroupCount]:
    """Candidates registered and not closed when the period ended (active or paused)."""
    end = period.end_utc()
    return _by_programme(
        session,
        Candidate.created_at < end,
        or_(Candidate.closed_at.is_(None), Candidate.closed_at >= end),
    )


def registered_per_period(session: Session, periods: list[Period]) -> list[int]:
    return [sum(g.count for g in registered(session, period)) for period in periods]


def procurements(session: Session, period: Period) -> Counter[tuple[ServiceCategory, bool]]:
    """Service procurements decided in the period, by sector and whether they carry a
    requirement."""
    query = (
        select(Procurement.category, Procurement.employment_requirement, func.count())
        .where(Procurement.decided_on >= period.first_day, Procurement.decided_on < period.end_day)
        .group_by(Procurement.category, Procurement.employment_requirement)
    )
    return Counter({(category, bool(flag)): n for category, flag, n in session.execute(query)})


@dataclass(frozen=True)
class ProcurementShare:
    period: Period
    total: int
    with_requirement: int

    @property
    def percent(self) -> float | None:
        return 100 * self.with_requirement / self.total if self.total else None


def procurement_shares(session: Session, periods: list[Period]) -> list[ProcurementShare]:
    shares = []
    for period in periods:
        counts = procurements(session, period)
        with_requirement = sum(n for (_c, flag), n in counts.items() if flag)
        shares.append(ProcurementShare(period, sum(counts.values()), with_requirement))
    return shares


# Cases ----------------------------------------------------------------------------------------

#: The steps of the funnel, in order; a case counts at a step when its log shows it got there.
FUNNEL: tuple[tuple[str, frozenset[CaseState]], ...] = (
    ("opened", frozenset({CaseState.PROPOSED, CaseState.REQUESTED})),
    ("consent_asked", frozenset({CaseState.CONSENT_ASKED})),
    ("consented", frozenset({CaseState.CONSENTED})),
    ("interview", frozenset({CaseState.INTERVIEW})),
    ("offered", frozenset({CaseState.OFFERED})),
    ("hired", frozenset({CaseState.HIRED})),
)
STEPS = tuple(name for name, _states in FUNNEL)


@dataclass(frozen=True)
class CaseFigures:
    """The cases opened during a period: how far they got and how long each step took."""

    reached: dict[str, int]
    #: Days from the case's opening to the first time it reached each later step.
    days: dict[str, list[float]]

    def median_days(self, step: str) -> float | None:
        values = sorted(self.days.get(step, []))
        if not values:
            return None
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _first_times(session: Session, period: Period) -> dict[int, dict[str, datetime]]:
    opened = select(Case.id).where(Case.created_at >= period.start_utc(),
                                   Case.created_at < period.end_utc())
    query = (select(CaseEvent.case_id, CaseEvent.to_state, CaseEvent.at)
             .where(CaseEvent.case_id.in_(opened)).order_by(CaseEvent.at, CaseEvent.id))
    first: dict[int, dict[str, datetime]] = defaultdict(dict)
    step_of = {state: name for name, states in FUNNEL for state in states}
    for case_id, state, at in session.execute(query):
        step = step_of.get(state)
        if step is not None:
            first[case_id].setdefault(step, at)
    return first


def cases(session: Session, period: Period) -> CaseFigures:
    reached: dict[str, int] = dict.fromkeys(STEPS, 0)
    days: dict[str, list[float]] = {step: [] for step in STEPS[1:]}
    for times in _first_times(session, period).values():
        start = times.get("opened")
        for step in STEPS:
            if step in times:
                reached[step] += 1
                if start is not None and step != "opened":
                    days[step].append((times[step] - start).total_seconds() / 86_400)
    return CaseFigures(reached, days)


def case_states(session: Session, period: Period) -> dict[CaseState, int]:
    """Cases by the state they were in when the period ended (opened before its end)."""
    end = period.end_utc()
    latest = (select(CaseEvent.case_id, func.max(CaseEvent.id).label("last"))
              .where(CaseEvent.at < end).group_by(CaseEvent.case_id).subquery())
    query = (select(CaseEvent.to_state, func.count())
             .join(latest, CaseEvent.id == latest.c.last).group_by(CaseEvent.to_state))
    counts = dict.fromkeys(CaseState, 0)
    for state, count in session.execute(query):
        counts[CaseState(state)] = count
    return counts


def ended_by_reason(session: Session, period: Period) -> dict[str, int]:
    """Cases refused or withdrawn during the period, by reason (every reason listed)."""
    counts = {code: 0 for code, _kind, _system in REASONS}
    query = (select(Case.reason_code, func.count())
             .where(Case.state.in_([CaseState.REFUSED, CaseState.WITHDRAWN]),
                    Case.decided_at >= period.start_utc(), Case.decided_at < period.end_utc())
             .group_by(Case.reason_code))
    for code, count in session.execute(query):
        counts[code] = counts.get(code, 0) + count
    return counts


# Placements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractMonths:
    contract: Contract
    required: Fraction
    #: Full-time months credited during the period, and the part from subsidised employments.
    delivered: Fraction
    subsidised: Fraction
    #: Placements that credited anything during the period.
    placements: int
    status: ClauseStatus


@dataclass(frozen=True)
class PlacementFigures:
    started: list[Placement]
    ongoing: int
    contracts: list[ContractMonths]
    #: The sector (the contract's service area) and the supplier of each placement's contract.
    sector: dict[int, ServiceCategory]
    supplier: dict[int, str]

    @property
    def delivered(self) -> Fraction:
        return sum((c.delivered for c in self.contracts), Fraction(0))

    @property
    def subsidised(self) -> Fraction:
        return sum((c.subsidised for c in self.contracts), Fraction(0))

    @property
    def crediting(self) -> int:
        return sum(c.placements for c in self.contracts)

    def by_form(self) -> dict[EmploymentForm, int]:
        counts = dict.fromkeys(EmploymentForm, 0)
        for placement in self.started:
            counts[placement.employment_form] += 1
        return counts

    def by_sector(self) -> dict[ServiceCategory, int]:
        counts = dict.fromkeys(ServiceCategory, 0)
        for placement in self.started:
            counts[self.sector[placement.id]] += 1
        return counts

    def by_supplier(self) -> Counter[str]:
        return Counter(self.supplier[p.id] for p in self.started)

    def by_status(self) -> dict[ClauseStatus, int]:
        counts = dict.fromkeys(ClauseStatus, 0)
        for contract in self.contracts:
            counts[contract.status] += 1
        return counts


def _all_placements(session: Session) -> list[tuple[Placement, Contract]]:
    query = (select(Placement, Contract).join(Vacancy, Placement.vacancy_id == Vacancy.id)
             .join(Contract, Vacancy.contract_id == Contract.id)
             .options(selectinload(Placement.suspensions), selectinload(Contract.supplier)))
    return [(placement, contract) for placement, contract in session.execute(query)]


def _is_ongoing(placement: Placement, day: date) -> bool:
    return placement.start_date <= day and (placement.ended_on is None
                                            or placement.ended_on > day)


def placements(session: Session, period: Period, today: date) -> PlacementFigures:
    """Placements started in the period, ongoing at its end, and each clause's months."""
    rows = _all_placements(session)
    first, last = period.first_day, min(period.last_day, today)
    started = [p for p, _c in rows if first <= p.start_date <= period.last_day]
    ongoing = sum(1 for p, _c in rows if _is_ongoing(p, last))
    return PlacementFigures(
        started, ongoing, _contract_months(session, first, last),
        {p.id: c.category for p, c in rows}, {p.id: c.supplier.name for p, c in rows},
    )


def _contract_months(session: Session, first: date, last: date) -> list[ContractMonths]:
    contracts = [c for c in list_contracts(session) if followed_up(c.clause)
                 and c.start_date <= last and c.end_date >= first]
    by_contract = placements_of_contracts(session, (c.id for c in contracts))
    found = []
    for contract in contracts:
        assert contract.clause is not None  # noqa: S101 (followed_up checked it)
        terms = clause_terms(contract, contract.clause)
        employed = by_contract.get(contract.id, [])
        employments = [as_employment(p) for p in employed]
        credits = {e.key: credit_between(terms, [e], first, last) for e in employments}
        subsidised = [p for p in employed if p.wage_subsidy is not WageSubsidy.NONE]
        found.append(ContractMonths(
            contract, Fraction(contract.clause.total_months), sum(credits.values(), Fraction(0)),
            sum((credits[p.id] for p in subsidised), Fraction(0)),
            sum(1 for value in credits.values() if value > 0),
            clause_status(terms, employments, last)[0],
        ))
    return found
