"""Writing and reading published snapshots. Functions take a control-plane session and only
flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hansyn.platform.models import utcnow
from hansyn.platform.statistics.models import StatisticsSnapshot


@dataclass(frozen=True)
class Publisher:
    """Who publishes or withdraws: the user's id and e-mail as they are now."""

    user_id: int | None
    email: str | None


@dataclass(frozen=True)
class Municipality:
    tenant_id: int
    kommunkod: str
    name: str


def publish_snapshot(
    session: Session,
    municipality: Municipality,
    period: str,
    *,
    layout: int,
    min_count: int,
    figures: dict[str, Any],
    population: int | None,
    population_year: int | None,
    publisher: Publisher,
) -> StatisticsSnapshot:
    """Write the next version of the municipality's quarter."""
    snapshot = StatisticsSnapshot(
        tenant_id=municipality.tenant_id,
        kommunkod=municipality.kommunkod,
        municipality=municipality.name,
        period=period,
        version=_next_version(session, municipality.tenant_id, period),
        layout=layout,
        min_count=min_count,
        figures=figures,
        population=population,
        population_year=population_year,
        published_by_user_id=publisher.user_id,
        published_by_email=publisher.email,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def _next_version(session: Session, tenant_id: int, period: str) -> int:
    query = select(func.max(StatisticsSnapshot.version)).where(
        StatisticsSnapshot.tenant_id == tenant_id, StatisticsSnapshot.period == period
    )
    return (session.scalar(query) or 0) + 1


def withdraw_snapshot(
    session: Session, snapshot: StatisticsSnapshot, publisher: Publisher, reason: str
) -> None:
    if snapshot.withdrawn:
        return
    snapshot.withdrawn_at = utcnow()
    snapshot.withdrawn_by_user_id = publisher.user_id
    snapshot.withdrawn_by_email = publisher.email
    snapshot.withdrawal_reason = reason
    session.flush()


def snapshots_of(
    session: Session, tenant_id: int, period: str | None = None
) -> list[StatisticsSnapshot]:
    """Every version the municipality published (withdrawn ones too), newest first."""
    query = select(StatisticsSnapshot).where(StatisticsSnapshot.tenant_id == tenant_id)
    if period is not None:
        query = query.where(StatisticsSnapshot.period == period)
    order = (StatisticsSnapshot.period.desc(), StatisticsSnapshot.version.desc())
    return list(session.scalars(query.order_by(*order)))


def snapshot_of(session: Session, tenant_id: int, snapshot_id: int) -> StatisticsSnapshot | None:
    snapshot = session.get(StatisticsSnapshot, snapshot_id)
    return snapshot if snapshot is not None and snapshot.tenant_id == tenant_id else None


def current_snapshots(session: Session, period: str) -> list[StatisticsSnapshot]:
    """Per municipality, the newest version of `period` that is not withdrawn."""
    latest = (
        select(StatisticsSnapshot.tenant_id, func.max(StatisticsSnapshot.version).label("version"))
        .where(StatisticsSnapshot.period == period, StatisticsSnapshot.withdrawn_at.is_(None))
        .group_by(StatisticsSnapshot.tenant_id)
        .subquery()
    )
    query = (
        select(StatisticsSnapshot)
        .join(
            latest,
            (StatisticsSnapshot.tenant_id == latest.c.tenant_id)
            & (StatisticsSnapshot.version == latest.c.version),
        )
        .where(StatisticsSnapshot.period == period)
        .order_by(StatisticsSnapshot.municipality)
    )
    return list(session.scalars(query))


def published_periods(session: Session) -> list[str]:
    """Quarters with at least one snapshot in force, newest first."""
    query = (
        select(StatisticsSnapshot.period)
        .where(StatisticsSnapshot.withdrawn_at.is_(None))
        .distinct()
        .order_by(StatisticsSnapshot.period.desc())
    )
    return list(session.scalars(query))


def state_stamp(session: Session) -> tuple[int, str]:
    """Changes whenever a snapshot is published (a higher id) or withdrawn (a later time).

    Two index lookups: the table's rows carry their figures, so anything that scans them costs
    time in proportion to everything ever published."""
    newest = session.scalar(select(func.max(StatisticsSnapshot.id))) or 0
    withdrawn = session.scalar(select(func.max(StatisticsSnapshot.withdrawn_at)))
    return int(newest), str(withdrawn)
