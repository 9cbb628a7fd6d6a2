"""Append-only audit trail inside a tenant: who read or changed what, when and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow


class AuditEvent(TenantBase):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: The control-plane user id; no foreign key, since users live in another database.
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(
        String(40)
    )  # "view", "create", "update", "export", "erase", …
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    purpose: Mapped[str | None] = mapped_column(String(200))  # the page or reason
    #: The supplier whose user read or received the data (a supplier's user acted); no foreign
    #: key, so the trail outlives the supplier.
    supplier_id: Mapped[int | None] = mapped_column(Integer, index=True)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(*_args: object) -> None:
    raise PermissionError("audit events are append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """`update(AuditEvent)` and `delete(AuditEvent)` bypass the mapper events above."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in state.all_mappers
    ):
        raise PermissionError("audit events are append-only")
