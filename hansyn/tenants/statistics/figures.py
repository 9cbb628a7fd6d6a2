"""The municipality's own figures for a period, read from its database. Counts only: nothing
here returns a person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.models import ServiceCategory
from hansyn.tenants.procurements.models import Procurement
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.statistics.periods import Period


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
