"""The procurement register: every service procurement of the municipality, with or without an
employment requirement, so that the share with one can be set against the municipality's target.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow
from hansyn.tenants.contracts.models import Contract, ServiceCategory


class ValueBand(enum.StrEnum):
    """The estimated contract value, in bands so that the register says no more than needed."""

    UNDER_1M = "under_1m"
    FROM_1M_TO_5M = "1m_5m"
    FROM_5M_TO_20M = "5m_20m"
    FROM_20M_TO_100M = "20m_100m"
    OVER_100M = "over_100m"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Procurement(TenantBase):
    __tablename__ = "procurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Diarienummer, when the municipality has one for it; unique in the tenant.
    reference: Mapped[str | None] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[ServiceCategory] = mapped_column(_enum(ServiceCategory))
    value_band: Mapped[ValueBand] = mapped_column(_enum(ValueBand))
    #: The day the award decision (tilldelningsbeslut) was made: the procurement's quarter.
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    employment_requirement: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The contract in Hänsyn that carries the requirement, when it is registered here.
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    contract: Mapped[Contract | None] = relationship()

    def __repr__(self) -> str:
        return f"<Procurement {self.id}>"
