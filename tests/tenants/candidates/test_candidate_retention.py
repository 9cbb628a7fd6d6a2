"""Gallring: personal data of long-closed candidates is erased, statistics totals are not."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from hansyn.platform.models import utcnow
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates.models import Candidate, CandidateConsent, CandidateStatus

BASE = "/alfa/candidates"


def totals(session):
    """What statistics count: candidates by programme, status, municipality and closing month."""
    session.rollback()
    rows = session.execute(
        select(Candidate.programme_id, Candidate.status, Candidate.kommunkod, Candidate.closed_at)
    )
    return Counter((p, s, k, c.strftime("%Y-%m") if c else None) for p, s, k, c in rows)


def close_long_ago(databases, candidate_id, months):
    with databases.tenant_session("alfa", write=True) as session:
        candidate = session.get(Candidate, candidate_id)
        candidate.status = CandidateStatus.CLOSED
        candidate.closed_at = utcnow() - timedelta(days=months * 31)


def test_gallring_erases_personal_data_and_keeps_totals(app, databases, create_candidate, read_db):
    old = create_candidate("alfa", consent=True, notes="Känd av handläggaren sedan 2020")
    recent = create_candidate("alfa", consent=True)
    active = create_candidate("alfa", consent=True)
    close_long_ago(databases, old, 30)
    close_long_ago(databases, recent, 3)
    session = read_db("alfa")
    before = totals(session)

    dry = app.test_cli_runner().invoke(args=["gallra", "--tenant", "alfa", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would erase" in dry.output
    assert f"candidate {old}\n" in dry.output
    assert f"candidate {recent}\n" not in dry.output
    session.rollback()
    assert session.get(Candidate, old).name == "Amina Testsson"  # a dry run changes nothing
    assert totals(session) == before

    result = app.test_cli_runner().invoke(args=["gallra", "--tenant", "alfa"])
    assert result.exit_code == 0, result.output
    assert f"candidate {old}\n" in result.output
    session.rollback()
    erased = session.get(Candidate, old)
    assert erased.erased_at is not None
    for field in (
        "reference",
        "name",
        "phone",
        "email",
        "notes",
        "place_id",
        "place_name",
        "lat",
        "lon",
    ):
        assert getattr(erased, field) is None, field
    assert erased.skills == []
    assert erased.languages == []
    assert erased.kommunkod == "1480"  # municipality of residence stays for statistics
    assert erased.programme_id is not None
    assert erased.closed_at is not None
    consent = session.scalar(select(CandidateConsent).where(CandidateConsent.candidate_id == old))
    assert consent.recorded_by_email is None
    assert consent.given is True
    assert totals(session) == before
    assert session.get(Candidate, recent).name == "Amina Testsson"
    assert session.get(Candidate, active).name == "Amina Testsson"
    erase_rows = session.scalars(
        select(AuditEvent).where(AuditEvent.subject_id == old, AuditEvent.action == "erase")
    ).all()
    assert len(erase_rows) == 1

    again = app.test_cli_runner().invoke(args=["gallra", "--tenant", "alfa"])
    assert f"candidate {old}\n" not in again.output


def test_gallring_of_an_unknown_tenant_fails_cleanly(app):
    result = app.test_cli_runner().invoke(args=["gallra", "--tenant", "finns-inte"])
    assert result.exit_code == 1
    assert "finns-inte" in result.output


def test_erased_candidate_shows_only_statistics(app, databases, login, create_candidate):
    candidate_id = create_candidate("alfa")
    close_long_ago(databases, candidate_id, 40)
    app.test_cli_runner().invoke(args=["gallra", "--tenant", "alfa"])
    client = login(alfa=["coordinator"])
    page = client.get(f"{BASE}/{candidate_id}")
    assert page.status_code == 200
    assert "Gallrad arbetssökande" in page.text
    assert "Amina" not in page.text
    assert client.get(f"{BASE}/{candidate_id}/edit").status_code == 404


def _change_consent(databases, candidate_id, change):
    with databases.tenant_session("alfa", write=True) as session:
        consent = session.scalar(
            select(CandidateConsent).where(CandidateConsent.candidate_id == candidate_id)
        )
        change(session, consent)
        session.flush()


def test_consent_rows_are_append_only(databases, create_candidate):
    candidate_id = create_candidate("alfa", consent=True)
    with pytest.raises(PermissionError):
        _change_consent(databases, candidate_id, lambda _s, c: setattr(c, "given", False))
    with pytest.raises(PermissionError):
        _change_consent(databases, candidate_id, lambda s, c: s.delete(c))


def test_consent_rows_refuse_bulk_update_and_delete(databases, create_candidate):
    candidate_id = create_candidate("alfa", consent=True)
    where = CandidateConsent.candidate_id == candidate_id
    for statement in (
        update(CandidateConsent).where(where).values(given=False),
        delete(CandidateConsent).where(where),
    ):
        with (
            pytest.raises(PermissionError),
            databases.tenant_session("alfa", write=True) as session,
        ):
            session.execute(statement)
    with databases.tenant_session("alfa") as session:
        assert session.scalar(select(CandidateConsent.given).where(where)) is True
