"""Suppliers (leverantörer) that hold contracts with a social clause in this municipality."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow


class Supplier(TenantBase):
    __tablename__ = "supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Organisationsnummer: ten digits without the hyphen, validated with the Luhn check digit.
    #: A sole trader's organisation number is the owner's personnummer (public, Bolagsverket).
    org_number: Mapped[str] = mapped_column(
        String(10), unique=True, info={"personnummer": "allowed"}
    )
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Supplier {self.id}>"
