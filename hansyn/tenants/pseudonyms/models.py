"""One random pseudonym per (candidate, supplier), created the first time the supplier sees it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow


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
