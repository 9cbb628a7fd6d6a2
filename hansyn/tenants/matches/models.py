"""What matching leaves in the tenant's database: the pseudonyms suppliers know candidates by,
and the suppliers' requests to meet one."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.vacancies.models import Vacancy


class CandidatePseudonym(TenantBase):
    """A random name such as ``K-7F3A9C``, stable for one supplier and different for every other.

    It is drawn at random (not derived from the candidate id), so knowing one pseudonym, or
    many, tells nothing about any candidate or about another supplier's pseudonyms.
    """

    __tablename__ = "candidate_pseudonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("candidate_id", "supplier_id"),)

    def __repr__(self) -> str:
        return f"<CandidatePseudonym {self.id}>"


class MeetingStatus(enum.StrEnum):
    """Only the first step for now; the hiring workflow adds the rest."""

    REQUESTED = "requested"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class MeetingRequest(TenantBase):
    """A supplier asks to meet a candidate it saw only by pseudonym; a coordinator follows up."""

    __tablename__ = "meeting_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )
    requested_by: Mapped[int | None] = mapped_column(Integer)  # control-plane user id
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus), default=MeetingStatus.REQUESTED
    )

    vacancy: Mapped[Vacancy] = relationship()

    __table_args__ = (UniqueConstraint("vacancy_id", "candidate_id"),)

    def __repr__(self) -> str:
        return f"<MeetingRequest {self.id}>"
