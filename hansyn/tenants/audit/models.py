"""Append-only audit trail inside a tenant: who read or changed what, when and why.

`audit_event` has no index but its primary key, so appending a ranked list's 25 rows writes one
or two pages, not one page of a subject index per person shown (that index was an eighth of a
supplier's ranked page, see docs/performance.md). Finding a subject's rows goes through
`audit_subject`, filled in subject order by `operations.index_subjects` in batches, plus the
short tail of rows written since (`AuditIndexState`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow


class AuditEvent(TenantBase):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The control-plane user id; no foreign key, since users live in another database.
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(
        String(40)
    )  # "view", "create", "update", "export", "erase", …
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    purpose: Mapped[str | None] = mapped_column(String(200))  # the page or reason
    #: The supplier whose user read or received the data (a supplier's user acted); no foreign
    #: key, so the trail outlives the supplier.
    supplier_id: Mapped[int | None] = mapped_column(Integer)


class AuditSubject(TenantBase):
    """Audit event `event_id` is about subject (`subject_type`, `subject_id`): the subject index
    of `audit_event`, kept apart so that it is written in sorted batches, not per request.

    Keyed by the event's `bucket` first (`operations.BUCKET_EVENTS` events each): a batch then
    lands in the few pages of the newest bucket instead of one page per subject across the whole
    index, and finding a subject costs one key lookup per bucket."""

    __tablename__ = "audit_subject"
    #: The key is the row: no second b-tree beside it on SQLite.
    __table_args__ = ({"sqlite_with_rowid": False},)

    bucket: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    subject_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class AuditIndexState(TenantBase):
    """One row: every audit event with an id up to `indexed_upto` is in `audit_subject`."""

    __tablename__ = "audit_index_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    indexed_upto: Mapped[int] = mapped_column(BigInteger, default=0)


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
