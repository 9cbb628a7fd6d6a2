"""Appending to the tenant's audit trail: the one way every domain records who did what."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    event,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from hansyn.platform.models import utcnow
from hansyn.platform.request_db import DEFERRED_AUDIT
from hansyn.tenants.audit.models import AuditEvent, AuditIndexState, AuditSubject

_PENDING = "hansyn_pending_audit_rows"
_INDEX_DUE = "hansyn_audit_index_due"
#: This process looks at the length of the unindexed tail after appending this many rows…
CHECK_EVERY_ROWS = 2_000
#: …and a tail this long is indexed then, in the same transaction (one sorted batch).
INDEX_BATCH_ROWS = 10_000
_STATE_ID = 1
#: Events per bucket of `audit_subject` (a power of two; the migration holds its own copy).
BUCKET_EVENTS = 65_536
_rows_since_check = 0


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
        _count_appended(session, len(rows))
    else:
        session.add_all(AuditEvent(**row) for row in rows)


def _count_appended(session: Session, rows: int) -> None:
    """Every `CHECK_EVERY_ROWS` rows this process appends, its commit looks at the tail.

    Counted per process and only for pages that read (the bulk of the trail, and sessions that
    write anyway); `hansyn deadlines` indexes the rest every night. An unsynchronised count
    between a worker's threads only moves the check a little.
    """
    global _rows_since_check
    _rows_since_check += rows
    if _rows_since_check >= CHECK_EVERY_ROWS:
        _rows_since_check = 0
        session.info[_INDEX_DUE] = True


@event.listens_for(Session, "before_commit")
def _write_deferred(session: Session) -> None:
    """A session marked `DEFERRED_AUDIT` (the audit of a page that only reads) collects its rows
    and writes them in one INSERT when it commits: the write lock is taken only then, and a list
    of 25 people costs one statement, not 25 ORM objects and their flush."""
    rows = session.info.pop(_PENDING, None)
    if rows:  # Core, not the ORM's bulk insert: no objects come back, so none are built
        session.connection().execute(insert(AuditEvent.__table__), rows)
    if session.info.pop(_INDEX_DUE, False) and unindexed_rows(session) >= INDEX_BATCH_ROWS:
        index_subjects(session)


def subject_events(subject_type: str, subject_id: int) -> Select[tuple[AuditEvent]]:
    """The audit events about one subject, without reading the whole trail: those in
    `audit_subject` (one key lookup per bucket, the buckets counted by a recursive CTE), and
    those written since it was last brought up to date (a range of the primary key, at most a
    few batches long). A union, not an OR: SQLite reads both parts by key only so."""
    about = (AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
    indexed_upto = func.coalesce(
        select(AuditIndexState.indexed_upto)
        .where(AuditIndexState.id == _STATE_ID)
        .scalar_subquery(),
        0,
    )
    buckets = select(literal(0, Integer).label("n")).cte("bucket_numbers", recursive=True)
    buckets = buckets.union_all(
        select(buckets.c.n + 1).where(buckets.c.n < indexed_upto // BUCKET_EVENTS)
    )
    indexed = (
        select(AuditSubject.event_id)
        .select_from(buckets)
        .join(AuditSubject, AuditSubject.bucket == buckets.c.n)
        .where(AuditSubject.subject_type == subject_type, AuditSubject.subject_id == subject_id)
    )
    tail = select(AuditEvent.id).where(AuditEvent.id > indexed_upto, *about)
    return select(AuditEvent).where(AuditEvent.id.in_(union_all(indexed, tail)), *about)


def _marks(connection: Connection) -> tuple[int | None, int]:
    """The subject index's mark (None: no state row yet) and the last event's id: two key
    lookups."""
    done = connection.scalar(
        select(AuditIndexState.indexed_upto).where(AuditIndexState.id == _STATE_ID)
    )
    last = connection.scalar(select(func.max(AuditEvent.id)))
    return (None if done is None else int(done)), int(last or 0)


def unindexed_rows(session: Session) -> int:
    """How many events were appended after the subject index's mark."""
    done, last = _marks(session.connection())
    return last - (done or 0)


def index_subjects(session: Session) -> int:
    """Bring `audit_subject` up to date: the events appended since the mark, sorted by bucket
    and subject, so they fill the newest bucket's few pages instead of one page per row. Returns how
    many events it covered. Runs in the session's write transaction, committed by its caller.

    Audit writers are kept out until that commit: on SQLite the write transaction does it; on
    PostgreSQL a SHARE lock on `audit_event` also waits for those that appended and have not
    committed yet, whose ids (drawn from a sequence) may lie below a committed one's and would
    otherwise fall behind the mark unindexed.
    """
    session.flush()  # rows the ORM still holds belong to this batch too
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        schema = (connection.get_execution_options().get("schema_translate_map") or {}).get(None)
        table = f'"{schema}".audit_event' if schema else "audit_event"
        connection.exec_driver_sql(f"LOCK TABLE {table} IN SHARE MODE")
    done, last = _marks(connection)
    if last <= (done or 0):
        return 0
    bucket = (AuditEvent.id // BUCKET_EVENTS).label("bucket")
    appended = (
        select(bucket, AuditEvent.subject_type, AuditEvent.subject_id, AuditEvent.id)
        .where(AuditEvent.id > (done or 0), AuditEvent.id <= last)
        .where(AuditEvent.subject_id.is_not(None))
        .order_by(bucket, AuditEvent.subject_type, AuditEvent.subject_id, AuditEvent.id)
    )
    columns = ["bucket", "subject_type", "subject_id", "event_id"]
    connection.execute(insert(AuditSubject).from_select(columns, appended))
    if done is None:
        connection.execute(insert(AuditIndexState).values(id=_STATE_ID, indexed_upto=last))
    else:
        connection.execute(
            update(AuditIndexState).where(AuditIndexState.id == _STATE_ID).values(indexed_upto=last)
        )
    return last - (done or 0)
