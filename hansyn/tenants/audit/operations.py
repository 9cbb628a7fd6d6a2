"""Appending to the tenant's audit trail: the one way every domain records who did what."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from hansyn.platform.models import utcnow
from hansyn.platform.request_db import DEFERRED_AUDIT
from hansyn.tenants.audit.models import AuditEvent

_PENDING = "hansyn_pending_audit_rows"


class Actor(Protocol):
    """Who acts: the current member (views) or an operator's command (user_id None)."""

    @property
    def user_id(self) -> int | None: ...

    @property
    def email(self) -> str | None: ...


@dataclass(frozen=True)
class SystemActor:
    """An actor that is not a request's member: a command, or ids passed on from a view."""

    user_id: int | None = None
    email: str | None = None


#: The actor of `hansyn demo`: its rows are recognisable in the audit trail.
DEMO_ACTOR = SystemActor(None, "demo@hansyn.example")


def record(
    session: Session,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: int | None,
    purpose: str | None = None,
    supplier_id: int | None = None,
) -> None:
    """Append an audit row: who, which action on which subject, from which page or for what."""
    record_each(session, actor, action, subject_type, [subject_id], purpose, supplier_id)


def record_reads(
    session: Session,
    actor: Actor,
    subject_type: str,
    subject_ids: Iterable[int],
    purpose: str,
    supplier_id: int | None = None,
) -> None:
    """One "view" row per subject shown: a list that shows people to someone audits each person,
    so the municipality can say who saw whom (and which supplier, `supplier_id`)."""
    record_each(session, actor, "view", subject_type, subject_ids, purpose, supplier_id)


def record_each(
    session: Session,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_ids: Iterable[int | None],
    purpose: str | None = None,
    supplier_id: int | None = None,
) -> None:
    rows = [
        {
            "at": utcnow(),
            "user_id": actor.user_id,
            "user_email": actor.email,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "purpose": purpose,
            "supplier_id": supplier_id,
        }
        for subject_id in subject_ids
    ]
    if session.info.get(DEFERRED_AUDIT):
        session.info.setdefault(_PENDING, []).extend(rows)
    else:
        session.add_all(AuditEvent(**row) for row in rows)


@event.listens_for(Session, "before_commit")
def _write_deferred(session: Session) -> None:
    """A session marked `DEFERRED_AUDIT` (the audit of a page that only reads) collects its rows
    and writes them in one INSERT when it commits: the write lock is taken only then, and a list
    of 25 people costs one statement, not 25 ORM objects and their flush."""
    rows = session.info.pop(_PENDING, None)
    if rows:  # Core, not the ORM's bulk insert: no objects come back, so none are built
        session.connection().execute(insert(AuditEvent.__table__), rows)
