"""The audit trail's subject index: `audit_event` is appended without a subject index, and a
subject's events are found through `audit_subject` (filled in sorted batches) plus the tail
written since. Every event about a subject is found whichever side of the mark it lies on."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import select

from hansyn.tenants.audit import operations
from hansyn.tenants.audit.models import AuditEvent, AuditIndexState, AuditSubject
from hansyn.tenants.audit.operations import SystemActor, index_subjects, record, subject_events
from tests.tenants.matches.test_no_scans import _postgres_nodes, _postgres_scans_all, statements

ACTOR = SystemActor(None, "audit-test@hansyn.example")
#: Subject ids far above any candidate the other tests create (the tenant is shared).
_subject_ids = itertools.count(9_000_000)


def _events_about(session, subject_id: int) -> list[int]:
    query = subject_events("candidate", subject_id).order_by(AuditEvent.id)
    return [event.id for event in session.scalars(query)]


def _append(session, subject_id: int, purpose: str) -> int:
    record(session, ACTOR, "view", "candidate", subject_id, purpose)
    session.flush()
    return session.scalars(select(AuditEvent.id).where(AuditEvent.purpose == purpose)).one()


def test_a_subjects_events_are_found_before_and_after_they_are_indexed(tenant_session):
    subject, other = next(_subject_ids), next(_subject_ids)
    session = tenant_session("alfa")
    first = _append(session, subject, f"first {subject}")
    _append(session, other, f"other {subject}")
    session.commit()
    assert _events_about(session, subject) == [first]  # in the tail

    assert index_subjects(session) >= 2
    session.commit()
    assert session.scalar(select(AuditIndexState.indexed_upto)) >= first
    assert _events_about(session, subject) == [first]  # now through audit_subject

    second = _append(session, subject, f"second {subject}")
    session.commit()
    assert _events_about(session, subject) == [first, second]  # one indexed, one in the tail
    assert index_subjects(session) >= 1
    session.commit()
    assert _events_about(session, subject) == [first, second]


def test_indexing_twice_adds_nothing_the_second_time(tenant_session):
    session = tenant_session("alfa")
    subject = next(_subject_ids)
    _append(session, subject, f"twice {subject}")
    session.commit()
    index_subjects(session)
    session.commit()
    assert index_subjects(session) == 0
    rows = session.scalars(
        select(AuditSubject.event_id).where(AuditSubject.subject_id == subject)
    ).all()
    assert len(rows) == 1


def test_a_reads_commit_indexes_the_tail_once_it_is_long(tenant_session, monkeypatch):
    """A page that reads appends through a deferred session; after enough rows its commit
    brings the index up to date in the same transaction."""
    from hansyn.db import make_session
    from hansyn.platform.request_db import DEFERRED_AUDIT

    monkeypatch.setattr(operations, "CHECK_EVERY_ROWS", 5)
    monkeypatch.setattr(operations, "INDEX_BATCH_ROWS", 5)
    session = tenant_session("alfa")
    subjects = [next(_subject_ids) for _ in range(6)]
    deferred = make_session(session.get_bind(), write=True)
    deferred.info[DEFERRED_AUDIT] = True
    operations.record_reads(deferred, ACTOR, "candidate", subjects, "a long list")
    deferred.commit()
    deferred.close()

    state = session.scalar(select(AuditIndexState.indexed_upto))
    last = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    assert state == last
    indexed = session.scalars(
        select(AuditSubject.subject_id).where(AuditSubject.subject_id.in_(subjects))
    ).all()
    assert sorted(indexed) == subjects


def _audit_scans(engine, statement: str, parameters) -> list[str]:
    """The audit tables a statement's plan reads whole (as `test_no_scans` checks candidates)."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            steps = [row[-1] for row in rows]
            return [step for step in steps if re.match(r"SCAN audit_", step)]
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        explained = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        (plan,) = explained.scalar_one()
        connection.rollback()
    return [
        node["Relation Name"]
        for node in _postgres_nodes(plan["Plan"])
        if node.get("Relation Name", "").startswith("audit_") and _postgres_scans_all(node)
    ]


def test_the_read_log_page_reads_no_whole_audit_table(
    app, databases, login, create_candidate, tenant_session
):
    """EXPLAIN QUERY PLAN (SQLite) / EXPLAIN without sequential scans (PostgreSQL) of every
    statement the read log sends: the trail is read by key, on both sides of the mark."""
    candidate = create_candidate("alfa", consent=True)
    session = tenant_session("alfa")
    _append(session, candidate, f"scan check {candidate}")
    session.commit()
    client = login(alfa=["admin"])
    engine = databases.tenant_engine("alfa")
    with statements(engine) as seen:
        assert client.get(f"/alfa/candidates/{candidate}/log").status_code == 200
    reads = [
        (s, p) for s, p in seen if "audit_event" in s and s.lstrip().startswith(("SELECT", "WITH"))
    ]
    assert reads
    assert [scan for s, p in reads for scan in _audit_scans(engine, s, p)] == []


@pytest.mark.parametrize("indexed_first", [True, False])
def test_the_read_log_page_shows_indexed_and_recent_reads(
    app, login, create_candidate, tenant_session, indexed_first
):
    candidate = create_candidate("alfa", consent=True)
    session = tenant_session("alfa")
    _append(session, candidate, f"older read {candidate}")
    session.commit()
    if indexed_first:
        index_subjects(session)
        session.commit()
    _append(session, candidate, f"newer read {candidate}")
    session.commit()
    log = login(alfa=["admin"]).get(f"/alfa/candidates/{candidate}/log")
    assert log.status_code == 200
    assert f"older read {candidate}" in log.text
    assert f"newer read {candidate}" in log.text
