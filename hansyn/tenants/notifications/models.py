"""A notification is addressed to an audience (every coordinator, every admin, or the users of
one supplier), not to a user: who holds those roles lives in the control plane and may change.
Read/unread is kept per user; the e-mail of each notification is sent once, to the members of the
audience at that moment."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from hansyn.db import TenantBase
from hansyn.platform.models import utcnow


class Audience(enum.StrEnum):
    COORDINATORS = "coordinator"
    ADMINS = "admin"
    SUPPLIER = "supplier"  # the users of `supplier_id`


class EmailState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after `MAX_ATTEMPTS`


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Notification(TenantBase):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    #: What happened; the text is rendered from `kind` and `params` in the reader's language.
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[Audience] = mapped_column(_enum(Audience), index=True)
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )
    #: What it is about, for the link (the rows of other domains it may point at).
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_case.id", ondelete="CASCADE"), index=True
    )
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    #: Never personal data: titles, states, reason codes, counts of days.
    params: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: Set by deadline runs so that running them again notifies nobody twice. Built by the code
    #: from ids and times, never from anyone's text, so the personnummer guard skips it: a time's
    #: microseconds and offset ("…05.900101+00:00") once read as a personnummer born 1890.
    dedup_key: Mapped[str | None] = mapped_column(
        String(120), unique=True, info={"personnummer": "allowed"}
    )
    email_state: Mapped[EmailState] = mapped_column(
        _enum(EmailState), default=EmailState.PENDING, index=True
    )
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(
            "(audience = 'supplier') = (supplier_id IS NOT NULL)", name="supplier_audience"
        ),
    )

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind}>"


class NotificationRead(TenantBase):
    """User `user_id` (control plane) has read the notification."""

    __tablename__ = "notification_read"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
