"""The tenant's change counter for candidates: what lets every process keep its matching index
current without scanning the candidates.

Every flush that adds, changes or deletes a candidate or one of its skill, language or consent
rows bumps the one row of `change_counter` named "candidate" and appends one `candidate_change`
row per candidate touched, stamped with the new value — in the same transaction as the change.

- Reading the counter is one primary-key lookup (`current_value`), so a request can tell in O(1)
  whether its process's index is current.
- `changed_since(value)` is a range read on `candidate_change`'s primary key: the candidates to
  re-read, never the whole table.
- The bump is an `UPDATE … RETURNING` of one row, so it holds that row's lock until the
  transaction ends: on PostgreSQL two transactions that change candidates commit their values in
  the order they drew them, and a reader that sees value V has every change up to V committed
  (a sequence would not give that: a later value may commit before an earlier one). On SQLite
  there is one writer at a time anyway.

Changes made without the ORM's unit of work (bulk `insert()`/`update()` of candidate tables, raw
SQL) do not pass through here: such code must call `note_changes` itself, as the load benchmark's
seeder does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import chain

from sqlalchemy import BigInteger, Connection, String, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from hansyn.db import TenantBase
from hansyn.tenants.candidates.models import (
    Candidate,
    CandidateConsent,
    CandidateLanguage,
    CandidateSkill,
)

COUNTER = "candidate"
_CHILDREN = (CandidateSkill, CandidateLanguage, CandidateConsent)


class ChangeCounter(TenantBase):
    """A named counter of the tenant: "candidate" counts flushes that changed candidates."""

    __tablename__ = "change_counter"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class CandidateChange(TenantBase):
    """Candidate `candidate_id` changed (or was deleted) in the flush that drew `seq`."""

    __tablename__ = "candidate_change"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    candidate_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


def current_value(session: Session) -> int:
    """The counter now: one primary-key lookup (through Core, built once: it runs on every
    ranked list)."""
    return int(session.connection().scalar(_CURRENT_VALUE) or 0)


_CURRENT_VALUE = select(ChangeCounter.value).where(ChangeCounter.name == COUNTER)


def changed_since(session: Session, value: int, limit: int | None = None) -> list[int]:
    """The candidates changed after counter `value` (at most `limit` distinct ids)."""
    query = (
        select(CandidateChange.candidate_id)
        .where(CandidateChange.seq > value)
        .distinct()
        .order_by(CandidateChange.candidate_id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def note_changes(connection: Connection, candidate_ids: Collection[int]) -> int:
    """Bump the counter and log `candidate_ids` under the new value, on `connection`'s
    transaction; returns the new value."""
    counter = ChangeCounter.__table__
    value = connection.execute(
        update(counter)
        .where(counter.c.name == COUNTER)
        .values(value=counter.c.value + 1)
        .returning(counter.c.value)
    ).scalar()
    if value is None:  # a database older than the counter's migration row (never in practice)
        value = 1
        connection.execute(insert(counter).values(name=COUNTER, value=value))
    if candidate_ids:
        connection.execute(
            insert(CandidateChange.__table__),
            [{"seq": value, "candidate_id": cid} for cid in sorted(candidate_ids)],
        )
    return int(value)


def _candidate_id(session: Session, obj: object) -> int | None:
    if isinstance(obj, Candidate):
        if obj in session.dirty and not session.is_modified(obj):
            return None
        return obj.id
    if isinstance(obj, _CHILDREN):
        return obj.candidate_id  # an orphan's parent is itself dirty, so it is counted anyway
    return None


def _touched(session: Session, objects: Iterable[object]) -> set[int]:
    ids = (_candidate_id(session, obj) for obj in objects)
    return {cid for cid in ids if cid is not None}


@event.listens_for(Session, "after_flush")
def _count_candidate_changes(session: Session, _context: object) -> None:
    touched = _touched(session, chain(session.new, session.dirty, session.deleted))
    if touched:
        note_changes(session.connection(), touched)
