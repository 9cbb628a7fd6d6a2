"""A vacancy belongs to one contract, and through it to one supplier."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.contracts.models import Contract

MAX_HOURS_PER_WEEK = 40


class VacancyStatus(enum.StrEnum):
    """Whether the supplier takes candidates. "Filled" is no status: it is derived from the
    vacancy's hires (positions against placements, `placements.operations.vacancy_filled`)."""

    OPEN = "open"
    CLOSED = "closed"


class Extent(enum.StrEnum):
    FULL_TIME = "heltid"
    PART_TIME = "deltid"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Vacancy(TenantBase):
    __tablename__ = "vacancy"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    #: A vocabulary key (``occupation:<conceptId>``) and its label when the vacancy was saved.
    occupation_key: Mapped[str] = mapped_column(String(80))
    occupation_label: Mapped[str] = mapped_column(String(200))
    #: Texts as the supplier wrote them; the matcher normalises them itself.
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    desired_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    driving_licence: Mapped[str | None] = mapped_column(String(8))
    #: A gazetteer place id and its display name.
    locality_id: Mapped[str] = mapped_column(String(20))
    locality_name: Mapped[str] = mapped_column(String(200))
    positions: Mapped[int] = mapped_column(Integer, default=1)
    start_date: Mapped[date] = mapped_column(Date)
    duration_months: Mapped[int | None] = mapped_column(Integer)
    extent: Mapped[Extent] = mapped_column(_enum(Extent))
    hours_per_week: Mapped[int] = mapped_column(Integer)
    status: Mapped[VacancyStatus] = mapped_column(
        _enum(VacancyStatus), default=VacancyStatus.OPEN, index=True
    )
    created_by: Mapped[int | None] = mapped_column(Integer)  # control-plane user id
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    #: Set when the vacancy went unchanged too long (the deadline run); cleared by an edit.
    stale_flagged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    contract: Mapped[Contract] = relationship()

    __table_args__ = (
        CheckConstraint("positions >= 1", name="positions_positive"),
        CheckConstraint(
            f"hours_per_week BETWEEN 1 AND {MAX_HOURS_PER_WEEK}", name="hours_per_week_range"
        ),
        CheckConstraint(
            "duration_months IS NULL OR duration_months >= 1", name="duration_positive"
        ),
    )

    def __repr__(self) -> str:
        return f"<Vacancy {self.id}>"
