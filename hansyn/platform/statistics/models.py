"""A municipality's published quarter: anonymised, suppressed figures, immutable once written.

A snapshot is never changed or deleted: publishing the quarter again writes the next version, and
withdrawing one only records who withdrew it, when and why. The figures are the only thing that
left the municipality's own database; they name no person, case or placement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from hansyn.db import ControlBase
from hansyn.platform.models import utcnow

WITHDRAWAL_FIELDS = frozenset(
    {"withdrawn_at", "withdrawn_by_user_id", "withdrawn_by_email", "withdrawal_reason"}
)


class StatisticsSnapshot(ControlBase):
    __tablename__ = "statistics_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="RESTRICT"))
    #: Copied from the tenant when published: the record stays as it was published.
    kommunkod: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[str] = mapped_column(String(200))
    #: "2026Q3": the quarter the figures describe.
    period: Mapped[str] = mapped_column(String(7), index=True)
    version: Mapped[int] = mapped_column(Integer)
    #: The edition of the figures' layout (which tables, which categories).
    layout: Mapped[int] = mapped_column(Integer)
    #: The municipality's threshold k: counts from 1 to k-1 were hidden.
    min_count: Mapped[int] = mapped_column(Integer)
    #: Inhabitants as the municipality stated them (SCB's figure for a 31 December), if any.
    population: Mapped[int | None] = mapped_column(Integer)
    population_year: Mapped[int | None] = mapped_column(Integer)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Who published: the user's id and e-mail as they were (no foreign key: the record outlives
    #: the account).
    published_by_user_id: Mapped[int | None] = mapped_column(Integer)
    published_by_email: Mapped[str | None] = mapped_column(String(254))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    withdrawn_by_user_id: Mapped[int | None] = mapped_column(Integer)
    withdrawn_by_email: Mapped[str | None] = mapped_column(String(254))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint("tenant_id", "period", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("min_count >= 3", name="threshold_at_least_three"),
        CheckConstraint("population IS NULL OR population > 0", name="population_positive"),
    )

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def __repr__(self) -> str:
        return f"<StatisticsSnapshot {self.id} {self.period} v{self.version}>"


@event.listens_for(StatisticsSnapshot, "before_update")
def _only_withdrawal(_mapper: object, _connection: object, snapshot: StatisticsSnapshot) -> None:
    """A published snapshot is immutable; withdrawing it fills in the withdrawal, once."""
    state = inspect(snapshot)
    for attr in state.attrs:
        history = attr.history
        if not history.has_changes():
            continue
        if attr.key not in WITHDRAWAL_FIELDS or any(v is not None for v in history.deleted):
            raise PermissionError("published statistics are immutable")


@event.listens_for(StatisticsSnapshot, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise PermissionError("published statistics are immutable")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """Bulk `update(...)` and `delete(...)` would skip the mapper events above."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is StatisticsSnapshot for mapper in state.all_mappers
    ):
        raise PermissionError("published statistics are immutable")
