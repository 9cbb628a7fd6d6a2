"""A contract between the municipality and a supplier, and the social clause it carries.

The clause follows Upphandlingsmyndigheten's model of an employment requirement
(sysselsättningskrav): a dialogue requirement, a numeric requirement (a number of full-time
months of employment, given directly or as persons × months) or a bonus for meeting it, counted
for people from the target groups (the tenant's programme catalogue).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.suppliers.models import Supplier

#: The first hire is due this many months after the contract starts, unless the clause says
#: otherwise.
DEFAULT_FIRST_HIRE_MONTHS = 6
#: An employment that ends early counts as fulfilled once this share (in percent) of it was served.
DEFAULT_EARLY_END_SHARE = 75


class ServiceCategory(enum.StrEnum):
    """What the contract buys; a fixed list so that statistics compare across tenants."""

    CLEANING = "cleaning"  # städ/lokalvård
    CONSTRUCTION = "construction"  # bygg
    MEALS = "meals"  # måltid/kost
    GROUNDS = "grounds"  # grönyta/park
    TRANSPORT = "transport"
    PROPERTY = "property"  # fastighetsskötsel
    CARE = "care"  # omsorg
    OTHER = "other"  # övrigt


class ClauseType(enum.StrEnum):
    DIALOGUE = "dialogue"  # the supplier shall discuss hires with the municipality
    REQUIREMENT = "requirement"  # a number of full-time months is required
    BONUS = "bonus"  # the supplier earns a bonus for delivering the months


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Contract(TenantBase):
    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Diarienummer of the procurement, unique in the tenant.
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[ServiceCategory] = mapped_column(_enum(ServiceCategory))
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="RESTRICT"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    supplier: Mapped[Supplier] = relationship()
    clause: Mapped[SocialClause | None] = relationship(
        back_populates="contract", cascade="all, delete-orphan", uselist=False
    )

    __table_args__ = (CheckConstraint("end_date > start_date", name="ends_after_start"),)

    def __repr__(self) -> str:
        return f"<Contract {self.id}>"


social_clause_target_group = Table(
    "social_clause_target_group",
    TenantBase.metadata,
    Column(
        "clause_id",
        ForeignKey("social_clause.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "programme_id",
        ForeignKey("programme.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


class SocialClause(TenantBase):
    """The employment requirement of one contract.

    The requirement may be given as full-time months or as persons × months per person; both
    inputs are kept as entered, and `total_months` is the derived number of full-time months
    that follow-up counts against (0 for a pure dialogue requirement).
    """

    __tablename__ = "social_clause"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="CASCADE"), unique=True
    )
    clause_type: Mapped[ClauseType] = mapped_column(_enum(ClauseType))
    full_time_months: Mapped[int | None] = mapped_column(Integer)
    persons: Mapped[int | None] = mapped_column(Integer)
    months_per_person: Mapped[int | None] = mapped_column(Integer)
    total_months: Mapped[int] = mapped_column(Integer, default=0)
    first_hire_deadline: Mapped[date] = mapped_column(Date)
    #: Percent of the agreed time after which an employment that ended early counts as fulfilled.
    early_end_share: Mapped[int] = mapped_column(Integer, default=DEFAULT_EARLY_END_SHARE)
    description: Mapped[str | None] = mapped_column(Text)

    contract: Mapped[Contract] = relationship(back_populates="clause")
    target_groups: Mapped[list[Programme]] = relationship(
        secondary=social_clause_target_group, order_by=Programme.sort_order
    )

    __table_args__ = (
        CheckConstraint("early_end_share BETWEEN 0 AND 100", name="share_percent"),
        CheckConstraint("total_months >= 0", name="total_not_negative"),
        CheckConstraint("full_time_months IS NULL OR full_time_months > 0", name="months_positive"),
        CheckConstraint("persons IS NULL OR persons > 0", name="persons_positive"),
        CheckConstraint(
            "months_per_person IS NULL OR months_per_person > 0", name="months_per_person_positive"
        ),
    )

    def __repr__(self) -> str:
        return f"<SocialClause {self.id}>"
